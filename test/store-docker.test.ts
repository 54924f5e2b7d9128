// The store view's library against the real Docker engine: images that share a base, a dangling image made by
// rebuilding a tag, a container using an image, intermediates with -a; the figures compared with the engine's own
// /system/df answer field by field and with `docker system df`.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {after, before, describe, test} from 'node:test';
import {StoreAnalyser} from '../source/store/analyse-all.js';
import {StoreClient} from '../source/store/engine-api.js';
import {layerView} from '../source/store/layer-view.js';
import {checkStillThere, listStore} from '../source/store/list.js';
import {runImagesArgs} from '../source/store/command.js';
import {StoreSession} from '../source/store/session.js';
import type {StoreImage, StoreListing} from '../source/store/types.js';
import {loadImage} from '../source/sources/load.js';
import {registerSources} from '../source/sources/register.js';
import {formatBytes} from '../source/util/format.js';
import {dockerBuild, dockerUnavailable} from './helpers/docker.js';
import {
	buildStoreFixture,
	dockerHumanSize,
	engineGet,
	imageId,
	LABEL,
	removeStoreFixture,
	RUN,
	runImageIds,
	type StoreFixture,
} from './helpers/store-docker.js';

const reason = process.env.LAYERSCOPE_TEST_DOCKER === '1' ? null : dockerUnavailable();
const client = (): StoreClient => StoreClient.forKind('docker', {});
const LAYERDB = '/var/lib/docker/image/overlay2/layerdb/sha256';

let fixture: StoreFixture;

function find(listing: StoreListing, id: string): StoreImage {
	const image = listing.images.find(candidate => candidate.id === id);
	assert.ok(image, `${id} is listed`);
	return image;
}

/** What a user reads in one row, without the ids. */
function figures(image: StoreImage): object {
	const {tags, sizeBytes, sharedBytes, uniqueBytes, containers, dangling, intermediate} = image;
	return {tags, sizeBytes, sharedBytes, uniqueBytes, layers: image.diffIds.length, containers, dangling, intermediate};
}

async function capture(args: string[]): Promise<{code: number; stdout: string; stderr: string}> {
	let stdout = '';
	let stderr = '';
	const code = await runImagesArgs(args, {stdout: {write: (text: string) => (stdout += text)}, stderr: {write: (text: string) => (stderr += text)}, env: {}});
	return {code, stdout, stderr};
}

/** The engine's /system/df as the figures that matter, to tell whether the store changed between two reads. */
function dfKey(df: unknown): string {
	const answer = df as {LayersSize: number; Images: {Id: string; Size: number; SharedSize: number; Containers: number}[]};
	return JSON.stringify([answer.LayersSize, answer.Images.map(image => [image.Id, image.Size, image.SharedSize, image.Containers]).sort()]);
}

/** Other tests build and remove images on this engine meanwhile: retry until nothing changed around `read`. */
async function quiet<T>(read: () => Promise<T>): Promise<{df: unknown; value: T}> {
	for (let attempt = 0; attempt < 20; attempt++) {
		const before = await engineGet('/system/df');
		const value = await read();
		const after = await engineGet('/system/df');
		if (dfKey(before) === dfKey(after)) return {df: after, value};
		await new Promise(resolve => setTimeout(resolve, 500));
	}
	throw new Error('the engine kept changing for 20 reads');
}

