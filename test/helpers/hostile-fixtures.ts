// Broken and hostile image archives built in code, and a CLI runner that also measures peak memory.
// Big inputs (a 2 GiB file of zeros, a million entries) are generated streaming into temp files, never in memory.
import {spawn} from 'node:child_process';
import {createHash} from 'node:crypto';
import {createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {pipeline} from 'node:stream/promises';
import {Readable} from 'node:stream';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import {CLI, type CliResult} from './cli.js';
import {packTar, sha256, tempDir} from './fixtures.js';

/** Escape sequences a hostile image might carry in names, tags and history: clear screen, set the window title, C1 CSI. */
export const CSI_CLEAR = '\x1b[2J';
export const OSC_TITLE = '\x1b]0;PWNED\x07';
export const C1_CSI = '\u009b31m';
export const EVIL = `evil${CSI_CLEAR}${OSC_TITLE}${C1_CSI}\r\u202e`;
/** How visible() shows EVIL. */
export const EVIL_SHOWN = 'evil\\e[2J\\e]0;PWNED\\a\\x9b31m\\r\\u202e';

// Raw C0 controls (but \n and \t, which a report uses itself), DEL, and C1 controls as UTF-8 or as single bytes.

const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** The first raw control character in some terminal output, or null. */
export function rawControl(text: string): string | null {
	const match = RAW_CONTROL.exec(text);
	return match
		? `U+${match[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${match.index}: ${JSON.stringify(text.slice(Math.max(0, match.index - 30), match.index + 10))}`
		: null;
}

// ---- Editing archives -------------------------------------------------------------------------------------------

/** The members of a (plain) tar archive, in order. */
export async function readMembers(archive: Buffer): Promise<Map<string, Buffer>> {
	const files = new Map<string, Buffer>();
	const extract = tar.extract();
	extract.on('entry', (header, body, next) => {
		const chunks: Buffer[] = [];
		body.on('error', () => {});
		body.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
		body.on('end', () => {
			if (header.type === 'file') files.set(header.name, Buffer.concat(chunks));
			next();
		});
	});
	await pipeline(Readable.from([archive]), extract);
	return files;
}

const MTIME = new Date('2024-01-01T00:00:00Z');

export function packMembers(files: Map<string, Buffer>): Promise<Buffer> {
	return packTar([...files].map(([name, content]) => ({header: {name, size: content.length, mode: 0o644, mtime: MTIME}, content})));
}

/** Unpack an archive, let `edit` change its members, pack it again. */
export async function editArchive(archive: Buffer, edit: (files: Map<string, Buffer>) => void | Promise<void>): Promise<Buffer> {
	const files = await readMembers(archive);
	await edit(files);
	return packMembers(files);
}

/**
 * Replace the config of a docker-save archive's first image with `data`, under the name its digest gives it
 * (`<hex>.json`, or `blobs/sha256/<hex>`), manifest.json following: configs are checked against their names.
 */
export function setDockerConfig(files: Map<string, Buffer>, data: Buffer): string {
	const manifest = JSON.parse(files.get('manifest.json')!.toString()) as {Config: string}[];
	const old = manifest[0].Config;
	const hex = sha256(data).slice('sha256:'.length);
	const name = old.startsWith('blobs/sha256/') ? `blobs/sha256/${hex}` : `${hex}.json`;
	files.delete(old);
	files.set(name, data);
	manifest[0].Config = name;
	files.set('manifest.json', Buffer.from(JSON.stringify(manifest)));
	return name;
}

/** Members whose body is a blob in an OCI archive, by kind, found by parsing the index and manifest. */
export function ociParts(files: Map<string, Buffer>): {manifest: string; config: string; layers: string[]} {
	const blob = (digest: string): string => `blobs/sha256/${digest.slice('sha256:'.length)}`;
	const index = JSON.parse(files.get('index.json')!.toString()) as {manifests: {digest: string}[]};
	const manifestName = blob(index.manifests[0].digest);
	const manifest = JSON.parse(files.get(manifestName)!.toString()) as {config: {digest: string}; layers: {digest: string}[]};
	return {manifest: manifestName, config: blob(manifest.config.digest), layers: manifest.layers.map(layer => blob(layer.digest))};
}

/** The first member of a docker-save archive that holds a layer. */
export function dockerLayerNames(files: Map<string, Buffer>): string[] {
	const manifest = JSON.parse(files.get('manifest.json')!.toString()) as {Layers: string[]}[];
	return manifest[0].Layers;
}

// ---- Raw tar writing, for inputs tar-stream would refuse to make and for streaming big ones -------------------------

function octal(value: number, length: number): string {
	return value.toString(8).padStart(length - 1, '0') + '\0';
}

/** A ustar header; `size` may be any number that fits 11 octal digits (8 GiB). */
export function tarHeader(name: string, size: number, type: '0' | '5' | 'x' | '2' | '1' = '0', linkname = ''): Buffer {
	const header = Buffer.alloc(512);
	header.write(name, 0, 100, 'utf8');
	header.write(octal(type === '5' ? 0o755 : 0o644, 8), 100, 'latin1');
	header.write(octal(0, 8), 108, 'latin1');
	header.write(octal(0, 8), 116, 'latin1');
	header.write(octal(size, 12), 124, 'latin1');
	header.write(octal(1704067200, 12), 136, 'latin1');
	header.write('        ', 148, 'latin1');
	header.write(type, 156, 'latin1');
	header.write(linkname, 157, 100, 'utf8');
	header.write('ustar\u000000', 257, 'latin1');
	let sum = 0;
	for (const byte of header) sum += byte;
	header.write(octal(sum, 7) + ' ', 148, 'latin1');
	return header;
}

export function tarPadding(size: number): Buffer {
	return Buffer.alloc((512 - (size % 512)) % 512);
}

/** A PAX extended header record set, as its own tar member. */
export function paxHeader(records: Record<string, string>): Buffer {
	let body = '';
	for (const [key, value] of Object.entries(records)) {
		const line = ` ${key}=${value}\n`;
		let length = Buffer.byteLength(line) + 1;
		while (String(length).length + Buffer.byteLength(line) !== length) length = String(length).length + Buffer.byteLength(line);
		body += length + line;
	}
	const data = Buffer.from(body);
	return Buffer.concat([tarHeader('PaxHeader', data.length, 'x'), data, tarPadding(data.length)]);
}

export const TAR_END = Buffer.alloc(1024);

// ---- Hashing streams as they are written ----------------------------------------------------------------------------

/** Write chunks to a file (optionally gzip), hashing the raw chunks (diffID) and what lands on disk (digest). */
class BlobWriter {
	private readonly raw = createHash('sha256');
	private readonly stored = createHash('sha256');
	private readonly gzip: zlib.Gzip | null;
	private readonly out;
	private storedSize = 0;
	private readonly done: Promise<void>;
	private readonly sink: NodeJS.WritableStream;

	constructor(
		readonly file: string,
		compress: boolean,
	) {
		this.out = createWriteStream(file);
		this.gzip = compress ? zlib.createGzip({level: 1, chunkSize: 1024 * 1024}) : null;
		const sink = this.gzip ?? this.out;
		if (this.gzip) {
			this.gzip.on('data', (chunk: Buffer) => {
				this.stored.update(chunk);
				this.storedSize += chunk.length;
				if (!this.out.write(chunk)) {
					this.gzip!.pause();
					this.out.once('drain', () => this.gzip!.resume());
				}
			});
			this.done = new Promise((resolve, reject) => {
				this.gzip!.on('end', () => this.out.end());
				this.out.on('finish', resolve);
				this.out.on('error', reject);
				this.gzip!.on('error', reject);
			});
		} else {
			this.done = new Promise((resolve, reject) => {
				this.out.on('finish', resolve);
				this.out.on('error', reject);
			});
		}
		this.sink = sink;
	}

	async write(chunk: Buffer): Promise<void> {
		this.raw.update(chunk);
		if (!this.gzip) {
			this.stored.update(chunk);
			this.storedSize += chunk.length;
		}
		if (!this.sink.write(chunk)) await new Promise<void>(resolve => this.sink.once('drain', () => resolve()));
	}

	async end(): Promise<{diffId: string; digest: string; size: number}> {
		this.sink.end();
		await this.done;
		const digest = 'sha256:' + this.stored.digest('hex');
		return {diffId: 'sha256:' + this.raw.digest('hex'), digest, size: this.storedSize};
	}
}

/** A gzip layer written streaming to a file by `produce`. */
export async function streamLayer(
	produce: (write: (chunk: Buffer) => Promise<void>) => Promise<void>,
): Promise<{file: string; diffId: string; digest: string; size: number}> {
	const file = path.join(tempDir('layerscope-hostile-'), 'layer.tar.gz');
	const writer = new BlobWriter(file, true);
	await produce(chunk => writer.write(chunk));
	return {file, ...(await writer.end())};
}

/**
 * An oci-archive around big gzip layers that live in files, written streaming to a file; returns its path.
 * Config, manifest and index are small and built in memory.
 */
export async function ociArchiveFile(layers: {file: string; diffId: string; digest: string; size: number; createdBy?: string}[]): Promise<string> {
	const config = Buffer.from(
		JSON.stringify({
			architecture: 'amd64',
			os: 'linux',
			created: '2024-01-01T00:00:00Z',
			config: {},
			rootfs: {type: 'layers', diff_ids: layers.map(layer => layer.diffId)},
			history: layers.map((layer, i) => ({created: '2024-01-01T00:00:00Z', created_by: layer.createdBy ?? `/bin/sh -c step ${i}`})),
		}),
	);
	const manifest = Buffer.from(
		JSON.stringify({
			schemaVersion: 2,
			mediaType: 'application/vnd.oci.image.manifest.v1+json',
			config: {mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length},
			layers: layers.map(layer => ({mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layer.digest, size: layer.size})),
		}),
	);
	const index = Buffer.from(
		JSON.stringify({schemaVersion: 2, manifests: [{mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha256(manifest), size: manifest.length}]}),
	);
	const file = path.join(tempDir('layerscope-hostile-'), 'image.tar');
	const {write, member, close} = tarFileWriter(file);
	const blob = (digest: string): string => `blobs/sha256/${digest.slice('sha256:'.length)}`;
	await member('oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}'));
	await member('index.json', index);
	await member(blob(sha256(manifest)), manifest);
	await member(blob(sha256(config)), config);
	for (const layer of layers) {
		await write(tarHeader(blob(layer.digest), layer.size));
		for await (const chunk of createReadStream(layer.file, {highWaterMark: 1024 * 1024})) await write(chunk as Buffer);
		await write(tarPadding(layer.size));
	}
	await close();
	return file;
}

