// The store list over real Podman's compat API (`podman system service`): its figures compared with Podman's own
// native answer (/libpod/system/df) field by field, dangling and intermediate images, analyse through podman://.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {StoreAnalyser} from '../source/store/analyse-all.js';
import {runImagesArgs} from '../source/store/command.js';
import {StoreClient} from '../source/store/engine-api.js';
import {layerView} from '../source/store/layer-view.js';
import {listStore} from '../source/store/list.js';
import type {StoreImage, StoreListing} from '../source/store/types.js';
import {engineGet} from './helpers/store-docker.js';
import {podmanUnavailable, startPodmanStore, type PodmanStore} from './helpers/store-podman.js';

const reason = podmanUnavailable();
let store: PodmanStore;
const client = (): StoreClient => StoreClient.forKind('podman', {CONTAINER_HOST: `unix://${store.socket}`});

function find(listing: StoreListing, id: string): StoreImage {
	const image = listing.images.find(candidate => candidate.id === id);
	assert.ok(image, `${id} is listed`);
	return image;
}

describe('the local store of real Podman', {skip: reason ?? false, timeout: 900_000}, () => {
	before(async () => {
		store = await startPodmanStore();
	});
	after(() => store?.stop());

	test("every image's figures are Podman's own (/libpod/system/df), dangling and intermediate images marked", async () => {
		const listing = await listStore(client(), {all: true});
		const native = (await engineGet('/v4.0.0/libpod/system/df', store.socket)) as {
			Images: {ImageID: string; Size: number; SharedSize: number; UniqueSize: number; Containers: number}[];
		};
		assert.ok(native.Images.length >= 5, 'base, a, its intermediate, the rebuilt tag and the dangling image');
		for (const image of native.Images) {
			const listed = find(listing, `sha256:${image.ImageID}`);
			assert.deepEqual(
				[listed.sizeBytes, listed.sharedBytes, listed.uniqueBytes, listed.containers],
				[image.Size, image.SharedSize, image.UniqueSize, image.Containers],
				image.ImageID,
			);
		}
		const a = find(listing, store.a.id);
		assert.deepEqual([a.tags, a.containers, a.diffIds.length, a.dangling, a.intermediate], [[store.a.tag], 1, 3, false, false]);
		assert.ok(a.digests.every(digest => digest.startsWith(`${store.a.tag.replace(/:1$/, '')}@sha256:`)) && a.digests.length > 0);
		const dangling = find(listing, store.dangling);
		assert.deepEqual([dangling.tags, dangling.dangling, dangling.intermediate], [[], true, false]);
		// a's first RUN is kept by podman build as an untagged parent of a.
		const parent = find(listing, a.parentId ?? '');
		assert.deepEqual([parent.tags, parent.intermediate, parent.dangling], [[], true, false]);
		const plain = await listStore(client());
		assert.ok(!plain.images.some(image => image.intermediate));
		assert.ok(plain.images.some(image => image.id === store.dangling));
		// Podman answers LayersSize 0: the total is each layer once at its history size.
		const layers = await layerView(client(), listing);
		assert.equal(
			plain.totals.layersBytes,
			layers.reduce((sum, layer) => sum + (layer.sizeBytes ?? 0), 0),
		);
		assert.ok(plain.totals.layersBytes > 0);
		assert.equal(plain.totals.images, plain.images.length);
	});

	test('`layerscope images podman:// --json` and analysing a Podman image', async () => {
		let stdout = '';
		let stderr = '';
		const code = await runImagesArgs(['podman://', '--json'], {
			stdout: {write: (text: string) => (stdout += text)},
			stderr: {write: (text: string) => (stderr += text)},
			env: {CONTAINER_HOST: `unix://${store.socket}`},
		});
		assert.equal(code, 0, stderr);
		const report = JSON.parse(stdout);
		assert.equal(report.engine, 'podman');
		assert.deepEqual(report.images.find((image: {id: string}) => image.id === store.a.id).tags, [store.a.tag]);
		const waste = await new StoreAnalyser(client().endpoint).analyse({id: store.a.id, tags: [store.a.tag], open: {reference: `podman://${store.a.id}`}});
		assert.deepEqual(
			[waste.wastedBytes, waste.topFinding],
			[20000, 'saves 20.0 kB: merge layers 1–2 into one RUN: a layer stores only what is left at its end'],
		);
	});
});
