// Images straight from an OCI distribution registry, no daemon: the registry is presented to resolve.ts as a
// synthetic OCI layout (index.json names the resolved top manifest; blobs are read by digest), manifests and configs
// are fetched small and checked against their digests, layer blobs are streamed through the layer walker.
import {createHash} from 'node:crypto';
import {Readable, Transform, pipeline} from 'node:stream';
import type {ReadableStream as WebReadableStream} from 'node:stream/web';
import {newImagePathTable} from '../analysis/path-budget.js';
import {walkLayer} from '../layers/walk-layer.js';
import {InputError} from '../util/errors.js';
import {visible} from '../util/sanitize.js';
import {tarErrorMessage} from './archive.js';
import type {BlobStore, LayerBlobOpener} from './blob-store.js';
import type {LoadOptions} from './load.js';
import {basicHeader, findCredentials, parseChallenge, type Credentials} from './registry-auth.js';
import {parseRegistryReference, type RegistryReference} from './registry-reference.js';

const MANIFEST_TYPES = [
	'application/vnd.oci.image.index.v1+json',
	'application/vnd.oci.image.manifest.v1+json',
	'application/vnd.docker.distribution.manifest.list.v2+json',
	'application/vnd.docker.distribution.manifest.v2+json',
];
/** Manifests and configs above this are refused: no real image has them. */
const MAX_JSON = 16 * 1024 * 1024;
const ANSWER_TIMEOUT_MS = 30_000;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

function sha256(data: Buffer): string {
	return 'sha256:' + createHash('sha256').update(data).digest('hex');
}

/** One line for a failed fetch: the network reason, and the `--insecure` hint where TLS met plain http. */
function networkError(base: string, error: unknown): InputError {
	const cause = (error as {cause?: {code?: string; message?: string}}).cause;
	const code = cause?.code ?? (error as {code?: string}).code ?? '';
	const name = (error as Error).name;
	if (name === 'TimeoutError' || name === 'AbortError') return new InputError(`the registry at ${base} did not answer in time`);
	if (code === 'ECONNREFUSED') return new InputError(`cannot reach the registry at ${base}: connection refused`);
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new InputError(`cannot reach the registry at ${base}: unknown host`);
	if (/SSL|TLS|CERT|EPROTO/i.test(code) || /SSL|TLS|certificate/i.test(cause?.message ?? '')) {
		const message = cause?.message ?? code;
		const reason = /SSL routines:[^:]*:([^:]+)/.exec(message)?.[1] ?? message.split('\n')[0];
		return new InputError(`TLS to the registry at ${base} failed (${visible(reason)}); for a plain-http registry use --insecure`);
	}
	if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return new InputError(`the registry at ${base} closed the connection`);
	return new InputError(`cannot reach the registry at ${base}: ${visible(cause?.message ?? (error as Error).message ?? String(error))}`);
}

/** The distribution API for one repository, with the auth handshake done once and reused. */
export class RegistryClient {
	readonly base: string;
	private authorization: string | undefined;
	private credentials: Credentials | undefined | null = null;

	constructor(
		readonly reference: RegistryReference,
		insecure: boolean,
	) {
		this.base = `${insecure ? 'http' : 'https'}://${reference.apiHost}`;
	}

	private async creds(): Promise<Credentials | undefined> {
		if (this.credentials === null) this.credentials = await findCredentials(this.reference.registry);
		return this.credentials;
	}

