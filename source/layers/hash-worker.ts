// The hashing worker (a thread of hash-pool.ts): sha256 (or sha512) of streams fed through shared rings, and of byte ranges of files
// it reads itself. Messages in and out are described in hash-pool.ts's WorkerRequest and WorkerReply.
import {createHash, type Hash} from 'node:crypto';
import {parentPort} from 'node:worker_threads';
import type {WorkerReply, WorkerRequest} from './hash-messages.js';
import {rangeHasher} from './range-hash.js';

const port = parentPort!;
const reply = (message: WorkerReply): void => port.postMessage(message);

const rings = new Map<number, Uint8Array>();
const streams = new Map<number, {hash: Hash; ring: Uint8Array}>();

// Byte ranges of files, hashed one at a time between the ring messages, in the order posted. The main thread may ask
// for one not started back (`give-back`), to hash it itself rather than wait: the largest, as the one of the two that
// is free now (the longest job to whoever is free first: the two then end closest together).
const hashRange = rangeHasher();
const queued: {id: number; file: string; start: number; length: number; algorithm: string}[] = [];
let hashing = false;

async function hashQueued(): Promise<void> {
	hashing = true;
	for (let range = queued.shift(); range; range = queued.shift()) {
		const {id, file, start, length, algorithm} = range;
		try {
			reply({id, digest: await hashRange(file, start, length, algorithm)});
		} catch (error) {
			reply({id, error: String((error as Error | undefined)?.message)});
		}
	}
	hashing = false;
}

port.on('message', (message: WorkerRequest) => {
	switch (message.type) {
		case 'range':
			queued.push(message);
			if (!hashing) void hashQueued();
			return;
		case 'give-back': {
			let largest = -1;
			for (let i = 0; i < queued.length; i++) if (largest < 0 || queued[i].length > queued[largest].length) largest = i;
			reply({givenBack: largest < 0 ? null : queued.splice(largest, 1)[0].id});
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
