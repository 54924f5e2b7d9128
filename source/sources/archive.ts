// Read an image archive (docker save, oci-archive; plain, gzip or zstd) in one streaming pass, from a file or a pipe.
// Classic `docker save` puts manifest.json last, so every member is handled as it passes: small JSON files are kept,
// layer blobs are walked at once (their file bodies hashed and dropped). Nothing is written to disk. Headers are
// decoded by tar/tar-reader.ts (through tar/members.ts), the one decoder layerscope has.
import {openForReading, stat} from '../util/files.js';
import {PassThrough, Transform} from 'node:stream';
import {newImagePathTable} from '../analysis/path-budget.js';
import type {PathTable} from '../model/path-table.js';
import type {LayerWalk, SourceKind} from '../model/types.js';
import {createDecompressor, detectCompression} from '../layers/decompress.js';
import {walkFile, walkLayer} from '../layers/walk-layer.js';
import {peek} from '../util/peek.js';
import {eachMember, type MemberVisitor} from '../tar/members.js';
import {TarFormatError, type TarProblem} from '../tar/tar-reader.js';
import {blobAlgorithm} from '../util/digest.js';
import {InputError, describeError} from '../util/errors.js';
import {indexedMemberOpener, memberResolver, pipeBlobs, STDIN_UNAVAILABLE, streamedMemberOpener, type MemberRange} from './archive-blobs.js';
import {concurrently, indexArchive, readMember, type IndexedMember} from './archive-index.js';
import {ociBlobPath, type BlobStore, type LayerBlobOpener, type ProgressListener} from './blob-store.js';
import {MAX_ARCHIVE_BLOBS, tooManyBlobs} from './limits.js';
import {duplicateMember, isJsonMember, normaliseMember, symlinkTarget} from './archive-members.js';

/** JSON members (manifests, configs) above this are refused: no real image has them. */
const MAX_JSON = 64 * 1024 * 1024;
/** Bytes past the end of the last entry (or from the start) with no new entry before the reader gives up. */
const MAX_BLOCKS_WITHOUT_ENTRY = 64 * 1024 * 1024;
/** Bound on the JSON kept in memory in all, against archives made of huge JSON files. */
const MAX_JSON_TOTAL = 256 * 1024 * 1024;

type Member = {kind: 'json'; data: Buffer} | {kind: 'layer'; walk: LayerWalk} | {kind: 'error'; message: string};

const TAR_PROBLEMS: Record<TarProblem, string> = {
	format: 'not a tar archive, or a corrupt one',
	size: 'a corrupt tar header (invalid size)',
	meta: 'a corrupt tar header (an extended header over 4 MiB)',
	truncated: 'truncated (unexpected end of data)',
};

/** A read error of a tar stream, worded for the user. */
export function tarErrorMessage(error: unknown): string {
	if (error instanceof TarFormatError) return TAR_PROBLEMS[error.problem];
	const message = describeError(error);
	// zlib's error for a compressed stream cut short (its code, Z_BUF_ERROR, also stands for other problems).
	if (/unexpected end of file/i.test(message)) return 'truncated compressed data (unexpected end of file)';
	return message;
}

async function collect(input: AsyncIterable<Buffer>, limit: number): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let length = 0;
	for await (const chunk of input) {
		length += chunk.length;
		if (length > limit) throw new InputError(`a JSON member is larger than ${limit} bytes`);
		chunks.push(chunk);
	}
	return Buffer.concat(chunks);
}

export interface ArchiveOptions {
	reference: string;
	totalBytes?: number | null;
	onProgress?: ProgressListener;
	/** Most paths the image may name (see newImagePathTable). */
	maxPaths?: number;
	/** The archive from its start again, for file contents; absent when the input is a pipe (stdin), read once. */
	reopen?: () => AsyncIterable<Buffer>;
}

