// Build image archives in code, with contents known exactly: layers (tar-stream), docker save (classic and
// Docker 25+), oci-archive and OCI layout directories, plain, gzip or zstd.
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
// tar-stream writes fixtures (here, in hostile-fixtures.ts and bench/generate.ts): its packer is a well-tested tar
// writer. Nothing in source/ uses it any more: every tar is read by source/tar/tar-reader.ts, so it could be a
// devDependency.
import tar, {type Header} from 'tar-stream';

export type FixtureEntry =
	| {name: string; type?: 'file'; content?: string | Buffer; mode?: number; uid?: number; gid?: number; mtime?: number; pax?: Record<string, string>}
	| {name: string; type: 'directory'; mode?: number; uid?: number; gid?: number}
	| {name: string; type: 'symlink' | 'link'; linkname: string; mode?: number}
	| {name: string; type: 'character-device' | 'block-device' | 'fifo'; devmajor?: number; devminor?: number}
	/** A whiteout for `name` (the path it removes). */
	| {name: string; type: 'whiteout'}
	/** An opaque whiteout in directory `name`. */
	| {name: string; type: 'opaque'};

export async function packTar(entries: {header: Partial<Header> & Pick<Header, 'name'>; content?: Buffer}[]): Promise<Buffer> {
	const pack = tar.pack();
	const chunks: Buffer[] = [];
	const done = new Promise<Buffer>((resolve, reject) => {
		pack.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
		pack.on('end', () => resolve(Buffer.concat(chunks)));
		pack.on('error', reject);
	});
	for (const {header, content} of entries) {
		await new Promise<void>((resolve, reject) => {
			const done = (error?: Error | null): void => (error ? reject(error) : resolve());
			if (content) pack.entry(header, content, done);
			else pack.entry(header, done);
		});
	}
	pack.finalize();
	return done;
}

const MTIME = new Date('2024-01-01T00:00:00Z');

/** The members of a tar archive (files only), by name, in order. */
export async function unpackTar(archive: Buffer): Promise<Map<string, Buffer>> {
	const members = new Map<string, Buffer>();
	const extract = tar.extract();
	await new Promise<void>((resolve, reject) => {
		extract.on('entry', (header, stream, next) => {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
			stream.on('end', () => {
				if (header.type === 'file') members.set(header.name, Buffer.concat(chunks));
				next();
			});
		});
		extract.on('finish', resolve);
		extract.on('error', reject);
		extract.end(archive);
	});
	return members;
}

/** A layer tar from a list of entries, in order. */
export async function makeLayer(entries: FixtureEntry[]): Promise<Buffer> {
	return packTar(
		entries.map(entry => {
			const base = {mtime: MTIME, uid: 0, gid: 0};
			switch (entry.type) {
				case 'directory':
					return {header: {...base, name: entry.name, type: 'directory', mode: entry.mode ?? 0o755, uid: entry.uid ?? 0, gid: entry.gid ?? 0}};
				case 'symlink':
				case 'link':
					return {header: {...base, name: entry.name, type: entry.type, linkname: entry.linkname, mode: entry.mode ?? 0o777}};
				case 'character-device':
				case 'block-device':
				case 'fifo':
					return {header: {...base, name: entry.name, type: entry.type, mode: 0o644, devmajor: entry.devmajor ?? 0, devminor: entry.devminor ?? 0}};
				case 'whiteout': {
					const dir = path.posix.dirname(entry.name);
					const name = (dir === '.' ? '' : dir + '/') + '.wh.' + path.posix.basename(entry.name);
					return {header: {...base, name, type: 'file', mode: 0o644, size: 0}, content: Buffer.alloc(0)};
				}
				case 'opaque':
					return {header: {...base, name: entry.name.replace(/\/?$/, '/') + '.wh..wh..opq', type: 'file', mode: 0o644, size: 0}, content: Buffer.alloc(0)};
				default: {
					const content = Buffer.from(entry.content ?? '');
					return {
						header: {
							...base,
							name: entry.name,
							type: 'file',
							mode: entry.mode ?? 0o644,
							uid: entry.uid ?? 0,
							gid: entry.gid ?? 0,
							...(entry.mtime === undefined ? {} : {mtime: new Date(entry.mtime * 1000)}),
							size: content.length,
							...(entry.pax ? {pax: entry.pax} : {}),
						},
						content,
					};
				}
			}
		}),
	);
}

