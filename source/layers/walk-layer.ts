// One streaming pass over a layer blob: decompress, hash, parse tar, keep only entry metadata.
// File bodies are hashed and dropped; memory grows with the number of entries, never with bytes.
import {createHash} from 'node:crypto';
import {Transform, type TransformCallback} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {createReadStream, readSync} from 'node:fs';
import {openForReading, type ReadHandle} from '../util/files.js';
import type {LayerWalk} from '../model/types.js';
import type {DigestAlgorithm} from '../util/digest.js';
import {readFully, yieldAfterReads} from '../util/read-fully.js';
import {TarParser, TarReader} from '../tar/tar-reader.js';
import {peek} from '../util/peek.js';
import {createDecompressor, detectCompression} from './decompress.js';
import {streamHash, worthOffThread, type StreamHash} from './hash-pool.js';
import {layerCollector, type CollectorOptions} from './layer-collector.js';

export interface WalkOptions extends CollectorOptions {
	/** Called with the number of raw (possibly compressed) bytes consumed, as they stream. */
	onBytes?: (bytes: number) => void;
	/** What the blob digest is computed with (default sha256; the diffID is always sha256). */
	blobAlgorithm?: DigestAlgorithm;
}

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

/** Walk a layer blob as it streams in (any compression): its entries, whiteouts, sizes, blob digest and diffID. */
export async function walkLayer(input: AsyncIterable<Buffer>, options: WalkOptions): Promise<LayerWalk> {
	const {head, stream} = await peek(input, 4);
	const compression = detectCompression(head);
	const collector = layerCollector(options, compression);
	const {fromFile} = collector;
	const extract = new TarReader(collector.handler);

	const algorithm = options.blobAlgorithm ?? 'sha256';
	const blobFromFile = fromFile(0, options.sizeHint ?? 0, algorithm);
	const blobTap = new Tap(blobFromFile ? COUNT_ONLY : streamHash(options.sizeHint, undefined, algorithm), options.onBytes);
	const decompressor = createDecompressor(compression);
	// The diffID is sha256 of the tar: a second hash of the same bytes when the blob is uncompressed but not sha256.
	const diffTap = decompressor || algorithm !== 'sha256' ? new Tap(streamHash(options.sizeHint)) : null;
	try {
		await (decompressor && diffTap
			? pipeline(stream, blobTap, decompressor, diffTap, extract)
			: diffTap
				? pipeline(stream, blobTap, diffTap, extract)
				: pipeline(stream, blobTap, extract));
	} catch (error) {
		blobTap.hash.abort();
		diffTap?.hash.abort();
		collector.abort();
		throw error;
	}
	if (blobFromFile && blobTap.bytes !== options.sizeHint) throw new Error(`the blob is ${blobTap.bytes} bytes where ${options.sizeHint} were expected`);
	const blobDigest = `${algorithm}:` + (await (blobFromFile ?? blobTap.hash.digest()));
	const diffId = diffTap ? 'sha256:' + (await diffTap.hash.digest()) : blobDigest;
	return collector.finish({digest: blobDigest, diffId, size: blobTap.bytes});
}

/** Below this, skipping bytes costs more than reading them. */
const SKIP_MIN_BYTES = 64 * 1024;
/**
 * A read's size. 256 KiB reads cost no time measured against 1 MiB ones (the page cache answers either), and the
 * buffers a medium image holds at once (a walk's, the workers', the deferred hashes' window) were 3 to 4 MB of its peak.
 */
const READ_BYTES = 256 * 1024;
const FIRST_READ_BYTES = 16 * 1024;

/**
 * Walk `size` bytes of `file` from `offset` (an archive member, a layout blob). An uncompressed blob big enough for the
 * workers is walked by positioned reads: the workers hash the blob and the big bodies straight from the file, and the
 * main thread reads only headers and small bodies, seeking over the rest. A smaller uncompressed blob is read and
 * hashed here, READ_BYTES at a time, with no stream. Anything else streams through walkLayer.
 */
export async function walkFile(
	file: string,
	offset: number,
	size: number,
	options: Omit<WalkOptions, 'sizeHint' | 'file'>,
	/** `file` opened already (an archive's, for all its layers): read through it, and left open. */
	shared?: ReadHandle,
): Promise<LayerWalk> {
	const located: WalkOptions = {...options, sizeHint: size, file: {path: file, offset}};
	const stream = (): AsyncIterable<Buffer> =>
		size === 0 ? (async function* () {})() : createReadStream(file, {start: offset, end: offset + size - 1, highWaterMark: READ_BYTES});
	if (size === 0) return walkLayer(stream(), located);
	const handle = shared ?? (await openForReading(file));
	try {
		if (!worthOffThread(size)) {
			// The first read tells the compression; a plain blob goes on from there.
			const first = Buffer.allocUnsafe(Math.min(size, READ_BYTES));
			const read = await readFully(handle, first, first.length, offset);
			const head = first.subarray(0, read);
			if (detectCompression(head) === 'none') return await walkSmallPlain(handle, head, size, located);
			// Compressed: the stream goes on after the bytes already read.
			const rest = read < size ? createReadStream(file, {start: offset + read, end: offset + size - 1, highWaterMark: READ_BYTES}) : null;
			return await walkLayer(
				(async function* () {
					yield head;
					if (rest) yield* rest;
				})(),
				located,
			);
		}
		const head = Buffer.alloc(4);
		const bytesRead = await readFully(handle, head, 4, offset);
		if (detectCompression(head.subarray(0, bytesRead)) !== 'none') return await walkLayer(stream(), located);
		return await walkBigPlain(handle, file, offset, size, located);
	} finally {
		if (!shared) await handle.close();
	}
}

