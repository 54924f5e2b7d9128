// File contents for the explorer. The analysis keeps no bytes (by design), so to show or export one file version
// we open the source again and stream just the one layer blob that stores it, stopping at the entry whose content
// hash is the one the analysis recorded. An archive is read in two light passes (its small JSON members to find the
// layer's member name, then up to that member); an OCI layout opens the blob file directly; a registry sends the blob
// by digest; an engine's export is read again up to the layer. stdin cannot be read twice: contents are not available
// there. Exports write to the path the user typed, never to a name from the image.
import {createHash} from 'node:crypto';
import {createReadStream} from 'node:fs';
import {link, lstat, open, rename, stat, unlink} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {once} from 'node:events';
import {PassThrough} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import tar from 'tar-stream';
import type {SourceKind} from '../model/types.js';
import {PathTable} from '../model/path-table.js';
import {createDecompressor, detectCompression} from '../layers/decompress.js';
import {normalisePath} from '../tar/paths.js';
import {contentHash} from '../layers/content-hash.js';
import {peek} from '../util/peek.js';
import {ociBlobPath, type BlobStore} from '../sources/blob-store.js';
import type {LoadOptions} from '../sources/load.js';
import {exportEngineImage} from '../sources/engine.js';
import {openOciLayout} from '../sources/oci-layout.js';
import {openRegistryBlob} from '../sources/registry.js';
import {resolveImage} from '../sources/resolve.js';
import {describeError, InputError} from '../util/errors.js';
import {visible, visibleMultiline} from '../util/sanitize.js';
import type {ContentView, FileTarget} from './state.js';
import {isJsonMember, normaliseMember, symlinkTarget} from '../sources/archive-members.js';

/** Bytes shown in the viewer at most. */
export const VIEW_CAP = 64 * 1024;

export class ExistsError extends Error {
	constructor(readonly target: string) {
		super(`${target} exists`);
		this.name = 'ExistsError';
	}
}

/** Where the explorer gets file bytes from. Tests may pass their own. */
export interface ContentProvider {
	/** Why contents cannot be read from this source, or null when they can. */
	unavailable(): string | null;
	read(target: FileTarget, cap?: number): Promise<{bytes: Buffer; size: number}>;
	/** `length` bytes from `offset` (fewer at the end), and the full size: only those bytes are held. */
	readRange?(target: FileTarget, offset: number, length: number): Promise<{bytes: Buffer; size: number}>;
	/** Write the whole file to `destination`; throws ExistsError when it exists and `overwrite` is false. */
	exportTo(target: FileTarget, destination: string, overwrite: boolean): Promise<{path: string; bytes: number}>;
}

interface Sink {
	/** A matching entry starts (again): drop what an earlier one wrote. */
	start(): Promise<void>;
	write(chunk: Buffer): Promise<void>;
}

/** Stream one layer blob, find `target.path`, hand its bytes to the sink. True when the recorded version was found. */
function scanLayer(blob: AsyncIterable<Buffer>, target: FileTarget, sink: Sink): Promise<boolean> {
	return eachMember(blob, async (name, body) => {
		if (normalisePath(name).path !== target.path) return false;
		await sink.start();
		const hash = createHash('sha256');
		for await (const chunk of body) {
			hash.update(chunk);
			await sink.write(chunk);
		}
		// A path can appear twice in one layer (the last one wins): the hash tells which version was analysed.
		return !target.hash || contentHash(hash) === target.hash;
	});
}

/** Read an archive's small JSON members and member names: enough to resolve the image and name its layer members. */
async function indexArchive(file: string): Promise<{json: Map<string, Buffer>; names: Set<string>; aliases: Map<string, string>}> {
	const json = new Map<string, Buffer>();
	const names = new Set<string>();
	const aliases = new Map<string, string>();
	const visit = async (raw: string, body: AsyncIterable<Buffer>, size: number): Promise<boolean> => {
		const name = normaliseMember(raw);
		names.add(name);
		if (size > 64 * 1024 * 1024) return false;
		const chunks: Buffer[] = [];
		let length = 0;
		let keep: boolean | null = null;
		for await (const chunk of body) {
			if (keep === false) continue;
			chunks.push(chunk);
			length += chunk.length;
			if (keep === null && length >= 512) {
				keep = isJsonMember(name, Buffer.concat(chunks));
				if (!keep) chunks.length = 0;
			}
		}
		keep ??= isJsonMember(name, Buffer.concat(chunks));
		if (keep) json.set(name, Buffer.concat(chunks));
		return false;
	};
	await eachMember(createReadStream(file, {highWaterMark: 1024 * 1024}), visit, (raw, linkname) => {
		const name = normaliseMember(raw);
		aliases.set(name, symlinkTarget(name, linkname));
	});
	return {json, names, aliases};
}

