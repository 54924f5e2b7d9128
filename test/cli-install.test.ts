// Installs that give a working `layerscope`: `npm pack` of a clean checkout (its `prepare` builds dist/ and the man page)
// holds the bin, docs/, LICENSE, the man page and the demo image; `npm install -g ./checkout` builds and links the bin;
// the tarball installed under a prefix runs from anywhere, opens the demo by name and has its man page. npm needs the
// registry (or its cache) for the dependencies of a tarball or git install: without either, those two steps skip, saying
// so, and the tarball is installed the way npm lays it out instead (unpacked, dependencies beside it, the bin linked).
import assert from 'node:assert/strict';
import {execFileSync, spawnSync, type SpawnSyncReturns} from 'node:child_process';
import {chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {tempDir} from './helpers/fixtures.js';
import {OPTIONS} from '../source/cli/help.js';
import {CLI, ROOT, runCli} from './helpers/cli.js';

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {version: string};
const npmMissing = spawnSync('npm', ['--version']).status === 0 ? false : 'no npm';
const manMissing = spawnSync('man', ['--version']).status === 0 ? false : 'no man(1)';

/** A checkout as git would give it: the tracked and untracked-but-not-ignored files (no dist/), deps linked. */
function checkout(): string {
	const dir = path.join(tempDir(), 'layerscope');
	mkdirSync(dir);
	const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {cwd: ROOT, encoding: 'utf8'}).split('\0').filter(Boolean);
	execFileSync('cp', ['--parents', '-t', dir, ...files.filter(file => statSync(path.join(ROOT, file), {throwIfNoEntry: false})?.isFile())], {cwd: ROOT});
	symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
	return dir;
}

