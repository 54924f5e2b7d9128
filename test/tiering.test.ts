// cli/tiering.ts: a report on an image from 4 MB raises V8's interrupt budget after start-up (from 512 MiB it keeps
// V8's), a smaller one turns TurboFan off, every report keeps the young generation at its first size, and V8 must honour flags set that late (the
// code cache forbids setting them before). Counted in a child with V8's own optimisation status and heap statistics.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {test} from 'node:test';
import {pathToFileURL} from 'node:url';
import {LARGE_REPORT_MIN_BYTES, V8_DEFAULTS} from '../source/cli/tiering.js';
import {ROOT} from './helpers/cli.js';

const CALLS = 100_000;

/** How many calls of a small hot function before TurboFan optimizes it (CALLS: never), after tierForReport(bytes). */
function callsBeforeOptimized(bytes: number | null): number {
	const tiering = pathToFileURL(path.join(ROOT, 'source/cli/tiering.ts')).href;
	const script = `
		import {tierForReport} from ${JSON.stringify(tiering)};
		${bytes === null ? '' : `tierForReport(${bytes});`}
		function work(a) { let s = 0; for (let i = 0; i < 50; i++) s += a[i % a.length]; return s; }
		let calls = 0;
		for (; calls < ${CALLS}; calls++) { work([1, 2, 3]); if (%GetOptimizationStatus(work) & 16) break; }
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

test('a report on an image from 4 MB has its functions optimized later (from 512 MiB, as usual); on a smaller one, never', () => {
	const usual = callsBeforeOptimized(null);
	const big = callsBeforeOptimized(4 * 1024 * 1024);
	assert.ok(usual > 0 && usual < 100, `optimized after ${usual} calls with V8's default budget`);
	// The budget is ~7x V8's: so are the calls, give or take the function's first ones.
	assert.ok(big > 5 * usual && big < CALLS, `optimized after ${big} calls with the report's budget, ${usual} with the default`);
	assert.equal(callsBeforeOptimized(4 * 1024 * 1024 - 1), CALLS);
	assert.ok(callsBeforeOptimized(LARGE_REPORT_MIN_BYTES - 1) > 5 * usual, 'just under 512 MiB: the raised budget');
	const large = callsBeforeOptimized(LARGE_REPORT_MIN_BYTES);
	assert.ok(large < 2 * usual + 10, `an image from 512 MiB: optimized after ${large} calls, ${usual} with V8's default`);
});

test("the defaults the build puts back before it makes the code cache are this Node's", () => {
	const options = spawnSync(process.execPath, ['--v8-options'], {encoding: 'utf8'}).stdout;
	for (const flag of V8_DEFAULTS) {
		const name = flag.replace(/=.*/, '');
		assert.ok(options.includes(`default: ${flag}\n`), `${name}: not V8's default here (${flag})`);
	}
});

/** V8's new space (both halves) before and after a run that keeps 50,000 objects alive at a time, after tierForReport(bytes). */
function newSpaceGrowth(bytes: number | null): {first: number; last: number} {
	const tiering = pathToFileURL(path.join(ROOT, 'source/cli/tiering.ts')).href;
	const script = `
		import {getHeapSpaceStatistics} from 'node:v8';
		import {tierForReport} from ${JSON.stringify(tiering)};
		${bytes === null ? '' : `tierForReport(${bytes});`}
		const size = () => getHeapSpaceStatistics().find(space => space.space_name === 'new_space').space_size;
		const first = size();
		const kept = new Array(50000);
		for (let i = 0; i < 1000000; i++) kept[i % kept.length] = {i, name: 'x' + i};
		process.stdout.write(JSON.stringify({first, last: size()}));`;
	const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {cwd: ROOT, encoding: 'utf8'});
	assert.equal(child.status, 0, child.stderr);
	return JSON.parse(child.stdout) as {first: number; last: number};
}

test("a report keeps V8's young generation at its first size, on a small image and a big one", () => {
	const usual = newSpaceGrowth(null);
	assert.ok(usual.last >= 4 * usual.first, `V8's default grew ${usual.first} -> ${usual.last} bytes`);
	for (const bytes of [1024 * 1024, 4 * 1024 * 1024, LARGE_REPORT_MIN_BYTES]) {
		const {first, last} = newSpaceGrowth(bytes);
		// Not grown: V8 may still shrink it (a full collection under load did, 4 -> 2 MiB).
		assert.ok(last <= first, `a report on a ${bytes}-byte image: new space grew ${first} -> ${last} bytes`);
	}
});
