// From a blob store to one image: pick the manifest (docker manifest.json or OCI index, by tag and platform), read the
// config, list the layers in order with their expected digests, and map the history.
import {createHash} from 'node:crypto';
import type {HistoryItem, LayerDescriptor} from '../model/types.js';
import {InputError} from '../util/errors.js';
import {visible} from '../util/sanitize.js';
import type {BlobStore} from './blob-store.js';

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

const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);

export async function readJson<T>(store: BlobStore, name: string, what: string): Promise<T> {
	const data = await store.read(name);
	if (!data) throw new InputError(`${what} ${visible(name)} is missing`);
	return parseJson<T>(data, `${what} ${visible(name)}`);
}

/** JSON nested deeper than this is refused: no image needs it, and writing it out again (--json) would overflow the stack. */
const MAX_JSON_DEPTH = 512;

function nestingDepth(text: string): number {
	let depth = 0;
	let max = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (inString) {
			if (c === 0x5c) i++;
			else if (c === 0x22) inString = false;
		} else if (c === 0x22) inString = true;
		else if (c === 0x7b || c === 0x5b) max = Math.max(max, ++depth);
		else if (c === 0x7d || c === 0x5d) depth--;
	}
	return max;
}

export function parseJson<T>(data: Buffer, what: string): T {
	const text = data.toString('utf8');
	let value: unknown;
	try {
		value = JSON.parse(text) as unknown;
		if (value === null || typeof value !== 'object') throw new Error('not a JSON object');
	} catch (error) {
		throw new InputError(`${what} is not valid JSON (${(error as Error).message.split('\n')[0]})`);
	}
	if (nestingDepth(text) > MAX_JSON_DEPTH) throw new InputError(`${what} nests deeper than ${MAX_JSON_DEPTH} levels`);
	return value as T;
}

