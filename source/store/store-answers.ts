// The engine's answers the list is made of, read as each engine gives them. Docker: `/system/df` is the list (the
// images `docker image ls` shows, with SharedSize and Containers) and gives LayersSize; `-a` adds `/images/json?all=1`.
// Podman's compat API (4.x) differs: its `/system/df` names images by bare hex IDs, gives a tag without its
// repository, lists intermediate images too and answers LayersSize 0; its `/images/json` has the right names but no
// SharedSize. So for Podman the list is `/images/json`, SharedSize and Containers come from `/system/df` by ID, and
// the layers' disk size is left to the caller (null) to add up from the layer sizes.
import {array, count, imageSummary, object, strings, text, type ImageSummary} from './engine-answers.js';
import type {StoreClient} from './engine-api.js';
import type {StoreContainer} from './types.js';

export interface StoreAnswers {
	/** The images `image ls` shows, counted in the totals. */
	counted: ImageSummary[];
	/** Intermediate images: shown with `-a`. */
	intermediates: ImageSummary[];
	/** Disk the layers take, each once; null when the engine does not say. */
	layersBytes: number | null;
	containers: StoreContainer[];
}

const sha256 = (id: string): string => (id.startsWith('sha256:') ? id : `sha256:${id}`);

function summaries(answer: unknown): ImageSummary[] {
	return array(answer)
		.map(imageSummary)
		.filter((image): image is ImageSummary => image !== null)
		.map(image => ({...image, id: sha256(image.id), parentId: image.parentId && sha256(image.parentId)}));
}

function containerSummary(value: unknown): StoreContainer | null {
	const item = object(value);
	const id = text(item.Id);
	const imageId = text(item.ImageID);
	if (!id || !imageId) return null;
	return {id, names: strings(item.Names).map(name => name.replace(/^\//, '')), imageId: sha256(imageId), state: text(item.State) ?? ''};
}

async function containers(client: StoreClient): Promise<StoreContainer[]> {
	return array(await client.getJson('/containers/json?all=1', 'the engine has no /containers/json'))
		.map(containerSummary)
		.filter((container): container is StoreContainer => container !== null);
}

const allImages = (client: StoreClient): Promise<unknown> => client.getJson('/images/json?all=1&shared-size=1', 'the engine has no /images/json');

export async function dockerAnswers(client: StoreClient, all: boolean): Promise<StoreAnswers> {
	const df = object(await client.getJson('/system/df', 'the engine has no /system/df'));
	// An engine whose /system/df has no Images list: /images/json gives SharedSize and Containers since API 1.42.
	const counted = summaries(Array.isArray(df.Images) ? df.Images : await client.getJson('/images/json?shared-size=1', 'the engine has no /images/json'));
	const inDf = new Set(counted.map(image => image.id));
	const intermediates = all ? summaries(await allImages(client)).filter(image => !inDf.has(image.id)) : [];
	return {counted, intermediates, layersBytes: count(df.LayersSize), containers: await containers(client)};
}

export async function podmanAnswers(client: StoreClient, all: boolean): Promise<StoreAnswers> {
	const df = new Map(summaries(object(await client.getJson('/system/df', 'the service has no /system/df')).Images).map(image => [image.id, image]));
	const fromDf = (image: ImageSummary): ImageSummary => ({
		...image,
		sharedBytes: df.get(image.id)?.sharedBytes ?? null,
		containers: df.get(image.id)?.containers ?? image.containers,
	});
	const counted = summaries(await client.getJson('/images/json', 'the service has no /images/json')).map(fromDf);
	const listed = new Set(counted.map(image => image.id));
	const intermediates = all
		? summaries(await allImages(client))
				.filter(image => !listed.has(image.id))
				.map(fromDf)
		: [];
	return {counted, intermediates, layersBytes: null, containers: await containers(client)};
}
