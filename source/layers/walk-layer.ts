// One streaming pass over a layer blob: decompress, hash, parse tar, keep only entry metadata.
// File bodies are hashed and dropped; memory grows with the number of entries, never with bytes.
import crypto, {createHash, type Hash} from 'node:crypto';
import {Readable, Transform, type TransformCallback} from 'node:stream';
import {finished, pipeline} from 'node:stream/promises';
import {createReadStream} from 'node:fs';
import {open} from 'node:fs/promises';
import {LayerEntries} from '../model/layer-entries.js';
import type {PathTable} from '../model/path-table.js';
import type {Compression, EntryType, LayerWalk, Whiteout} from '../model/types.js';
import {createDecompressor, detectCompression} from './decompress.js';
import {fileRangeHash, streamHash, worthOffThread, type StreamHash} from './hash-pool.js';
import {TarReader, type BodySink, type TarHeader} from '../tar/tar-reader.js';
import {baseName, joinPath, normalisePath, parentOf} from '../tar/paths.js';
import {InputError} from '../util/errors.js';
import {readFully} from '../util/read-fully.js';

export const OPAQUE_WHITEOUT = '.wh..wh..opq';
const WHITEOUT_PREFIX = '.wh.';
const WHITEOUT_META_PREFIX = '.wh..wh.';

export interface WalkOptions {
	/** The image's table of paths: every layer of one image names its paths in the same table. */
	paths: PathTable;
	/** Called with the number of raw (possibly compressed) bytes consumed, as they stream. */
	onBytes?: (bytes: number) => void;
	/** Expected size of the blob when known: big blobs and bodies are hashed on worker threads. */
	sizeHint?: number | null;
	/**
	 * Where the blob's bytes lie as they are (`sizeHint` bytes from `offset` of a file): workers then read and hash the
	 * blob digest from the file, instead of the main thread shipping every byte to them.
	 */
	file?: {path: string; offset: number};
}

/** File bodies from this size on are hashed on a worker thread when the pool is in use. */
const OFF_THREAD_BODY_BYTES = 512 * 1024;

/** Content hash of a file body: sha256 cut to 128 bits, base64url (22 characters). */
export function contentHash(hash: Hash): string {
	return hash.digest().subarray(0, 16).toString('base64url');
}

const EMPTY_BODY = Buffer.alloc(0);

/** crypto.hash (Node 20.12+) when there, else a Hash object: the same digest. */
function oneShotDigest(body: Buffer): Buffer {
	return typeof crypto.hash === 'function' ? crypto.hash('sha256', body, 'buffer') : createHash('sha256').update(body).digest();
}

const TYPES: Record<string, EntryType> = {
	file: 'file',
	'contiguous-file': 'file',
	directory: 'directory',
	symlink: 'symlink',
	link: 'hardlink',
	'character-device': 'char-device',
	'block-device': 'block-device',
	fifo: 'fifo',
};

/** For a Tap that only counts: the digest comes from elsewhere. */
const COUNT_ONLY: StreamHash = {update: () => undefined, digest: async () => '', abort() {}};

/** Hash and count the bytes flowing through, without changing them. */
class Tap extends Transform {
	bytes = 0;
	constructor(
		readonly hash: StreamHash,
		private readonly onBytes?: (bytes: number) => void,
	) {
		super({highWaterMark: 1024 * 1024});
	}

	override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
		const wait = this.hash.update(chunk);
		this.bytes += chunk.length;
		this.onBytes?.(chunk.length);
		this.push(chunk);
		if (wait) void wait.then(() => callback());
		else callback();
	}
}

/** Read the first bytes of a stream to sniff it, and give back a stream that still starts at byte 0. */
export async function peek(input: AsyncIterable<Buffer>, want = 512): Promise<{head: Buffer; stream: Readable}> {
	const iterator = input[Symbol.asyncIterator]();
	const chunks: Buffer[] = [];
	let length = 0;
	while (length < want) {
		const next = await iterator.next();
		if (next.done) break;
		chunks.push(next.value);
		length += next.value.length;
	}
	const head = Buffer.concat(chunks);
	async function* rest(): AsyncGenerator<Buffer> {
		if (head.length > 0) yield head;
		for (;;) {
			const next = await iterator.next();
			if (next.done) return;
			yield next.value;
		}
	}
	return {head, stream: Readable.from(rest(), {objectMode: false, highWaterMark: 256 * 1024})};
}

/**
 * What a walk keeps of a layer's tar entries: one per walk, fed by a TarReader through `handler`. With `deferBodies`
 * (positioned reads of a file), no body is hashed during the walk: the offsets are kept for readDeferredHashes(), which
 * hashes only the bodies a comparison needs. Most files of an image are never compared, so most bytes are read once,
 * for the blob digest.
 */