/**
 * Stream a tar archive (plain or compressed) and hand its regular files to `visit` in order, with their names as
 * written, until one visit returns true; then stop reading. A visit that returns false need not read the body. Symlinks
 * go to `onSymlink`. False when no visit returned true.
 */
async function eachMember(
	input: AsyncIterable<Buffer>,
	visit: (name: string, body: AsyncIterable<Buffer>, size: number) => Promise<boolean>,
	onSymlink?: (name: string, linkname: string) => void,
): Promise<boolean> {
	const {head, stream} = await peek(input, 4);
	const decompressor = createDecompressor(detectCompression(head));
	const extract = tar.extract();
	const controller = new AbortController();
	let done = false;
	let failure: unknown = null;
	extract.on('entry', (header, body, next) => {
		body.on('error', () => {});
		// A visit may have read the body to its end already.
		let ended = false;
		body.on('end', () => {
			ended = true;
		});
		const drain = (): void => {
			if (ended) return next();
			body.on('end', next);
			body.resume();
		};
		const type = header.type ?? 'file';
		if (type === 'symlink' && header.linkname) onSymlink?.(header.name, header.linkname);
		if (done || (type !== 'file' && type !== 'contiguous-file')) return drain();
		visit(header.name, body as unknown as AsyncIterable<Buffer>, header.size ?? 0).then(
			stop => {
				if (!stop) return drain();
				done = true;
				controller.abort();
			},
			(error: unknown) => {
				failure = error;
				done = true;
				controller.abort();
			},
		);
	});
	try {
		await (decompressor ? pipeline(stream, decompressor, extract, {signal: controller.signal}) : pipeline(stream, extract, {signal: controller.signal}));
	} catch (error) {
		if (!done) throw error;
	}
	if (failure) throw failure;
	return done;
}

/** Stream an archive file up to one member and hand its body to `handle`; stop reading there. */
async function withArchiveMember(file: string, wanted: string, handle: (body: AsyncIterable<Buffer>) => Promise<boolean>): Promise<boolean> {
	let result = false;
	const met = await eachMember(createReadStream(file, {highWaterMark: 1024 * 1024}), async (name, body) => {
		if (normaliseMember(name) !== wanted) return false;
		result = await handle(body);
		return true;
	});
	if (!met) throw new InputError(`the archive no longer holds ${visible(wanted)}`);
	return result;
}

/** What the content viewer needs to find a layer's blob again: the digests and size the analysis read. */
export interface LayerBlobRef {
	digest: string | null;
	diffId: string;
	compressedSizeBytes: number | null;
}

/**
 * Find one layer in a `docker save` stream (an engine's export) and scan it for `target`. Docker 25+ and Podman name
 * layer blobs by digest; the classic layout's `<id>/layer.tar` does not, so each of those is hashed whole while it is
 * scanned and counts only if its digest is the layer's. Null when the stream does not hold the layer.
 */
export async function scanSavedLayer(input: AsyncIterable<Buffer>, layer: LayerBlobRef, target: FileTarget, sink: Sink): Promise<boolean | null> {
	const wanted = [layer.digest, layer.diffId].filter((digest): digest is string => !!digest).map(digest => digest.replace(/^sha256:/, ''));
	let found: boolean | null = null;
	await eachMember(input, async (raw, body) => {
		const name = normaliseMember(raw);
		const hex = /(?:^|\/)([0-9a-f]{64})(?:\.tar)?$/.exec(name)?.[1];
		if (hex !== undefined) {
			if (!wanted.includes(hex)) return false;
			found = await scanLayer(body, target, sink);
			return true;
		}
		if (!/(?:^|\/)layer\.tar$/.test(name)) return false;
		const verified = await scanVerified(body, wanted, target, sink);
		if (verified === null) {
			await sink.start(); // another layer: forget what it wrote
			return false;
		}
		found = verified;
		return true;
	});
	return found;
}

/** scanLayer over the whole of `body`, hashing it too: null when its sha256 is none of `wanted`. */
async function scanVerified(body: AsyncIterable<Buffer>, wanted: string[], target: FileTarget, sink: Sink): Promise<boolean | null> {
	const hash = createHash('sha256');
	const inner = new PassThrough();
	inner.on('error', () => {});
	let scanning = true;
	const scan = scanLayer(inner, target, sink);
	const settled = scan.then(
		() => {
			scanning = false;
		},
		() => {
			scanning = false;
		},
	);
	for await (const chunk of body) {
		hash.update(chunk);
		// Once the entry is found (or the scan failed) the rest of the member is only hashed.
		if (scanning && !inner.write(chunk)) await Promise.race([once(inner, 'drain').catch(() => {}), settled]);
	}
	inner.end();
	await settled;
	if (!wanted.includes(hash.digest('hex'))) return null;
	return scan;
}

