// The store list of a multi-image archive (`docker save a b c`, an oci-archive or OCI layout holding several images):
// the same rows as an engine's, with no engine to ask. An archive carries no layer sizes, so every distinct layer is
// walked once (the archive read once, as for one image's analysis); a layer's size is the bytes of its regular files,
// what `docker history` shows. Shared means used by more than one image of the archive; nothing runs from an
// archive, so nothing is in use and every byte is reclaimable.
import {COLUMNS_HEAP_PER_PATH, pathBudget} from '../analysis/path-budget.js';
import type {BlobStore, ProgressListener} from '../sources/blob-store.js';
import {openSource, walkLayers} from '../sources/load.js';
import {indexPlatforms} from '../sources/image-list.js';
import {resolveImage, type ResolvedImage} from '../sources/resolve.js';
import {chainIds} from './chain-id.js';
import type {LayerShare, StoreImage, StoreListing} from './types.js';

export interface ArchiveListing {
	listing: StoreListing;
	/** The layer view, known once the layers are walked. */
	layers: LayerShare[];
}

export async function listArchive(reference: string, options: {onProgress?: ProgressListener; platforms?: boolean} = {}): Promise<ArchiveListing> {
	const store = await openSource(reference, {maxPaths: pathBudget(COLUMNS_HEAP_PER_PATH), onProgress: options.onProgress});
	return listOpenArchive(store, reference, options);
}

/**
 * The list of a source already open (the explorer's image list reads it from the store it analyses the images of).
 * `platforms`: each platform of a multi-platform index is a row of its own (the explorer's list; `layerscope images`
 * lists the host's platform, as it always has).
 */
export async function listOpenArchive(
	store: BlobStore,
	reference: string,
	options: {onProgress?: ProgressListener; platforms?: boolean} = {},
): Promise<ArchiveListing> {
	const {available} = await resolveImage(store, {});
	// A docker save manifest.json has no platforms; an OCI index names its manifests in `available`'s order.
	const platforms = options.platforms && !(await store.has('manifest.json')) ? (await indexPlatforms(store)).map(entry => entry.platforms) : null;
	// `available` names each image by every tag (or an ID prefix, or a digest): one resolve per image.
	const images: {resolved: ResolvedImage; choice: string; platform?: string}[] = [];
	for (const [i, choice] of available.entries()) {
		const each = platforms && platforms[i].length > 1 ? platforms[i] : [undefined];
		for (const platform of each) {
			const resolved = await resolveImage(store, {image: choice, platform});
			if (!images.some(image => image.resolved.id === resolved.id)) images.push({resolved, choice, ...(platform ? {platform} : {})});
		}
	}
	const distinct = [...new Map(images.flatMap(({resolved}) => resolved.layers).map(layer => [layer.name, layer])).values()];
	const {walks} = await walkLayers(store, {...images[0].resolved, layers: distinct}, options.onProgress);
	const walked = new Map(distinct.map((layer, i) => [layer.name, walks[i]]));

	const layers = new Map<string, LayerShare>();
	const rows = images.map(({resolved, choice, platform}) => {
		const diffIds = resolved.layers.map(layer => layer.descriptor.diffId ?? walked.get(layer.name)!.diffId);
		const chains = chainIds(diffIds);
		chains.forEach((chainId, i) => {
			const layer = layers.get(chainId) ?? {chainId, diffId: diffIds[i], sizeBytes: walked.get(resolved.layers[i].name)!.sizeBytes, images: []};
			if (!layer.images.includes(resolved.id)) layer.images.push(resolved.id);
			layers.set(chainId, layer);
		});
		return {resolved, choice, platform, diffIds, chains};
	});
	const storeImages = rows.map(({resolved, choice, platform, diffIds, chains}): StoreImage => {
		const sizes = chains.map(chainId => layers.get(chainId)!);
		const sizeBytes = sizes.reduce((sum, layer) => sum + (layer.sizeBytes ?? 0), 0);
		const sharedBytes = sizes.filter(layer => layer.images.length > 1).reduce((sum, layer) => sum + (layer.sizeBytes ?? 0), 0);
		const created = resolved.config.created;
		return {
			id: resolved.id,
			tags: resolved.tags,
			digests: [],
			created: typeof created === 'string' ? created : null,
			sizeBytes,
			sharedBytes,
			uniqueBytes: sizeBytes - sharedBytes,
			diffIds,
			chainIds: chains,
			containers: 0,
			dangling: resolved.tags.length === 0,
			intermediate: false,
			parentId: null,
			open: {reference, image: choice, ...(platform ? {platform} : {})},
		};
	});
	storeImages.sort((a, b) => b.sizeBytes - a.sizeBytes || (a.tags[0] ?? '\uffff').localeCompare(b.tags[0] ?? '\uffff') || a.id.localeCompare(b.id));
	const layersBytes = [...layers.values()].reduce((sum, layer) => sum + (layer.sizeBytes ?? 0), 0);
	return {
		listing: {
			engine: 'archive',
			url: reference,
			images: storeImages,
			containers: [],
			totals: {images: storeImages.length, active: 0, layersBytes, reclaimableBytes: layersBytes},
		},
		layers: [...layers.values()].sort(
			(a, b) => (b.sizeBytes ?? -1) - (a.sizeBytes ?? -1) || b.images.length - a.images.length || a.chainId.localeCompare(b.chainId),
		),
	};
}