function layerCollector(options: WalkOptions, compression: Compression, deferBodies = false) {
	const paths = options.paths;
	const entries = new LayerEntries(paths);
	const whiteouts: Whiteout[] = [];
	let sizeBytes = 0;

	// Big blobs: the blob digest, diffID and big bodies are hashed on worker threads while this thread parses.
	const offThread = worthOffThread(options.sizeHint);
	const file = offThread && typeof options.sizeHint === 'number' ? (options.file ?? null) : null;
	const fromFile = (start: number, length: number): Promise<string> | null => {
		const digest = file && fileRangeHash(file.path, file.offset + start, length);
		digest?.catch(() => {}); // awaited after the pipeline; a failure surfaces there
		return digest;
	};
	const bodyHashes = new Set<StreamHash>();
	const pendingDigests: Promise<void>[] = [];
	const handler = (header: TarHeader, bodyOffset: number): BodySink | null => {
		const {path, unsafe} = normalisePath(header.name);
		const base = baseName(path);
		if (base.startsWith(WHITEOUT_PREFIX)) {
			if (base === OPAQUE_WHITEOUT) whiteouts.push({node: paths.intern(parentOf(path)), opaque: true});
			else if (!base.startsWith(WHITEOUT_META_PREFIX))
				whiteouts.push({node: paths.intern(joinPath(parentOf(path), base.slice(WHITEOUT_PREFIX.length))), opaque: false});
			return null;
		}

		const type = TYPES[header.type ?? 'file'] ?? 'other';
		const pax = header.pax;
		const size = header.size ?? 0;
		const index = entries.add({
			node: paths.intern(path),
			type,
			size,
			mode: header.mode ?? 0,
			uid: pax?.uid ? Number(pax.uid) : (header.uid ?? 0),
			gid: pax?.gid ? Number(pax.gid) : (header.gid ?? 0),
			mtime: pax?.mtime ? Math.floor(Number(pax.mtime)) : Math.floor((header.mtime?.getTime() ?? 0) / 1000),
			unsafe,
			...(type === 'symlink' ? {symlinkTarget: header.linkname ?? ''} : {}),
			...(type === 'hardlink' ? {hardlinkTarget: paths.intern(normalisePath(header.linkname ?? '').path)} : {}),
		});

		if (type !== 'file') return null;
		sizeBytes += size;
		if (deferBodies && file && size > 0) {
			entries.deferHash(index, file.offset + bodyOffset);
			return null;
		}
		if (offThread && size >= OFF_THREAD_BODY_BYTES) {
			const hash = streamHash(size, OFF_THREAD_BODY_BYTES);
			bodyHashes.add(hash);
			return {
				data: chunk => hash.update(chunk),
				end() {
					const digest = hash.digest().then(hex => {
						bodyHashes.delete(hash);
						entries.setHash(index, Buffer.from(hex, 'hex'));
					});
					digest.catch(() => {}); // awaited after the pipeline; a failure surfaces there
					pendingDigests.push(digest);
				},
			};
		}
		// Most bodies arrive in one slice: hash those in one call, which costs a third less than a Hash object.
		let first: Buffer | null = null;
		let hash: Hash | null = null;
		return {
			data(chunk) {
				if (hash) hash.update(chunk);
				else if (first === null) first = chunk;
				else {
					hash = createHash('sha256').update(first).update(chunk);
					first = null;
				}
				return undefined;
			},
			end() {
				entries.setHash(index, hash ? hash.digest() : oneShotDigest(first ?? EMPTY_BODY));
			},
		};
	};
	return {
		handler,
		fromFile,
		abort(): void {
			for (const hash of bodyHashes) hash.abort();
		},
		/** The walk's result once the tar is read and the blob's digests are known. */
		async finish(blob: {digest: string; diffId: string; size: number}): Promise<LayerWalk> {
			await Promise.all(pendingDigests);
			entries.trim();
			return {entries, whiteouts, sizeBytes, blobDigest: blob.digest, diffId: blob.diffId, blobSize: blob.size, compression};
		},
	};
}

export async function walkLayer(input: AsyncIterable<Buffer>, options: WalkOptions): Promise<LayerWalk> {
	const {head, stream} = await peek(input, 4);
	const compression = detectCompression(head);
	const collector = layerCollector(options, compression);
	const {fromFile} = collector;
	const extract = new TarReader(collector.handler);

	const blobFromFile = fromFile(0, options.sizeHint ?? 0);
	const blobTap = new Tap(blobFromFile ? COUNT_ONLY : streamHash(options.sizeHint), options.onBytes);
	const decompressor = createDecompressor(compression);
	const diffTap = decompressor ? new Tap(streamHash(options.sizeHint)) : null;
	try {
		await (decompressor && diffTap
			? pipeline(stream, blobTap, decompressor, diffTap, extract)
			: pipeline(stream, blobTap, extract));
	} catch (error) {
		blobTap.hash.abort();
		diffTap?.hash.abort();
		collector.abort();
		throw error;
	}
	if (blobFromFile && blobTap.bytes !== options.sizeHint)
		throw new Error(`the blob is ${blobTap.bytes} bytes where ${options.sizeHint} were expected`);
	const blobDigest = 'sha256:' + (await (blobFromFile ?? blobTap.hash.digest()));
	const diffId = diffTap ? 'sha256:' + (await diffTap.hash.digest()) : blobDigest;
	return collector.finish({digest: blobDigest, diffId, size: blobTap.bytes});
}