	private async fetch(url: string, headers: Record<string, string>, timeout: boolean): Promise<Response> {
		try {
			return await fetch(url, {headers, redirect: 'follow', ...(timeout ? {signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS)} : {})});
		} catch (error) {
			throw networkError(this.base, error);
		}
	}

	/** GET a registry path, answering one 401 challenge (Bearer token or Basic) and retrying. */
	async get(path: string, accept?: string, timeout = true): Promise<Response> {
		const headers = (): Record<string, string> => ({...(accept ? {Accept: accept} : {}), ...(this.authorization ? {Authorization: this.authorization} : {})});
		let response = await this.fetch(this.base + path, headers(), timeout);
		if (response.status !== 401) return response;
		const challenge = parseChallenge(response.headers.get('www-authenticate'));
		await response.body?.cancel();
		const credentials = await this.creds();
		if (challenge?.scheme === 'bearer' && challenge.params.realm) this.authorization = `Bearer ${await this.token(challenge.params, credentials)}`;
		else if (challenge?.scheme === 'basic' && credentials && !credentials.identityToken) this.authorization = basicHeader(credentials);
		else throw this.denied(credentials);
		response = await this.fetch(this.base + path, headers(), timeout);
		if (response.status === 401) {
			await response.body?.cancel();
			throw this.denied(credentials);
		}
		return response;
	}

	private denied(credentials: Credentials | undefined): InputError {
		const registry = visible(this.reference.registry);
		if (credentials) return new InputError(`the registry ${registry} refused the credentials from ${visible(credentials.origin)}`);
		return new InputError(`the registry ${registry} requires authentication; run \`docker login ${registry}\``);
	}

	private async token(params: Record<string, string>, credentials: Credentials | undefined): Promise<string> {
		let url: URL;
		try {
			url = new URL(params.realm);
		} catch {
			throw new InputError(`the registry ${visible(this.reference.registry)} names an invalid token service`);
		}
		const scope = params.scope ?? `repository:${this.reference.repository}:pull`;
		let response: Response;
		try {
			if (credentials?.identityToken) {
				// OAuth2 refresh-token grant, as `docker login` does with an identity token.
				const form = new URLSearchParams({grant_type: 'refresh_token', refresh_token: credentials.identityToken, client_id: 'layerscope', scope});
				if (params.service) form.set('service', params.service);
				response = await fetch(url, {method: 'POST', body: form, signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS)});
			} else {
				if (params.service) url.searchParams.set('service', params.service);
				url.searchParams.set('scope', scope);
				response = await fetch(url, {
					headers: credentials ? {Authorization: basicHeader(credentials)} : {},
					signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
				});
			}
		} catch (error) {
			throw networkError(url.origin, error);
		}
		if (response.status === 401 || response.status === 403) {
			await response.body?.cancel();
			throw this.denied(credentials);
		}
		if (!response.ok) {
			await response.body?.cancel();
			throw new InputError(`the token service of ${visible(this.reference.registry)} answered HTTP ${response.status}`);
		}
		const body = (await response.json().catch(() => ({}))) as {token?: unknown; access_token?: unknown};
		const token = typeof body.token === 'string' ? body.token : body.access_token;
		if (typeof token !== 'string' || token === '') throw new InputError(`the token service of ${visible(this.reference.registry)} gave no token`);
		return token;
	}

	/** A manifest by tag or digest: its bytes, media type and digest (checked when asked for by digest). */
	async manifest(ref: string): Promise<{data: Buffer; mediaType: string; digest: string}> {
		const response = await this.get(`/v2/${this.reference.repository}/manifests/${ref}`, MANIFEST_TYPES.join(', '));
		if (response.status === 404) {
			await response.body?.cancel();
			const what = ref === this.reference.manifestRef ? visible(this.reference.canonical) : `${visible(this.reference.repository)}@${visible(ref)}`;
			throw new InputError(`the registry has no image ${what} (manifest unknown)`);
		}
		if (!response.ok) throw await this.failure(response, 'manifest');
		const data = await limitedBody(response, MAX_JSON, 'manifest');
		const digest = sha256(data);
		if (DIGEST.test(ref) && digest !== ref) throw new InputError(`manifest ${visible(ref)} does not match its digest`);
		let mediaType = response.headers.get('content-type')?.split(';')[0].trim() ?? '';
		try {
			const parsed = JSON.parse(data.toString('utf8')) as {mediaType?: unknown; schemaVersion?: unknown; manifests?: unknown};
			if (parsed.schemaVersion === 1) throw new InputError(`${visible(this.reference.canonical)} has a Docker schema 1 manifest, which is not supported`);
			if (typeof parsed.mediaType === 'string') mediaType = parsed.mediaType;
			else if (!MANIFEST_TYPES.includes(mediaType)) mediaType = Array.isArray(parsed.manifests) ? MANIFEST_TYPES[0] : MANIFEST_TYPES[1];
		} catch (error) {
			if (error instanceof InputError) throw error;
			throw new InputError(`manifest ${visible(ref)} is not valid JSON`);
		}
		return {data, mediaType, digest};
	}

	/** A blob's response, status checked; the body is the caller's to read or stream. */
	async blob(digest: string, what: string): Promise<Response> {
		const response = await this.get(`/v2/${this.reference.repository}/blobs/${digest}`, undefined, what !== 'layer');
		if (response.status === 404) {
			await response.body?.cancel();
			throw new InputError(`${what} ${visible(digest)} is not in the registry`, 'missing');
		}
		if (!response.ok) throw await this.failure(response, what);
		return response;
	}

	private async failure(response: Response, what: string): Promise<InputError> {
		let detail = '';
		try {
			// Bounded: an error body, too, could be endless.
			const body = JSON.parse((await limitedBody(response, 64 * 1024, 'error')).toString('utf8')) as {errors?: {message?: unknown}[]};
			const message = body.errors?.[0]?.message;
			if (typeof message === 'string') detail = `: ${message.split('\n')[0]}`;
		} catch {}
		return new InputError(`the registry answered HTTP ${response.status} for the ${what}${visible(detail)}`);
	}
}

