// A seekable, uncompressed image archive read by member: one header-only pass with positioned reads (bodies are
// skipped, not read; headers decoded by tar/tar-reader.ts, as every tar in layerscope is), then the layer members are
// walked concurrently, each from its own byte range. Several gzip layers then inflate at once (zlib runs on libuv's
// thread pool) and hash on worker threads. Anything this reader does not fully understand returns null, and the caller
// falls back to the streaming reader, which gives the errors.
import {openForReading, type ReadHandle} from '../util/files.js';
import os from 'node:os';
import {positionedMembers} from '../tar/members.js';
import {readFully} from '../util/read-fully.js';

export interface IndexedMember {
	name: string;
	/** Offset of the body in the file, and its size. */
	offset: number;
	size: number;
}

export interface ArchiveIndex {
	files: IndexedMember[];
	/** Symlink members: name -> target as written. */
	symlinks: {name: string; target: string}[];
}

/** Bound on pax / GNU long-name bodies read while indexing; bigger ones go to the streaming reader. */
const MAX_META = 1024 * 1024;

/** Member offsets of a plain tar file, or null when it is anything but a well-formed ustar/pax/GNU archive. */
export async function indexArchive(file: string): Promise<ArchiveIndex | null> {
	const handle = await openForReading(file);
	try {
		const index: ArchiveIndex = {files: [], symlinks: []};
		for await (const {header, offset} of positionedMembers(handle, MAX_META)) {
			const name = header.name.replace(/^\.\//, '');
			if (header.type === 'file' || header.type === 'contiguous-file') index.files.push({name, offset, size: header.size});
			else if (header.type === 'symlink') index.symlinks.push({name, target: header.linkname ?? ''});
			else if (header.type === null) return null; // a type this reader does not know: the streaming reader decides
		}
		return index;
	} catch {
		return null; // malformed, or truncated: the streaming reader gives the error
	} finally {
		await handle.close();
	}
}

/** The first `length` bytes of a member, and the whole of a small one. */
export async function readMember(handle: ReadHandle, member: IndexedMember, length = member.size): Promise<Buffer> {
	const want = Math.min(length, member.size);
	const buffer = Buffer.alloc(want);
	return buffer.subarray(0, await readFully(handle, buffer, want, member.offset));
}

/** Run `work` over `items` with at most `limit` at a time, biggest first; outcomes in the items' order. */
export async function concurrently<T, R>(
	items: T[],
	weight: (item: T) => number,
	work: (item: T) => Promise<R>,
	limit = os.availableParallelism(),
): Promise<PromiseSettledResult<R>[]> {
	const order = items.map((_, i) => i).sort((a, b) => weight(items[b]) - weight(items[a]));
	const results = new Array<PromiseSettledResult<R>>(items.length);
	let next = 0;
	const runner = async (): Promise<void> => {
		while (next < order.length) {
			const i = order[next++];
			try {
				results[i] = {status: 'fulfilled', value: await work(items[i])};
			} catch (reason) {
				results[i] = {status: 'rejected', reason};
			}
		}
	};
	await Promise.all(Array.from({length: Math.max(1, Math.min(limit, items.length))}, runner));
	return results;
}
