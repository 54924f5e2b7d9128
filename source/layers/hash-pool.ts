// sha256 of large streams on worker threads, so that a layer's blob digest, diffID and big file bodies are hashed
// on other cores while the main thread parses tar. Digests are the same as node:crypto's; only the thread differs.
// A sha512-addressed blob is hashed the same way, with sha512.
import {createHash} from 'node:crypto';
import type {DigestAlgorithm} from '../util/digest.js';
import {createRequire} from 'node:module';
import os from 'node:os';
import process from 'node:process';
import type * as WorkerThreads from 'node:worker_threads';
import type {Worker} from 'node:worker_threads';
import type {WorkerReply, WorkerRequest} from './hash-messages.js';
import {rangeHasher} from './range-hash.js';
import {OFF_THREAD_MIN_BYTES, spareCore, takeEarlyWorker, WORKER_FILE} from './early-worker.js';

export {OFF_THREAD_MIN_BYTES};
/**
 * A worker costs ~40 ms of start-up and ~10 MB: another one starts only while every worker has at least this much
 * queued (about 0.2 s of hashing). A small or medium image is hashed by one worker beside the main thread's walk; a
 * big one gets the pool.
 */
const SPAWN_AFTER_BYTES = 256 * 1024 * 1024;
/** Per stream, a shared ring of this size carries bytes to the worker: memory stays bounded and nothing is allocated per chunk. */
const RING_BYTES = 2 * 1024 * 1024;

/** An incremental sha256: `update` may ask the caller to wait (a promise) before sending more. */
export interface StreamHash {
	update(chunk: Uint8Array): Promise<void> | undefined;
	/** Hex digest. */
	digest(): Promise<string>;
	/** Forget the stream (the walk failed). */
	abort(): void;
}

class InlineHash implements StreamHash {
	private readonly hash;
	constructor(algorithm: DigestAlgorithm = 'sha256') {
		this.hash = createHash(algorithm);
	}

	update(chunk: Uint8Array): undefined {
		this.hash.update(chunk);
		return undefined;
	}
	async digest(): Promise<string> {
		return this.hash.digest('hex');
	}
	abort(): void {}
}

/** Work a worker has in hand: a ring-fed stream or a file range. */
interface WorkerJob {
	acknowledge(bytes: number): void;
	finish(hex: string): void;
	fail(error: Error): void;
}

interface PoolWorker {
	worker: Worker;
	streams: Map<number, WorkerJob>;
	/** Rings this worker knows, free ones ready for the next stream (a ring is reused only once fully hashed). */
	freeRings: {slot: number; ring: Uint8Array}[];
	rings: number;
	/** Bytes of the jobs given to it and not finished (expected sizes for streams). */
	queuedBytes: number;
	/** File ranges posted to it and not answered, by id: it may give back those it has not started (hashBacklogHere). */
	ranges: Map<number, RangeJob>;
	/** Who waits for the answer to a `give-back`. */
	onGivenBack: ((id: number | null) => void) | null;
}

/** A file range to hash (its answer goes to the job of the same id in `streams`). */
interface RangeJob {
	file: string;
	start: number;
	length: number;
	algorithm: DigestAlgorithm;
}

// The worker's module beside this one: hash-worker.js in dist/ (a CommonJS file of its own, scripts/bundle.ts),
// beside both the chunk that holds this module and the report bundle. Under tsx (the tests, the bench) this file is
// hash-pool.ts and the worker hash-worker.ts; on Node 20 `--import tsx` leaves worker threads without its hooks, so
// the worker first imports a one-line module that registers them.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(FROM_SOURCE ? './hash-worker.ts' : `./${WORKER_FILE}`, import.meta.url);
const WORKER_EXEC_ARGV = FROM_SOURCE ? tsxWorkerArgv() : undefined;