export async function readArchive(input: AsyncIterable<Buffer>, options: ArchiveOptions): Promise<BlobStore> {
	const members = new Map<string, Member>();
	const paths = newImagePathTable(options.maxPaths);
	const aliases = new Map<string, string>();
	let jsonTotal = 0;
	let bytes = 0;
	let layersDone = 0;
	const report = (phase: string): void => options.onProgress?.({bytes, totalBytes: options.totalBytes ?? null, layersDone, layersTotal: null, phase});
	const countBytes = (n: number): void => {
		bytes += n;
		report('reading');
	};

	const {head, stream} = await peek(input, 4);
	if (head.length === 0) throw new InputError('empty input: expected an image archive');
	const compression = detectCompression(head);
	const decompressor = createDecompressor(compression);

	// The tar reader skips zero blocks without end (as tar-stream does): an endless stream of them (`< /dev/zero`) would
	// never finish. Where the end marker should be, tolerate a bounded run of blocks with no entry, then stop with an error.
	let tarBytes = 0;
	let noEntryLimit = MAX_BLOCKS_WITHOUT_ENTRY;
	const endGuard = new Transform({
		transform(chunk: Buffer, _encoding, callback) {
			// Judged on the bytes before this chunk, which the tar reader has seen: one chunk may be bigger than the limit
			// (a whole archive handed over at once) and hold entries the reader has not reached yet.
			const before = tarBytes;
			tarBytes += chunk.length;
			if (before > noEntryLimit)
				callback(
					new InputError(`no tar entry in the last ${MAX_BLOCKS_WITHOUT_ENTRY / (1024 * 1024)} MiB (empty tar blocks without end): not an image archive`),
				);
			else callback(null, chunk);
		},
	});

	// One member at a time: the reader reads the next header once a member's handler is done with it.
	const seen = new Set<string>();
	let blobs = 0;
	const visit: MemberVisitor = header => {
		const name = normaliseMember(header.name);
		noEntryLimit = tarBytes + header.size + MAX_BLOCKS_WITHOUT_ENTRY;
		const isFile = header.type === 'file' || header.type === 'contiguous-file';
		if (!isFile && header.type !== 'symlink') return null;
		// A file or symlink of a name already seen: refused (archive-members.ts says why).
		if (seen.has(name))
			return async () => {
				throw duplicateMember(name);
			};
		seen.add(name);
		if (!isFile) {
			if (header.linkname) aliases.set(name, symlinkTarget(name, header.linkname));
			return null;
		}
		return async body => {
			try {
				const {head: memberHead, stream: member} = await peek(body, 512);
				if (isJsonMember(name, memberHead)) {
					const data = await collect(member, MAX_JSON);
					jsonTotal += data.length;
					if (jsonTotal > MAX_JSON_TOTAL) throw new InputError('the archive holds more JSON than any image needs');
					members.set(name, {kind: 'json', data});
					return;
				}
				if (++blobs > MAX_ARCHIVE_BLOBS) throw tooManyBlobs();
				members.set(name, {kind: 'layer', walk: await walkLayer(member, {paths, sizeHint: header.size, blobAlgorithm: blobAlgorithm(name)})});
				layersDone++;
			} catch (error) {
				// A problem with the input stops the read; a layer that does not read is reported when it is walked.
				if (error instanceof InputError) throw error;
				members.set(name, {kind: 'error', message: tarErrorMessage(error)});
			}
		};
	};

	const tap = new PassThrough();
	tap.on('data', (chunk: Buffer) => countBytes(chunk.length));
	try {
		await eachMember(stream, visit, decompressor ? [tap, decompressor, endGuard] : [tap, endGuard]);
	} catch (error) {
		if (error instanceof InputError) throw error;
		throw new InputError(tarErrorMessage(error));
	}
	report('done');

	const opener = options.reopen ? streamedMemberOpener(options.reopen, aliases) : pipeBlobs;
	return archiveStore(members, aliases, options.reference, paths, opener, options.reopen ? null : STDIN_UNAVAILABLE);
}

/** The store over members already read (JSON kept, layers walked). */
function archiveStore(
	members: Map<string, Member>,
	aliases: Map<string, string>,
	reference: string,
	paths: PathTable,
	openLayerBlob: LayerBlobOpener,
	blobsUnavailable: string | null,
): BlobStore {
	const resolve = memberResolver(aliases);
	const kind: SourceKind = members.has('manifest.json') ? 'docker-archive' : 'oci-archive';
	return {
		kind,
		reference,
		paths,
		async read(name) {
			const member = members.get(resolve(name));
			if (!member) return undefined;
			if (member.kind === 'json') return member.data;
			throw new InputError(`${name} is a layer, not a JSON file`);
		},
		async walk(name) {
			const member = members.get(resolve(name));
			if (!member) throw new InputError(`${name} is not in the archive`, 'missing');
			if (member.kind === 'error') throw new InputError(`${name}: ${member.message}`);
			if (member.kind === 'json') {
				// A tiny layer can look like a raw member; walk its bytes now.
				try {
					return await walkLayer(
						(async function* () {
							yield member.data;
						})(),
						{paths, blobAlgorithm: blobAlgorithm(resolve(name))},
					);
				} catch (error) {
					throw new InputError(`${name}: ${tarErrorMessage(error)}`);
				}
			}
			return member.walk;
		},
		async has(name) {
			return members.has(resolve(name));
		},
		blobName: ociBlobPath,
		openLayerBlob,
		blobsUnavailable,
	};
}

