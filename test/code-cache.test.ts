// The bin's two ways to run a command (source/cli.ts): the report bundle with the code V8 compiled for it at build
// time, or the ES modules. Both must give the same bytes; the cache must be one this Node takes; a command that may
// open the terminal UI must leave the bundle before it has done anything.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, test} from 'node:test';
import {HAND_OFF, main} from '../source/cli-main.js';
import {loadReportBundle} from '../source/cli/code-cache.js';
import {errorLine} from '../source/util/error-line.js';
import {CORPUS, ROOT, runCli} from './helpers/cli.js';
import {hasTmux, tmuxServer} from './helpers/tmux.js';

const DIST = path.join(ROOT, 'dist');
const BUNDLE = path.join(DIST, 'reports.cjs');
const built = existsSync(BUNDLE) ? false : 'dist/reports.cjs is not built (npm run build)';
const IMAGE = path.join(CORPUS, 'test-docker-image.tar');
const corpus = existsSync(IMAGE) ? false : `${IMAGE} is not here`;

const scratch = mkdtempSync(path.join(os.tmpdir(), 'layerscope-code-cache-test-'));
const server = tmuxServer({name: 'code-cache', width: 100, height: 30, keyDelayMs: 300, timeoutMs: 30_000});
after(() => {
	rmSync(scratch, {recursive: true, force: true});
	server.kill();
});

/** A copy of the package whose dist/ lacks `missing` (package.json, node_modules and media are the checkout's). */
function packageWithout(missing: string[]): string {
	const root = mkdtempSync(path.join(scratch, 'package-'));
	for (const name of ['package.json', 'node_modules', 'media']) symlinkSync(path.join(ROOT, name), path.join(root, name));
	cpSync(DIST, path.join(root, 'dist'), {recursive: true, filter: source => !missing.includes(path.basename(source))});
	return root;
}

test('the build left a code cache that this Node accepts, for a bundle that runs the reports', {skip: built}, () => {
	const bundle = loadReportBundle(BUNDLE, readFileSync(BUNDLE + '.cache'));
	assert.equal(bundle.script.cachedDataRejected, false);
	assert.equal(typeof bundle.run, 'function');
	// The terminal UI is not in it: Ink, React and the layout engine load only for the explorer.
	const source = readFileSync(BUNDLE, 'utf8');
	for (const module of ['build/ui/', 'node_modules/ink/', 'node_modules/react/', 'node_modules/yoga-layout/', 'node_modules/yaml/'])
		assert.ok(!source.includes(`// ${module}`), `${module} is in the report bundle`);
	// One character past ASCII would make V8 hold the whole text at two bytes a character.
	assert.ok(/^[\x00-\x7f]*$/.test(source), 'the report bundle is ASCII');
});

test('yaml is in no bundle or chunk: dist/yaml.cjs, required when a keys file or a CI rules file is read', {skip: built}, () => {
	for (const name of readdirSync(DIST).filter(name => /\.(mjs|cjs|js)$/.test(name) && name !== 'yaml.cjs'))
		assert.ok(!readFileSync(path.join(DIST, name), 'utf8').includes('// node_modules/yaml/'), `yaml is bundled in dist/${name}`);
	assert.ok(existsSync(path.join(DIST, 'yaml.cjs')));
});

test('a report is the same from the cached bundle, the bundle without its cache or refusing it, and the ES modules', {skip: built || corpus}, async () => {
	const ways = {
		cached: path.join(ROOT, 'dist/cli.js'),
		uncached: path.join(packageWithout(['reports.cjs.cache']), 'dist/cli.js'),
		modules: path.join(packageWithout(['reports.cjs', 'reports.cjs.cache']), 'dist/cli.js'),
	};
	for (const args of [[IMAGE, '--json', '--files'], [IMAGE, '--plain'], [IMAGE, '--ci'], ['--version'], [path.join(scratch, 'absent.tar'), '--json']]) {
		const [cached, uncached, modules, flagged] = await Promise.all([
			...Object.values(ways).map(cli => runCli(args, {cli})),
			// Under a V8 flag V8 refuses the cache (the flags are part of what it checks) and compiles as usual.
			runCli(args, {cli: ways.cached, nodeArgs: ['--max-old-space-size=1024']}),
		]);
		assert.deepEqual(uncached, cached, args.join(' '));
		assert.deepEqual(modules, cached, args.join(' '));
		assert.deepEqual(flagged, cached, args.join(' '));
	}
	// The CI report's exit code says the rules failed; a missing file is the one error line.
	assert.equal((await runCli([IMAGE, '--ci'], {cli: ways.cached})).code, 1);
	const missing = await runCli([path.join(scratch, 'absent.tar'), '--json'], {cli: ways.cached});
	assert.equal(missing.code, 2);
	assert.match(missing.stderr, /^layerscope: .*absent\.tar: .*\n$/);
});