function tsxWorkerArgv(): string[] | undefined {
	let api: string;
	try {
		api = import.meta.resolve('tsx/esm/api');
	} catch {
		return undefined; // .ts run by something else (Node's own type stripping): workers load it as the main thread does
	}
	return [...process.execArgv, '--import', `data:text/javascript,import {register} from ${JSON.stringify(api)}; register();`];
}

/** Every message to a worker goes through here, so that its shape is checked. */
function post(worker: Worker, message: WorkerRequest): void {
	worker.postMessage(message);
}

const pool: PoolWorker[] = [];
let nextId = 1;

/**
 * Up to four workers, one core left to the main thread, which parses tar meanwhile and takes the ranges they have
 * not started when it is done (hashBacklogHere); never fewer than one where there are two cores (one core: everything
 * is hashed inline).
 */
function poolSize(): number {
	return Math.max(1, Math.min(4, os.availableParallelism() - 1));
}

/** node:worker_threads, loaded with the first worker: an image small enough to hash inline never needs it. */
let workerThreads: typeof WorkerThreads | null = null;

function spawnWorker(): PoolWorker {
	workerThreads ??= createRequire(import.meta.url)('node:worker_threads') as typeof WorkerThreads;
	// The first one may be running already: the bin started it (early-worker.ts).
	const entry: PoolWorker = {
		worker: takeEarlyWorker() ?? new workerThreads.Worker(WORKER_URL, {execArgv: WORKER_EXEC_ARGV}),
		streams: new Map(),
		freeRings: [],
		rings: 0,
		queuedBytes: 0,
		ranges: new Map(),
		onGivenBack: null,
	};
	entry.worker.on('message', (message: WorkerReply) => {
		if ('givenBack' in message) {
			const waiting = entry.onGivenBack;
			entry.onGivenBack = null;
			waiting?.(message.givenBack);
			return;
		}
		const stream = entry.streams.get(message.id);
		if (!stream) return;
		if ('hashed' in message) {
			stream.acknowledge(message.hashed);
			return;
		}
		entry.streams.delete(message.id);
		if ('digest' in message) stream.finish(message.digest);
		else stream.fail(new Error(message.error));
		holdExit(entry);
	});
	// A worker that dies (out of memory, killed) fails its streams instead of leaving their digests pending forever.
	const fail = (error: Error): void => {
		const index = pool.indexOf(entry);
		if (index !== -1) pool.splice(index, 1);
		for (const stream of entry.streams.values()) stream.fail(error);
		entry.streams.clear();
		entry.onGivenBack?.(null);
		entry.onGivenBack = null;
	};
	entry.worker.on('error', fail);
	entry.worker.on('exit', code => fail(new Error(`the hashing worker stopped (exit code ${code})`)));
	// Only after the 'message' listener: adding one refs the worker's port again, and a worker that never got a job
	// (warmUp) would then keep the process from exiting.
	entry.worker.unref();
	return entry;
}

/** A worker with work in hand (or an answer owed) keeps the process alive until it is done; an idle one never holds the exit. */
function holdExit(entry: PoolWorker): void {
	if (entry.streams.size > 0 || entry.onGivenBack) entry.worker.ref();
	else entry.worker.unref();
}

/** An idle worker, else the one with the least queued (a new one while the pool is not full and all have a lot). */
function pickWorker(): PoolWorker {
	const idle = pool.find(entry => entry.streams.size === 0);
	if (idle) return idle;
	const least = pool.reduce<PoolWorker | null>((a, b) => (a === null || b.queuedBytes < a.queuedBytes ? b : a), null);
	if (least && (least.queuedBytes < SPAWN_AFTER_BYTES || pool.length >= poolSize())) return least;
	const entry = spawnWorker();
	pool.push(entry);
	return entry;
}

/** Count `bytes` as queued on `entry` until the returned function is called (once). */
function queue(entry: PoolWorker, bytes: number): () => void {
	entry.queuedBytes += bytes;
	let done = false;
	return () => {
		if (done) return;
		done = true;
		entry.queuedBytes -= bytes;
	};
}