export class SourceContent implements ContentProvider {
	private layerNames: Promise<{kind: 'archive' | 'layout'; root: string; names: string[]}> | null = null;

	/** `layers`: what the analysis read of each layer, to find the same blob in an engine's export or a registry. */
	constructor(
		private readonly reference: string,
		private readonly options: LoadOptions,
		private readonly kind: SourceKind,
		private readonly layers: readonly LayerBlobRef[] = [],
	) {}

	unavailable(): string | null {
		if (this.reference === '-' || this.options.stdin)
			return 'file contents are not available when the image comes on stdin: a pipe cannot be read twice. Save it to a file (docker save -o image.tar) and open that.';
		if (this.fromService() && this.layers.length === 0) return `file contents are not available here for ${this.kind} sources`;
		return null;
	}

	/** An engine or a registry: layers are fetched again by digest, not read from a file. */
	private fromService(): boolean {
		return this.kind === 'registry' || this.kind === 'docker-engine' || this.kind === 'podman';
	}

	private async scanService(target: FileTarget, sink: Sink): Promise<boolean> {
		const layer = this.layers[target.layer];
		if (!layer) throw new InputError(`the source has no layer ${target.layer}`);
		if (this.kind === 'registry') {
			const digest = layer.digest ?? layer.diffId;
			return scanLayer(await openRegistryBlob(this.reference, this.options, digest, layer.compressedSizeBytes), target, sink);
		}
		// The engine has no API for one layer: its `docker save` stream is read again, up to the layer.
		const found = await scanSavedLayer(await exportEngineImage(this.kind === 'podman' ? 'podman' : 'docker', this.reference), layer, target, sink);
		if (found === null) throw new InputError(`the engine's image ${visible(this.reference)} no longer holds layer ${target.layer} as it was read: was the tag moved?`);
		return found;
	}

	private async names(): Promise<{kind: 'archive' | 'layout'; root: string; names: string[]}> {
		this.layerNames ??= (async () => {
			const info = await stat(this.reference);
			if (info.isDirectory()) {
				const store = await openOciLayout(this.reference);
				const resolved = await resolveImage(store, this.options);
				return {kind: 'layout' as const, root: path.resolve(this.reference), names: resolved.layers.map(layer => layer.name)};
			}
			const {json, names, aliases} = await indexArchive(this.reference);
			const resolve = (name: string): string => {
				const clean = normaliseMember(name);
				return aliases.get(clean) ?? clean;
			};
			const store: BlobStore = {
				kind: names.has('manifest.json') ? 'docker-archive' : 'oci-archive',
				reference: this.reference,
				paths: new PathTable(),
				read: async name => json.get(resolve(name)),
				walk: async () => {
					throw new InputError('not walked here');
				},
				has: async name => names.has(resolve(name)),
				blobName: ociBlobPath,
			};
			const resolved = await resolveImage(store, this.options);
			return {kind: 'archive' as const, root: this.reference, names: resolved.layers.map(layer => resolve(layer.name))};
		})();
		this.layerNames.catch(() => {
			this.layerNames = null;
		});
		return this.layerNames;
	}

	private async scan(target: FileTarget, sink: Sink): Promise<void> {
		const reason = this.unavailable();
		if (reason) throw new InputError(reason);
		if (this.fromService()) {
			if (!(await this.scanService(target, sink))) throw new InputError(`layer ${target.layer} no longer holds ${visible(target.path)} as it was read`);
			return;
		}
		const {kind, root, names} = await this.names();
		const name = names[target.layer];
		if (name === undefined) throw new InputError(`the source has no layer ${target.layer}`);
		let found: boolean;
		if (kind === 'layout') {
			const file = path.resolve(root, name);
			if (!file.startsWith(root + path.sep)) throw new InputError(`${visible(name)} points outside the layout`);
			found = await scanLayer(createReadStream(file, {highWaterMark: 1024 * 1024}), target, sink);
		} else {
			found = await withArchiveMember(root, name, body => scanLayer(body, target, sink));
		}
		if (!found) throw new InputError(`layer ${target.layer} no longer holds ${visible(target.path)} as it was read: has the image file changed?`);
	}

