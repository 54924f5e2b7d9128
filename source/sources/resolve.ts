// From a blob store to one image: pick the manifest (docker manifest.json or OCI index, by tag and platform), read the
// config, list the layers in order with their expected digests, and map the history.
import type {HistoryItem, LayerDescriptor} from '../model/types.js';
import {InputError} from '../util/errors.js';
import {digestInName, digestOf, parseDigest, verifyBytes} from '../util/digest.js';
import {visible} from '../util/sanitize.js';
import type {BlobStore} from './blob-store.js';
import {checkDocumentBounds, type DocumentKind} from './limits.js';
import {validateDocument} from './schema.js';

export interface ImageChoice {
	/** `name:tag`, a tag, or an image id prefix. */
	image?: string;
	/** `os/arch[/variant]`. */
	platform?: string;
}

export interface ResolvedImage {
	tags: string[];
	id: string;
	config: Record<string, unknown>;
	layers: {name: string; descriptor: LayerDescriptor}[];
	history: HistoryItem[];
	/** Every image the source holds, for `--list`. */
	available: string[];
	/** The base-image annotations of the manifest (or of its descriptor in the index). */
	annotations?: Record<string, string>;
}

interface Descriptor {
	mediaType?: string;
	digest?: string;
	size?: number;
	platform?: {os?: string; architecture?: string; variant?: string};
	annotations?: Record<string, string>;
}

/** Media types of a multi-platform index (OCI, and Docker's manifest list). */
export const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);

export async function readJson<T>(store: BlobStore, name: string, what: string, kind: DocumentKind): Promise<T> {
	const data = await store.read(name);
	if (!data) throw new InputError(`${what} ${visible(name)} is missing`);
	return parseDocument<T>(data, kind, `${what} ${visible(name)}`, visible(name));
}

/** Bounds first (a linear count over the bytes), then JSON.parse. */
export function parseJson<T>(data: Buffer, what: string, kind?: DocumentKind): T {
	if (kind) checkDocumentBounds(data, kind, what);
	let value: unknown;
	try {
		value = JSON.parse(data.toString('utf8')) as unknown;
		if (value === null || typeof value !== 'object') throw new Error('not a JSON object');
	} catch (error) {
		throw new InputError(`${what} is not valid JSON (${(error as Error).message.split('\n')[0]})`);
	}
	return value as T;
}

/** Parse a document within its bounds and check its shape; `shapeWhat` names it in shape messages (default `what`). */
function parseDocument<T>(data: Buffer, kind: DocumentKind, what: string, shapeWhat = what): T {
	const value = parseJson<unknown>(data, what, kind);
	validateDocument(value, kind, shapeWhat);
	return value as T;
}

