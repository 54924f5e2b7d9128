// Images in the local Docker engine or Podman service, read over their API: inspect the image for a clear error,
// then stream `GET /images/{name}/get` (the `docker save` stream) through the archive reader. Nothing is pulled.
import http, {type IncomingMessage} from 'node:http';
import https from 'node:https';
import type {SourceKind} from '../model/types.js';
import {InputError} from '../util/errors.js';
import {visible} from '../util/sanitize.js';
import {readArchive} from './archive.js';
import type {BlobStore, LayerBlobOpener} from './blob-store.js';
import {dockerEndpoint, ENGINE_NAMES, podmanEndpoint, type EngineEndpoint, type EngineKind} from './engine-endpoint.js';
import type {LoadOptions} from './load.js';
import {savedLayerBlob} from './saved-layer.js';
import {systemCas} from './system-cas.js';

/** How long to wait for the engine to answer an inspect (the export stream itself has no limit). */
const ANSWER_TIMEOUT_MS = 30_000;

/** `nginx`, `nginx:1.27`, `ghcr.io/a/b:1@sha256:…`, `localhost:5000/x`, or an image id (prefix). */
const NAME_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REFERENCE = new RegExp(`^(?:[a-zA-Z0-9.-]+(?::\\d+)?/)?${NAME_COMPONENT}(?:/${NAME_COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$`);
const IMAGE_ID = /^(?:sha256:)?[0-9a-f]{6,64}$/;

export function isEngineReference(name: string): boolean {
	return name.length <= 512 && (REFERENCE.test(name) || IMAGE_ID.test(name));
}

export class EngineUnreachable extends InputError {}
export class ImageNotInEngine extends InputError {}

export function unreachable(endpoint: EngineEndpoint, error: NodeJS.ErrnoException): EngineUnreachable {
	const where = `${ENGINE_NAMES[endpoint.kind]} at ${visible(endpoint.url)}${endpoint.origin === 'default' ? '' : ` (from ${visible(endpoint.origin)})`}`;
	if (error.code === 'EACCES' || error.code === 'EPERM')
		return new EngineUnreachable(`permission denied on the ${where}${endpoint.kind === 'docker' ? ': is your user in the docker group?' : ''}`);
	const reason = error.code === 'ETIMEDOUT' ? 'it does not answer' : 'is it running?';
	return new EngineUnreachable(`cannot reach the ${where}: ${reason}`);
}

export const UNREACHABLE_CODES = new Set([
	'ECONNREFUSED',
	'ENOENT',
	'EACCES',
	'EPERM',
	'ECONNRESET',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENOTFOUND',
	'EAI_AGAIN',
	'ENOTSOCK',
]);

export function request(endpoint: EngineEndpoint, path: string, timeout: number | null): Promise<IncomingMessage> {
	return new Promise((resolve, reject) => {
		const options: https.RequestOptions = {
			method: 'GET',
			path,
			agent: false,
			headers: {Host: endpoint.socketPath ? 'docker' : `${endpoint.host}:${endpoint.port}`},
			...(endpoint.socketPath ? {socketPath: endpoint.socketPath} : {host: endpoint.host, port: endpoint.port}),
			...(endpoint.tls ? {...endpoint.tls, ca: endpoint.tls.ca ?? systemCas()} : {}),
		};
		const req = (endpoint.tls ? https : http).request(options, resolve);
		req.on('error', (error: NodeJS.ErrnoException) => {
			reject(UNREACHABLE_CODES.has(error.code ?? '') ? unreachable(endpoint, error) : error);
		});
		if (timeout !== null) req.setTimeout(timeout, () => req.destroy(Object.assign(new Error('timed out'), {code: 'ETIMEDOUT'})));
		req.end();
	});
}

export async function readBody(response: IncomingMessage, limit = 1024 * 1024): Promise<string> {
	const chunks: Buffer[] = [];
	let length = 0;
	for await (const chunk of response as AsyncIterable<Buffer>) {
		length += chunk.length;
		if (length <= limit) chunks.push(chunk);
	}
	return Buffer.concat(chunks).toString('utf8');
}