/** A tar written to `file` as it goes (members too big to hold are streamed through write()); close() ends it. */
function tarFileWriter(file: string) {
	const out = createWriteStream(file);
	const write = async (chunk: Buffer): Promise<void> => {
		if (!out.write(chunk)) await new Promise<void>(resolve => out.once('drain', () => resolve()));
	};
	return {
		write,
		member: async (name: string, data: Buffer): Promise<void> => {
			await write(tarHeader(name, data.length));
			await write(data);
			await write(tarPadding(data.length));
		},
		close: async (): Promise<void> => {
			await write(TAR_END);
			await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
		},
	};
}

/**
 * A gzip layer holding one file of `size` zero bytes (2 GiB make about 2 MB). gzip members may be concatenated
 * (RFC 1952, as pigz and docker do): one member of 64 MiB of zeros is compressed once and repeated.
 */
export async function zeroFileLayer(size: number): Promise<{file: string; diffId: string; digest: string; size: number}> {
	const CHUNK = 64 * 1024 * 1024;
	const file = path.join(tempDir('layerscope-hostile-'), 'layer.tar.gz');
	const out = createWriteStream(file);
	const raw = createHash('sha256');
	const stored = createHash('sha256');
	let storedSize = 0;
	const emit = async (member: Buffer): Promise<void> => {
		stored.update(member);
		storedSize += member.length;
		if (!out.write(member)) await new Promise<void>(resolve => out.once('drain', () => resolve()));
	};
	const header = tarHeader('zeros.bin', size);
	raw.update(header);
	await emit(zlib.gzipSync(header));
	const zeros = Buffer.alloc(4 * 1024 * 1024);
	const fullMember = zlib.gzipSync(Buffer.alloc(CHUNK), {level: 9});
	for (let left = size; left > 0; left -= CHUNK) {
		const n = Math.min(left, CHUNK);
		for (let done = 0; done < n; done += zeros.length) raw.update(zeros.subarray(0, Math.min(zeros.length, n - done)));
		await emit(n === CHUNK ? fullMember : zlib.gzipSync(Buffer.alloc(n), {level: 9}));
	}
	const tail = Buffer.concat([tarPadding(size), TAR_END]);
	raw.update(tail);
	await emit(zlib.gzipSync(tail));
	await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
	return {file, diffId: 'sha256:' + raw.digest('hex'), digest: 'sha256:' + stored.digest('hex'), size: storedSize};
}

