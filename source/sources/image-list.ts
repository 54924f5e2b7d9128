// `--list`: every image a source holds, one a line, and for a multi-platform index its platforms
// (`nginx:1.27  linux/amd64, linux/arm64/v8`). Nothing is chosen, so no platform has to match this host.
import {InputError} from '../util/errors.js';
import type {BlobStore} from './blob-store.js';
import {holdsPlatformIndex, INDEX_TYPES, parseJson, readBlob, readJson, resolveImage} from './resolve.js';

interface Descriptor {
	mediaType?: string;
	digest?: string;
	platform?: {os?: string; architecture?: string; variant?: string};
	annotations?: Record<string, string>;
}

/** As deep as resolve.ts follows nested indexes. */
const MAX_DEPTH = 4;

export async function listImages(store: BlobStore): Promise<string[]> {
	// docker save's manifest.json: its tags (or short config ids), exactly what --image matches; but a containerd
	// export's manifest.json names one platform of an index: the index lists them all.
	if ((await store.has('manifest.json')) && !(await holdsPlatformIndex(store))) return (await resolveImage(store, {})).available;
	return (await indexPlatforms(store)).map(({name, platforms}) => (platforms.length > 0 ? `${name}  ${platforms.join(', ')}` : name));
}

/** Each manifest of index.json by name (as resolve.ts names it in `available`, in its order) and the platforms it holds. */
export async function indexPlatforms(store: BlobStore): Promise<{name: string; platforms: string[]}[]> {
	const index = await readJson<{manifests?: Descriptor[]}>(store, 'index.json', 'index', 'index');
	if (!Array.isArray(index.manifests) || index.manifests.length === 0) throw new InputError('index.json lists no manifest');
	return Promise.all(
		index.manifests.map(async descriptor => {
			const name =
				descriptor.annotations?.['io.containerd.image.name'] ?? descriptor.annotations?.['org.opencontainers.image.ref.name'] ?? descriptor.digest ?? '?';
			return {name, platforms: [...new Set(await platformsOf(store, descriptor, 0))]};
		}),
	);
}

function platformOf(descriptor: Descriptor): string | null {
	const p = descriptor.platform;
	return p?.os && p.architecture ? [p.os, p.architecture, p.variant].filter(Boolean).join('/') : null;
}

/** The platforms of the image manifests under a descriptor (attestations left out); none for a plain manifest. */
async function platformsOf(store: BlobStore, descriptor: Descriptor, depth: number): Promise<string[]> {
	const own = platformOf(descriptor);
	if (descriptor.mediaType && !INDEX_TYPES.has(descriptor.mediaType)) return own ? [own] : [];
	if (depth > MAX_DEPTH) throw new InputError('nested image indexes go too deep');
	const parsed = parseJson<{manifests?: Descriptor[]}>(await readBlob(store, descriptor, 'manifest'), `manifest ${descriptor.digest}`);
	if (!Array.isArray(parsed.manifests)) return own ? [own] : [];
	const children = parsed.manifests.filter(
		d => d?.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest' && platformOf(d) !== 'unknown/unknown',
	);
	// An export of one platform keeps the whole index but only that platform's manifest: list what the source holds
	// (a registry serves every manifest its index names, fetched only when read).
	const holds = async (child: Descriptor): Promise<boolean> =>
		typeof child.digest === 'string' && (store.kind === 'registry' || (await store.has(store.blobName(child.digest))));
	const held = await Promise.all(children.map(holds));
	return (await Promise.all(children.filter((_, i) => held[i]).map(child => platformsOf(store, child, depth + 1)))).flat();
}
