// A seekable, uncompressed image archive read by member: one header-only pass with positioned reads (bodies are
// skipped, not read), then the layer members are walked concurrently, each from its own byte range. Several gzip
// layers then inflate at once (zlib runs on libuv's thread pool) and hash on worker threads. Anything this reader
// does not fully understand returns null, and the caller falls back to the streaming reader, which gives the errors.
import {open, type FileHandle} from 'node:fs/promises';
import os from 'node:os';
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

function text(block: Buffer, start: number, length: number): string {
	const end = block.indexOf(0, start);
	return block.toString('utf8', start, end === -1 || end > start + length ? start + length : end);
}

function octal(block: Buffer, start: number, length: number): number | null {
	const field = text(block, start, length).trim();
	if (field === '') return 0;
	if (!/^[0-7]+$/.test(field)) return null;
	return Number.parseInt(field, 8);
}

function checksumOk(block: Buffer): boolean {
	const stored = octal(block, 148, 8);
	if (stored === null) return false;
	let sum = 0;
	for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i];
	return sum === stored;
}

function paxRecords(body: Buffer): Map<string, string> | null {
	const records = new Map<string, string>();
	let at = 0;
	while (at < body.length) {
		const space = body.indexOf(0x20, at);
		if (space === -1) return null;
		const length = Number(body.toString('utf8', at, space));
		if (!Number.isInteger(length) || length <= 0 || at + length > body.length) return null;
		const record = body.toString('utf8', space + 1, at + length - 1);
		const equals = record.indexOf('=');
		if (equals === -1) return null;
		records.set(record.slice(0, equals), record.slice(equals + 1));
		at += length;
	}
	return records;
}

async function readAt(handle: FileHandle, offset: number, length: number): Promise<Buffer | null> {
	const buffer = Buffer.alloc(length);
	const {bytesRead} = await handle.read(buffer, 0, length, offset);
	return bytesRead === length ? buffer : null;
}

/** Member offsets of a plain tar file, or null when it is anything but a well-formed ustar/pax/GNU archive. */
export async function indexArchive(file: string): Promise<ArchiveIndex | null> {
	const handle = await open(file, 'r');
	try {
		const {size: fileSize} = await handle.stat();
		const index: ArchiveIndex = {files: [], symlinks: []};
		let offset = 0;
		let longName: string | null = null;
		let pax: Map<string, string> | null = null;
		for (;;) {
			const block = await readAt(handle, offset, 512);
			if (!block) return null;
			if (block.every(byte => byte === 0)) return index;
			const magic = block.toString('latin1', 257, 262);
			if (magic !== 'ustar' || !checksumOk(block)) return null;
			if (block[124] & 0x80) return null; // base-256 size
			const headerSize = octal(block, 124, 12);
			if (headerSize === null) return null;
			const size = pax?.has('size') ? Number(pax.get('size')) : headerSize;
			if (!Number.isSafeInteger(size) || size < 0) return null;
			const body = offset + 512;
			const next = body + Math.ceil(size / 512) * 512;
			if (body + size > fileSize) return null;
			const type = String.fromCharCode(block[156] || 0x30);
			if (type === 'x' || type === 'L' || type === 'g') {
				if (size > MAX_META) return null;
				const meta = await readAt(handle, body, size);
				if (!meta) return null;
				if (type === 'x') {
					pax = paxRecords(meta);
					if (!pax) return null;
				} else if (type === 'L') longName = meta.toString('utf8').replace(/\0+$/, '');
				offset = next;
				continue;
			}
			const prefix = text(block, 345, 155);
			const name = pax?.get('path') ?? longName ?? (prefix ? `${prefix}/${text(block, 0, 100)}` : text(block, 0, 100));
			const linkName = pax?.get('linkpath') ?? text(block, 157, 100);
			pax = null;
			longName = null;
			if (type === '0' || type === '7') index.files.push({name: name.replace(/^\.\//, ''), offset: body, size});
			else if (type === '2') index.symlinks.push({name: name.replace(/^\.\//, ''), target: linkName});
			else if (!'13456K'.includes(type)) return null;
			offset = next;
		}
	} finally {
		await handle.close();
	}
}

/** The first `length` bytes of a member, and the whole of a small one. */
export async function readMember(handle: FileHandle, member: IndexedMember, length = member.size): Promise<Buffer> {
	const want = Math.min(length, member.size);
	const buffer = Buffer.alloc(want);
	return buffer.subarray(0, await readFully(handle, buffer, want, member.offset));
}

/** Run `work` over `items` with at most `limit` at a time, biggest first; outcomes in the items' order. */
export async function concurrently<T, R>(items: T[], weight: (item: T) => number, work: (item: T) => Promise<R>, limit = os.availableParallelism()): Promise<PromiseSettledResult<R>[]> {
	const order = items.map((_, i) => i).sort((a, b) => weight(items[b]) - weight(items[a]));
	const results: PromiseSettledResult<R>[] = new Array(items.length);
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