/** A layer of `count` entries: a directory, then 1000 files of 1 byte in it, and again (so sizes are known). */
export async function manyEntriesLayer(count: number): Promise<Awaited<ReturnType<typeof streamLayer>> & {files: number}> {
	let files = 0;
	const layer = await streamLayer(async write => {
		const batch: Buffer[] = [];
		const one = Buffer.concat([Buffer.from('x'), Buffer.alloc(511)]);
		for (let i = 0; i < count; i++) {
			const dir = Math.floor(i / 1001);
			if (i % 1001 === 0) {
				batch.push(tarHeader(`d${dir}/`, 0, '5'));
			} else {
				batch.push(tarHeader(`d${dir}/f${i}`, 1), one);
				files++;
			}
			if (batch.length >= 4096) await write(Buffer.concat(batch.splice(0)));
		}
		batch.push(TAR_END);
		await write(Buffer.concat(batch));
	});
	return {...layer, files};
}

// ---- Running the CLI with bounds ----------------------------------------------------------------------------------

export interface BoundedResult extends CliResult {
	/** Peak resident memory of the CLI process, in bytes. */
	maxRssBytes: number;
	ms: number;
}

const RSS_PROBE = `data:text/javascript,${encodeURIComponent(
	"import {writeFileSync} from 'node:fs'; process.on('exit', () => { if (process.env.LS_RSS_FILE) writeFileSync(process.env.LS_RSS_FILE, String(process.resourceUsage().maxRSS * 1024)); });",
)}`;

