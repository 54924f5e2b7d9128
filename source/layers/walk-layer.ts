// One streaming pass over a layer blob: decompress, hash, parse tar, keep only entry metadata.
// File bodies are hashed and dropped; memory grows with the number of entries, never with bytes.
import {createHash, type Hash} from 'node:crypto';
import {Readable, Transform, type TransformCallback} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import tar from 'tar-stream';
import type {EntryType, LayerEntry, LayerWalk, Whiteout} from '../analysis/types.js';
import {createDecompressor, detectCompression} from './decompress.js';
import {baseName, joinPath, normalisePath, parentOf} from './paths.js';

export const OPAQUE_WHITEOUT = '.wh..wh..opq';
const WHITEOUT_PREFIX = '.wh.';
const WHITEOUT_META_PREFIX = '.wh..wh.';

export interface WalkOptions {
	/** Called with the number of raw (possibly compressed) bytes consumed, as they stream. */
	onBytes?: (bytes: number) => void;
}

/** Content hash of a file body: sha256 cut to 128 bits, base64url (22 characters). */
export function contentHash(hash: Hash): string {
	return hash.digest().subarray(0, 16).toString('base64url');
}

export const EMPTY_CONTENT_HASH = contentHash(createHash('sha256'));

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

/** Hash and count the bytes flowing through, without changing them. */
class Tap extends Transform {
	readonly hash = createHash('sha256');
	bytes = 0;
	constructor(private readonly onBytes?: (bytes: number) => void) {
		super();
	}

	override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
		this.hash.update(chunk);
		this.bytes += chunk.length;
		this.onBytes?.(chunk.length);
		callback(null, chunk);
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

export async function walkLayer(input: AsyncIterable<Buffer>, options: WalkOptions = {}): Promise<LayerWalk> {
	const {head, stream} = await peek(input, 4);
	const compression = detectCompression(head);
	const entries: LayerEntry[] = [];
	const whiteouts: Whiteout[] = [];
	let sizeBytes = 0;

	const extract = tar.extract();
	extract.on('entry', (header, body, next) => {
		// A truncated archive destroys the current body stream: the pipeline reports it, the body must not throw.
		body.on('error', () => {});
		const {path, unsafe} = normalisePath(header.name);
		const base = baseName(path);
		if (base.startsWith(WHITEOUT_PREFIX)) {
			if (base === OPAQUE_WHITEOUT) whiteouts.push({path: parentOf(path), opaque: true});
			else if (!base.startsWith(WHITEOUT_META_PREFIX))
				whiteouts.push({path: joinPath(parentOf(path), base.slice(WHITEOUT_PREFIX.length)), opaque: false});
			body.on('end', next);
			body.resume();
			return;
		}

		const type = TYPES[header.type ?? 'file'] ?? 'other';
		const pax = header.pax as Record<string, string> | null | undefined;
		const entry: LayerEntry = {
			path,
			type,
			size: header.size ?? 0,
			mode: (header.mode ?? 0) & 0o7777,
			uid: pax?.uid ? Number(pax.uid) : (header.uid ?? 0),
			gid: pax?.gid ? Number(pax.gid) : (header.gid ?? 0),
			mtime: pax?.mtime ? Math.floor(Number(pax.mtime)) : Math.floor((header.mtime?.getTime() ?? 0) / 1000),
		};
		if (unsafe) entry.unsafePath = true;
		if (type === 'symlink') entry.linkTarget = header.linkname ?? '';
		else if (type === 'hardlink') entry.linkTarget = normalisePath(header.linkname ?? '').path;
		entries.push(entry);

		if (type !== 'file') {
			body.on('end', next);
			body.resume();
			return;
		}
		sizeBytes += entry.size;
		const hash = createHash('sha256');
		body.on("data", (chunk: unknown) => hash.update(chunk as Buffer));
		body.on('end', () => {
			entry.hash = contentHash(hash);
			next();
		});
	});

	const blobTap = new Tap(options.onBytes);
	const decompressor = createDecompressor(compression);
	const diffTap = decompressor ? new Tap() : null;
	await (decompressor && diffTap
		? pipeline(stream, blobTap, decompressor, diffTap, extract)
		: pipeline(stream, blobTap, extract));

	const blobDigest = 'sha256:' + blobTap.hash.digest('hex');
	return {
		entries,
		whiteouts,
		sizeBytes,
		blobDigest,
		diffId: diffTap ? 'sha256:' + diffTap.hash.digest('hex') : blobDigest,
		blobSize: blobTap.bytes,
		compression,
	};
}
