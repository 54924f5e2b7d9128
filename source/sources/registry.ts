// Images straight from an OCI distribution registry, no daemon: the registry is presented to resolve.ts as a
// synthetic OCI layout (index.json names the resolved top manifest; blobs are read by digest), manifests and configs
// are fetched small and checked against their digests, layer blobs are streamed through the layer walker. Every
// answer is read within the size its descriptor gives (registry-body.ts) and the timeout (registry-http.ts).
import {newImagePathTable} from '../analysis/path-budget.js';
import {walkLayer} from '../layers/walk-layer.js';
import {digestOf, digestProblem, parseDigest} from '../util/digest.js';
import {InputError} from '../util/errors.js';
import {visible} from '../util/sanitize.js';
import {tarErrorMessage} from './archive.js';
import type {BlobStore, LayerBlobOpener} from './blob-store.js';
import type {LoadOptions} from './load.js';
import {BoundedBody, bodyStream, exact} from './registry-body.js';
import {DEFAULT_TIMEOUT_SECONDS, request, type Answer} from './registry-http.js';
import {PLAIN_TO_TLS, tlsSettings, type TlsChoice, type TlsSettings} from './registry-tls.js';
import {basicHeader, findCredentials, parseChallenge, type Credentials} from './registry-auth.js';
import {parseRegistryReference, type RegistryReference} from './registry-reference.js';

const MANIFEST_TYPES = [
	'application/vnd.oci.image.index.v1+json',
	'application/vnd.oci.image.manifest.v1+json',
	'application/vnd.docker.distribution.manifest.list.v2+json',
	'application/vnd.docker.distribution.manifest.v2+json',
];
const MiB = 1024 * 1024;
/** A manifest with no size to go by: the distribution spec lets a registry refuse those over 4 MiB. */
const MANIFEST_CAP = {bytes: 4 * MiB, text: '4 MiB'};
/** Configs, and the most any descriptor may give a manifest or a config: no real image comes near. */
const JSON_CAP = {bytes: 16 * MiB, text: '16 MiB'};
/** Token answers and error bodies are a few hundred bytes; these are read for one line, never trusted to end. */
const TOKEN_CAP = {bytes: MiB, text: '1 MiB'};
const ERROR_CAP = {bytes: 64 * 1024, text: '64 KiB'};
/** The largest layer a descriptor may give: real ones stay far below; 10^15 bytes would stream for weeks. */
const LAYER_CAP = {bytes: 2 ** 40, text: '1 TiB'};
/** Whether `value` is a digest layerscope verifies (sha256 or sha512, util/digest.ts): what blobs are asked for by. */
const isDigest = (value: string): boolean => digestProblem(value) === null;

/** The digest of `data` by the algorithm of `named` (a tag names none: sha256, what registries address manifests by). */
function digestLike(data: Buffer, named: string): string {
	return digestOf(data, isDigest(named) ? parseDigest(named, 'the blob').algorithm : 'sha256');
}