describe('the local store of a real Docker engine', {skip: reason ?? false, timeout: 900_000}, () => {
	before(() => {
		registerSources();
		removeStoreFixture();
		fixture = buildStoreFixture();
	});
	after(() => removeStoreFixture());

	test('images that share a base, a dangling image made by rebuilding a tag, a container using an image', async () => {
		const listing = await listStore(client());
		const B = fixture.baseBytes;
		const rebuiltBytes = Buffer.byteLength(`${RUN}-2-rebuilt\n`);
		assert.deepEqual(figures(find(listing, fixture.shared.id)), {
			tags: [fixture.shared.tag],
			sizeBytes: B + 40000,
			sharedBytes: B + 40000,
			uniqueBytes: 0,
			layers: 2,
			containers: 0,
			dangling: false,
			intermediate: false,
		});
		assert.deepEqual(figures(find(listing, fixture.a.id)), {
			tags: [fixture.a.tag],
			sizeBytes: B + 60000,
			sharedBytes: B + 40000,
			uniqueBytes: 20000,
			layers: 4,
			containers: 0,
			dangling: false,
			intermediate: false,
		});
		assert.deepEqual(figures(find(listing, fixture.b.id)), {
			tags: [fixture.b.tag],
			sizeBytes: B + 70000,
			sharedBytes: B + 40000,
			uniqueBytes: 30000,
			layers: 3,
			containers: 1,
			dangling: false,
			intermediate: false,
		});
		assert.deepEqual(figures(find(listing, fixture.rebuilt.id)), {
			tags: [fixture.rebuilt.tag],
			sizeBytes: B + rebuiltBytes,
			sharedBytes: B,
			uniqueBytes: rebuiltBytes,
			layers: 2,
			containers: 0,
			dangling: false,
			intermediate: false,
		});
		const dangling = find(listing, fixture.dangling.id);
		assert.deepEqual(figures(dangling), {
			tags: [],
			sizeBytes: B + fixture.dangling.bytes,
			sharedBytes: B,
			uniqueBytes: fixture.dangling.bytes,
			layers: 2,
			containers: 0,
			dangling: true,
			intermediate: false,
		});
		assert.deepEqual(dangling.digests, []);
		// Layers and creation time as `docker image inspect` states them.
		const inspect = JSON.parse(execFileSync('docker', ['image', 'inspect', fixture.a.tag], {encoding: 'utf8'}))[0];
		assert.deepEqual(find(listing, fixture.a.id).diffIds, inspect.RootFS.Layers);
		assert.equal(find(listing, fixture.a.id).created, inspect.Created);
		assert.deepEqual(
			listing.containers.filter(container => container.names.includes(fixture.container)).map(container => container.imageId),
			[fixture.b.id],
		);
		// No intermediate image without -a.
		assert.equal(listing.images.filter(image => image.intermediate).length, 0);
	});

	test("every figure is the engine's /system/df answer, and the totals are `docker system df`'s", async () => {
		const {df, value} = await quiet(async () => ({
			listing: await listStore(client()),
			cli: execFileSync('docker', ['system', 'df', '--format', '{{json .}}'], {encoding: 'utf8'}),
		}));
		const answer = df as {LayersSize: number; Images: {Id: string; RepoTags: string[] | null; Size: number; SharedSize: number; Containers: number}[]};
		const {listing} = value;
		assert.equal(listing.images.length, answer.Images.length);
		for (const image of answer.Images) {
			const listed = find(listing, image.Id);
			assert.deepEqual(
				[listed.tags, listed.sizeBytes, listed.sharedBytes, listed.uniqueBytes, listed.containers],
				[(image.RepoTags ?? []).filter(tag => tag !== '<none>:<none>'), image.Size, image.SharedSize, image.Size - image.SharedSize, image.Containers],
				image.Id,
			);
		}
		assert.equal(listing.totals.layersBytes, answer.LayersSize);
		assert.equal(listing.totals.images, answer.Images.length);
		const images = value.cli
			.split('\n')
			.filter(Boolean)
			.map(line => JSON.parse(line))
			.find(line => line.Type === 'Images');
		const {totals} = listing;
		const percent = totals.layersBytes > 0 ? ` (${Math.trunc((totals.reclaimableBytes * 100) / totals.layersBytes)}%)` : '';
		assert.deepEqual(
			{TotalCount: images.TotalCount, Active: images.Active, Size: images.Size, Reclaimable: images.Reclaimable},
			{
				TotalCount: String(totals.images),
				Active: String(totals.active),
				Size: dockerHumanSize(totals.layersBytes),
				Reclaimable: dockerHumanSize(totals.reclaimableBytes) + percent,
			},
		);
		assert.ok(totals.active >= 1, 'the container makes its image active');
	});

	test('-a adds the classic builder’s intermediate images, marked, every byte shared with a child', async () => {
		const listing = await listStore(client(), {all: true});
		const ours = new Set(runImageIds(true));
		const expected = [...ours].filter(id => !runImageIds(false).includes(id)).sort();
		// The labelled steps that are no image of their own: the LABEL step under the base, a's first RUN under a.
		const parent = (tag: string): string => execFileSync('docker', ['image', 'inspect', '--format', '{{.Parent}}', tag], {encoding: 'utf8'}).trim();
		assert.deepEqual(expected, [parent(fixture.shared.tag), parent(fixture.a.tag)].sort());
		const intermediates = listing.images.filter(image => ours.has(image.id) && image.intermediate);
		assert.deepEqual(intermediates.map(image => image.id).sort(), expected);
		for (const image of intermediates) {
			assert.deepEqual([image.tags, image.dangling, image.uniqueBytes], [[], false, 0]);
			assert.equal(image.sharedBytes, image.sizeBytes);
		}
		// The dangling image has no child: still dangling, not intermediate.
		assert.deepEqual([find(listing, fixture.dangling.id).dangling, find(listing, fixture.dangling.id).intermediate], [true, false]);
	});

	test('the layer view: each layer with its size and the images that use it, largest first', async () => {
		const listing = await listStore(client());
		const layers = await layerView(client(), listing);
		const byChain = new Map(layers.map(layer => [layer.chainId, layer]));
		const a = find(listing, fixture.a.id);
		assert.deepEqual(
			a.chainIds.map(chainId => byChain.get(chainId)?.sizeBytes),
			[fixture.baseBytes, 40000, 20000, 0],
		);
		const sharedLayer = byChain.get(a.chainIds[1]);
		assert.deepEqual(sharedLayer?.images.slice().sort(), [fixture.shared.id, fixture.a.id, fixture.b.id].sort());
		assert.deepEqual(byChain.get(a.chainIds[2])?.images, [fixture.a.id]);
		assert.equal(sharedLayer?.diffId, a.diffIds[1]);
		for (const id of [fixture.shared.id, fixture.a.id, fixture.b.id, fixture.rebuilt.id, fixture.dangling.id]) {
			const image = find(listing, id);
			assert.equal(
				image.chainIds.reduce((sum, chainId) => sum + (byChain.get(chainId)?.sizeBytes ?? NaN), 0),
				image.sizeBytes,
				id,
			);
		}
		const sizes = layers.map(layer => layer.sizeBytes ?? -1);
		assert.deepEqual(
			sizes,
			sizes.slice().sort((x, y) => y - x),
		);
		// Where the engine's layer database is readable (root, overlay2): the chain IDs are the engine's, the sizes its.
		if (existsSync(LAYERDB))
			for (const chainId of a.chainIds)
				assert.equal(Number(readFileSync(`${LAYERDB}/${chainId.slice(7)}/size`, 'utf8')), byChain.get(chainId)?.sizeBytes, chainId);
	});

	test('analyse all: bounded concurrency, progress, wasted bytes and the top finding, results cached by image ID', async () => {
		const listing = await listStore(client());
		let inFlight = 0;
		let most = 0;
		let loads = 0;
		const analyser = new StoreAnalyser(client().endpoint, {
			concurrency: 2,
			load: async (open, options) => {
				loads++;
				most = Math.max(most, ++inFlight);
				try {
					return await loadImage(open.reference, options);
				} finally {
					inFlight--;
				}
			},
		});
		const images = [fixture.shared.id, fixture.a.id, fixture.b.id, fixture.rebuilt.id].map(id => find(listing, id));
		const done: number[] = [];
		const outcomes = await analyser.analyseAll(images, {onProgress: progress => progress.loading || done.push(progress.done)});
		assert.deepEqual(done, [1, 2, 3, 4]);
		assert.equal(most, 2);
		assert.deepEqual(
			outcomes.map(outcome => [outcome.id, outcome.waste?.wastedBytes]),
			images.map(image => [image.id, image.id === fixture.a.id ? 40000 : 0]),
		);
		const a = analyser.cached(fixture.a.id);
		assert.deepEqual(a, {
			id: fixture.a.id,
			wastedBytes: 40000,
			byCause: {removed: 40000, overwritten: 0, duplicate: 0},
			topFinding: 'saves 40.0 kB: merge layers 1–3 into one RUN: a layer stores only what is left at its end',
		});
		assert.equal(await analyser.analyse(find(listing, fixture.a.id)), a);
		assert.equal(loads, 4);
	});

	test('an image removed while the list is open: one clear line when it is opened, analysed or its layers are read', async () => {
		const tag = dockerBuild(`${RUN}-gone:1`, `FROM ${fixture.shared.tag}\nRUN echo gone > /gone\n`);
		const id = imageId(tag);
		const listing = await listStore(client());
		const image = find(listing, id);
		execFileSync('docker', ['rmi', tag], {stdio: 'ignore'});
		const line = `image ${tag} (${id.slice(7, 19)}) was removed from the Docker engine after the list was read; refresh the list`;
		await assert.rejects(checkStillThere(client(), image), {message: line, kind: 'missing'});
		await assert.rejects(new StoreAnalyser(client().endpoint).analyse(image), {message: line, kind: 'missing'});
		await assert.rejects(layerView(client(), listing), {message: line});
	});

	test('a store session, as the store view uses it: list, layers, open, analyse all, most wasted first', async () => {
		const session = new StoreSession('docker', {env: {}});
		assert.equal(await StoreSession.engineAnswers('docker', {}), true);
		const listing = await session.refresh();
		assert.equal(session.current, listing);
		const layers = await session.layerView();
		assert.equal(await session.layerView(), layers, 'one layer view per list');
		assert.deepEqual(await session.open(find(listing, fixture.a.id)), {reference: `docker://${fixture.a.id}`});
		const ours = new Set([fixture.shared.id, fixture.a.id, fixture.b.id]);
		listing.images = listing.images.filter(image => ours.has(image.id));
		const done: number[] = [];
		await session.analyseAll({onProgress: progress => progress.loading || done.push(progress.done)});
		assert.deepEqual(done, [1, 2, 3]);
		// Ties keep the list's order, largest first: b (30000 of its own) before the base.
		assert.deepEqual(
			session.mostWasted().map(({image, waste}) => [image.id, waste.wastedBytes]),
			[
				[fixture.a.id, 40000],
				[fixture.b.id, 0],
				[fixture.shared.id, 0],
			],
		);
	});

	test('`layerscope images --json`: the documented shape, byte-exact', async () => {
		const result = await capture(['--json']);
		assert.equal(result.code, 0, result.stderr);
		const report = JSON.parse(result.stdout);
		assert.deepEqual(Object.keys(report), ['schemaVersion', 'engine', 'url', 'images', 'totals']);
		assert.deepEqual([report.schemaVersion, report.engine, report.url], [1, 'docker', 'unix:///var/run/docker.sock']);
		assert.deepEqual(Object.keys(report.totals), ['images', 'active', 'layersBytes', 'reclaimableBytes']);
		const b = report.images.find((image: {id: string}) => image.id === fixture.b.id);
		const created = execFileSync('docker', ['image', 'inspect', '--format', '{{.Created}}', fixture.b.tag], {encoding: 'utf8'}).trim();
		assert.deepEqual(b, {
			id: fixture.b.id,
			tags: [fixture.b.tag],
			digests: [],
			created,
			sizeBytes: fixture.baseBytes + 70000,
			sharedBytes: fixture.baseBytes + 40000,
			uniqueBytes: 30000,
			layers: 3,
			containers: 1,
			dangling: false,
			intermediate: false,
			wastedBytes: null,
			topFinding: null,
		});
		const dangling = report.images.find((image: {id: string}) => image.id === fixture.dangling.id);
		assert.deepEqual([dangling.tags, dangling.dangling], [[], true]);
		const sizes = report.images.map((image: {sizeBytes: number}) => image.sizeBytes);
		assert.deepEqual(
			sizes,
			sizes.slice().sort((x: number, y: number) => y - x),
			'largest first',
		);
	});

	test('`layerscope images --analyse --json` sorts by wasted bytes, each image with its top finding', async () => {
		const result = await capture(['--analyse', '--json']);
		assert.equal(result.code, 0, result.stderr);
		const images: {id: string; wastedBytes: number | null; topFinding: string | null}[] = JSON.parse(result.stdout).images;
		const a = images.find(image => image.id === fixture.a.id);
		assert.deepEqual([a?.wastedBytes, a?.topFinding], [40000, 'saves 40.0 kB: merge layers 1–3 into one RUN: a layer stores only what is left at its end']);
		assert.deepEqual(images.find(image => image.id === fixture.b.id)?.wastedBytes, 0);
		const wasted = images.map(image => image.wastedBytes ?? -1);
		assert.deepEqual(
			wasted,
			wasted.slice().sort((x, y) => y - x),
		);
	});

	test('`layerscope images --analyse`: a WASTED column, and the images that waste the most with their top finding', async () => {
		const result = await capture(['--analyse']);
		assert.equal(result.code, 0, result.stderr);
		const lines = result.stdout.split('\n');
		assert.deepEqual(lines[2].split(/ {3,}/).slice(-2), ['WASTED', 'NOTE']);
		const row = lines.map(line => line.split(/ {3,}/)).find(cells => cells[2] === fixture.a.id.slice(7, 19));
		assert.equal(row?.[9], '40.0 kB');
		const most = lines.indexOf('Most wasted:');
		assert.ok(most > 0 && lines[most + 1] === '');
		assert.ok(
			lines.slice(most + 2).includes(`40.0 kB  ${fixture.a.tag}: saves 40.0 kB: merge layers 1–3 into one RUN: a layer stores only what is left at its end`),
			result.stdout,
		);
		assert.ok(!lines.slice(most).some(line => line.includes(fixture.b.tag)), 'images that waste nothing are not listed');
	});

	test('the plain table: one row per image like `docker system df -v`, dangling marked, then the Images totals', async () => {
		const result = await capture([]);
		assert.equal(result.code, 0, result.stderr);
		const lines = result.stdout.split('\n');
		assert.equal(lines[0], 'Images space usage:');
		const cells = (line: string): string[] => line.split(/ {3,}/);
		assert.deepEqual(cells(lines[2]), ['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE', 'SHARED SIZE', 'UNIQUE SIZE', 'LAYERS', 'CONTAINERS', 'NOTE']);
		const row = (id: string): string[] | undefined => lines.map(cells).find(cell => cell[2] === id.slice(7, 19));
		const when = (tag: string): string =>
			execFileSync('docker', ['image', 'inspect', '--format', '{{.Created}}', tag], {encoding: 'utf8'})
				.trim()
				.replace('T', ' ')
				.replace(/\.\d+Z$/, '');
		const B = fixture.baseBytes;
		assert.deepEqual(row(fixture.b.id), [
			`${RUN}-b`,
			'1',
			fixture.b.id.slice(7, 19),
			when(fixture.b.tag),
			formatBytes(B + 70000),
			formatBytes(B + 40000),
			'30.0 kB',
			'3',
			'1',
		]);
		assert.deepEqual(row(fixture.dangling.id), [
			'<none>',
			'<none>',
			fixture.dangling.id.slice(7, 19),
			when(fixture.dangling.id),
			formatBytes(B + fixture.dangling.bytes),
			formatBytes(B),
			`${fixture.dangling.bytes} B`,
			'2',
			'0',
			'dangling',
		]);
		const totals = lines.findIndex(line => line.startsWith('TYPE '));
		assert.deepEqual(cells(lines[totals]), ['TYPE', 'TOTAL', 'ACTIVE', 'SIZE', 'RECLAIMABLE']);
		assert.match(lines[totals + 1], /^Images {3,}\d+ {3,}\d+ {3,}[\d.]+ [kMGT]?B {3,}[\d.]+ [kMGT]?B \(\d+%\)$/);
		assert.equal(lines.at(-1), '');
		assert.equal(lines.length, totals + 3);
	});

	test('`layerscope images --layers`: who shares each layer, as JSON and as a table', async () => {
		const a = (await listStore(client())).images.find(image => image.id === fixture.a.id);
		assert.ok(a);
		const json = await capture(['--layers', '--json']);
		assert.equal(json.code, 0, json.stderr);
		const report = JSON.parse(json.stdout);
		assert.deepEqual(Object.keys(report), ['schemaVersion', 'engine', 'url', 'layers']);
		const shared = report.layers.find((layer: {chainId: string}) => layer.chainId === a.chainIds[1]);
		shared.images.sort((x: {id: string}, y: {id: string}) => x.id.localeCompare(y.id));
		assert.deepEqual(shared, {
			chainId: a.chainIds[1],
			diffId: a.diffIds[1],
			sizeBytes: 40000,
			images: [fixture.shared, fixture.a, fixture.b].map(image => ({id: image.id, tags: [image.tag]})).sort((x, y) => x.id.localeCompare(y.id)),
		});
		const text = await capture(['--layers']);
		assert.equal(text.code, 0, text.stderr);
		const lines = text.stdout.split('\n');
		assert.deepEqual([lines[0], lines[2].split(/ {3,}/)], ['Layers space usage:', ['LAYER', 'DIFF ID', 'SIZE', 'IMAGES', 'USED BY']]);
		const row = lines.map(line => line.split(/ {3,}/)).find(cells => cells[0] === a.chainIds[2].slice(7, 19));
		assert.deepEqual(row, [a.chainIds[2].slice(7, 19), a.diffIds[2].slice(7, 19), '20.0 kB', '1', fixture.a.tag]);
	});

	test('`-a` in the plain table marks intermediates', async () => {
		const result = await capture(['-a']);
		assert.equal(result.code, 0, result.stderr);
		const ours = new Set(
			runImageIds(true)
				.filter(id => !runImageIds(false).includes(id))
				.map(id => id.slice(7, 19)),
		);
		const rows = result.stdout
			.split('\n')
			.map(line => line.split(/ {3,}/))
			.filter(cell => ours.has(cell[2]));
		assert.equal(rows.length, ours.size);
		assert.ok(rows.every(cell => cell[0] === '<none>' && cell.at(-1) === 'intermediate'));
	});
});

test('cleanup leaves nothing of this run behind', {skip: reason ?? false}, () => {
	assert.deepEqual(runImageIds(true), []);
	assert.equal(execFileSync('docker', ['ps', '-a', '-q', '--filter', `label=${LABEL}=${RUN}`], {encoding: 'utf8'}).trim(), '');
});
