// `npm run build`'s third step: the code cache of the report bundle (see source/cli/code-cache.ts). The bundle runs
// the reports a user runs most on the demo image, as a docker save archive and gzipped, and V8 then serialises every
// function it compiled on the way into dist/reports.cjs.cache. A function these runs did not reach compiles as usual.
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {gunzipSync} from 'node:zlib';
import {loadReportBundle} from '../source/cli/code-cache.js';
import {untierForCache} from '../source/cli/tiering.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundleFile = path.join(root, 'dist/reports.cjs');
const demo = path.join(root, 'media/demo-image.tar.gz');
let written = false;
// A run that waits on something never coming would let the process end quietly, with no cache: say so.
process.on('exit', () => {
	if (written) return;
	process.stderr.write('scripts/code-cache.ts: the runs did not finish; no code cache was written\n');
	process.exitCode = 1;
});
const scratch = mkdtempSync(path.join(os.tmpdir(), 'layerscope-code-cache-'));
try {
	const archive = path.join(scratch, 'demo.tar');
	writeFileSync(archive, gunzipSync(readFileSync(demo)));
	const bundle = loadReportBundle(bundleFile);
	const runs = [
		[archive, '--json'],
		[archive, '--json', '--files'],
		[archive, '--plain'],
		[archive, '--ci'],
		[demo, '--json'],
	];
	// The reports' output goes nowhere; a write's callback is still called (the CI report waits for it).
	const swallow = ((...args: unknown[]) => {
		const callback = args.find(arg => typeof arg === 'function') as (() => void) | undefined;
		if (callback) process.nextTick(callback);
		return true;
	}) as typeof process.stdout.write;
	const failures: string[] = [];
	for (const argv of runs) {
		process.stdout.write = process.stderr.write = swallow;
		try {
			if (!(await bundle.run(argv))) failures.push(`${argv.join(' ')}: handed back`);
		} finally {
			// The streams' own write is their prototype's: taking the stand-in away restores it.
			delete (process.stdout as Partial<typeof process.stdout>).write;
			delete (process.stderr as Partial<typeof process.stderr>).write;
		}
		// --ci exits 1 when a rule fails; the runs only have to finish.
		process.exitCode = 0;
	}
	if (failures.length > 0) throw new Error(`the report bundle did not run: ${failures.join('; ')}`);
	untierForCache();
	const cache = bundle.script.createCachedData();
	writeFileSync(bundleFile + '.cache', cache);
	written = true;
} finally {
	rmSync(scratch, {recursive: true, force: true});
}
