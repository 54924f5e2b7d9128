// "Who shares this layer": every layer on disk (by chain ID) with its size and the listed images that use it. The
// engine states a layer's size only in the image history (`/images/{id}/history`, the Size of the step that made it:
// the layer's diff on disk, the unit of the image Size); steps that made no layer are told apart as below.
import {array, count, object, text} from './engine-answers.js';
import {EngineNotFound, imagePath, type StoreClient} from './engine-api.js';
import {imageRemoved} from './removed.js';
import {mapLimit} from './pool.js';
import type {LayerShare, StoreImage, StoreListing} from './types.js';

const HISTORY_CONCURRENCY = 4;

interface Step {
	size: number;
	createdBy: string;
}

/** Metadata-only steps: the classic builder's `#(nop)` and BuildKit's instructions that store no files. */
const NO_LAYER = /#\(nop\)|^(ENV|LABEL|CMD|ENTRYPOINT|EXPOSE|VOLUME|USER|WORKDIR|ARG|ONBUILD|STOPSIGNAL|HEALTHCHECK|SHELL|MAINTAINER)\b/;

/**
 * The size of each layer, base first, from the history steps (base first). The history does not say which steps made
 * a layer; a step with a size did, and of the size-0 steps those that look like metadata did not. When that does not
 * give one step per layer, only the sized steps are trusted if they alone make the count; else the sizes are unknown.
 */
export function layerSizes(steps: readonly Step[], layerCount: number): (number | null)[] {
	const made = steps.filter(step => step.size > 0 || !NO_LAYER.test(step.createdBy.trim()));
	if (made.length === layerCount) return made.map(step => step.size);
	const sized = steps.filter(step => step.size > 0);
	if (sized.length === layerCount) return sized.map(step => step.size);
	return Array.from({length: layerCount}, () => null);
}

async function historySteps(client: StoreClient, image: StoreImage): Promise<Step[]> {
	let answer;
	try {
		answer = await client.getJson(imagePath(image.id, 'history'), 'gone');
	} catch (error) {
		if (error instanceof EngineNotFound) throw imageRemoved(image, client.endpoint.kind);
		throw error;
	}
	// The engine lists the newest step first.
	return array(answer)
		.map(value => object(value))
		.map(step => ({size: count(step.Size) ?? 0, createdBy: text(step.CreatedBy) ?? ''}))
		.reverse();
}

/** Every layer of the listed images, largest first (then the most shared first), with the images that use it. */
export async function layerView(client: StoreClient, listing: Pick<StoreListing, 'images'>): Promise<LayerShare[]> {
	const layers = new Map<string, LayerShare>();
	for (const image of listing.images)
		image.chainIds.forEach((chainId, i) => {
			const layer = layers.get(chainId) ?? {chainId, diffId: image.diffIds[i], sizeBytes: null, images: []};
			if (!layer.images.includes(image.id)) layer.images.push(image.id);
			layers.set(chainId, layer);
		});
	// One history per image is enough for most layers: an image whose layers all have a size by its turn is skipped.
	await mapLimit(listing.images, HISTORY_CONCURRENCY, async image => {
		if (image.chainIds.every(chainId => layers.get(chainId)?.sizeBytes !== null)) return;
		const sizes = layerSizes(await historySteps(client, image), image.chainIds.length);
		sizes.forEach((size, j) => {
			const layer = layers.get(image.chainIds[j]);
			if (layer && layer.sizeBytes === null && size !== null) layer.sizeBytes = size;
		});
	});
	return [...layers.values()].sort(
		(a, b) => (b.sizeBytes ?? -1) - (a.sizeBytes ?? -1) || b.images.length - a.images.length || a.chainId.localeCompare(b.chainId),
	);
}