export function hostPlatform(): string {
	const arch: Record<string, string> = {x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64'};
	return `linux/${arch[process.arch] ?? process.arch}`;
}

function platformOf(descriptor: Descriptor): string {
	const p = descriptor.platform;
	if (!p?.os || !p.architecture) return 'unknown';
	return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

function platformMatches(candidate: string, wanted: string): boolean {
	if (candidate === wanted) return true;
	// `linux/arm64` matches `linux/arm64/v8`.
	return candidate.startsWith(wanted + '/') || wanted.startsWith(candidate + '/');
}

/** `nginx` -> `nginx:latest`; registry prefixes dropped for matching (`docker.io/library/nginx:1` ~ `nginx:1`). */
function tagKeys(tag: string): string[] {
	const keys = new Set<string>([tag]);
	const lastSlash = tag.lastIndexOf('/');
	const hasTag = tag.lastIndexOf(':') > lastSlash;
	const full = hasTag ? tag : `${tag}:latest`;
	keys.add(full);
	keys.add(full.replace(/^docker\.io\/(library\/)?/, ''));
	keys.add(full.replace(/^(localhost|[^/]+\.[^/]+|[^/]+:\d+)\//, '').replace(/^library\//, ''));
	return [...keys];
}

function matchesImage(tags: string[], id: string, wanted: string): boolean {
	const wantedKeys = new Set(tagKeys(wanted));
	if (tags.some(tag => tagKeys(tag).some(key => wantedKeys.has(key)))) return true;
	const hex = wanted.replace(/^sha256:/, '');
	return /^[0-9a-f]{6,64}$/.test(hex) && id.replace(/^sha256:/, '').startsWith(hex);
}

function history(config: Record<string, unknown>): HistoryItem[] {
	const items = Array.isArray(config.history) ? (config.history as Record<string, unknown>[]) : [];
	return items.map(item => ({
		createdBy: typeof item?.created_by === 'string' ? item.created_by : '',
		created: typeof item?.created === 'string' ? item.created : null,
		emptyLayer: item?.empty_layer === true,
		...(typeof item?.comment === 'string' ? {comment: item.comment} : {}),
		layerIndex: null,
	}));
}

/**
 * The config's diff_ids, one per layer, each checked: diff_ids are sha256 of the uncompressed layer, and a layer
 * without one (or with one nobody can verify) would be read unverified.
 */
function diffIds(config: Record<string, unknown>, what: string, layers: number, listedBy: string): string[] {
	const ids = (config.rootfs as {diff_ids: unknown[]}).diff_ids;
	if (ids.length !== layers) throw new InputError(`${what} lists ${ids.length} diff_ids but ${listedBy} lists ${layers} layers`);
	return ids.map((id, i) => {
		if (id === '' || id === null) throw new InputError(`${what}: layer ${i} has no diff_id (rootfs.diff_ids[${i}] is empty): it cannot be verified`);
		const digest = parseDigest(id, `${what}: layer ${i}'s diff_id`);
		if (digest.algorithm !== 'sha256') throw new InputError(`${what}: layer ${i} has a ${digest.algorithm} diff_id; diff_ids are sha256 of the layer's tar`);
		return digest.text;
	});
}

/**
 * Whether index.json names a multi-platform index. A containerd export (Docker 25+ `docker save`, `ctr image export`)
 * writes manifest.json for one platform only, beside it: a --platform must be chosen from the index.
 */
export async function holdsPlatformIndex(store: BlobStore): Promise<boolean> {
	if (!(await store.has('index.json'))) return false;
	const index = await readJson<{manifests?: Descriptor[]}>(store, 'index.json', 'index', 'index');
	return Array.isArray(index.manifests) && index.manifests.some(d => typeof d?.mediaType === 'string' && INDEX_TYPES.has(d.mediaType));
}

export async function resolveImage(store: BlobStore, choice: ImageChoice): Promise<ResolvedImage> {
	if ((await store.has('manifest.json')) && !(choice.platform && (await holdsPlatformIndex(store)))) return resolveDocker(store, choice);
	if (await store.has('index.json')) return resolveOci(store, choice);
	throw new InputError('not a container image archive (no manifest.json or index.json)');
}

interface DockerManifestEntry {
	Config: string;
	RepoTags?: string[] | null;
	Layers: string[];
	LayerSources?: Record<string, Descriptor> | null;
}

async function resolveDocker(store: BlobStore, choice: ImageChoice): Promise<ResolvedImage> {
	const data = await store.read('manifest.json');
	if (!data) throw new InputError('manifest manifest.json is missing');
	const manifest = parseJson<DockerManifestEntry[]>(data, 'manifest manifest.json', 'manifest.json');
	if (!Array.isArray(manifest) || manifest.length === 0) throw new InputError('manifest.json lists no image');
	validateDocument(manifest, 'manifest.json', 'manifest.json');
	const described = manifest.map(entry => ({entry, tags: entry.RepoTags ?? []}));
	const available = described.flatMap(({entry, tags}) => (tags.length > 0 ? tags : [entry.Config.replace(/^blobs\/sha256\/|\.json$/g, '').slice(0, 12)]));

	let chosen = described[0];
	if (choice.image) {
		const configIds = described.map(({entry}) => 'sha256:' + entry.Config.replace(/^.*\//, '').replace(/\.json$/, ''));
		const index = described.findIndex(({tags}, i) => matchesImage(tags, configIds[i], choice.image!));
		if (index < 0) throw new InputError(`no image ${visible(choice.image)} in the archive; it holds: ${available.map(visible).join(', ')}`);
		chosen = described[index];
	}

	const {entry, tags} = chosen;
	const configName = entry.Config;
	const what = `config ${visible(configName)}`;
	const configData = await store.read(configName);
	if (!configData) throw new InputError(`manifest.json names ${visible(configName)}, which is not in the archive`);
	// A config is named by its digest (`<hex>.json`, `blobs/sha256/<hex>`): content that is not that config is refused.
	const named = digestInName(configName, true);
	if (named) verifyBytes(configData, named, what);
	const config = parseDocument<Record<string, unknown>>(configData, 'config', what);
	const ids = diffIds(config, what, entry.Layers.length, 'manifest.json');
	const layers = entry.Layers.map((name, index) => {
		const source = entry.LayerSources?.[ids[index]];
		const digest = source ? parseDigest(source.digest, `manifest.json: layer ${index}`).text : (digestInName(name)?.text ?? null);
		return {
			name,
			descriptor: {index, diffId: ids[index], digest, mediaType: source?.mediaType ?? null, compressedSizeBytes: null},
		};
	});
	return {tags, id: digestOf(configData), config, layers, history: history(config), available};
}

async function resolveOci(store: BlobStore, choice: ImageChoice): Promise<ResolvedImage> {
	const index = await readJson<{manifests: Descriptor[]}>(store, 'index.json', 'index', 'index');
	if (index.manifests.length === 0) throw new InputError('index.json lists no manifest');
	const nameOf = (d: Descriptor): string | undefined => d.annotations?.['io.containerd.image.name'] ?? d.annotations?.['org.opencontainers.image.ref.name'];
	const available = index.manifests.map(d => nameOf(d) ?? d.digest ?? '?');

	let candidates = index.manifests;
	if (choice.image) {
		candidates = candidates.filter(d => {
			const names = [d.annotations?.['io.containerd.image.name'], d.annotations?.['org.opencontainers.image.ref.name']].filter((n): n is string => !!n);
			return matchesImage(names, d.digest ?? '', choice.image!) || names.includes(choice.image!);
		});
		if (candidates.length === 0) throw new InputError(`no image ${visible(choice.image)} in the index; it holds: ${available.map(visible).join(', ')}`);
	}
	// Several manifests side by side (an index of platforms at the top level): choose like an index would.
	const top = candidates.length > 1 ? choosePlatform(candidates, choice.platform) : candidates[0];
	const tags = [nameOf(top)].filter((n): n is string => !!n);
	const {descriptor: manifestDescriptor, data: manifestData} = await pickPlatform(store, top, choice.platform);
	const manifestWhat = `manifest ${visible(manifestDescriptor.digest!)}`;
	const manifest = parseDocument<{config: Descriptor; layers: Descriptor[]; mediaType?: string; annotations?: unknown}>(manifestData, 'manifest', manifestWhat);
	const configData = await readBlob(store, manifest.config, 'config');
	const configWhat = `config ${visible(manifest.config.digest!)}`;
	const config = parseDocument<Record<string, unknown>>(configData, 'config', configWhat);
	const ids = diffIds(config, configWhat, manifest.layers.length, 'the manifest');
	const layers = manifest.layers.map((layer, i) => {
		const digest = parseDigest(layer.digest, `${manifestWhat}: layer ${i}`).text;
		return {
			name: store.blobName(digest),
			descriptor: {
				index: i,
				diffId: ids[i],
				digest,
				mediaType: layer.mediaType ?? null,
				compressedSizeBytes: typeof layer.size === 'number' ? layer.size : null,
			},
		};
	});
	const annotations = baseAnnotations(manifestDescriptor.annotations, manifest.annotations);
	return {tags, id: manifest.config.digest!, config, layers, history: history(config), available, ...(annotations ? {annotations} : {})};
}

const BASE_ANNOTATIONS = ['org.opencontainers.image.base.name', 'org.opencontainers.image.base.digest'];

/** The base-image annotations with string values; the manifest's own win over its descriptor's. */
function baseAnnotations(...sources: unknown[]): Record<string, string> | undefined {
	const out: Record<string, string> = {};
	for (const source of sources) {
		if (!source || typeof source !== 'object') continue;
		for (const key of BASE_ANNOTATIONS) {
			const value = (source as Record<string, unknown>)[key];
			if (typeof value === 'string') out[key] = value;
		}
	}
	return Object.keys(out).length > 0 ? out : undefined;
}

/** Read a blob named by a descriptor and check it against its digest (and its size, when the descriptor gives one). */
export async function readBlob(store: BlobStore, descriptor: Descriptor, what: string): Promise<Buffer> {
	const digest = parseDigest(descriptor.digest, `a ${what} descriptor`);
	const data = await store.read(store.blobName(digest.text));
	if (!data) throw new InputError(`${what} ${digest.text} is missing`);
	verifyBytes(data, digest, `${what} ${digest.text}`);
	if (typeof descriptor.size === 'number' && descriptor.size !== data.length)
		throw new InputError(`${what} ${digest.text} is ${data.length} bytes where its descriptor says ${descriptor.size}`);
	return data;
}

/** Down nested indexes to the image manifest for the platform: its descriptor, and its bytes (checked). */
async function pickPlatform(
	store: BlobStore,
	descriptor: Descriptor,
	platform: string | undefined,
	depth = 0,
): Promise<{descriptor: Descriptor; data: Buffer}> {
	if (depth > 4) throw new InputError('nested image indexes go too deep');
	const data = await readBlob(store, descriptor, 'manifest');
	const what = `manifest ${visible(descriptor.digest!)}`;
	const parsed = parseJson<{manifests?: unknown}>(data, what, 'manifest');
	if (!Array.isArray(parsed.manifests)) return {descriptor, data}; // an image manifest
	validateDocument(parsed, 'index', what);
	return pickPlatform(store, choosePlatform(parsed.manifests as Descriptor[], platform), platform, depth + 1);
}

/** The manifest for the wanted platform (default: the host's); attestation manifests are never images. */
function choosePlatform(manifests: Descriptor[], platform: string | undefined): Descriptor {
	const images = manifests.filter(d => d.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest' && platformOf(d) !== 'unknown/unknown');
	const wanted = platform ?? hostPlatform();
	const match = images.find(d => platformOf(d) === wanted) ?? images.find(d => platformMatches(platformOf(d), wanted));
	if (match) return match;
	if (!platform && images.length === 1) return images[0];
	if (images.length === 0) throw new InputError('the index lists no image manifest');
	throw new InputError(`no image for platform ${visible(wanted)}; choose one with --platform: ${images.map(platformOf).map(visible).join(', ')}`);
}