function sha256(data: Buffer): string {
	return 'sha256:' + createHash('sha256').update(data).digest('hex');
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

function diffIds(config: Record<string, unknown>): string[] {
	const rootfs = config.rootfs as {diff_ids?: unknown} | undefined;
	return Array.isArray(rootfs?.diff_ids) ? rootfs.diff_ids.filter((id): id is string => typeof id === 'string') : [];
}

export async function resolveImage(store: BlobStore, choice: ImageChoice): Promise<ResolvedImage> {
	if (await store.has('manifest.json')) return resolveDocker(store, choice);
	if (await store.has('index.json')) return resolveOci(store, choice);
	throw new InputError('not a container image archive (no manifest.json or index.json)');
}

interface DockerManifestEntry {
	Config?: string;
	RepoTags?: string[] | null;
	Layers?: string[];
	LayerSources?: Record<string, Descriptor>;
}

async function resolveDocker(store: BlobStore, choice: ImageChoice): Promise<ResolvedImage> {
	const manifest = await readJson<DockerManifestEntry[]>(store, 'manifest.json', 'manifest');
	if (!Array.isArray(manifest) || manifest.length === 0) throw new InputError('manifest.json lists no image');
	const described = await Promise.all(
		manifest.map(async entry => {
			if (typeof entry?.Config !== 'string' || !Array.isArray(entry.Layers)) throw new InputError('manifest.json: an entry has no Config or Layers');
			const tags = (entry.RepoTags ?? []).filter((tag): tag is string => typeof tag === 'string');
			return {entry, tags};
		}),
	);
	const available = described.flatMap(({entry, tags}) => (tags.length > 0 ? tags : [entry.Config!.replace(/^blobs\/sha256\/|\.json$/g, '').slice(0, 12)]));

	let chosen = described[0];
	if (choice.image) {
		const configIds = await Promise.all(described.map(async ({entry}) => 'sha256:' + entry.Config!.replace(/^.*\//, '').replace(/\.json$/, '')));
		const index = described.findIndex(({tags}, i) => matchesImage(tags, configIds[i], choice.image!));
		if (index < 0) throw new InputError(`no image ${visible(choice.image)} in the archive; it holds: ${available.map(visible).join(', ')}`);
		chosen = described[index];
	}

	const {entry, tags} = chosen;
	const configData = await store.read(entry.Config!);
	if (!configData) throw new InputError(`manifest.json names ${visible(entry.Config!)}, which is not in the archive`);
	const config = parseJson<Record<string, unknown>>(configData, `config ${visible(entry.Config!)}`);
	const ids = diffIds(config);
	const layers = entry.Layers!.map((name, index) => {
		if (typeof name !== 'string') throw new InputError('manifest.json: a layer name is not a string');
		const source = ids[index] ? entry.LayerSources?.[ids[index]] : undefined;
		const blob = /^blobs\/sha256\/([0-9a-f]{64})$/.exec(name);
		return {
			name,
			descriptor: {
				index,
				diffId: ids[index] ?? null,
				digest: source?.digest ?? (blob ? `sha256:${blob[1]}` : null),
				mediaType: source?.mediaType ?? null,
				compressedSizeBytes: null,
			},
		};
	});
	if (ids.length !== layers.length)
		throw new InputError(`config lists ${ids.length} diff_ids but manifest.json lists ${layers.length} layers`);
	return {tags, id: sha256(configData), config, layers, history: history(config), available};
}

async function resolveOci(store: BlobStore, choice: ImageChoice): Promise<ResolvedImage> {
	const index = await readJson<{manifests?: Descriptor[]}>(store, 'index.json', 'index');
	if (!Array.isArray(index.manifests) || index.manifests.length === 0) throw new InputError('index.json lists no manifest');
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
	const manifestDescriptor = await pickPlatform(store, top, choice.platform);
	const manifestData = await readBlob(store, manifestDescriptor, 'manifest');
	const manifest = parseJson<{config?: Descriptor; layers?: Descriptor[]; mediaType?: string; annotations?: unknown}>(manifestData, `manifest ${manifestDescriptor.digest}`);
	if (!manifest.config?.digest || !Array.isArray(manifest.layers)) throw new InputError(`manifest ${manifestDescriptor.digest} has no config or layers`);
	const configData = await readBlob(store, manifest.config, 'config');
	const config = parseJson<Record<string, unknown>>(configData, `config ${manifest.config.digest}`);
	const ids = diffIds(config);
	if (ids.length !== manifest.layers.length)
		throw new InputError(`config lists ${ids.length} diff_ids but the manifest lists ${manifest.layers.length} layers`);
	const layers = manifest.layers.map((layer, i) => {
		if (!layer?.digest) throw new InputError(`manifest ${manifestDescriptor.digest}: layer ${i} has no digest`);
		return {
			name: store.blobName(layer.digest),
			descriptor: {
				index: i,
				diffId: ids[i] ?? null,
				digest: layer.digest,
				mediaType: layer.mediaType ?? null,
				compressedSizeBytes: typeof layer.size === 'number' ? layer.size : null,
			},
		};
	});
	const annotations = baseAnnotations(manifestDescriptor.annotations, manifest.annotations);
	return {tags, id: manifest.config.digest, config, layers, history: history(config), available, ...(annotations ? {annotations} : {})};
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

/** Read a blob named by a descriptor and check it against its digest. */
export async function readBlob(store: BlobStore, descriptor: Descriptor, what: string): Promise<Buffer> {
	const digest = descriptor.digest;
	if (typeof digest !== 'string' || !/^[a-z0-9]+:[a-zA-Z0-9=_-]+$/.test(digest)) throw new InputError(`a ${what} descriptor has an invalid digest`);
	const data = await store.read(store.blobName(digest));
	if (!data) throw new InputError(`${what} ${visible(digest)} is missing`);
	if (digest.startsWith('sha256:') && sha256(data) !== digest) throw new InputError(`${what} ${visible(digest)} does not match its digest`);
	return data;
}

async function pickPlatform(store: BlobStore, descriptor: Descriptor, platform: string | undefined, depth = 0): Promise<Descriptor> {
	if (depth > 4) throw new InputError('nested image indexes go too deep');
	const data = descriptor.mediaType && !INDEX_TYPES.has(descriptor.mediaType) ? null : await readBlob(store, descriptor, 'manifest');
	if (!data) return descriptor;
	const parsed = parseJson<{mediaType?: string; manifests?: Descriptor[]; layers?: unknown}>(data, `manifest ${descriptor.digest}`);
	if (!Array.isArray(parsed.manifests)) return descriptor; // an image manifest after all
	return pickPlatform(store, choosePlatform(parsed.manifests, platform), platform, depth + 1);
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