async function limitedBody(response: Response, limit: number, what: string): Promise<Buffer> {
	const length = Number(response.headers.get('content-length'));
	if (length > limit) {
		await response.body?.cancel();
		throw new InputError(`the ${what} is larger than ${limit} bytes`);
	}
	// Read chunk by chunk: a body with no length (chunked) could be endless.
	const chunks: Uint8Array[] = [];
	let size = 0;
	const reader = response.body?.getReader();
	for (;;) {
		const next = await reader?.read();
		if (!next || next.done) break;
		size += next.value.length;
		if (size > limit) {
			await reader!.cancel().catch(() => {});
			throw new InputError(`the ${what} is larger than ${limit} bytes`);
		}
		chunks.push(next.value);
	}
	return Buffer.concat(chunks);
}

/** Pass a blob's bytes on, failing once more arrive than its descriptor states (an endless body would never end). */
function sizeGuard(expected: number, what: string): Transform {
	let seen = 0;
	return new Transform({
		transform(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null, data?: Buffer) => void) {
			seen += chunk.length;
			if (seen > expected) callback(new InputError(`${what}: the registry sent more than the ${expected} bytes the manifest states`));
			else callback(null, chunk);
		},
	});
}

/**
 * One layer blob of a registry image, as it is stored (compressed), for the explorer's content viewer: blobs are
 * addressed by digest, so the bytes are those the analysis read, whatever the tag names now. `size`, when known, bounds
 * what the registry may send.
 */
export function openRegistryBlob(reference: string, options: LoadOptions, digest: string, size: number | null): Promise<AsyncIterable<Buffer>> {
	return layerBlob(new RegistryClient(parseRegistryReference(reference), options.insecure === true), digest, size);
}

/** A layer blob as a stream, failing past `size` bytes when the manifest states one. */
async function layerBlob(client: RegistryClient, digest: string, size: number | null): Promise<AsyncIterable<Buffer>> {
	if (!DIGEST.test(digest)) throw new InputError(`layer digest ${visible(digest)} is not a sha256 digest`);
	const response = await client.blob(digest, 'layer');
	if (!response.body) throw new InputError(`layer ${visible(digest)}: the registry sent no body`);
	const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>, {highWaterMark: 1024 * 1024});
	// pipeline, not pipe: a network error on the body must reach the reader, not leave it waiting.
	return size === null ? body : pipeline(body, sizeGuard(size, visible(digest)), () => {});
}

