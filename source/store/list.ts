// Every image of the local engine with the figures `docker system df -v` gives, read from the engine's API: nothing is
// exported to list it. Sizes, shared sizes and container counts are the engine's own (store-answers.ts); RootFS
// layers, digests and the creation time come from one inspect per image.
import type {EngineKind} from '../sources/engine-endpoint.js';
import {InputError} from '../util/errors.js';
import {chainIds} from './chain-id.js';
import {object, strings, text, type ImageSummary} from './engine-answers.js';
import {EngineNotFound, imagePath, type StoreClient} from './engine-api.js';
import {layerView} from './layer-view.js';
import {mapLimit} from './pool.js';
import {imageRemoved} from './removed.js';
import {dockerAnswers, podmanAnswers} from './store-answers.js';
import {storeTotals} from './totals.js';
import type {StoreImage, StoreListing} from './types.js';

/** Inspects in flight at once: the engine answers each from memory, a few in parallel is plenty. */
const INSPECT_CONCURRENCY = 4;
/** An image removed between the list and its inspect means the snapshot is stale: read it again, this many times. */
const ATTEMPTS = 3;

export interface ListOptions {
	/** Intermediate images too (`docker image ls -a`). */
	all?: boolean;
}

class StoreChanged extends Error {}

export async function listStore(client: StoreClient, options: ListOptions = {}): Promise<StoreListing> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await readListing(client, options.all === true);
		} catch (error) {
			if (!(error instanceof StoreChanged)) throw error;
			if (attempt === ATTEMPTS)
				throw new InputError(
					`images kept being removed from the ${client.endpoint.kind === 'docker' ? 'Docker engine' : 'Podman storage'} while they were listed; try again`,
					'missing',
				);
		}
	}
}

interface Inspected {
	diffIds: string[];
	digests: string[];
	created: string | null;
}

async function inspect(client: StoreClient, id: string): Promise<Inspected> {
	let info;
	try {
		info = object(await client.getJson(imagePath(id, 'json'), `image ${id} is gone`));
	} catch (error) {
		if (error instanceof EngineNotFound) throw new StoreChanged();
		throw error;
	}
	return {diffIds: strings(object(info.RootFS).Layers), digests: strings(info.RepoDigests), created: text(info.Created)};
}

async function readListing(client: StoreClient, all: boolean): Promise<StoreListing> {
	const answers = client.endpoint.kind === 'docker' ? await dockerAnswers(client, all) : await podmanAnswers(client, all);
	const counted = new Set(answers.counted.map(image => image.id));
	const summaries = [...answers.counted, ...answers.intermediates];
	const parents = new Set(summaries.map(image => image.parentId).filter(id => id !== null));
	const inspected = await mapLimit(summaries, INSPECT_CONCURRENCY, image => inspect(client, image.id));
	let images = summaries.map((summary, i) =>
		storeImage(client.endpoint.kind, summary, inspected[i], counted.has(summary.id), parents.has(summary.id), answers.containers),
	);
	let layersBytes = answers.layersBytes;
	if (layersBytes === null) {
		// Podman (and an engine without LayersSize) does not sum the layers: add up each layer once, at the size its
		// image history gives. Intermediate images need not be read for it: all their layers are in their children.
		try {
			layersBytes = (await layerView(client, {images})).reduce((sum, layer) => sum + (layer.sizeBytes ?? 0), 0);
		} catch (error) {
			if (error instanceof InputError && error.kind === 'missing') throw new StoreChanged();
			throw error;
		}
	}
	if (!all) images = images.filter(image => counted.has(image.id));
	images.sort((a, b) => b.sizeBytes - a.sizeBytes || (a.tags[0] ?? '\uffff').localeCompare(b.tags[0] ?? '\uffff') || a.id.localeCompare(b.id));
	return {
		engine: client.endpoint.kind,
		url: client.endpoint.url,
		images,
		containers: answers.containers,
		totals: storeTotals(layersBytes, answers.counted),
	};
}

function storeImage(
	kind: EngineKind,
	summary: ImageSummary,
	inspected: Inspected,
	counted: boolean,
	hasChild: boolean,
	containers: StoreListing['containers'],
): StoreImage {
	const {diffIds, digests, created} = inspected;
	const untagged = summary.tags.length === 0;
	const intermediate = untagged && !counted && hasChild;
	// An intermediate image's layers are all in its child (a child stacks layers on its parent's), so all shared.
	const sharedBytes = summary.sharedBytes ?? (intermediate ? summary.sizeBytes : null);
	return {
		id: summary.id,
		tags: summary.tags,
		digests: summary.digests.length > 0 ? summary.digests : digests.filter(digest => digest !== '<none>@<none>'),
		created,
		sizeBytes: summary.sizeBytes,
		sharedBytes,
		uniqueBytes: sharedBytes === null ? null : summary.sizeBytes - sharedBytes,
		diffIds,
		chainIds: chainIds(diffIds),
		containers: summary.containers ?? containers.filter(container => container.imageId === summary.id).length,
		dangling: untagged && !intermediate,
		intermediate,
		parentId: summary.parentId,
		open: {reference: `${kind}://${summary.id}`},
	};
}

/** Throws imageRemoved() when the engine no longer has the image (before opening it from the list). */
export async function checkStillThere(client: StoreClient, image: Pick<StoreImage, 'id' | 'tags'>): Promise<void> {
	try {
		await client.getJson(imagePath(image.id, 'json'), 'gone');
	} catch (error) {
		if (error instanceof EngineNotFound) throw imageRemoved(image, client.endpoint.kind);
		throw error;
	}
}
