// Every image of the local engine with the figures `docker system df -v` gives, read from the engine's API: nothing is
// exported to list it. Sizes, shared sizes and container counts are the engine's own (`/system/df`); RootFS layers,
// digests and the creation time come from one inspect per image.
import {InputError} from '../util/errors.js';
import {visible} from '../util/sanitize.js';
import {chainIds} from './chain-id.js';
import {array, count, imageSummary, object, strings, text, type ImageSummary} from './engine-answers.js';
import {EngineNotFound, imagePath, type StoreClient} from './engine-api.js';
import {mapLimit} from './pool.js';
import {storeTotals} from './totals.js';
import type {StoreContainer, StoreImage, StoreListing} from './types.js';

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
				throw new InputError(`images kept being removed from the ${client.endpoint.kind === 'docker' ? 'Docker engine' : 'Podman storage'} while they were listed; try again`, 'missing');
		}
	}
}

function containerSummary(value: unknown): StoreContainer | null {
	const item = object(value);
	const id = text(item.Id);
	const imageId = text(item.ImageID);
	if (!id || !imageId) return null;
	return {id, names: strings(item.Names).map(name => name.replace(/^\//, '')), imageId, state: text(item.State) ?? ''};
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
	const df = object(await client.getJson('/system/df', 'the engine has no /system/df'));
	const counted = array(df.Images).map(imageSummary).filter((image): image is ImageSummary => image !== null);
	const inDf = new Set(counted.map(image => image.id));
	const extra = all
		? array(await client.getJson('/images/json?all=1&shared-size=1', 'the engine has no /images/json'))
				.map(imageSummary)
				.filter((image): image is ImageSummary => image !== null && !inDf.has(image.id))
		: [];
	const containers = array(await client.getJson('/containers/json?all=1', 'the engine has no /containers/json'))
		.map(containerSummary)
		.filter((container): container is StoreContainer => container !== null);
	const summaries = [...counted, ...extra];
	const parents = new Set(summaries.map(image => image.parentId).filter(id => id !== null));
	const inspected = await mapLimit(summaries, INSPECT_CONCURRENCY, image => inspect(client, image.id));
	const images = summaries.map((summary, i): StoreImage => {
		const {diffIds, digests, created} = inspected[i];
		const untagged = summary.tags.length === 0;
		const intermediate = untagged && !inDf.has(summary.id) && parents.has(summary.id);
		// An intermediate image's layers are all in its child (a child stacks layers on its parent's), so all shared.
		const sharedBytes = inDf.has(summary.id) ? summary.sharedBytes : intermediate ? summary.sizeBytes : null;
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
		};
	});
	images.sort((a, b) => b.sizeBytes - a.sizeBytes || (a.tags[0] ?? '\uffff').localeCompare(b.tags[0] ?? '\uffff') || a.id.localeCompare(b.id));
	return {
		engine: client.endpoint.kind,
		url: client.endpoint.url,
		images,
		containers,
		totals: storeTotals(count(df.LayersSize) ?? 0, counted),
	};
}

/** The line for an image the list names but the engine no longer has. */
export function imageRemoved(image: Pick<StoreImage, 'id' | 'tags'>, engine: 'docker' | 'podman'): InputError {
	const name = image.tags[0] ? `${visible(image.tags[0])} (${image.id.slice(7, 19)})` : image.id.slice(7, 19);
	const where = engine === 'docker' ? 'Docker engine' : 'Podman storage';
	return new InputError(`image ${name} was removed from the ${where} after the list was read; refresh the list`, 'missing');
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