class WorkerHash implements StreamHash, WorkerJob {
	private readonly id = nextId++;
	private readonly entry: PoolWorker;
	private readonly ring: Uint8Array;
	private readonly slot: number;
	private written = 0;
	private hashed = 0;
	/** The part of the last chunk that did not fit yet, and who waits for it to be sent. */
	private pending: {chunk: Uint8Array; offset: number; sent: () => void} | null = null;
	private onDigest: ((hex: string) => void) | null = null;
	private onError: ((error: Error) => void) | null = null;
	private failure: Error | null = null;
	private ended = false;
	private readonly dequeue: () => void;

	constructor(expectedBytes: number, algorithm: DigestAlgorithm = 'sha256') {
		this.entry = pickWorker();
		this.dequeue = queue(this.entry, expectedBytes);
		this.entry.streams.set(this.id, this);
		// A stream in progress keeps the process alive until its digest comes back.
		this.entry.worker.ref();
		let free = this.entry.freeRings.pop();
		if (!free) {
			free = {slot: this.entry.rings++, ring: new Uint8Array(new SharedArrayBuffer(RING_BYTES))};
			post(this.entry.worker, {type: 'ring', slot: free.slot, ring: free.ring.buffer as SharedArrayBuffer});
		}
		this.slot = free.slot;
		this.ring = free.ring;
		post(this.entry.worker, {type: 'start', id: this.id, slot: this.slot, algorithm});
	}

	/** Copy as much of `chunk` from `offset` as the ring has room for; returns the new offset. */
	private send(chunk: Uint8Array, offset: number): number {
		while (offset < chunk.byteLength) {
			const free = RING_BYTES - (this.written - this.hashed);
			if (free === 0) break;
			const at = this.written % RING_BYTES;
			const length = Math.min(chunk.byteLength - offset, free, RING_BYTES - at);
			this.ring.set(chunk.subarray(offset, offset + length), at);
			post(this.entry.worker, {type: 'chunk', id: this.id, offset: at, length});
			this.written += length;
			offset += length;
		}
		return offset;
	}

	update(chunk: Uint8Array): Promise<void> | undefined {
		if (this.failure) return undefined;
		const offset = this.send(chunk, 0);
		if (offset === chunk.byteLength) return undefined;
		return new Promise(resolve => {
			this.pending = {chunk, offset, sent: resolve};
		});
	}

	acknowledge(bytes: number): void {
		this.hashed += bytes;
		const pending = this.pending;
		if (!pending) return;
		pending.offset = this.send(pending.chunk, pending.offset);
		if (pending.offset < pending.chunk.byteLength) return;
		this.pending = null;
		pending.sent();
		if (this.ended) post(this.entry.worker, {type: 'end', id: this.id});
	}

	finish(hex: string): void {
		this.dequeue();
		this.entry.freeRings.push({slot: this.slot, ring: this.ring});
		this.onDigest?.(hex);
	}

	fail(error: Error): void {
		this.dequeue();
		this.failure = error;
		const pending = this.pending;
		this.pending = null;
		pending?.sent();
		this.onError?.(error);
	}

	digest(): Promise<string> {
		return new Promise((resolve, reject) => {
			if (this.failure) {
				reject(this.failure);
				return;
			}
			this.onDigest = resolve;
			this.onError = reject;
			this.ended = true;
			// Callers wait for update() before ending, so nothing is pending here; if it were, acknowledge() ends it.
			if (!this.pending) post(this.entry.worker, {type: 'end', id: this.id});
		});
	}

	/** The ring is not reused: chunks of this stream may still be in flight. */
	abort(): void {
		if (!this.entry.streams.has(this.id)) return;
		this.dequeue();
		this.entry.streams.delete(this.id);
		this.pending = null;
		holdExit(this.entry);
		post(this.entry.worker, {type: 'end', id: this.id, abort: true});
	}
}