function npm(args: string[], cwd: string): SpawnSyncReturns<string> {
	return spawnSync('npm', args, {
		cwd,
		encoding: 'utf8',
		timeout: 300_000,
		env: {...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false'},
	});
}

/** Why npm could not install offline, or null when the failure is not about the registry. */
function offlineReason(run: SpawnSyncReturns<string>): string | null {
	return /ENOTCACHED|ENOTFOUND|EAI_AGAIN|ECONNREFUSED/.test(run.stderr)
		? 'the dependencies are not in the npm cache and the registry is not used offline'
		: null;
}

function run(bin: string, args: string[]): {code: number | null; stdout: string; stderr: string} {
	const result = spawnSync(bin, args, {cwd: tempDir(), encoding: 'utf8', timeout: 60_000, env: {...process.env, CI: '', NO_COLOR: '1'}});
	return {code: result.status, stdout: result.stdout, stderr: result.stderr};
}

/** What an installed `layerscope` must do: its version, the demo by name from any directory, the man page. */
function checkInstalled(bin: string): void {
	assert.deepEqual(run(bin, ['-v']), {code: 0, stdout: `${pkg.version}\n`, stderr: ''});
	const help = run(bin, ['-h']);
	assert.equal(help.code, 0);
	assert.match(help.stdout, /\$ layerscope completion bash\|zsh\|fish/);
	const demo = run(bin, ['--demo', '--json']);
	assert.equal(demo.code, 0, demo.stderr);
	const report = JSON.parse(demo.stdout) as {image: {tags: string[]}; source: {reference: string}};
	assert.deepEqual(report.image.tags, ['demo/shop-api:1.4.2']);
	assert.match(report.source.reference, /media\/demo-image\.tar\.gz$/);
}

let packed: {tarball: string; files: string[]} | null = null;
function pack(): {tarball: string; files: string[]} {
	if (packed) return packed;
	const dir = checkout();
	const out = tempDir();
	const result = npm(['pack', '--pack-destination', out], dir);
	assert.equal(result.status, 0, result.stderr);
	const tarball = path.join(
		out,
		readdirSync(out).find(name => name.endsWith('.tgz'))!,
	);
	const files = execFileSync('tar', ['-tzf', tarball], {encoding: 'utf8'}).split('\n').filter(Boolean);
	packed = {tarball, files};
	return packed;
}

test(
	'npm pack of a clean checkout runs prepare and ships the bin, the man page, docs/, LICENSE and the demo image',
	{skip: npmMissing, timeout: 600_000},
	() => {
		const {files} = pack();
		for (const file of [
			'package/dist/cli.js',
			'package/dist/package.json',
			'package/dist/cli-modules.mjs',
			'package/dist/hash-worker.js',
			'package/dist/reports.cjs',
			'package/dist/reports.cjs.cache',
			'package/dist/yaml.cjs',
			'package/dist/layerscope.1',
			'package/docs/json-report.md',
			'package/docs/design.md',
			'package/LICENSE',
			'package/README.md',
			'package/package.json',
			'package/media/demo-image.tar.gz',
		])
			assert.ok(files.includes(file), `${file} missing from the tarball`);
		// dist/ is the bundle (scripts/bundle.ts): its entries and chunks at the top, no module tree.
		assert.deepEqual(
			files.filter(file => /^package\/dist\/[^/]+\//.test(file)),
			[],
			'the bundle is flat',
		);
		assert.deepEqual(
			files.filter(file => /^package\/(source|test|scripts|bench|build)\//.test(file)),
			[],
			'sources, tests and the unbundled build stay out of the package',
		);
	},
);

test(
	'the packed tarball installed under a prefix: layerscope runs from anywhere, --demo opens, man renders the page',
	{skip: npmMissing, timeout: 600_000},
	t => {
		const {tarball} = pack();
		const prefix = tempDir();
		let install = npm(['install', '-g', '--prefix', prefix, tarball, '--offline'], tempDir());
		if (install.status !== 0 && offlineReason(install)) install = npm(['install', '-g', '--prefix', prefix, tarball], tempDir());
		const bin = path.join(prefix, 'bin/layerscope');
		let manFile = path.join(prefix, 'share/man/man1/layerscope.1');
		if (install.status !== 0) {
			const reason = offlineReason(install);
			assert.ok(reason, install.stderr);
			t.diagnostic(`npm install -g of the tarball not run: ${reason}; installed as npm lays it out instead`);
			// npm's layout: the package under lib/node_modules, its dependencies below it, the bin linked into bin/.
			const home = path.join(prefix, 'lib/node_modules/layerscope');
			mkdirSync(home, {recursive: true});
			execFileSync('tar', ['-xzf', tarball, '-C', home, '--strip-components=1']);
			symlinkSync(path.join(ROOT, 'node_modules'), path.join(home, 'node_modules'));
			mkdirSync(path.join(prefix, 'bin'));
			symlinkSync('../lib/node_modules/layerscope/dist/cli.js', bin);
			chmodSync(path.join(home, 'dist/cli.js'), 0o755); // npm makes a package's bin targets executable as it links them
			manFile = path.join(home, 'dist/layerscope.1');
		}
		// npm links the man page into share/man only up to bin-links 5 (npm/bin-links#163 stopped that for global
		// installs); the page is in the package either way.
		if (!existsSync(manFile)) manFile = path.join(prefix, 'lib/node_modules/layerscope/dist/layerscope.1');
		assert.ok(statSync(bin).mode & 0o111, 'the bin is executable');
		checkInstalled(bin);
		if (manMissing) return t.diagnostic(`man page not rendered: ${manMissing}`);
		const man = spawnSync('man', ['-l', manFile], {encoding: 'utf8', env: {...process.env, MANWIDTH: '100', MANPAGER: 'cat', PAGER: 'cat'}});
		assert.equal(man.status, 0, man.stderr);
		assert.match(man.stdout, /^LAYERSCOPE\(1\)/);
		assert.match(man.stdout, /\n {7}layerscope - see what is inside a container image, layer by layer, and what it costs\n/);
		assert.match(man.stdout, /\n {7}--ci-config <file>\n {14}rules file \(default \.dive-ci if present\)\n/);
		assert.match(man.stdout, /\n {7}-h, --help\n {14}show this help\n/);
	},
);

test('npm install -g ./checkout (no dist/ in it) builds through prepare and links a working bin', {skip: npmMissing, timeout: 600_000}, () => {
	const dir = checkout();
	const prefix = tempDir();
	const install = npm(['install', '-g', '--prefix', prefix, dir, '--offline'], tempDir());
	assert.equal(install.status, 0, install.stderr);
	checkInstalled(path.join(prefix, 'bin/layerscope'));
});

// `npm install -g git+…` itself fails for any package built by `prepare` (npm/cli#8440: under -g npm does not install
// the build tools in its clone), so the README gives the route that works: `npm pack git+…`, then the tarball.
test(
	'from git, as the README says: npm pack git+file://… builds in a clone, and its tarball installs a working bin',
	{skip: npmMissing, timeout: 900_000},
	t => {
		const dir = checkout();
		execFileSync('git', ['init', '-q', dir]);
		execFileSync('git', ['-C', dir, 'add', '-A', '.', ':!node_modules']);
		execFileSync('git', ['-C', dir, '-c', 'user.name=test', '-c', 'user.email=test@invalid', 'commit', '-qm', 'checkout']);
		const packDir = tempDir();
		// The clone npm makes has no node_modules: its build tools come from the cache when it has them, else the registry.
		let pack = npm(['pack', `git+file://${dir}`, '--offline'], packDir);
		if (pack.status !== 0 && offlineReason(pack)) pack = npm(['pack', `git+file://${dir}`], packDir);
		if (pack.status !== 0) {
			const reason = offlineReason(pack);
			assert.ok(reason, pack.stderr);
			return t.skip(`not run: building from git installs the build tools from the registry, which cannot be reached (${reason})`);
		}
		const tarball = path.join(
			packDir,
			readdirSync(packDir).find(name => name.endsWith('.tgz'))!,
		);
		const prefix = tempDir();
		let install = npm(['install', '-g', '--prefix', prefix, tarball, '--offline'], tempDir());
		if (install.status !== 0 && offlineReason(install)) install = npm(['install', '-g', '--prefix', prefix, tarball], tempDir());
		assert.equal(install.status, 0, install.stderr);
		checkInstalled(path.join(prefix, 'bin/layerscope'));
	},
);

test('-h and -v are --help and --version, also among other arguments', async () => {
	const help = await runCli(['--help']);
	assert.equal(help.code, 0);
	assert.match(help.stdout, /\n {4}-h, --help {16}show this help\n/);
	for (const args of [['-h'], ['image.tar', '-h'], ['--json', '--help']]) assert.deepEqual(await runCli(args), help, args.join(' '));
	const version = {code: 0, stdout: `${pkg.version}\n`, stderr: ''};
	for (const args of [['--version'], ['-v'], ['image.tar', '-v']]) assert.deepEqual(await runCli(args), version, args.join(' '));
});

test('every flag of the help table is one the command line accepts', async () => {
	for (const option of OPTIONS) {
		const args = option.arg === undefined ? [option.flag] : [option.flag, '1'];
		const result = await runCli([...args, '--help']);
		assert.equal(result.code, 0, `${option.flag}: ${result.stderr}`);
	}
});

test('--demo opens the bundled demo image by name, from any directory; naming an image with it is an error', async () => {
	const result = run(process.execPath, [CLI, '--demo', '--json']); // run() starts it in a fresh temp directory
	assert.equal(result.code, 0, result.stderr);
	const report = JSON.parse(result.stdout) as {image: {tags: string[]; sizeBytes: number}; source: {reference: string}};
	assert.deepEqual(
		[report.image.tags, report.image.sizeBytes, report.source.reference],
		[['demo/shop-api:1.4.2'], 944465, path.join(ROOT, 'media/demo-image.tar.gz')],
	);
	assert.deepEqual(await runCli(['--demo', 'other.tar']), {
		code: 2,
		stdout: '',
		stderr: 'layerscope: --demo opens the bundled demo image: name no image with it (got 1)\n',
	});
});

test(
	'the man page made from the help table is roff groff reads without a warning',
	{skip: spawnSync('groff', ['--version']).status === 0 ? false : 'no groff'},
	() => {
		const out = path.join(tempDir(), 'layerscope.1');
		execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/make-man.ts'), out], {cwd: ROOT});
		const page = readFileSync(out, 'utf8');
		assert.match(page, /^\.TH LAYERSCOPE 1 "" "layerscope 0\.1\.0" "User Commands"\n/);
		for (const option of OPTIONS)
			assert.ok(page.includes(`.B ${option.flag.replaceAll('-', '\\-')}`) || page.includes(`, ${option.flag.replaceAll('-', '\\-')}`), option.flag);
		const check = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-z', out], {encoding: 'utf8'});
		assert.deepEqual([check.status, check.stderr], [0, '']);
	},
);
