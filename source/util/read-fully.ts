// Positioned reads that fill the buffer: one read() may return fewer bytes than asked even before the end of a file.
// They run on this thread (readSync on the handle's descriptor): the files read so are image files in the page cache,
// where a round trip through libuv's thread pool costs more than the read itself (~0.1 ms a read; the 150 small reads
// of a 1.5 MB image were most of its load). Every 8 ms of them the event loop gets a turn (a progress line, a key).
import {readSync} from 'node:fs';
import type {ReadHandle} from './files.js';
import process from 'node:process';

const YIELD_MS = 8;
// process.uptime(), not performance.now(): the first use of `performance` loads perf_hooks and its ten modules,
// ~0.75 MB of a small report's peak RSS (both clocks are monotonic).
const now = (): number => process.uptime() * 1000;
let lastYield = now();

/**
 * A turn for the event loop when this thread has read for YIELD_MS since it last gave one: a promise to await then,
 * else nothing (no await, so a loop of reads costs no microtask a read).
 */
export function yieldAfterReads(): Promise<void> | undefined {
	if (now() - lastYield < YIELD_MS) return undefined;
	return new Promise(resolve =>
		setImmediate(() => {
			lastYield = now();
			resolve();
		}),
	);
}

/** Read `length` bytes at `position` into the start of `buffer`; fewer only at the end of the file. Returns the count. */
export async function readFully(handle: ReadHandle, buffer: Buffer, length: number, position: number): Promise<number> {
	let done = 0;
	while (done < length) {
		const bytesRead = readSync(handle.fd, buffer, done, length - done, position + done);
		if (bytesRead === 0) break;
		done += bytesRead;
	}
	const pause = yieldAfterReads();
	if (pause) await pause;
	return done;
}