/** Below this, skipping bytes costs more than reading them. */
const SKIP_MIN_BYTES = 64 * 1024;
const READ_BYTES = 1024 * 1024;
const FIRST_READ_BYTES = 16 * 1024;

/**
 * Walk `size` bytes of `file` from `offset` (an archive member, a layout blob). An uncompressed blob big enough for the
 * workers is walked by positioned reads: the workers hash the blob and the big bodies straight from the file, and the
 * main thread reads only headers and small bodies, seeking over the rest. Anything else streams through walkLayer.
 */
export async function walkFile(file: string, offset: number, size: number, options: Omit<WalkOptions, 'sizeHint' | 'file'>): Promise<LayerWalk> {
	const located: WalkOptions = {...options, sizeHint: size, file: {path: file, offset}};
	const stream = (): AsyncIterable<Buffer> =>
		size === 0 ? (async function* () {})() : createReadStream(file, {start: offset, end: offset + size - 1, highWaterMark: READ_BYTES});
	if (!worthOffThread(size)) return walkLayer(stream(), located);
	const handle = await open(file, 'r');
	try {
		const head = Buffer.alloc(4);
		const {bytesRead} = await handle.read(head, 0, 4, offset);
		if (detectCompression(head.subarray(0, bytesRead)) !== 'none') return await walkLayer(stream(), located);
		const collector = layerCollector(located, 'none', true);
		const blobDigest = collector.fromFile(0, size);
		if (!blobDigest) return await walkLayer(stream(), located);
		const reader = new TarReader(collector.handler);
		reader.on('error', () => {}); // surfaces through the write callbacks and finished()
		let position = 0;
		// One read buffer, reused while the reader keeps no part of it: in this mode no body goes to a sink (every hash
		// is deferred), so only a header cut by the chunk's end can be held. A fresh buffer per read would leave a
		// gigabyte of garbage for the collector on a big layer.
		let buffer = Buffer.allocUnsafe(READ_BYTES);
		let want = READ_BYTES;
		try {
			while (position < size) {
				const skip = Math.min(reader.skippable(), size - position);
				if (skip >= SKIP_MIN_BYTES) {
					reader.skip(skip);
					position += skip;
					options.onBytes?.(skip);
					// Past a big body the next header may well start another one: read little until that is known.
					// A full read there would fetch a megabyte the workers read again, out of their order on a disk.
					want = FIRST_READ_BYTES;
					continue;
				}
				if (reader.holding()) buffer = Buffer.allocUnsafe(READ_BYTES);
				const read = (await handle.read(buffer, 0, Math.min(want, size - position), offset + position)).bytesRead;
				want = Math.min(want * 4, READ_BYTES);
				if (read === 0) break;
				position += read;
				options.onBytes?.(read);
				await new Promise<void>((resolve, reject) => reader.write(buffer.subarray(0, read), error => (error ? reject(error) : resolve())));
			}
			reader.end();
			await finished(reader);
		} catch (error) {
			collector.abort();
			throw error;
		}
		const digest = 'sha256:' + (await blobDigest);
		const walk = await collector.finish({digest, diffId: digest, size: position});
		if (walk.entries.hasDeferred()) walk.entries.file = file;
		return walk;
	} finally {
		await handle.close();
	}
}

/**
 * Read the content hashes a walk deferred, where the analysis can compare them: paths written more than once in the
 * image, and hard link targets (`all`: every one, for `diff`, which compares final files across images).
 */
export async function readDeferredHashes(walks: readonly LayerWalk[], all: boolean): Promise<void> {
	const deferred = walks.map(walk => walk.entries).filter(entries => entries.hasDeferred());
	if (deferred.length === 0) return;
	let needed: Uint8Array | null = null;
	if (!all) {
		needed = new Uint8Array(deferred[0].table.size);
		for (const {entries} of walks)
			for (let i = 0; i < entries.count; i++) {
				const node = entries.node.data[i];
				if (needed[node] < 2) needed[node]++;
				const target = entries.hardlinkTarget(i);
				if (target >= 0) needed[target] = 2;
			}
	}
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
				if (Number.isNaN(offset) || (needed && needed[entries.node.data[i]] < 2)) continue;
				const size = entries.size(i);
				if (size < OFF_THREAD_BODY_BYTES) {
					small.push(i);
					continue;
				}
				// Hashes are deferred only in walks the worker pool serves, so it is there.
				const done = fileRangeHash(file, offset, size)!.then(hex => entries.setHash(i, Buffer.from(hex, 'hex')), () => {
					throw changed();
				});
				done.catch(() => {}); // awaited below
				onWorkers.push(done);
			}
			if (small.length === 0) continue;
			small.sort((a, b) => entries.deferredOffset(a) - entries.deferredOffset(b));
			const handle = await open(file, 'r');
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
	} finally {
		await Promise.allSettled(onWorkers);
	}
	await Promise.all(onWorkers);
	for (const entries of deferred) entries.dropDeferred();
}

/** Small deferred bodies are read in windows of at most this many bytes (a body below OFF_THREAD_BODY_BYTES fits). */
const WINDOW_BYTES = 1024 * 1024;