/**
 * Run dist/cli.js with node flags (e.g. a heap bound), a timeout (a hang fails the test), cwd/env of the caller's
 * choice, and measure the process's peak memory.
 */
export function runBounded(
	args: string[],
	options: {input?: Buffer; env?: Record<string, string | undefined>; timeoutMs?: number; nodeArgs?: string[]; cwd?: string} = {},
): Promise<BoundedResult> {
	const rssFile = path.join(tempDir('layerscope-rss-'), 'maxrss');
	return new Promise((resolve, reject) => {
		const env: Record<string, string | undefined> = {...process.env, CI: '', NO_COLOR: '1', ...options.env, LS_RSS_FILE: rssFile};
		for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
		const started = Date.now();
		const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', RSS_PROBE, CLI, ...args], {
			env,
			cwd: options.cwd,
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		const stdout: Buffer[] = [];
		const stderr: Buffer[] = [];
		child.stdout.on('data', chunk => stdout.push(chunk));
		child.stderr.on('data', chunk => stderr.push(chunk));
		const timeoutMs = options.timeoutMs ?? 60_000;
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`layerscope ${args.join(' ')} did not finish in ${timeoutMs} ms (a hang)`));
		}, timeoutMs);
		child.on('error', reject);
		child.on('close', code => {
			clearTimeout(timer);
			const maxRssBytes = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : Number.NaN;
			resolve({code, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString(), maxRssBytes, ms: Date.now() - started});
		});
		child.stdin.on('error', () => {});
		child.stdin.end(options.input ?? undefined);
	});
}