/** openRegistryBlob for one layer (a scope of its own: it keeps only the reference, not the store's state). */
function registryBlobOpener(reference: string, insecure: boolean): LayerBlobOpener {
	return layer => openRegistryBlob(reference, {insecure}, layer.digest ?? layer.diffId, layer.compressedSizeBytes);
}

export async function openRegistry(reference: string, options: LoadOptions): Promise<BlobStore> {
	const parsed = parseRegistryReference(reference);
	const client = new RegistryClient(parsed, options.insecure === true);
	const top = await client.manifest(parsed.manifestRef);

	const manifests = new Map<string, Buffer>();
	/** Digests named by an index: read them from /manifests/, everything else from /blobs/. */
	const manifestDigests = new Set<string>();
	/** Layer sizes the manifests state: a layer body may not run past its size. */
	const layerSizes = new Map<string, number>();
	let totalBytes: number | null = null;
	let layersTotal: number | null = null;
	let bytes = 0;
	let layersDone = 0;
	const report = (phase: string): void => options.onProgress?.({bytes, totalBytes, layersDone, layersTotal, phase});

	const remember = (digest: string, data: Buffer): void => {
		manifests.set(digest, data);
		try {
			const value = JSON.parse(data.toString('utf8')) as {manifests?: {digest?: unknown}[]; layers?: {size?: unknown}[]};
			for (const child of Array.isArray(value.manifests) ? value.manifests : []) if (typeof child?.digest === 'string') manifestDigests.add(child.digest);
			if (Array.isArray(value.layers)) {
				for (const layer of value.layers as {digest?: unknown; size?: unknown}[])
					if (typeof layer?.digest === 'string' && typeof layer.size === 'number') layerSizes.set(layer.digest, layer.size);
				totalBytes = value.layers.reduce((sum, layer) => sum + (typeof layer?.size === 'number' ? layer.size : 0), 0);
				layersTotal = value.layers.length;
			}
		} catch {}
	};
	remember(top.digest, top.data);

	const index = Buffer.from(
		JSON.stringify({
			schemaVersion: 2,
			mediaType: 'application/vnd.oci.image.index.v1+json',
			manifests: [{mediaType: top.mediaType, digest: top.digest, size: top.data.length, annotations: {'org.opencontainers.image.ref.name': parsed.canonical}}],
		}),
	);

	const paths = newImagePathTable(options.maxPaths);
	return {
		kind: 'registry',
		reference,
		paths,
		async read(name) {
			if (name === 'index.json') return index;
			if (!DIGEST.test(name)) return undefined;
			const known = manifests.get(name);
			if (known) return known;
			if (manifestDigests.has(name)) {
				const fetched = await client.manifest(name);
				remember(name, fetched.data);
				return fetched.data;
			}
			return limitedBody(await client.blob(name, 'config'), MAX_JSON, 'config');
		},
		async walk(name) {
			const expected = layerSizes.get(name) ?? null;
			const input = await layerBlob(client, name, expected);
			report('reading');
			try {
				const walk = await walkLayer(input, {
					paths,
					sizeHint: expected,
					onBytes(n) {
						bytes += n;
						report('reading');
					},
				});
				layersDone++;
				return walk;
			} catch (error) {
				if (error instanceof InputError) throw error;
				const code = (error as {code?: string}).code ?? '';
				if (/^UND_ERR|ECONNRESET/.test(code) || (error as Error).name === 'TypeError') throw networkError(client.base, error);
				throw new InputError(`layer ${visible(name)}: ${tarErrorMessage(error)}`);
			}
		},
		async has(name) {
			return name === 'index.json' || manifests.has(name);
		},
		blobName: digest => digest,
		openLayerBlob: registryBlobOpener(reference, options.insecure === true),
		blobsUnavailable: null,
	};
}
