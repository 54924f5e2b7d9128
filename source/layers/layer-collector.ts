// What a walk keeps of a layer's tar entries: the metadata of each, whiteouts as node ids, and each file body's content
// hash (hashed here, on a worker, or deferred until a comparison needs it). Bodies themselves are never kept.
import {createHash, type Hash} from 'node:crypto';
import {LayerEntries} from '../model/layer-entries.js';
import type {PathTable} from '../model/path-table.js';
import type {Compression, EntryType, LayerWalk} from '../model/types.js';
import {Whiteouts} from '../model/whiteouts.js';
import type {BodySink, TarHeader} from '../tar/tar-reader.js';
import {baseName, joinPath, normalisePath, parentOf} from '../tar/paths.js';
import {oneShotDigest} from './content-hash.js';
import type {DigestAlgorithm} from '../util/digest.js';
import {OFF_THREAD_MIN_BYTES} from './early-worker.js';
import {fileRangeHash, streamHash, worthOffThread, type StreamHash} from './hash-pool.js';

const OPAQUE_WHITEOUT = '.wh..wh..opq';
const WHITEOUT_PREFIX = '.wh.';
const WHITEOUT_META_PREFIX = '.wh..wh.';

export interface CollectorOptions {
	/** The image's table of paths: every layer of one image names its paths in the same table. */
	paths: PathTable;
	/** Expected size of the blob when known: big blobs and bodies are hashed on worker threads. */
	sizeHint?: number | null;
	/**
	 * Where the blob's bytes lie as they are (`sizeHint` bytes from `offset` of a file): workers then read and hash the
	 * blob digest from the file, instead of the main thread shipping every byte to them.
	 */
	file?: {path: string; offset: number};
}

/** File bodies from this size on are hashed on a worker thread when the pool is in use. */
export const OFF_THREAD_BODY_BYTES = 512 * 1024;

const EMPTY_BODY = Buffer.alloc(0);

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

/** Entries reserved for at most (a big layer's), and at least. */
const MAX_RESERVED_ENTRIES = 4_000_000;
const MIN_RESERVED_ENTRIES = 256;

/**
 * The columns a layer's entries start with. A big layer gets room for as many entries as its bytes can hold (a
 * 512-byte header each; a compressed one may need more, and grows then): a column is an allocation of its own (from
 * 128 KiB glibc maps it apart, cli/launcher.ts), its pages are given zeroed as they are first written, so the room
 * not used costs address space only, and the walk makes no copies. Grown by half again each time, the copies were
 * garbage until a full collection: ~10 MB of the 1.2 GiB bench image's peak. The walk ends with one copy to size.
 */
function reservedEntries(sizeHint: number | null | undefined): number {
	if (typeof sizeHint !== 'number' || !(sizeHint >= OFF_THREAD_MIN_BYTES)) return MIN_RESERVED_ENTRIES;
	return Math.min(Math.ceil(sizeHint / 512), MAX_RESERVED_ENTRIES);
}

/**
 * A collector for one walk, fed by a TarReader through `handler`. With `deferBodies` (positioned reads of a file), no
 * body is hashed during the walk: the offsets are kept for readDeferredHashes() (deferred-hashes.ts), which hashes only
 * the bodies a comparison needs. Most files of an image are never compared, so most bytes are read once, for the blob
 * digest.
 */
export function layerCollector(options: CollectorOptions, compression: Compression, deferBodies = false) {
	const paths = options.paths;
	const entries = new LayerEntries(paths, reservedEntries(options.sizeHint));
	const whiteouts = new Whiteouts();
	// Docker's layer size and dive's: regular file bytes, and for Docker also each symlink's target length (the lstat
	// size overlay2's directory walk adds up). Hard links add nothing: Docker counts an inode once.
	let fileBytes = 0;
	let symlinkBytes = 0;

	// Big blobs: the blob digest, diffID and big bodies are hashed on worker threads while this thread parses.
	const offThread = worthOffThread(options.sizeHint);
	const file = offThread && typeof options.sizeHint === 'number' ? (options.file ?? null) : null;
	const fromFile = (start: number, length: number, algorithm: DigestAlgorithm = 'sha256'): Promise<string> | null => {
		const digest = file && fileRangeHash(file.path, file.offset + start, length, algorithm);
		digest?.catch(() => {}); // awaited after the pipeline; a failure surfaces there
		return digest;
	};
	const bodyHashes = new Set<StreamHash>();
	const pendingDigests: Promise<void>[] = [];
	const handler = (header: TarHeader, bodyOffset: number): BodySink | null => {
		const {path, unsafe} = normalisePath(header.name);
		const base = baseName(path);
		if (base.startsWith(WHITEOUT_PREFIX)) {
			if (base === OPAQUE_WHITEOUT) whiteouts.push(paths.intern(parentOf(path)), true);
			else if (!base.startsWith(WHITEOUT_META_PREFIX)) whiteouts.push(paths.intern(joinPath(parentOf(path), base.slice(WHITEOUT_PREFIX.length))), false);
			return null;
		}

		const type = TYPES[header.type ?? 'file'] ?? 'other';
		const pax = header.pax;
		const size = header.size ?? 0;
		const index = entries.add(
			paths.intern(path),
			type,
			size,
			header.mode ?? 0,
			pax?.uid ? Number(pax.uid) : (header.uid ?? 0),
			pax?.gid ? Number(pax.gid) : (header.gid ?? 0),
			pax?.mtime ? Math.floor(Number(pax.mtime)) : Math.floor(header.mtimeMs / 1000),
			unsafe,
		);
		if (type === 'symlink') entries.setSymlinkTarget(index, header.linkname ?? '');
		else if (type === 'hardlink') entries.setHardlinkTarget(index, paths.intern(normalisePath(header.linkname ?? '').path));
		if (type === 'symlink') symlinkBytes += Buffer.byteLength(header.linkname ?? '');
		if (type !== 'file') return null;
		fileBytes += size;
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
			whiteouts.trim();
			const sizeBytes = fileBytes + symlinkBytes;
			return {entries, whiteouts, sizeBytes, diveSizeBytes: fileBytes, blobDigest: blob.digest, diffId: blob.diffId, blobSize: blob.size, compression};
		},
	};
}
