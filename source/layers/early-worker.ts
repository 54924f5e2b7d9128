// The first hash worker, started by the bin before it loads the command line: a worker takes ~50 ms to boot on the
// other core, and on a medium image hashing its biggest layer on that worker is the longest path of the run. Started
// from the bin, ~15 ms earlier than the command line could (it reads the bundle and its code cache, then the flags),
// the worker is ready that much sooner. The pool (hash-pool.ts) takes it as its first worker; this module is in the bin
// and again in the bundle and the ES modules, so the worker waits in a global for whichever copy runs the command.
import {statSync} from 'node:fs';
import {createRequire} from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type * as WorkerThreads from 'node:worker_threads';
import type {Worker} from 'node:worker_threads';

/** Streams smaller than this are hashed inline: a round trip to a worker costs more than it saves. */
export const OFF_THREAD_MIN_BYTES = 4 * 1024 * 1024;
/** The worker's file in dist/, beside the bin and the chunks (scripts/bundle.ts writes it). */
export const WORKER_FILE = 'hash-worker.js';

/** Whether there is a core for a worker beside the main thread: with one, everything is hashed inline. */
export function spareCore(): boolean {
	return os.availableParallelism() > 1;
}

const WAITING = Symbol.for('layerscope.earlyHashWorker');
interface Waiting {
	worker: Worker;
	/** It failed or stopped before the pool took it. */
	dead: boolean;
}
type Holder = {[WAITING]?: Waiting};

/**
 * Start the first hash worker, from `workerFile`, when an argument names a file big enough for one (the image, most
 * likely; an option's value, such as a Dockerfile, is far smaller) and there is a core to spare. An unused worker
 * never holds the exit.
 */
export function startEarlyWorker(argv: readonly string[], workerFile: string): void {
	if (!spareCore() || !argv.some(bigFile)) return;
	try {
		if (!statSync(workerFile, {throwIfNoEntry: false})?.isFile()) return; // running from the sources
		// Loaded only here: a small image never needs worker threads.
		const {Worker} = createRequire(import.meta.url)('node:worker_threads') as typeof WorkerThreads;
		const waiting: Waiting = {worker: new Worker(workerFile), dead: false};
		const died = (): void => {
			waiting.dead = true;
		};
		waiting.worker.on('error', died);
		waiting.worker.on('exit', died);
		waiting.worker.unref();
		(globalThis as Holder)[WAITING] = waiting;
	} catch {
		// The pool starts its own when it needs one.
	}
}

function bigFile(arg: string): boolean {
	if (arg.startsWith('-')) return false;
	try {
		const info = statSync(path.resolve(arg), {throwIfNoEntry: false});
		return info !== undefined && info.isFile() && info.size >= OFF_THREAD_MIN_BYTES;
	} catch {
		return false;
	}
}

/** The worker the bin started, once, for the pool's first worker; null when there is none (or it died). */
export function takeEarlyWorker(): Worker | null {
	const holder = globalThis as Holder;
	const waiting = holder[WAITING];
	delete holder[WAITING];
	return waiting && !waiting.dead ? waiting.worker : null;
}