/** A descriptor's `size`: a whole number of bytes, or null when it gives none that is valid. */
function descriptorSize(value: unknown): number | null {
	return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/** The distribution API for one repository, with the auth handshake done once and reused. */
export class RegistryClient {
	readonly base: string;
	readonly timeoutSeconds: number;
	/** Undefined over plain http (`--insecure`). */
	readonly tls: TlsSettings | undefined;
	private authorization: string | undefined;
	private credentials: Credentials | undefined | null = null;

	constructor(
		readonly reference: RegistryReference,
		insecure: boolean,
		timeoutSeconds = DEFAULT_TIMEOUT_SECONDS,
		tls: TlsChoice = {},
	) {
		this.base = `${insecure ? 'http' : 'https'}://${reference.apiHost}`;
		this.timeoutSeconds = timeoutSeconds;
		// The certs directory is named by the registry as written (`127.0.0.1:5000`), as Docker and skopeo name it.
		this.tls = insecure ? undefined : tlsSettings(reference.registry, tls);
	}

	private async creds(): Promise<Credentials | undefined> {
		if (this.credentials === null) this.credentials = await findCredentials(this.reference.registry);
		return this.credentials;
	}

	/** GET a registry path, answering one 401 challenge (Bearer token or Basic) and asking again. */
	async get(path: string, subject: string, accept?: string): Promise<Answer> {
		const ask = (): Promise<Answer> =>
			request({
				url: new URL(this.base + path),
				headers: {...(accept ? {Accept: accept} : {}), ...(this.authorization ? {Authorization: this.authorization} : {})},
				subject,
				role: 'registry',
				timeoutSeconds: this.timeoutSeconds,
				tls: this.tls,
			});
		let answer = await ask();
		if (answer.response.status !== 401) return answer;
		const challenge = parseChallenge(answer.response.headers.get('www-authenticate'));
		answer.abort();
		const credentials = await this.creds();
		if (challenge?.scheme === 'bearer' && challenge.params.realm) this.authorization = `Bearer ${await this.token(challenge.params, credentials)}`;
		else if (challenge?.scheme === 'basic' && credentials && !credentials.identityToken) this.authorization = basicHeader(credentials);
		else throw this.denied(credentials);
		answer = await ask();
		if (answer.response.status === 401) {
			answer.abort();
			throw this.denied(credentials);
		}
		return answer;
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
			if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
		} catch {
			throw new InputError(`the registry ${visible(this.reference.registry)} names an invalid token service`);
		}
		const scope = params.scope ?? `repository:${this.reference.repository}:pull`;
		const subject = 'the token answer';
		const common = {subject: 'a token', role: 'token service', timeoutSeconds: this.timeoutSeconds, tls: this.tls};
		let answer: Answer;
		if (credentials?.identityToken) {
			// OAuth2 refresh-token grant, as `docker login` does with an identity token.
			const form = new URLSearchParams({grant_type: 'refresh_token', refresh_token: credentials.identityToken, client_id: 'layerscope', scope});
			if (params.service) form.set('service', params.service);
			answer = await request({...common, url, method: 'POST', form});
		} else {
			if (params.service) url.searchParams.set('service', params.service);
			url.searchParams.set('scope', scope);
			answer = await request({...common, url, headers: credentials ? {Authorization: basicHeader(credentials)} : {}});
		}
		const {status} = answer.response;
		if (status === 401 || status === 403) {
			answer.abort();
			throw this.denied(credentials);
		}
		if (!answer.response.ok) throw await failure(answer, 'a token', this.timeoutSeconds);
		const text = await new BoundedBody(answer, {subject, expected: null, cap: TOKEN_CAP, timeoutSeconds: this.timeoutSeconds}).all();
		let body: {token?: unknown; access_token?: unknown} = {};
		try {
			body = JSON.parse(text.toString('utf8')) as typeof body;
		} catch {}
		const token = typeof body?.token === 'string' ? body.token : body?.access_token;
		if (typeof token !== 'string' || token === '') throw new InputError(`${answer.peer} gave no token`);
		return token;
	}

	/**
	 * A manifest by tag or digest, bounded by the size its descriptor gives (`expected`) or 4 MiB: its bytes, media type
	 * and digest (checked when asked for by digest).
	 */
	async manifest(ref: string, expected: number | null = null): Promise<{data: Buffer; mediaType: string; digest: string}> {
		const subject = `manifest ${visible(ref)}`;
		if (expected !== null && expected > JSON_CAP.bytes)
			throw new InputError(`the index gives ${subject} ${exact(expected)} bytes, over the ${JSON_CAP.text} layerscope reads`, 'limit');
		const answer = await this.get(`/v2/${this.reference.repository}/manifests/${ref}`, subject, MANIFEST_TYPES.join(', '));
		if (answer.response.status === 404) {
			answer.abort();
			const what = ref === this.reference.manifestRef ? visible(this.reference.canonical) : `${visible(this.reference.repository)}@${visible(ref)}`;
			throw new InputError(`the registry has no image ${what} (manifest unknown)`, 'missing');
		}
		if (!answer.response.ok) throw await failure(answer, subject, this.timeoutSeconds);
		const data = await new BoundedBody(answer, {subject, expected, cap: MANIFEST_CAP, timeoutSeconds: this.timeoutSeconds}).all();
		const digest = digestLike(data, ref);
		if (isDigest(ref) && digest !== ref) throw new InputError(`${answer.peer} sent ${subject}, which does not match its digest (read ${digest})`);
		let mediaType = answer.response.headers.get('content-type')?.split(';')[0].trim() ?? '';
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

	/** A blob's answer, status checked; its body is the caller's to read. `what` names it in messages (`layer`, `config`). */
	async blob(digest: string, what: string, subject: string): Promise<Answer> {
		const answer = await this.get(`/v2/${this.reference.repository}/blobs/${digest}`, subject);
		if (answer.response.status === 404) {
			answer.abort();
			throw new InputError(`${what} ${visible(digest)} is not in the registry`, 'missing');
		}
		if (!answer.response.ok) throw await failure(answer, subject, this.timeoutSeconds);
		return answer;
	}

	/** A config blob, bounded by its descriptor's size (or 16 MiB) and checked against its digest. */
	async config(digest: string, expected: number | null): Promise<Buffer> {
		const subject = `config ${visible(digest)}`;
		if (expected !== null && expected > JSON_CAP.bytes)
			throw new InputError(`the manifest gives ${subject} ${exact(expected)} bytes, over the ${JSON_CAP.text} layerscope reads`, 'limit');
		const answer = await this.blob(digest, 'config', subject);
		const data = await new BoundedBody(answer, {subject, expected, cap: JSON_CAP, timeoutSeconds: this.timeoutSeconds}).all();
		const read = digestLike(data, digest);
		if (read !== digest) throw new InputError(`${answer.peer} sent ${subject}, which does not match its digest (read ${read})`);
		return data;
	}
}

/** The one line for an answer that is an HTTP error: who answered what, and the registry's own reason when it gives one. */
async function failure(answer: Answer, subject: string, timeoutSeconds: number): Promise<InputError> {
	let detail = '';
	try {
		const text = await new BoundedBody(answer, {subject: 'an error answer', expected: null, cap: ERROR_CAP, timeoutSeconds}).all();
		if (answer.response.status === 400 && PLAIN_TO_TLS.test(text.toString('latin1')))
			return new InputError(
				`${answer.peer} speaks https, and --insecure asked it in plain http: drop --insecure (for a self-signed certificate give --ca-cert FILE, or --tls-verify=false)`,
				'network',
			);
		const body = JSON.parse(text.toString('utf8')) as {errors?: {message?: unknown}[]};
		const message = body.errors?.[0]?.message;
		if (typeof message === 'string') detail = `: ${message.split('\n')[0]}`;
	} catch {}
	const tries = answer.tries > 1 ? ` (${answer.tries} tries)` : '';
	const kind = answer.response.status >= 500 ? 'network' : 'invalid';
	return new InputError(`${answer.peer} answered HTTP ${answer.response.status} for ${subject}${tries}${visible(detail)}`, kind);
}

/**
 * One layer blob of a registry image, as it is stored (compressed), for the explorer's content viewer: blobs are
 * addressed by digest, so the bytes are those the analysis read, whatever the tag names now. `size`, when known, bounds
 * what the registry may send.
 */
export function openRegistryBlob(reference: string, options: LoadOptions, digest: string, size: number | null): Promise<AsyncIterable<Buffer>> {
	return layerBlob(clientFor(parseRegistryReference(reference), options), digest, size, `layer ${visible(digest)}`);
}

function clientFor(reference: RegistryReference, options: LoadOptions): RegistryClient {
	return new RegistryClient(reference, options.insecure === true, options.timeout ?? DEFAULT_TIMEOUT_SECONDS, options);
}

/** A layer blob as a stream of exactly `size` bytes (at most LAYER_CAP when no size is known). */
async function layerBlob(client: RegistryClient, digest: string, size: number | null, subject: string): Promise<AsyncIterable<Buffer>> {
	const problem = digestProblem(digest);
	if (problem) throw new InputError(`layer ${visible(digest)} ${problem}`);
	if (size !== null && size > LAYER_CAP.bytes)
		throw new InputError(`the manifest gives ${subject} ${exact(size)} bytes, over the ${LAYER_CAP.text} layerscope reads`, 'limit');
	const answer = await client.blob(digest, 'layer', subject);
	return bodyStream(new BoundedBody(answer, {subject, expected: size, cap: LAYER_CAP, timeoutSeconds: client.timeoutSeconds}));
}

/** openRegistryBlob for one layer (a scope of its own: it keeps only the reference, not the store's state). */
function registryBlobOpener(reference: string, options: LoadOptions): LayerBlobOpener {
	const kept: LoadOptions = {insecure: options.insecure, timeout: options.timeout};
	return layer => openRegistryBlob(reference, kept, layer.digest ?? layer.diffId, layer.compressedSizeBytes);
}

export async function openRegistry(reference: string, options: LoadOptions): Promise<BlobStore> {
	const parsed = parseRegistryReference(reference);
	const client = clientFor(parsed, options);
	const top = await client.manifest(parsed.manifestRef);

	const manifests = new Map<string, Buffer>();
	/** Digests named by an index: read them from /manifests/, everything else from /blobs/. */
	const manifestDigests = new Set<string>();
	/** The size each descriptor gives (null: none that is valid): no body may run past it. */
	const sizes = new Map<string, number | null>();
	let totalBytes: number | null = null;
	let layersTotal: number | null = null;
	let bytes = 0;
	let layersDone = 0;
	const report = (phase: string): void => options.onProgress?.({bytes, totalBytes, layersDone, layersTotal, phase});

	const remember = (digest: string, data: Buffer): void => {
		manifests.set(digest, data);
		try {
			type Described = {digest?: unknown; size?: unknown};
			const value = JSON.parse(data.toString('utf8')) as {manifests?: Described[]; layers?: Described[]; config?: Described};
			const note = (descriptor: Described | undefined): void => {
				if (typeof descriptor?.digest === 'string' && !sizes.has(descriptor.digest)) sizes.set(descriptor.digest, descriptorSize(descriptor.size));
			};
			for (const child of Array.isArray(value.manifests) ? value.manifests : []) {
				note(child);
				if (typeof child?.digest === 'string') manifestDigests.add(child.digest);
			}
			note(value.config);
			if (Array.isArray(value.layers)) {
				for (const layer of value.layers) note(layer);
				totalBytes = value.layers.reduce((sum, layer) => sum + (descriptorSize(layer?.size) ?? 0), 0);
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
			if (!isDigest(name)) return undefined;
			const known = manifests.get(name);
			if (known) return known;
			if (manifestDigests.has(name)) {
				const fetched = await client.manifest(name, sizes.get(name) ?? null);
				remember(name, fetched.data);
				return fetched.data;
			}
			return client.config(name, sizes.get(name) ?? null);
		},
		async walk(name) {
			// Every layer descriptor must give its size (the OCI spec requires it): it is what bounds the download.
			const expected = sizes.get(name) ?? null;
			if (expected === null) throw new InputError('the manifest gives no valid size for the layer, so its download could not be bounded');
			const input = await layerBlob(client, name, expected, 'the layer');
			report('reading');
			try {
				const walk = await walkLayer(input, {
					paths,
					sizeHint: expected,
					// The blob is hashed by the algorithm that addresses it; load.ts compares the two.
					blobAlgorithm: parseDigest(name, 'the layer').algorithm,
					onBytes(n) {
						bytes += n;
						report('reading');
					},
				});
				layersDone++;
				return walk;
			} catch (error) {
				// Failures of the download are InputErrors built where they happened (registry-body.ts); the rest is the tar's.
				if (error instanceof InputError) throw error;
				throw new InputError(`layer ${visible(name)}: ${tarErrorMessage(error)}`);
			}
		},
		async has(name) {
			return name === 'index.json' || manifests.has(name);
		},
		blobName: digest => digest,
		openLayerBlob: registryBlobOpener(reference, options),
		blobsUnavailable: null,
	};
}
