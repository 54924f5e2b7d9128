// The hashing worker (a thread of hash-pool.ts): sha256 (or sha512) of streams fed through shared rings, and of byte ranges of files
// it reads itself. Messages in and out are described in hash-pool.ts's WorkerRequest and WorkerReply.
import {createHash, type Hash} from 'node:crypto';
import {open, type FileHandle} from 'node:fs/promises';
import {parentPort} from 'node:worker_threads';
import type {WorkerReply, WorkerRequest} from './hash-messages.js';

const port = parentPort!;
const reply = (message: WorkerReply): void => port.postMessage(message);

const rings = new Map<number, Uint8Array>();
const streams = new Map<number, {hash: Hash; ring: Uint8Array}>();

// Byte ranges of files, hashed one at a time between the ring messages. Two buffers: the next one is read (on libuv's
// threads) while this thread hashes the last, which makes a range about a quarter faster than read-then-hash.
let ranges: Promise<void> = Promise.resolve();
const buffers = [Buffer.allocUnsafe(1024 * 1024), Buffer.allocUnsafe(1024 * 1024)];

async function fill(handle: FileHandle, buffer: Buffer, length: number, position: number): Promise<Buffer> {
	let done = 0;
	while (done < length) {
		const {bytesRead} = await handle.read(buffer, done, length - done, position + done);
		if (bytesRead === 0) throw new Error('unexpected end of file');
		done += bytesRead;
	}
	return buffer.subarray(0, length);
}

async function hashRange(file: string, start: number, length: number, algorithm: string): Promise<string> {
	const handle = await open(file, 'r');
	let pending: Promise<Buffer> | null = null;
	try {
		const hash = createHash(algorithm);
		let queued = 0;
		let turn = 0;
		const next = (): Promise<Buffer> => {
			const size = Math.min(buffers[turn].length, length - queued);
			const read = fill(handle, buffers[turn], size, start + queued);
			read.catch(() => {}); // awaited in turn
			queued += size;
			turn ^= 1;
			return read;
		};
		pending = length > 0 ? next() : null;
		while (pending) {
			const chunk: Buffer = await pending;
			pending = queued < length ? next() : null;
			hash.update(chunk);
		}
		return hash.digest('hex');
	} finally {
		if (pending) await pending.catch(() => {});
		await handle.close();
	}
}

port.on('message', (message: WorkerRequest) => {
	switch (message.type) {
		case 'range': {
			const {id, file, start, length, algorithm} = message;
			ranges = ranges
				.then(() => hashRange(file, start, length, algorithm))
				.then(
					digest => reply({id, digest}),
					(error: unknown) => reply({id, error: String((error as Error | undefined)?.message)}),
				);
			return;
		}
		case 'ring':
			rings.set(message.slot, new Uint8Array(message.ring));
			return;
		case 'start':
			streams.set(message.id, {hash: createHash(message.algorithm), ring: rings.get(message.slot)!});
			return;
		case 'chunk': {
			const stream = streams.get(message.id);
			if (!stream) return;
			stream.hash.update(stream.ring.subarray(message.offset, message.offset + message.length));
			reply({id: message.id, hashed: message.length});
			return;
		}
		case 'end': {
			const stream = streams.get(message.id);
			if (!stream) return;
			streams.delete(message.id);
			if (!message.abort) reply({id: message.id, digest: stream.hash.digest('hex')});
			return;
		}
		default:
	}
});