/** The engine's own error text (`{"message": "..."}`), one line. */
export async function engineMessage(response: IncomingMessage): Promise<string> {
	const body = await readBody(response);
	try {
		const message = (JSON.parse(body) as {message?: unknown}).message;
		if (typeof message === 'string') return message.split('\n')[0];
	} catch {}
	return body.trim().split('\n')[0] || `HTTP ${response.statusCode}`;
}

function apiPath(name: string, action: 'json' | 'get'): string {
	// The engine routes `/images/{name:.*}/…`: slashes, colons and @ stay as they are.
	return `/images/${encodeURIComponent(name).replace(/%2F/g, '/').replace(/%3A/g, ':').replace(/%40/g, '@')}/${action}`;
}

export interface EngineImage {
	endpoint: EngineEndpoint;
	name: string;
	/** Uncompressed size the engine reports, to scale the progress bar. */
	sizeBytes: number | null;
	/** `os/arch[/variant]` of the stored image. */
	platform: string | null;
	/** The engine's names for it: RepoTags, then RepoDigests. */
	names: string[];
}

/** Check the image is there (clear errors for a stopped engine or a missing image) before streaming it. */
export async function inspectEngineImage(endpoint: EngineEndpoint, name: string): Promise<EngineImage> {
	const response = await request(endpoint, apiPath(name, 'json'), ANSWER_TIMEOUT_MS);
	if (response.statusCode === 404) {
		response.resume();
		const where = endpoint.kind === 'docker' ? 'the local Docker engine' : 'the local Podman storage';
		throw new ImageNotInEngine(`image ${visible(name)} is not in ${where}; run \`${endpoint.kind} pull ${visible(name)}\``);
	}
	if (response.statusCode !== 200)
		throw new InputError(`the ${ENGINE_NAMES[endpoint.kind]} refused to inspect ${visible(name)}: ${visible(await engineMessage(response))}`);
	let size: number | null = null;
	let platform: string | null = null;
	const names: string[] = [];
	try {
		const info = JSON.parse(await readBody(response, 64 * 1024 * 1024)) as {
			Size?: unknown;
			Os?: unknown;
			Architecture?: unknown;
			Variant?: unknown;
			RepoTags?: unknown;
			RepoDigests?: unknown;
		};
		if (typeof info.Size === 'number') size = info.Size;
		if (typeof info.Os === 'string' && typeof info.Architecture === 'string')
			platform = [info.Os, info.Architecture, typeof info.Variant === 'string' ? info.Variant : ''].filter(Boolean).join('/');
		for (const list of [info.RepoTags, info.RepoDigests])
			if (Array.isArray(list)) names.push(...list.filter((item): item is string => typeof item === 'string' && !names.includes(item)));
	} catch {}
	return {endpoint, name, sizeBytes: size, platform, names};
}

/**
 * An engine stores one platform of an image (the export stream carries no choice on older engines): a `--platform`
 * that is not the stored one is an error, not a silent substitution.
 */
function checkPlatform(image: EngineImage, wanted: string | undefined): void {
	if (!wanted || !image.platform) return;
	const matches = image.platform === wanted || image.platform.startsWith(wanted + '/') || wanted.startsWith(image.platform + '/');
	if (!matches)
		throw new InputError(
			`the ${ENGINE_NAMES[image.endpoint.kind]} holds ${visible(image.name)} for ${visible(image.platform)}, not ${visible(wanted)}; ` +
				`run \`${image.endpoint.kind} pull --platform ${visible(wanted)} ${visible(image.name)}\` or read it from a registry`,
		);
}

/** The image's `docker save` stream. */
async function exportStream(image: EngineImage): Promise<IncomingMessage> {
	const {endpoint, name} = image;
	const response = await request(endpoint, apiPath(name, 'get'), null);
	if (response.statusCode !== 200)
		throw new InputError(`the ${ENGINE_NAMES[endpoint.kind]} could not export ${visible(name)}: ${visible(await engineMessage(response))}`);
	return response;
}

