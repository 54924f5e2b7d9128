// Build the benchmark images once, by streaming (no image is ever held in memory), under .bench-cache/<set>/.
// Contents are deterministic: file bodies come from a seeded PRNG, names and sizes from their index.
import {spawn, spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {createReadStream, createWriteStream, existsSync} from 'node:fs';
import {mkdir, readFile, rm, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {Transform, Writable, type TransformCallback} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import zlib from 'node:zlib';
import tar from 'tar-stream';

/** Bump when the images change shape, so stale caches are rebuilt. */
const CACHE_VERSION = 1;
const MTIME = new Date('2024-01-01T00:00:00Z');

export type Compression = 'none' | 'gzip' | 'zstd';

export interface BenchSet {
	name: 'full' | 'quick';
	/** Large files of layer 0 and their total size. */
	largeFiles: number;
	largeBytes: number;
	/** Small files of layer 1 (in directories of 100). */
	smallFiles: number;
	/** Tiny files of the single-layer image (in directories of 1000). */
	tinyFiles: number;
}

export const SETS: Record<'full' | 'quick', BenchSet> = {
	full: {name: 'full', largeFiles: 300, largeBytes: 1024 ** 3, smallFiles: 100_000, tinyFiles: 1_000_000},
	quick: {name: 'quick', largeFiles: 40, largeBytes: 128 * 1024 ** 2, smallFiles: 10_000, tinyFiles: 100_000},
};

export interface BenchImage {
	id: string;
	title: string;
	file: string;
	format: 'docker-archive' | 'oci-archive';
	compression: Compression;
	/** Outer-archive member names of the layer blobs, in order (for the tar baseline). */
	layerMembers: string[];
	/** Sum of regular-file sizes over all layers, and the number of tar entries over all layers. */
	fileBytes: number;
	entries: number;
}

/** Entries of a layer: a directory, a file whose body is `size` PRNG bytes from `seed`, or a whiteout of `target`. */
export type Entry =
	| {kind: 'dir'; name: string; uid?: number}
	| {kind: 'file'; name: string; size: number; seed: number; mode?: number; uid?: number}
	| {kind: 'whiteout'; target: string};

export interface LayerSpec {
	createdBy: string;
	entries: () => Iterable<Entry>;
}

// ---- deterministic content ----

const CHUNK = 1024 * 1024;

/** xorshift32 words masked to 7 bits a byte: incompressible-ish (gzip keeps ~90%), like binaries and media. */
function fillRandom(buffer: Buffer, state: {x: number}): void {
	const words = new Uint32Array(buffer.buffer, buffer.byteOffset, buffer.length >>> 2);
	let x = state.x;
	for (let i = 0; i < words.length; i++) {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		words[i] = x & 0x7f7f7f7f;
	}
	for (let i = words.length * 4; i < buffer.length; i++) buffer[i] = i & 0x7f;
	state.x = x;
}

function seedState(seed: number): {x: number} {
	return {x: (Math.imul(seed + 1, 0x9e3779b1) | 1) >>> 0};
}

function largeSizes(set: BenchSet): number[] {
	// Sizes spread between 0.25x and 1.75x the mean, summing to exactly largeBytes.
	const mean = set.largeBytes / set.largeFiles;
	const sizes = Array.from({length: set.largeFiles}, (_, i) => Math.floor(mean * (0.25 + 1.5 * (((i * 7919) % set.largeFiles) / set.largeFiles))));
	const total = sizes.reduce((a, b) => a + b, 0);
	sizes[0] += set.largeBytes - total;
	return sizes;
}

const smallDir = (d: number): string => `srv/small/d${String(d).padStart(4, '0')}`;
const smallName = (d: number, f: number): string => `${smallDir(d)}/f${String(f).padStart(3, '0')}.txt`;
const largeName = (i: number): string => `opt/large/part-${String(i).padStart(4, '0')}.bin`;

function largeLayer(set: BenchSet): LayerSpec {
	return {
		createdBy: `/bin/sh -c #(nop) COPY ${set.largeFiles} large files /opt/large`,
		*entries() {
			yield {kind: 'dir', name: 'opt/'};
			yield {kind: 'dir', name: 'opt/large/'};
			const sizes = largeSizes(set);
			for (let i = 0; i < sizes.length; i++) yield {kind: 'file', name: largeName(i), size: sizes[i], seed: i};
		},
	};
}

function smallLayer(set: BenchSet): LayerSpec {
	const dirs = set.smallFiles / 100;
	return {
		createdBy: `/bin/sh -c #(nop) COPY ${set.smallFiles} small files /srv/small`,
		*entries() {
			yield {kind: 'dir', name: 'srv/'};
			yield {kind: 'dir', name: 'srv/small/'};
			for (let d = 0; d < dirs; d++) {
				yield {kind: 'dir', name: smallDir(d) + '/'};
				for (let f = 0; f < 100; f++) yield {kind: 'file', name: smallName(d, f), size: (d * 100 + f) % 2048, seed: 1_000_000 + d * 100 + f};
			}
		},
	};
}

/** Deletes half of the large files (one by one) and half of the small ones (a quarter by directory, a quarter one by one). */
function deleteLayer(set: BenchSet): LayerSpec {
	const dirs = set.smallFiles / 100;
	return {
		createdBy: '/bin/sh -c rm -rf /opt/large/*[02468].bin /srv/small/d0[0-2]* ...',
		*entries() {
			yield {kind: 'dir', name: 'opt/'};
			yield {kind: 'dir', name: 'opt/large/'};
			for (let i = 0; i < set.largeFiles; i += 2) yield {kind: 'whiteout', target: largeName(i)};
			yield {kind: 'dir', name: 'srv/'};
			yield {kind: 'dir', name: 'srv/small/'};
			for (let d = 0; d < dirs / 4; d++) yield {kind: 'whiteout', target: smallDir(d)};
			for (let d = dirs / 4; d < (dirs * 3) / 4; d++) {
				yield {kind: 'dir', name: smallDir(d) + '/'};
				for (let f = 1; f < 100; f += 2) yield {kind: 'whiteout', target: smallName(d, f)};
			}
		},
	};
}

function tinyLayer(set: BenchSet): LayerSpec {
	const dirs = set.tinyFiles / 1000;
	return {
		createdBy: `/bin/sh -c #(nop) COPY ${set.tinyFiles} tiny files /data`,
		*entries() {
			yield {kind: 'dir', name: 'data/'};
			for (let d = 0; d < dirs; d++) {
				const dir = `data/d${String(d).padStart(4, '0')}`;
				yield {kind: 'dir', name: dir + '/'};
				for (let f = 0; f < 1000; f++) yield {kind: 'file', name: `${dir}/f${String(f).padStart(4, '0')}`, size: (d + f) % 64, seed: 2_000_000 + d * 1000 + f};
			}
		},
	};
}

function emptyLayer(): LayerSpec {
	return {
		createdBy: '/bin/sh -c #(nop) ADD hello.txt /',
		*entries() {
			yield {kind: 'file', name: 'hello.txt', size: 12, seed: 7};
		},
	};
}

// ---- writing ----

/** Hash and count what flows through. */
class Digest extends Transform {
	readonly hash = createHash('sha256');
	bytes = 0;
	override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
		this.hash.update(chunk);
		this.bytes += chunk.length;
		callback(null, chunk);
	}
	digest(): string {
		return 'sha256:' + this.hash.digest('hex');
	}
}

type PackHeader = Parameters<tar.Pack['entry']>[0];

function entryDone(pack: tar.Pack, header: PackHeader, body?: Buffer): Promise<void> {
	return new Promise((resolve, reject) => {
		const callback = (error?: Error | null): void => (error ? reject(error) : resolve());
		if (body) pack.entry(header, body, callback);
		else pack.entry(header, callback);
	});
}

async function writeBody(pack: tar.Pack, name: string, size: number, seed: number, mode = 0o644, uid = 0): Promise<void> {
	const state = seedState(seed);
	if (size <= 4096) {
		const body = Buffer.alloc(size);
		fillRandom(body, state);
		return entryDone(pack, {name, size, mode, mtime: MTIME, uid, gid: uid}, body);
	}
	const done = new Promise<void>((resolve, reject) => {
		const stream = pack.entry({name, size, mode, mtime: MTIME, uid, gid: uid}, error => (error ? reject(error) : resolve()));
		void (async () => {
			for (let left = size; left > 0;) {
				const chunk = Buffer.allocUnsafe(Math.min(CHUNK, left));
				fillRandom(chunk, state);
				left -= chunk.length;
				if (!stream.write(chunk)) await new Promise<void>(resolve => stream.once('drain', () => resolve()));
			}
			stream.end(undefined);
		})();
	});
	return done;
}

/** Write a layer tar (gzip in-process, zstd with the `zstd` CLI) to `file`; returns what the config and manifest need. */
async function writeLayer(
	spec: LayerSpec,
	file: string,
	compression: Compression,
): Promise<{diffId: string; digest: string; size: number; fileBytes: number; entries: number}> {
	const pack = tar.pack();
	const diff = new Digest();
	const blob = new Digest();
	const plainFile = compression === 'zstd' ? file + '.tar' : file;
	const written =
		compression === 'gzip'
			? pipeline(pack, diff, zlib.createGzip({level: 6, chunkSize: 256 * 1024}), blob, createWriteStream(file))
			: pipeline(pack, diff, createWriteStream(plainFile));
	let fileBytes = 0;
	let entries = 0;
	for (const entry of spec.entries()) {
		entries++;
		if (entry.kind === 'dir') await entryDone(pack, {name: entry.name, type: 'directory', mode: 0o755, mtime: MTIME, uid: entry.uid ?? 0, gid: entry.uid ?? 0});
		else if (entry.kind === 'whiteout') {
			const dir = path.posix.dirname(entry.target);
			await entryDone(pack, {name: `${dir}/.wh.${path.posix.basename(entry.target)}`, size: 0, mode: 0o644, mtime: MTIME}, Buffer.alloc(0));
		} else {
			fileBytes += entry.size;
			await writeBody(pack, entry.name, entry.size, entry.seed, entry.mode, entry.uid);
		}
	}
	pack.finalize();
	await written;
	const diffId = diff.digest();
	if (compression === 'gzip') return {diffId, digest: blob.digest(), size: blob.bytes, fileBytes, entries};
	if (compression === 'zstd') {
		await run('zstd', ['-q', '-f', '-3', '-T0', '--rm', plainFile, '-o', file]);
		await pipeline(createReadStream(file, {highWaterMark: CHUNK}), blob, new Writable({write: (_chunk, _encoding, callback) => callback()}));
		return {diffId, digest: blob.digest(), size: blob.bytes, fileBytes, entries};
	}
	return {diffId, digest: diffId, size: (await stat(file)).size, fileBytes, entries};
}

export function hasZstd(): boolean {
	return spawnSync('sh', ['-c', 'command -v zstd'], {stdio: 'ignore'}).status === 0;
}

function run(command: string, args: string[]): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {stdio: ['ignore', 'ignore', 'inherit']});
		child.on('error', reject);
		child.on('close', code => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`))));
	});
}

interface OuterMember {
	name: string;
	file?: string;
	data?: Buffer;
}

/** Pack files (streamed from disk) and small buffers into one tar at `file`. */
async function writeOuter(file: string, members: OuterMember[]): Promise<void> {
	const pack = tar.pack();
	const written = pipeline(pack, createWriteStream(file));
	for (const member of members) {
		if (member.data) {
			await entryDone(pack, {name: member.name, size: member.data.length, mode: 0o644, mtime: MTIME}, member.data);
			continue;
		}
		const size = (await stat(member.file!)).size;
		await new Promise<void>((resolve, reject) => {
			const entry = pack.entry({name: member.name, size, mode: 0o644, mtime: MTIME}, error => (error ? reject(error) : resolve()));
			pipeline(createReadStream(member.file!, {highWaterMark: CHUNK}), entry).catch(reject);
		});
	}
	pack.finalize();
	await written;
}

const hex = (digest: string): string => digest.slice('sha256:'.length);
const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const sha256 = (data: Buffer): string => 'sha256:' + createHash('sha256').update(data).digest('hex');

function configFor(layers: LayerSpec[], diffIds: string[]): Buffer {
	return json({
		architecture: 'amd64',
		os: 'linux',
		created: '2024-01-01T00:00:00Z',
		config: {Env: ['PATH=/usr/bin:/bin'], Cmd: ['sh']},
		rootfs: {type: 'layers', diff_ids: diffIds},
		history: layers.map(layer => ({created: '2024-01-01T00:00:00Z', created_by: layer.createdBy})),
	});
}

export interface ImagePlan {
	id: string;
	title: string;
	tag: string;
	layers: LayerSpec[];
	variants: {suffix: string; format: 'docker-archive' | 'oci-archive'; compression: Compression}[];
}

export async function buildPlan(dir: string, plan: ImagePlan, log: (line: string) => void): Promise<BenchImage[]> {
	const tmp = path.join(dir, 'tmp');
	await mkdir(tmp, {recursive: true});
	const images: BenchImage[] = [];
	for (const variant of plan.variants) {
		const id = plan.id + variant.suffix;
		const file = path.join(dir, `${id}.tar`);
		const started = Date.now();
		const layers = [];
		for (const [index, spec] of plan.layers.entries()) {
			const layerFile = path.join(tmp, `${id}-${index}.blob`);
			layers.push({...(await writeLayer(spec, layerFile, variant.compression)), file: layerFile});
		}
		const fileBytes = layers.reduce((sum, layer) => sum + layer.fileBytes, 0);
		const entries = layers.reduce((sum, layer) => sum + layer.entries, 0);
		const config = configFor(
			plan.layers,
			layers.map(layer => layer.diffId),
		);
		let members: OuterMember[];
		let layerMembers: string[];
		if (variant.format === 'docker-archive') {
			layerMembers = layers.map(layer => `${hex(layer.diffId)}/layer.tar`);
			members = [
				...layers.flatMap((layer, i) => [
					{name: `${hex(layer.diffId)}/VERSION`, data: Buffer.from('1.0')},
					{name: `${hex(layer.diffId)}/json`, data: json({id: hex(layer.diffId)})},
					{name: layerMembers[i], file: layer.file},
				]),
				{name: `${hex(sha256(config))}.json`, data: config},
				{name: 'manifest.json', data: json([{Config: `${hex(sha256(config))}.json`, RepoTags: [plan.tag], Layers: layerMembers}])},
			];
		} else {
			const mediaType = `application/vnd.oci.image.layer.v1.tar${variant.compression === 'none' ? '' : '+' + variant.compression}`;
			const manifest = json({
				schemaVersion: 2,
				mediaType: 'application/vnd.oci.image.manifest.v1+json',
				config: {mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length},
				layers: layers.map(layer => ({mediaType, digest: layer.digest, size: layer.size})),
			});
			const index = json({
				schemaVersion: 2,
				mediaType: 'application/vnd.oci.image.index.v1+json',
				manifests: [
					{
						mediaType: 'application/vnd.oci.image.manifest.v1+json',
						digest: sha256(manifest),
						size: manifest.length,
						annotations: {'org.opencontainers.image.ref.name': plan.tag},
					},
				],
			});
			layerMembers = layers.map(layer => `blobs/sha256/${hex(layer.digest)}`);
			members = [
				{name: 'oci-layout', data: json({imageLayoutVersion: '1.0.0'})},
				{name: 'index.json', data: index},
				{name: `blobs/sha256/${hex(sha256(manifest))}`, data: manifest},
				{name: `blobs/sha256/${hex(sha256(config))}`, data: config},
				...layers.map((layer, i) => ({name: layerMembers[i], file: layer.file})),
			];
		}
		await writeOuter(file, members);
		for (const layer of layers) await rm(layer.file);
		const size = (await stat(file)).size;
		log(
			`built ${path.relative(process.cwd(), file)} (${(size / 1024 ** 2).toFixed(0)} MiB, ${entries} entries) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
		);
		images.push({
			id,
			title: `${plan.title}${variant.suffix ? ` (${variant.format}, ${variant.compression})` : ''}`,
			file,
			format: variant.format,
			compression: variant.compression,
			layerMembers,
			fileBytes,
			entries,
		});
	}
	await rm(tmp, {recursive: true, force: true});
	return images;
}

