// The first hash worker, started by the bin before the command line loads (source/layers/early-worker.ts): the pool
// takes it as its first worker, with node:crypto's digests; it starts only for a file big enough for the workers; one
// that died before the pool took it is not taken. And the bin on such an image: every digest checked, so a run that
// succeeds is one whose worker hashed right.
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {existsSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {OFF_THREAD_MIN_BYTES, startEarlyWorker, takeEarlyWorker} from '../source/layers/early-worker.js';
import {fileRangeHash} from '../source/layers/hash-pool.js';
import {ROOT, runCli} from './helpers/cli.js';
import {dockerArchive, writeTemp} from './helpers/fixtures.js';

const WORKER = path.join(ROOT, 'dist/hash-worker.js');
const skip = os.availableParallelism() < 2 ? 'one core: no worker' : existsSync(WORKER) ? false : 'dist/hash-worker.js is not built (npm run build)';

function noise(length: number): Buffer {
	const bytes = Buffer.alloc(length);
	for (let i = 0, x = 11; i < length; i++) bytes[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
	return bytes;
}
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

test('no early worker for small files, options, missing paths or directories', {skip}, () => {
	const small = writeTemp(Buffer.alloc(OFF_THREAD_MIN_BYTES - 1), 'small.tar');
	startEarlyWorker(['--json', small, 'no/such/file.tar', ROOT, '--lang', 'zh'], WORKER);
	assert.equal(takeEarlyWorker(), null);
});

test('a worker that dies before the pool takes it is not taken', {skip}, async () => {
	const big = writeTemp(Buffer.alloc(OFF_THREAD_MIN_BYTES), 'big.tar');
	const broken = writeTemp(Buffer.from('throw new Error("no");\n'), 'broken-worker.js');
	startEarlyWorker([big], broken);
	// The worker's error reaches this thread's loop after it has run.
	await new Promise(resolve => setTimeout(resolve, 1000));
	assert.equal(takeEarlyWorker(), null);
});

test("the bin's worker is the pool's first, with node:crypto's digests", {skip}, async () => {
	const data = noise(OFF_THREAD_MIN_BYTES + 12_345);
	const file = writeTemp(data, 'early.tar');
	startEarlyWorker(['--json', file], WORKER);
	assert.equal(await fileRangeHash(file, 1_000, data.length - 2_000), sha256(data.subarray(1_000, data.length - 1_000)));
	// Taken by the pool: none is left waiting.
	assert.equal(takeEarlyWorker(), null);
});

test('the bin on an image from 4 MB: its layers hashed by the early worker and checked', {skip}, async () => {
	const content = noise(6 * 1024 * 1024);
	const file = writeTemp(await dockerArchive({tags: ['early:1'], layers: [{entries: [{name: 'blob.bin', content}]}, {entries: [{name: 'x', content: 'x'}]}]}));
	const result = await runCli([file, '--json']);
	assert.equal(result.code, 0, result.stderr);
	const report = JSON.parse(result.stdout) as {layers: {sizeBytes: number}[]};
	assert.equal(report.layers.length, 2);
	assert.equal(report.layers[0].sizeBytes, content.length);
});