/**
 * Start the first worker now, when work of `expectedBytes` (an input file's size) will probably be worth one: its boot
 * (~40 ms on another core) then overlaps with loading the analysis's modules and reading the archive's index, instead
 * of delaying the first big layer's hash. Unused, it costs that core's time and ~10 MB, and never holds the exit.
 */
export function warmUp(expectedBytes: number): void {
	if (pool.length === 0 && worthOffThread(expectedBytes)) pool.push(spawnWorker());
}

/** Whether a stream of about `expectedBytes` (unknown: null) is worth hashing on a worker. */
export function worthOffThread(expectedBytes: number | null | undefined, minBytes = OFF_THREAD_MIN_BYTES): boolean {
	return typeof expectedBytes === 'number' && expectedBytes >= minBytes && spareCore();
}

/** A hash (sha256 by default) for a stream of about `expectedBytes`: on a worker when it is big enough to pay. */
export function streamHash(expectedBytes: number | null | undefined, minBytes = OFF_THREAD_MIN_BYTES, algorithm: DigestAlgorithm = 'sha256'): StreamHash {
	return worthOffThread(expectedBytes, minBytes) ? new WorkerHash(expectedBytes!, algorithm) : new InlineHash(algorithm);
}

/**
 * sha256 of `length` bytes of `file` from `start`, read and hashed by a worker: for blobs and bodies that lie as they
 * are in a file (an uncompressed archive member, an OCI layout blob), the main thread then ships no bytes at all.
 * Null when the pool is not worth it (one core); the caller hashes the stream itself then.
 */
export function fileRangeHash(file: string, start: number, length: number, algorithm: DigestAlgorithm = 'sha256'): Promise<string> | null {
	if (!spareCore()) return null;
	const entry = pickWorker();
	const id = nextId++;
	const dequeue = queue(entry, length);
	return new Promise<string>((resolve, reject) => {
		entry.ranges.set(id, {file, start, length, algorithm});
		const answered = (): void => {
			dequeue();
			entry.ranges.delete(id);
		};
		entry.streams.set(id, {
			acknowledge() {},
			finish(hex) {
				answered();
				resolve(hex);
			},
			fail(error) {
				answered();
				reject(error);
			},
		});
		holdExit(entry);
		post(entry.worker, {type: 'range', id, file, start, length, algorithm});
	});
}

/** Ask `entry` for the largest range it has not started; the range's id, or null when it has started them all. */
function askBack(entry: PoolWorker): Promise<number | null> {
	return new Promise(resolve => {
		entry.onGivenBack = id => {
			holdExit(entry);
			resolve(id);
		};
		holdExit(entry);
		post(entry.worker, {type: 'give-back'});
	});
}

/**
 * Hash on this thread the file ranges the workers have not started, the largest first (a worker goes on with the
 * smaller ones meanwhile, so the two end close together), until none is left: for a caller that would otherwise only
 * wait for the workers. On two cores one worker and this thread then share a medium image's layers, where a second
 * worker would only take turns with this thread for the same cores.
 */
export async function hashBacklogHere(): Promise<void> {
	// Made for this call only: its read buffer goes with it.
	let hereHasher: ReturnType<typeof rangeHasher> | null = null;
	for (;;) {
		let taken: {entry: PoolWorker; id: number; job: RangeJob} | null = null;
		for (const entry of pool) {
			if (entry.ranges.size === 0) continue;
			const id = await askBack(entry);
			const job = id === null ? undefined : entry.ranges.get(id);
			if (id !== null && job) {
				taken = {entry, id, job};
				break;
			}
		}
		if (!taken) return;
		const {entry, id, job} = taken;
		// Answered here: the worker forgot it.
		const stream = entry.streams.get(id)!;
		entry.streams.delete(id);
		holdExit(entry);
		hereHasher ??= rangeHasher();
		let hex: string;
		try {
			hex = await hereHasher(job.file, job.start, job.length, job.algorithm);
		} catch (error) {
			stream.fail(error as Error);
			continue;
		}
		stream.finish(hex);
	}
}
