// cli/tiering.ts: a report on an image from 4 MB raises V8's interrupt budget after start-up, and V8 must honour a
// flag set that late (the code cache forbids setting it before). Counted in a child with V8's own optimisation status.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {test} from 'node:test';
import {pathToFileURL} from 'node:url';
import {ROOT} from './helpers/cli.js';

/** How many calls of a small hot function before TurboFan optimizes it, after tierForReport(bytes). */
function callsBeforeOptimized(bytes: number): number {
	const tiering = pathToFileURL(path.join(ROOT, 'source/cli/tiering.ts')).href;
	const script = `
		import {tierForReport} from ${JSON.stringify(tiering)};
		tierForReport(${bytes});
		function work(a) { let s = 0; for (let i = 0; i < 50; i++) s += a[i % a.length]; return s; }
		let calls = 0;
		for (; calls < 100000; calls++) { work([1, 2, 3]); if (%GetOptimizationStatus(work) & 16) break; }
		process.stdout.write(String(calls));`;
	// Compiled on this thread (no background job to wait for), so the count is exact.
	const child = spawnSync(
		process.execPath,
		['--import', 'tsx', '--allow-natives-syntax', '--no-concurrent-recompilation', '--input-type=module', '-e', script],
		{
			cwd: ROOT,
			encoding: 'utf8',
		},
	);
	assert.equal(child.status, 0, child.stderr);
	return Number(child.stdout);
}

test('a report on an image from 4 MB has its functions optimized later; a smaller one keeps V8 default', () => {
	const small = callsBeforeOptimized(4 * 1024 * 1024 - 1);
	const big = callsBeforeOptimized(4 * 1024 * 1024);
	assert.ok(small > 0 && small < 100, `optimized after ${small} calls with V8's default budget`);
	// The budget is ~7x V8's: so are the calls, give or take the function's first ones.
	assert.ok(big > 5 * small, `optimized after ${big} calls with the report's budget, ${small} with the default`);
});