export async function openEngineImage(image: EngineImage, reference: string, options: LoadOptions): Promise<BlobStore> {
	checkPlatform(image, options.platform);
	const response = await exportStream(image);
	// The engine's Size leaves out tar headers: an estimate of the stream, never shown as less than what was read.
	const onProgress = options.onProgress;
	const store = await readArchive(response as AsyncIterable<Buffer>, {
		reference,
		maxPaths: options.maxPaths,
		totalBytes: image.sizeBytes,
		onProgress:
			onProgress && (progress => onProgress({...progress, totalBytes: progress.totalBytes === null ? null : Math.max(progress.totalBytes, progress.bytes)})),
	});
	const kind: SourceKind = image.endpoint.kind === 'docker' ? 'docker-engine' : 'podman';
	return {...store, kind, read: withEngineNames(store, image.names), openLayerBlob: engineBlobOpener(image.endpoint.kind, reference), blobsUnavailable: null};
}

/**
 * The export of an image named by ID carries no RepoTags (`docker save 63f93ee55bbe`): its manifest.json gets the
 * names the engine's inspect gave, so the report shows the tags and digests the image has.
 */
function withEngineNames(store: BlobStore, names: string[]): BlobStore['read'] {
	return async name => {
		const data = await store.read(name);
		if (name !== 'manifest.json' || !data || names.length === 0) return data;
		let manifest: unknown;
		try {
			manifest = JSON.parse(data.toString('utf8'));
		} catch {
			return data; // resolve.ts reports it
		}
		if (!Array.isArray(manifest) || manifest.length !== 1) return data;
		const entry = manifest[0] as {RepoTags?: unknown} | null;
		if (!entry || typeof entry !== 'object' || (Array.isArray(entry.RepoTags) && entry.RepoTags.length > 0)) return data;
		return Buffer.from(JSON.stringify([{...entry, RepoTags: names}]));
	};
}

/** A layer of the engine's image, from its export read again up to the layer (a scope of its own: see BlobStore). */
function engineBlobOpener(kind: EngineKind, reference: string): LayerBlobOpener {
	return async layer => {
		const blob = await savedLayerBlob(() => exportEngineImage(kind, reference), layer);
		if (!blob)
			throw new InputError(`the engine's image ${visible(reference)} no longer holds layer ${layer.index} as it was read: was the tag moved?`, 'missing');
		return blob;
	};
}

/** `docker://name` / `podman://name` / a bare `name` -> the image name the engine knows. */
export function engineName(reference: string): string {
	const name = reference.replace(/^(docker|podman):\/\//, '');
	if (!isEngineReference(name)) throw new InputError(`not a valid image reference: ${visible(name || reference)}`);
	return name;
}

export async function openEngine(kind: EngineKind, reference: string, options: LoadOptions): Promise<BlobStore> {
	const name = engineName(reference);
	const endpoint = kind === 'docker' ? dockerEndpoint() : podmanEndpoint();
	return openEngineImage(await inspectEngineImage(endpoint, name), reference, options);
}

/**
 * The `docker save` stream of an engine image again, for file contents (the engine has no API for one layer): the
 * caller reads up to the layer it needs and checks it is the one the analysis read (saved-layer.ts).
 */
export async function exportEngineImage(kind: EngineKind, reference: string): Promise<AsyncIterable<Buffer>> {
	const endpoint = kind === 'docker' ? dockerEndpoint() : podmanEndpoint();
	return exportStream(await inspectEngineImage(endpoint, engineName(reference)));
}

/**
 * A bare name that is no file: the local Docker engine, with errors that also say the file was not found (the user
 * may have mistyped a path).
 */
export async function openBareName(reference: string, options: LoadOptions): Promise<BlobStore> {
	if (!isEngineReference(reference)) throw new InputError('no such file or directory');
	try {
		return await openEngine('docker', reference, options);
	} catch (error) {
		if (error instanceof EngineUnreachable || error instanceof ImageNotInEngine) throw new InputError(`no such file, and ${error.message}`);
		throw error;
	}
}
