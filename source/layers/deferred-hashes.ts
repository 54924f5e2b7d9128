// Content hashes a walk left for later (walkFile defers every body of an uncompressed blob it reads by position): read
// the bodies the analysis will compare, big ones on the hash workers, small ones here, many to a read. Which ones are
// needed is the analysis's policy (analysis/needed-hashes.ts); this module only reads.
import {openForReading} from '../util/files.js';
import type {LayerWalk} from '../model/types.js';
import {InputError} from '../util/errors.js';
import {readFully} from '../util/read-fully.js';
import {oneShotDigest} from './content-hash.js';
import {fileRangeHash, hashBacklogHere} from './hash-pool.js';
import {OFF_THREAD_BODY_BYTES} from './layer-collector.js';

/** Small deferred bodies are read in windows of at most this many bytes: any body below OFF_THREAD_BODY_BYTES fits. */
const WINDOW_BYTES = OFF_THREAD_BODY_BYTES;

/**
 * Which deferred hashes to read: every one (`all`), or those of the paths a mask by node id marks (non-zero: read it).
 * The mask is asked for only when some walk deferred a hash.
 */
export type HashSelection = 'all' | ((walks: readonly LayerWalk[]) => Uint8Array);

/** Read the content hashes the walks deferred (walkFile's positioned reads), those `selection` names. */
export async function readDeferredHashes(walks: readonly LayerWalk[], selection: HashSelection): Promise<void> {
	const deferred = walks.map(walk => walk.entries).filter(entries => entries.hasDeferred());
	if (deferred.length === 0) return;
	const needed = selection === 'all' ? null : selection(walks);
	// Big bodies go to the workers, all at once (the pool queues them). Small ones are read here meanwhile, many to a
	// read: bodies that lie close together (a layer of small files) come in one window of up to WINDOW_BYTES.
	const window = Buffer.allocUnsafe(WINDOW_BYTES);
	const onWorkers: Promise<void>[] = [];
	try {
		for (const entries of deferred) {
			const file = entries.file!;
			const changed = (): InputError => new InputError(`${file}: changed while it was read (a file body ends early)`);
			const small: number[] = [];
			for (let i = 0; i < entries.count; i++) {
				const offset = entries.deferredOffset(i);
				if (Number.isNaN(offset) || (needed && needed[entries.node.data[i]] === 0)) continue;
				const size = entries.size(i);
				if (size < OFF_THREAD_BODY_BYTES) {
					small.push(i);
					continue;
				}
				// Hashes are deferred only in walks the worker pool serves, so it is there.
				const done = fileRangeHash(file, offset, size)!.then(
					hex => entries.setHash(i, Buffer.from(hex, 'hex')),
					() => {
						throw changed();
					},
				);
				done.catch(() => {}); // awaited below
				onWorkers.push(done);
			}
			if (small.length === 0) continue;
			small.sort((a, b) => entries.deferredOffset(a) - entries.deferredOffset(b));
			const handle = await openForReading(file);
			try {
				let from = 0;
				let to = 0; // the window holds the file's bytes [from, to)
				for (const [k, i] of small.entries()) {
					const offset = entries.deferredOffset(i);
					const size = entries.size(i);
					if (offset < from || offset + size > to) {
						// A new window from this body to the end of the last following body that fits in it.
						let end = offset + size;
						for (let j = k + 1; j < small.length; j++) {
							const next = entries.deferredOffset(small[j]) + entries.size(small[j]);
							if (next - offset > WINDOW_BYTES) break;
							end = Math.max(end, next);
						}
						if ((await readFully(handle, window, end - offset, offset)) < end - offset) throw changed();
						from = offset;
						to = end;
					}
					entries.setHash(i, oneShotDigest(window.subarray(offset - from, offset - from + size)));
				}
			} finally {
				await handle.close();
			}
		}
		// Rather than wait: this thread takes the ranges no worker has started (blobs' and bodies' alike).
		if (onWorkers.length > 0) await hashBacklogHere();
	} finally {
		await Promise.allSettled(onWorkers);
	}
	await Promise.all(onWorkers);
	for (const entries of deferred) entries.dropDeferred();
}
