// The hash workers (source/layers/hash-pool.ts running hash-worker.ts): the digests are node:crypto's, whether the
// bytes are fed through the rings or read from a file by the worker. Run under tsx, this also checks that the worker
// module loads without a build.
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import os from 'node:os';
import {test} from 'node:test';
import {fileRangeHash, hashBacklogHere, streamHash, worthOffThread} from '../source/layers/hash-pool.js';
import {writeTemp} from './helpers/fixtures.js';

const BIG = 9 * 1024 * 1024 + 7; // more than the 2 MiB ring several times over, and not a multiple of a chunk
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

function bytes(length: number): Buffer {
	const buffer = Buffer.allocUnsafe(length);
	for (let i = 0; i < length; i++) buffer[i] = (i * 31 + (i >> 13)) & 0xff;
	return buffer;
}

const oneCore = os.availableParallelism() < 2 ? 'one core: everything is hashed inline' : false;

test("a big stream hashed on a worker gives node:crypto's digest", {skip: oneCore}, async () => {
	assert.equal(worthOffThread(BIG), true);
	const data = bytes(BIG);
	const hash = streamHash(BIG);
	for (let at = 0; at < data.length; at += 100_000) await hash.update(data.subarray(at, at + 100_000));
	assert.equal(await hash.digest(), sha256(data));
});

test('a range of a file hashed by a worker; an empty range; a range past the end fails', {skip: oneCore}, async () => {
	const data = bytes(3 * 1024 * 1024 + 5);
	const file = writeTemp(data, 'blob.bin');
	assert.equal(await fileRangeHash(file, 12_345, 2 * 1024 * 1024 + 1), sha256(data.subarray(12_345, 12_345 + 2 * 1024 * 1024 + 1)));
	assert.equal(await fileRangeHash(file, 100, 0), sha256(Buffer.alloc(0)));
	await assert.rejects(fileRangeHash(file, data.length - 10, 20)!, /unexpected end of file/);
});

test('ranges a worker has not started are hashed by the thread that waits, with the same digests; a failing one fails', {skip: oneCore}, async () => {
	const data = bytes(12 * 1024 * 1024);
	const file = writeTemp(data, 'blobs.bin');
	const ranges = [0, 1, 2, 3, 4, 5].map(i => [i * 2 * 1024 * 1024, 2 * 1024 * 1024 - i] as const);
	const digests = ranges.map(([start, length]) => fileRangeHash(file, start, length)!);
	const past = fileRangeHash(file, data.length - 10, 20)!;
	past.catch(() => {});
	await hashBacklogHere();
	assert.deepEqual(
		await Promise.all(digests),
		ranges.map(([start, length]) => sha256(data.subarray(start, start + length))),
	);
	await assert.rejects(past, /unexpected end of file/);
	// Nothing is left for this thread, and nothing holds the process: the test ends.
	await hashBacklogHere();
});

test('small streams stay on this thread, with the same digest', async () => {
	assert.equal(worthOffThread(1024), false);
	const data = bytes(1024);
	const hash = streamHash(data.length);
	assert.equal(hash.update(data), undefined);
	assert.equal(await hash.digest(), sha256(data));
});