export function sha256(data: Buffer | string): string {
	return 'sha256:' + createHash('sha256').update(data).digest('hex');
}

export type Compression = 'none' | 'gzip' | 'zstd';

export function compress(data: Buffer, compression: Compression): Buffer {
	if (compression === 'gzip') return zlib.gzipSync(data);
	if (compression === 'zstd') return execFileSync('zstd', ['-q', '-c', '-3'], {input: data, maxBuffer: 1 << 30});
	return data;
}

export interface FixtureLayer {
	entries?: FixtureEntry[];
	/** Raw layer tar bytes instead of entries. */
	tar?: Buffer;
	createdBy?: string;
}

export interface FixtureImage {
	layers: FixtureLayer[];
	tags?: string[];
	/** History steps with no layer, inserted before the layer at the given index. */
	emptyHistory?: {before: number; createdBy: string}[];
	architecture?: string;
	os?: string;
	/** The config's Labels (a label naming the test run makes the image ID its own). */
	labels?: Record<string, string>;
}

export interface BuiltImage {
	config: Buffer;
	configDigest: string;
	layerTars: Buffer[];
	diffIds: string[];
}

export async function buildImage(image: FixtureImage): Promise<BuiltImage> {
	const layerTars = await Promise.all(image.layers.map(async layer => layer.tar ?? makeLayer(layer.entries ?? [])));
	const diffIds = layerTars.map(layer => sha256(layer));
	const history: Record<string, unknown>[] = [];
	image.layers.forEach((layer, index) => {
		for (const empty of image.emptyHistory ?? [])
			if (empty.before === index) history.push({created: '2024-01-01T00:00:00Z', created_by: empty.createdBy, empty_layer: true});
		history.push({created: '2024-01-01T00:00:00Z', created_by: layer.createdBy ?? `/bin/sh -c step ${index}`});
	});
	for (const empty of image.emptyHistory ?? [])
		if (empty.before >= image.layers.length) history.push({created: '2024-01-01T00:00:00Z', created_by: empty.createdBy, empty_layer: true});
	const config = Buffer.from(
		JSON.stringify({
			architecture: image.architecture ?? 'amd64',
			os: image.os ?? 'linux',
			created: '2024-01-01T00:00:00Z',
			config: {Env: ['PATH=/usr/bin:/bin'], Cmd: ['sh'], ...(image.labels ? {Labels: image.labels} : {})},
			rootfs: {type: 'layers', diff_ids: diffIds},
			history,
		}),
	);
	return {config, configDigest: sha256(config), layerTars, diffIds};
}

const hex = (digest: string): string => digest.slice('sha256:'.length);

/** Classic `docker save` (manifest.json last, `<id>/layer.tar`); several images share one archive. */
export async function dockerArchive(
	images: FixtureImage | FixtureImage[],
	options: {layout?: 'classic' | 'docker25'; outer?: Compression} = {},
): Promise<Buffer> {
	const list = Array.isArray(images) ? images : [images];
	const files = new Map<string, Buffer>();
	const manifest: Record<string, unknown>[] = [];
	for (const image of list) {
		const built = await buildImage(image);
		if (options.layout === 'docker25') {
			built.layerTars.forEach((layer, i) => files.set(`blobs/sha256/${hex(built.diffIds[i])}`, layer));
			files.set(`blobs/sha256/${hex(built.configDigest)}`, built.config);
			manifest.push({
				Config: `blobs/sha256/${hex(built.configDigest)}`,
				RepoTags: image.tags ?? null,
				Layers: built.diffIds.map(id => `blobs/sha256/${hex(id)}`),
				LayerSources: Object.fromEntries(
					built.diffIds.map((id, i) => [id, {mediaType: 'application/vnd.oci.image.layer.v1.tar', size: built.layerTars[i].length, digest: id}]),
				),
			});
		} else {
			const layerNames = built.layerTars.map((layer, i) => {
				const id = hex(sha256(`${built.diffIds[i]}-${i}`));
				files.set(`${id}/VERSION`, Buffer.from('1.0'));
				files.set(`${id}/json`, Buffer.from(JSON.stringify({id})));
				files.set(`${id}/layer.tar`, layer);
				return `${id}/layer.tar`;
			});
			files.set(`${hex(built.configDigest)}.json`, built.config);
			manifest.push({Config: `${hex(built.configDigest)}.json`, RepoTags: image.tags ?? null, Layers: layerNames});
		}
	}
	if (options.layout === 'docker25') {
		files.set('oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}'));
		files.set('index.json', Buffer.from(JSON.stringify({schemaVersion: 2, manifests: []})));
	}
	files.set('manifest.json', Buffer.from(JSON.stringify(manifest)));
	const archive = await packTar([...files].map(([name, content]) => ({header: {name, size: content.length, mode: 0o644, mtime: MTIME}, content})));
	return compress(archive, options.outer ?? 'none');
}

