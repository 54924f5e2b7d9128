// The store list of a multi-image archive: the same rows as an engine's, layers sized by walking each distinct layer
// once, shared within the archive, nothing in use; as JSON, as a table, the layer view, analyse all, and errors.
import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {listArchive} from '../source/store/archive-list.js';
import {runImagesArgs} from '../source/store/command.js';
import {StoreSession} from '../source/store/session.js';
import {dockerArchive, tempDir, writeTemp, type FixtureImage} from './helpers/fixtures.js';

const base = {entries: [{name: 'bin/x', content: Buffer.alloc(1000, 1)}]};
const IMAGES: FixtureImage[] = [
	// app:1 hides the base's /bin/x: 1000 wasted bytes.
	{
		tags: ['app:1'],
		layers: [
			base,
			{
				entries: [
					{name: 'a', content: Buffer.alloc(200, 2)},
					{name: 'bin/x', type: 'whiteout'},
				],
			},
		],
	},
	{tags: ['app:2', 'app:latest'], layers: [base, {entries: [{name: 'b', content: Buffer.alloc(300, 3)}]}]},
	{layers: [base, {entries: [{name: 'c', content: Buffer.alloc(50, 4)}]}]},
];

async function capture(args: string[], stderrIsTTY = false): Promise<{code: number; stdout: string; stderr: string}> {
	let stdout = '';
	let stderr = '';
	const code = await runImagesArgs(args, {
		stdout: {write: (text: string) => (stdout += text)},
		stderr: {isTTY: stderrIsTTY, write: (text: string) => (stderr += text)},
		env: {},
	});
	return {code, stdout, stderr};
}

for (const layout of ['classic', 'docker25'] as const)
	test(`a multi-image docker save archive (${layout}): sizes, shared and unique bytes, dangling, totals, layer view`, async () => {
		const file = writeTemp(await dockerArchive(IMAGES, {layout}), `store-${layout}.tar`);
		const {listing, layers} = await listArchive(file);
		assert.deepEqual(
			listing.images.map(image => [image.tags, image.sizeBytes, image.sharedBytes, image.uniqueBytes, image.diffIds.length, image.containers, image.dangling]),
			[
				[['app:2', 'app:latest'], 1300, 1000, 300, 2, 0, false],
				[['app:1'], 1200, 1000, 200, 2, 0, false],
				[[], 1050, 1000, 50, 2, 0, true],
			],
		);
		assert.deepEqual([listing.engine, listing.url, listing.totals], ['archive', file, {images: 3, active: 0, layersBytes: 1550, reclaimableBytes: 1550}]);
		assert.deepEqual(
			layers.map(layer => [layer.sizeBytes, layer.images.map(id => listing.images.find(image => image.id === id)?.tags[0] ?? 'untagged')]),
			[
				[1000, ['app:1', 'app:2', 'untagged']],
				[300, ['app:2']],
				[200, ['app:1']],
				[50, ['untagged']],
			],
		);
		assert.equal(layers[0].chainId, layers[0].diffId, 'a base layer is its own chain');
		assert.deepEqual(listing.images[2].open, {reference: file, image: listing.images[2].id.slice(7, 19)});
	});

test('`layerscope images ARCHIVE --json`, the table, --layers, and --analyse with the top finding', async () => {
	const file = writeTemp(await dockerArchive(IMAGES), 'store-cli.tar');
	const json = await capture([file, '--json']);
	assert.equal(json.code, 0, json.stderr);
	const report = JSON.parse(json.stdout);
	assert.deepEqual([report.engine, report.url, report.totals], ['archive', file, {images: 3, active: 0, layersBytes: 1550, reclaimableBytes: 1550}]);
	assert.deepEqual(report.images[1], {
		id: report.images[1].id,
		tags: ['app:1'],
		digests: [],
		created: '2024-01-01T00:00:00Z',
		sizeBytes: 1200,
		sharedBytes: 1000,
		uniqueBytes: 200,
		layers: 2,
		containers: 0,
		dangling: false,
		intermediate: false,
		wastedBytes: null,
		topFinding: null,
	});
	const table = await capture([file]);
	const rows = table.stdout.split('\n').map(line => line.split(/ {3,}/));
	assert.deepEqual(
		rows[3].filter((_, i) => i !== 2),
		['app', '2', '2024-01-01 00:00:00', '1.30 kB', '1.00 kB', '300 B', '2', '0', '+1 tag'],
	);
	assert.deepEqual(rows[5].slice(0, 2).concat(rows[5].slice(-1)), ['<none>', '<none>', 'dangling']);
	assert.deepEqual(rows[8], ['Images', '3', '0', '1.55 kB', '1.55 kB (100%)']);
	const layers = await capture([file, '--layers']);
	assert.deepEqual(layers.stdout.split('\n')[3].split(/ {3,}/).slice(2), ['1.00 kB', '3', `app:1, app:2, ${report.images[2].id.slice(7, 19)}`]);
	const analysed = await capture([file, '--analyse', '--json']);
	assert.equal(analysed.code, 0, analysed.stderr);
	assert.deepEqual(
		JSON.parse(analysed.stdout).images.map((image: {tags: string[]; wastedBytes: number; topFinding: string | null}) => [
			image.tags[0],
			image.wastedBytes,
			image.topFinding,
		]),
		[
			['app:1', 1000, 'saves 1.00 kB: merge layers 0–1 into one RUN: a layer stores only what is left at its end'],
			['app:2', 0, null],
			[undefined, 0, null],
		],
	);
});

test('a store session over an archive: the layer view comes with the list, open gives the archive and the image', async () => {
	const file = writeTemp(await dockerArchive(IMAGES), 'store-session.tar');
	const session = new StoreSession({archive: file});
	const listing = await session.refresh();
	assert.equal((await session.layerView()).length, 4);
	assert.deepEqual(await session.open(listing.images[1]), {reference: file, image: 'app:1'});
	await session.analyseAll();
	assert.deepEqual(
		session.mostWasted().map(({image, waste}) => [image.tags[0], waste.wastedBytes]),
		[
			['app:1', 1000],
			['app:2', 0],
			[undefined, 0],
		],
	);
});

test('archive errors: one line naming the archive, exit 2', async () => {
	const missing = path.join(tempDir(), 'missing.tar');
	assert.deepEqual(await capture([missing]), {code: 2, stdout: '', stderr: `layerscope: ${missing}: no such file or directory\n`});
	const notImage = writeTemp(Buffer.from('not a tar at all'), 'junk.tar');
	const junk = await capture([notImage, '--json']);
	assert.equal(junk.code, 2);
	assert.match(junk.stderr, new RegExp(`^layerscope: ${notImage.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: [^\n]+\n$`));
	assert.deepEqual(await capture([missing, '--source', 'podman']), {
		code: 2,
		stdout: '',
		stderr: `layerscope: images: ${missing} is an archive; --source, docker:// and podman:// name an engine\n`,
	});
});