test('without the terminal UI, main() hands back a command that may open it, before anything is read', async () => {
	const descriptor = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
	Object.defineProperty(process.stdout, 'isTTY', {value: true, configurable: true});
	try {
		// A file that does not exist: a hand-off must not have looked at it.
		const absent = path.join(scratch, 'absent.tar');
		assert.equal(await main([absent]), HAND_OFF);
		assert.equal(await main([absent, '--lang', 'zh']), HAND_OFF);
		assert.equal(await main([]), HAND_OFF);
		assert.equal(await main(['images']), HAND_OFF);
		assert.equal(await main(['images', '--json']), HAND_OFF);
		// A report on a terminal is the bundle's own (here: the error about the file).
		await assert.rejects(main([absent, '--json']), (error: unknown) => /^layerscope: .*absent\.tar: no such file/.test(errorLine(undefined, error)));
	} finally {
		if (descriptor) Object.defineProperty(process.stdout, 'isTTY', descriptor);
		else delete (process.stdout as {isTTY?: boolean}).isTTY;
	}
});

test(
	'on a terminal, a report piped to another program starts on a clean line: the progress line is gone first',
	{skip: built || (!hasTmux && 'tmux is not installed')},
	async () => {
		// stderr is the terminal (the progress line shows), stdout a pipe to head, which writes to the same terminal.
		for (const flag of ['--plain', '--json']) {
			const term = server.terminal(`node dist/cli.js media/demo-image.tar.gz ${flag} | head -3`);
			const screen = await term.until(text => /EXIT=0/.test(text), `${flag} | head`);
			const lines = screen.split('\n');
			assert.equal(lines[0], flag === '--plain' ? 'Image: demo/shop-api:1.4.2  (docker-archive: media/demo-image.tar.gz)' : '{', screen);
			assert.ok(!screen.includes('loading'), screen);
			term.kill();
		}
	},
);

test(
	'on a terminal, the explorer opens from the ES modules and a report flag runs the bundle',
	{skip: built || (!hasTmux && 'tmux is not installed')},
	async () => {
		const explorer = server.terminal('node dist/cli.js media/demo-image.tar.gz');
		await explorer.until(text => /Layers \(1\/8\)/.test(text) && /\? Help/.test(text), 'the explorer');
		await explorer.keys('q');
		await explorer.until(text => /EXIT=0/.test(text), 'the explorer closing');
		explorer.kill();
		const report = server.terminal('node dist/cli.js media/demo-image.tar.gz --ci');
		const screen = await report.until(text => /EXIT=1/.test(text), 'the CI report');
		assert.match(screen, /FAIL: .* \[pass:\d+ fail:\d+ skip:\d+\]/);
		report.kill();
	},
);

test("a report on a small image loads none of Node's optional modules it has no use for", {skip: built || corpus}, () => {
	// Node's clock for performance.now() alone is perf_hooks and ten modules behind it: 0.75 MB of a 50 MB report. (net
	// is here for stdout, a pipe.)
	const listFile = path.join(scratch, 'modules.txt');
	const probe = path.join(scratch, 'module-list.cjs');
	writeFileSync(probe, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(listFile)}, process.moduleLoadList.join('\\n')));\n`);
	const run = spawnSync(process.execPath, ['-r', probe, path.join(DIST, 'cli.js'), IMAGE, '--json'], {encoding: 'utf8'});
	assert.equal(run.status, 0, run.stderr);
	const loaded = readFileSync(listFile, 'utf8').split('\n');
	for (const module of [
		'perf_hooks',
		'internal/perf/performance',
		'fs/promises',
		'internal/readline/interface',
		'readline',
		'worker_threads',
		'zlib',
		'http',
		'https',
		'tls',
		'child_process',
	])
		assert.ok(!loaded.includes(`NativeModule ${module}`), `${module} was loaded`);
});