export interface OciOptions {
	/** Layer compression (default gzip). */
	compression?: Compression;
	/** Several platforms: an image index of manifests. */
	platforms?: {os: string; architecture: string; variant?: string; image: FixtureImage}[];
	refName?: string;
	/** What the layer blobs are addressed by (default sha256; configs and manifests stay sha256). */
	layerAlgorithm?: 'sha256' | 'sha512';
}

/** OCI layout files (index.json, oci-layout, blobs/<alg>/...) for one image or a multi-platform index. */
export async function ociFiles(image: FixtureImage | null, options: OciOptions = {}): Promise<Map<string, Buffer>> {
	const compression = options.compression ?? 'gzip';
	const files = new Map<string, Buffer>();
	const blob = (data: Buffer, algorithm: 'sha256' | 'sha512' = 'sha256'): {digest: string; size: number} => {
		const encoded = createHash(algorithm).update(data).digest('hex');
		files.set(`blobs/${algorithm}/${encoded}`, data);
		return {digest: `${algorithm}:${encoded}`, size: data.length};
	};
	const layerType = {
		none: 'application/vnd.oci.image.layer.v1.tar',
		gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
		zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
	}[compression];
	const manifestFor = async (img: FixtureImage): Promise<{digest: string; size: number}> => {
		const built = await buildImage(img);
		const config = blob(built.config);
		const layers = built.layerTars.map(layer => ({mediaType: layerType, ...blob(compress(layer, compression), options.layerAlgorithm)}));
		const manifest = {
			schemaVersion: 2,
			mediaType: 'application/vnd.oci.image.manifest.v1+json',
			config: {mediaType: 'application/vnd.oci.image.config.v1+json', ...config},
			layers,
		};
		return blob(Buffer.from(JSON.stringify(manifest)));
	};
	const annotations = options.refName ? {'org.opencontainers.image.ref.name': options.refName} : undefined;
	let top: Record<string, unknown>;
	if (options.platforms) {
		const manifests = [];
		for (const platform of options.platforms) {
			const m = await manifestFor(platform.image);
			manifests.push({
				mediaType: 'application/vnd.oci.image.manifest.v1+json',
				...m,
				platform: {os: platform.os, architecture: platform.architecture, ...(platform.variant ? {variant: platform.variant} : {})},
			});
		}
		const index = blob(Buffer.from(JSON.stringify({schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests})));
		top = {mediaType: 'application/vnd.oci.image.index.v1+json', ...index, ...(annotations ? {annotations} : {})};
	} else {
		const m = await manifestFor(image!);
		top = {mediaType: 'application/vnd.oci.image.manifest.v1+json', ...m, ...(annotations ? {annotations} : {})};
	}
	files.set('oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}'));
	files.set('index.json', Buffer.from(JSON.stringify({schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [top]})));
	return files;
}

export async function ociArchive(image: FixtureImage | null, options: OciOptions & {outer?: Compression} = {}): Promise<Buffer> {
	const files = await ociFiles(image, options);
	const archive = await packTar([...files].map(([name, content]) => ({header: {name, size: content.length, mode: 0o644, mtime: MTIME}, content})));
	return compress(archive, options.outer ?? 'none');
}

/** A temporary directory for test files, removed by the OS; never the user's. */
export function tempDir(prefix = 'layerscope-test-'): string {
	return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function ociLayoutDir(image: FixtureImage | null, options: OciOptions = {}): Promise<string> {
	const dir = tempDir();
	for (const [name, content] of await ociFiles(image, options)) {
		mkdirSync(path.join(dir, path.dirname(name)), {recursive: true});
		writeFileSync(path.join(dir, name), content);
	}
	return dir;
}

/** Write bytes to a temporary file and return its path. */
export function writeTemp(data: Buffer, name = 'image.tar'): string {
	const file = path.join(tempDir(), name);
	writeFileSync(file, data);
	return file;
}