export function plans(set: BenchSet): ImagePlan[] {
	const gib = (set.largeBytes / 1024 ** 3).toFixed(set.largeBytes >= 1024 ** 3 ? 0 : 3);
	return [
		{
			id: 'empty',
			title: 'one-file image (RSS baseline)',
			tag: 'bench/empty:1',
			layers: [emptyLayer()],
			variants: [{suffix: '', format: 'docker-archive', compression: 'none'}],
		},
		{
			id: 'large',
			title: `${gib} GiB in ${set.largeFiles} files + ${set.smallFiles} small files, half deleted`,
			tag: 'bench/large:1',
			layers: [largeLayer(set), smallLayer(set), deleteLayer(set)],
			variants: [
				{suffix: '', format: 'docker-archive', compression: 'none'},
				{suffix: '-gzip', format: 'oci-archive', compression: 'gzip'},
				// zstd layers are made with the zstd CLI; without it that variant is left out.
				...(hasZstd() ? [{suffix: '-zstd', format: 'oci-archive', compression: 'zstd'} as const] : []),
			],
		},
		{
			id: 'tiny',
			title: `one layer of ${set.tinyFiles} tiny files`,
			tag: 'bench/tiny:1',
			layers: [tinyLayer(set)],
			variants: [{suffix: '', format: 'docker-archive', compression: 'none'}],
		},
	];
}

/** The images of a set, built on first use and cached (the index file is written last, so a crash rebuilds). */
export async function ensureImages(root: string, set: BenchSet, log: (line: string) => void = console.error): Promise<BenchImage[]> {
	const dir = path.join(root, set.name);
	const indexFile = path.join(dir, 'images.json');
	if (existsSync(indexFile)) {
		const cached = JSON.parse(await readFile(indexFile, 'utf8')) as {version: number; images: BenchImage[]};
		if (cached.version === CACHE_VERSION && cached.images.every(image => existsSync(image.file))) return cached.images;
	}
	await rm(dir, {recursive: true, force: true});
	await mkdir(dir, {recursive: true});
	log(`building the ${set.name} benchmark images under ${path.relative(process.cwd(), dir)}/ (once; cached)`);
	const images: BenchImage[] = [];
	for (const plan of plans(set)) images.push(...(await buildPlan(dir, plan, log)));
	await writeFile(indexFile, JSON.stringify({version: CACHE_VERSION, images}, null, 2));
	return images;
}