/**
 * An uncompressed archive file read by member offsets, its layers walked concurrently (see archive-index.ts).
 * Null when the file is compressed or not a tar this reader fully understands: use readArchive on a stream then.
 */
export async function readArchiveFile(file: string, options: ArchiveOptions): Promise<BlobStore | null> {
	const stamp = await stat(file);
	const index = await indexArchive(file).catch(() => null);
	if (!index) return null;
	const members = new Map<string, Member>();
	const aliases = new Map<string, string>();
	const seen = new Set<string>();
	for (const member of index.files) {
		member.name = normaliseMember(member.name);
		if (seen.has(member.name)) throw duplicateMember(member.name);
		seen.add(member.name);
	}
	for (const {name: written, target} of index.symlinks) {
		const name = normaliseMember(written);
		if (seen.has(name)) throw duplicateMember(name);
		seen.add(name);
		if (target) aliases.set(name, symlinkTarget(name, target));
	}
	let bytes = 0;
	let layersDone = 0;
	const layers: IndexedMember[] = [];
	// The index names every member before a layer is read, so the layers to walk are known (streaming learns them only
	// from manifest.json, which comes last): the members that are not JSON, but classic docker save's `<id>/VERSION`.
	let layersTotal: number | null = null;
	const report = (phase: string): void => options.onProgress?.({bytes, totalBytes: options.totalBytes ?? null, layersDone, layersTotal, phase});

	let jsonTotal = 0;
	const paths = newImagePathTable(options.maxPaths);
	const json = new Map<IndexedMember, Buffer>();
	// One descriptor for the whole archive: its JSON members, and every layer walk (an open and a close a layer were a
	// tenth of a small image's load).
	const handle = await openForReading(file);
	let outcomes: PromiseSettledResult<LayerWalk>[];
	try {
		for (const member of index.files) {
			const head = await readMember(handle, member, 512);
			if (isJsonMember(member.name, head)) {
				if (member.size > MAX_JSON) throw new InputError(`a JSON member is larger than ${MAX_JSON} bytes`);
				jsonTotal += member.size;
				if (jsonTotal > MAX_JSON_TOTAL) throw new InputError('the archive holds more JSON than any image needs');
				json.set(member, await readMember(handle, member));
				bytes += member.size;
			} else layers.push(member);
		}
		if (layers.length > MAX_ARCHIVE_BLOBS) throw tooManyBlobs();
		layersTotal = layers.filter(member => !/(^|\/)VERSION$/.test(member.name)).length || null;
		outcomes = await concurrently(
			layers,
			member => member.size,
			async member => {
				const walk = await walkFile(
					file,
					member.offset,
					member.size,
					{
						paths,
						blobAlgorithm: blobAlgorithm(member.name),
						onBytes(n) {
							bytes += n;
							report('reading');
						},
					},
					handle,
				);
				layersDone++;
				return walk;
			},
		);
	} finally {
		await handle.close();
	}
	// Members keep archive order: a later member of the same name wins, as when streaming.
	const layerAt = new Map(layers.map((member, i) => [member, i]));
	for (const member of index.files) {
		const data = json.get(member);
		if (data) {
			members.set(member.name, {kind: 'json', data});
			continue;
		}
		const outcome = outcomes[layerAt.get(member)!];
		if (outcome.status === 'fulfilled') members.set(member.name, {kind: 'layer', walk: outcome.value});
		else if (outcome.reason instanceof InputError) throw outcome.reason;
		else members.set(member.name, {kind: 'error', message: tarErrorMessage(outcome.reason)});
	}
	report('done');
	const ranges = new Map<string, MemberRange>(index.files.map(({name, offset, size}) => [name, {offset, size}]));
	return archiveStore(members, aliases, options.reference, paths, indexedMemberOpener(file, ranges, aliases, stamp), null);
}