// ---- Documents past layerscope's count limits (issue #12), written streaming to temp files ----------------------

/** The one empty layer tar (an end marker) every huge-count fixture repeats, and its digest. */
const EMPTY_LAYER = Buffer.alloc(1024);
const EMPTY_LAYER_ID = sha256(EMPTY_LAYER);

/** A config for `layers` copies of the empty layer; `extra` (JSON members) is spliced in after the rootfs. */
export function countConfig(layers: number, extra?: Buffer): Buffer {
	const ids = Array.from({length: layers}, () => JSON.stringify(EMPTY_LAYER_ID)).join(',');
	const head = Buffer.from(`{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[${ids}]}`);
	return Buffer.concat(extra ? [head, Buffer.from(','), extra, Buffer.from('}')] : [head, Buffer.from('}')]);
}

/** `count` copies of `item` joined by commas, as one buffer (no giant string). */
export function repeated(item: string, count: number, open = '[', close = ']'): Buffer {
	const one = Buffer.from(item + ',');
	const body = Buffer.alloc(one.length * count - 1 + open.length + close.length);
	body.write(open, 0);
	for (let i = 0; i < count; i++) one.copy(body, open.length + i * one.length, 0, i === count - 1 ? one.length - 1 : one.length);
	body.write(close, body.length - close.length);
	return body;
}

/**
 * A classic docker-save archive file: `layers` empty layers (`<i>/layer.tar`), the config under its digest name, and
 * manifest.json last (or `manifest` instead of the real one).
 */
export async function countDockerArchive(config: Buffer, layers: number, manifest?: Buffer): Promise<string> {
	const file = path.join(tempDir('layerscope-bounds-'), 'image.tar');
	const {member, close} = tarFileWriter(file);
	const names: string[] = [];
	for (let i = 0; i < layers; i++) {
		names.push(`${i}/layer.tar`);
		await member(names[i], EMPTY_LAYER);
	}
	const configName = `${sha256(config).slice('sha256:'.length)}.json`;
	await member(configName, config);
	await member('manifest.json', manifest ?? Buffer.from(JSON.stringify([{Config: configName, RepoTags: ['count:1'], Layers: names}])));
	await close();
	return file;
}

/** An OCI layout directory whose manifest lists the one empty layer `layers` times (one blob on disk). */
export function countOciLayout(layers: number): string {
	const dir = tempDir('layerscope-bounds-');
	const blob = (data: Buffer): string => {
		const digest = sha256(data);
		mkdirSync(path.join(dir, 'blobs', 'sha256'), {recursive: true});
		writeFileSync(path.join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length)), data);
		return digest;
	};
	const layerDigest = blob(EMPTY_LAYER);
	const config = countConfig(layers);
	const layer = JSON.stringify({mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: EMPTY_LAYER.length});
	const manifest = Buffer.concat([
		Buffer.from(
			`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"${blob(config)}","size":${config.length}},"layers":`,
		),
		repeated(layer, layers),
		Buffer.from('}'),
	]);
	const manifestDigest = blob(manifest);
	writeFileSync(path.join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
	writeFileSync(
		path.join(dir, 'index.json'),
		JSON.stringify({schemaVersion: 2, manifests: [{mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: manifestDigest, size: manifest.length}]}),
	);
	return dir;
}