	async read(target: FileTarget, cap = VIEW_CAP): Promise<{bytes: Buffer; size: number}> {
		let chunks: Buffer[] = [];
		let kept = 0;
		let size = 0;
		await this.scan(target, {
			async start() {
				chunks = [];
				kept = 0;
				size = 0;
			},
			async write(chunk) {
				size += chunk.length;
				if (kept >= cap) return;
				const part = chunk.subarray(0, cap - kept);
				chunks.push(Buffer.from(part));
				kept += part.length;
			},
		});
		return {bytes: Buffer.concat(chunks), size};
	}

	async readRange(target: FileTarget, offset: number, length: number): Promise<{bytes: Buffer; size: number}> {
		let chunks: Buffer[] = [];
		let kept = 0;
		let size = 0;
		await this.scan(target, {
			async start() {
				chunks = [];
				kept = 0;
				size = 0;
			},
			async write(chunk) {
				const from = Math.max(0, offset - size);
				size += chunk.length;
				if (kept >= length || from >= chunk.length) return;
				const part = chunk.subarray(from, from + length - kept);
				chunks.push(Buffer.from(part));
				kept += part.length;
			},
		});
		return {bytes: Buffer.concat(chunks), size};
	}

	async exportTo(target: FileTarget, destination: string, overwrite: boolean): Promise<{path: string; bytes: number}> {
		return exportWith(destination, overwrite, sink => this.scan(target, sink));
	}
}

/** The user's path, as typed: `~/x` is in the home directory, a relative path is from the working directory. */
export function resolveDestination(typed: string): string {
	const text = typed.trim();
	if (text === '~' || text.startsWith('~/')) return path.join(os.homedir(), text.slice(1));
	return path.resolve(text);
}

/**
 * Write bytes from `fill` to `destination`: to a new temporary file beside it first, then put in place, so a failed
 * read leaves nothing behind. Without `overwrite`, an existing path is never replaced (ExistsError).
 */
export async function exportWith(destination: string, overwrite: boolean, fill: (sink: Sink) => Promise<void>): Promise<{path: string; bytes: number}> {
	const target = resolveDestination(destination);
	const existing = await lstat(target).catch(() => null);
	if (existing?.isDirectory()) throw new InputError(`${visible(target)} is a directory: type a file name`);
	if (existing && !overwrite) throw new ExistsError(target);
	if (existing && !existing.isFile()) throw new InputError(`${visible(target)} exists and is not a regular file`);
	const dir = path.dirname(target);
	const dirInfo = await stat(dir).catch(() => null);
	if (!dirInfo?.isDirectory()) throw new InputError(`no directory ${visible(dir)}`);
	const temp = path.join(dir, `.${path.basename(target)}.layerscope-${process.pid}-${Date.now()}`);
	const handle = await open(temp, 'wx', 0o644);
	let bytes = 0;
	let ok = false;
	try {
		await fill({
			async start() {
				await handle.truncate(0);
				bytes = 0;
			},
			async write(chunk) {
				await handle.write(chunk, 0, chunk.length, bytes);
				bytes += chunk.length;
			},
		});
		await handle.close();
		if (overwrite) await rename(temp, target);
		else {
			try {
				await link(temp, target); // fails if the path appeared meanwhile: never replaced
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new ExistsError(target);
				if ((await lstat(target).catch(() => null)) !== null) throw new ExistsError(target);
				await rename(temp, target);
			}
		}
		ok = true;
		return {path: target, bytes};
	} finally {
		await handle.close().catch(() => {});
		if (!ok || !overwrite) await unlink(temp).catch(() => {});
	}
}

/** Text when the bytes decode as UTF-8 without NUL bytes, else a hex dump. Control characters are made visible. */
export function toContentView(bytes: Buffer, size: number): ContentView {
	let text: string | null = null;
	if (!bytes.subarray(0, 8192).includes(0)) {
		try {
			text = new TextDecoder('utf-8', {fatal: true}).decode(bytes, {stream: bytes.length < size});
		} catch {
			text = null;
		}
	}
	if (text !== null) {
		const lines = visibleMultiline(text.replace(/\r\n/g, '\n')).split('\n');
		if (lines.length > 1 && lines[lines.length - 1] === '' && bytes.length === size) lines.pop();
		const digits = String(lines.length).length;
		return {kind: 'text', lines: lines.map((line, i) => `${String(i + 1).padStart(digits)} │ ${line}`), shown: bytes.length, size};
	}
	return {kind: 'hex', bytes, shown: bytes.length, size};
}

export function describeContentError(error: unknown): string {
	return visible(describeError(error));
}