/**
 * An uncompressed blob too small for the workers: read in chunks of READ_BYTES (the first given), hashed and parsed on
 * this thread, no stream or pipeline (most layers of a small image are a few kB: their streams were most of the walk).
 */
async function walkSmallPlain(handle: ReadHandle, first: Buffer, size: number, options: WalkOptions): Promise<LayerWalk> {
	const offset = options.file!.offset;
	const collector = layerCollector(options, 'none');
	const parser = new TarParser(collector.handler);
	const algorithm = options.blobAlgorithm ?? 'sha256';
	const blobHash = createHash(algorithm);
	// The diffID is sha256 of the same bytes: a second hash when the blob is addressed otherwise.
	const diffHash = algorithm === 'sha256' ? null : createHash('sha256');
	let position = 0;
	let chunk = first;
	try {
		for (;;) {
			if (chunk.length === 0) break;
			position += chunk.length;
			blobHash.update(chunk);
			diffHash?.update(chunk);
			options.onBytes?.(chunk.length);
			const wait = parser.write(chunk);
			if (wait) await wait;
			if (position >= size) break;
			// A fresh buffer each time: a body's sink may keep a slice of the last one until the body ends.
			chunk = Buffer.allocUnsafe(Math.min(size - position, READ_BYTES));
			chunk = chunk.subarray(0, await readFully(handle, chunk, chunk.length, offset + position));
		}
		parser.end();
	} catch (error) {
		collector.abort();
		throw error;
	}
	const digest = `${algorithm}:` + blobHash.digest('hex');
	const diffId = diffHash ? 'sha256:' + diffHash.digest('hex') : digest;
	return collector.finish({digest, diffId, size: position});
}

/** An uncompressed blob big enough for the workers: they hash it from the file; bodies are deferred, most skipped. */
async function walkBigPlain(handle: ReadHandle, file: string, offset: number, size: number, options: WalkOptions): Promise<LayerWalk> {
	const collector = layerCollector(options, 'none', true);
	const algorithm = options.blobAlgorithm ?? 'sha256';
	const blobDigest = collector.fromFile(0, size, algorithm);
	if (!blobDigest) {
		const stream = createReadStream(file, {start: offset, end: offset + size - 1, highWaterMark: READ_BYTES});
		return walkLayer(stream, options);
	}
	// The diffID is sha256 of the same bytes: a second read of the range when the blob is addressed otherwise.
	const diffDigest = algorithm === 'sha256' ? blobDigest : collector.fromFile(0, size);
	const parser = new TarParser(collector.handler);
	let position = 0;
	// One read buffer, always reused: in this mode no body goes to a sink (every hash is deferred), so the parser holds
	// at most a header cut by the chunk's end, which it copies (detach). A fresh buffer per read left a buffer of
	// garbage per read on a layer of small files (10 MB of buffers at the peak on 30,000 files, a gigabyte on a big one).
	const buffer = Buffer.allocUnsafe(READ_BYTES);
	let want = READ_BYTES;
	try {
		while (position < size) {
			const skip = Math.min(parser.skippable(), size - position);
			if (skip >= SKIP_MIN_BYTES) {
				parser.skip(skip);
				position += skip;
				options.onBytes?.(skip);
				// Past a big body the next header may well start another one: read little until that is known.
				// A full read there would fetch READ_BYTES the workers read again, out of their order on a disk.
				want = FIRST_READ_BYTES;
				continue;
			}
			parser.detach();
			const read = readSync(handle.fd, buffer, 0, Math.min(want, size - position), offset + position);
			const pause = yieldAfterReads();
			if (pause) await pause;
			want = Math.min(want * 4, READ_BYTES);
			if (read === 0) break;
			position += read;
			options.onBytes?.(read);
			const wait = parser.write(buffer.subarray(0, read));
			if (wait) await wait;
		}
		parser.end();
	} catch (error) {
		collector.abort();
		throw error;
	}
	// The entries are done; the workers may still be hashing the blob. The walk is handed back now, so that the deferred
	// hashes and the analysis run on this thread meanwhile; its digests are filled in when they come.
	const walk = await collector.finish({digest: '', diffId: '', size: position});
	if (walk.entries.hasDeferred()) walk.entries.file = file;
	walk.settled = Promise.all([blobDigest, diffDigest!]).then(([blob, diff]) => {
		walk.blobDigest = `${algorithm}:${blob}`;
		walk.diffId = `sha256:${diff}`;
	});
	walk.settled.catch(() => {}); // walkLayers awaits it; a failure surfaces there
	return walk;
}
