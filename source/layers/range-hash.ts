// sha256 (or sha512) of a byte range of a file, read 256 KiB at a time: by the hash workers, and by the main thread
// when it takes a range no worker has started (hash-pool.ts, hashBacklogHere).
import {createHash} from 'node:crypto';
import {closeSync, openSync, readSync} from 'node:fs';

const BUFFER_BYTES = 256 * 1024; // as fast as 1 MiB reads, and 0.75 MB less held by each thread that hashes
/**
 * A turn for the event loop after this many bytes (~1 ms of hashing; a turn costs ~6 µs). With a turn every 8 ms, as
 * the walk's reads take them, the main thread's `give-back` waited up to 8 ms for a worker hashing a big layer.
 */
const YIELD_BYTES = 2 * 1024 * 1024;

/**
 * Hex digest of `length` bytes of `file` from `start`, through one buffer (a thread's own, reused from range to range;
 * ranges hashed at once share it safely, as each read is hashed before the next turn of the event loop).
 * The reads are this thread's own (readSync), with a turn for the event loop every two megabytes (a `give-back`, a
 * ring's chunk). Reads through libuv's pool, one buffer read ahead while the other was hashed, were as fast alone, but
 * each read then waited for a pool thread to get a core: with the main thread busy on the other one (walking, its
 * garbage collector's helpers), the base layer of a Debian-like image took 140 ms to hash where it takes 90.
 */
export function rangeHasher(): (file: string, start: number, length: number, algorithm: string) => Promise<string> {
	const buffer = Buffer.allocUnsafe(BUFFER_BYTES);
	return async (file, start, length, algorithm) => {
		const fd = openSync(file, 'r');
		try {
			const hash = createHash(algorithm);
			let done = 0;
			let sinceTurn = 0;
			while (done < length) {
				const read = readSync(fd, buffer, 0, Math.min(BUFFER_BYTES, length - done), start + done);
				if (read === 0) throw new Error('unexpected end of file');
				hash.update(read === BUFFER_BYTES ? buffer : buffer.subarray(0, read));
				done += read;
				sinceTurn += read;
				if (sinceTurn >= YIELD_BYTES && done < length) {
					sinceTurn = 0;
					await new Promise(resolve => setImmediate(resolve));
				}
			}
			return hash.digest('hex');
		} finally {
			closeSync(fd);
		}
	};
}
