// Resources (issue #12): caps on counts, not only bytes. Documents under the 64 MiB JSON limit that hold millions of
// small values, and images of 100,000 layers, end with one line and exit 2 within 45 s and 1.5 GB (before: an
// out-of-memory crash after minutes, or 0.8-2 GB). The biggest archive runs under `npm run fuzz` (LAYERSCOPE_SLOW_TESTS=1).
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {describe, test} from 'node:test';
import {MAX_ARCHIVE_BLOBS, MAX_LABELS, MAX_LAYERS} from '../source/sources/limits.js';
import {countConfig, countDockerArchive, countOciLayout, rawControl, repeated, runBounded, type BoundedResult} from './helpers/hostile-fixtures.js';

const SLOW = process.env.LAYERSCOPE_SLOW_TESTS === '1';
const LIMIT_MS = 45_000;
const LIMIT_RSS = 1.5 * 1024 * 1024 * 1024;

function assertRefusedInBounds(result: BoundedResult, line: RegExp): void {
	assert.equal(result.code, 2, `exit 2, stderr: ${result.stderr}`);
	assert.equal(result.stdout, '');
	assert.match(result.stderr, line);
	assert.equal(result.stderr.split('\n').length, 2, 'one line');
	assert.equal(rawControl(result.stderr), null);
	assert.ok(result.ms < LIMIT_MS, `took ${result.ms} ms`);
	assert.ok(result.maxRssBytes < LIMIT_RSS, `peak RSS ${Math.round(result.maxRssBytes / 1024 / 1024)} MB`);
}

const hex = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

describe('documents holding millions of small values', () => {
	test('a config whose history holds 20 million {} (60 MB): one line naming the count and the limit', async () => {
		const config = countConfig(1, Buffer.concat([Buffer.from('"history":'), repeated('{}', 20_000_000)]));
		assert.ok(config.length < 64 * 1024 * 1024);
		const file = await countDockerArchive(config, 1);
		const line = new RegExp(
			`^layerscope: (\\S+|stdin): config ${hex(config)}\\.json: history has 20,000,000 entries, more than layerscope reads \\(100,000\\)\\n$`,
		);
		assertRefusedInBounds(await runBounded([file, '--json']), line);
	});

	test('a 50 MB config of 4 million small labels, over MAX_LABELS; exactly MAX_LABELS reads', async () => {
		const labels = (count: number): Buffer => {
			const parts: string[] = [];
			for (let i = 0; i < count; i++) parts.push(`"l${i}":""`);
			return Buffer.from(`"config":{"Labels":{${parts.join(',')}}}`);
		};
		const config = countConfig(1, labels(4_000_000));
		const file = await countDockerArchive(config, 1);
		assertRefusedInBounds(
			await runBounded([file]),
			/: config [0-9a-f]{64}\.json: config\.Labels has 4,000,000 labels, more than layerscope reads \(10,000\)\n$/,
		);
		const fine = await runBounded([await countDockerArchive(countConfig(1, labels(MAX_LABELS)), 1), '--json']);
		assert.equal(fine.code, 0, fine.stderr);
		assert.equal(Object.keys(JSON.parse(fine.stdout).image.config.Labels).length, MAX_LABELS);
	});

	test('a 50 MB manifest.json of 4 million tags', async () => {
		const config = countConfig(1);
		const tags: string[] = [];
		for (let i = 0; i < 4_000_000; i++) tags.push(`"t${i}:x"`);
		const manifest = Buffer.from(`[{"Config":"${hex(config)}.json","RepoTags":[${tags.join(',')}],"Layers":["0/layer.tar"]}]`);
		const file = await countDockerArchive(config, 1, manifest);
		assertRefusedInBounds(
			await runBounded([file]),
			/: manifest manifest\.json: an image's RepoTags has 4,000,000 tags, more than layerscope reads \(10,000\)\n$/,
		);
	});

	test('a document of more values than any image has, in no capped field', async () => {
		const config = countConfig(1, Buffer.concat([Buffer.from('"Unread":'), repeated('0', 4_500_000)]));
		const file = await countDockerArchive(config, 1);
		assertRefusedInBounds(await runBounded([file]), /: config [0-9a-f]{64}\.json holds 4,50\d,\d{3} JSON values, more than layerscope reads \(4,000,000\)\n$/);
	});
});

describe('images of 100,000 layers', () => {
	test('an image of exactly MAX_LAYERS layers reads, within the bounds (a docker save of as many too, under npm run fuzz)', async () => {
		const inputs = [countOciLayout(MAX_LAYERS), ...(SLOW ? [await countDockerArchive(countConfig(MAX_LAYERS), MAX_LAYERS)] : [])];
		for (const input of inputs) {
			const result = await runBounded([input, '--json']);
			assert.equal(result.code, 0, result.stderr);
			assert.equal(JSON.parse(result.stdout).layers.length, MAX_LAYERS);
			assert.ok(result.ms < LIMIT_MS, `took ${result.ms} ms`);
			assert.ok(result.maxRssBytes < LIMIT_RSS, `peak RSS ${Math.round(result.maxRssBytes / 1024 / 1024)} MB`);
		}
	});

	test('an OCI layout whose manifest lists 100,000 layers', async () => {
		assertRefusedInBounds(
			await runBounded([countOciLayout(100_000)]),
			/: manifest sha256:[0-9a-f]{64}: layers has 100,000 entries, more than layerscope reads \(10,000\)\n$/,
		);
	});

	test('a docker save of 10,001 layers: manifest.json names more than an image may have', async () => {
		const file = await countDockerArchive(countConfig(10_001), 10_001);
		assertRefusedInBounds(await runBounded([file]), /: manifest manifest\.json: an image's Layers has 10,001 layers, more than layerscope reads \(10,000\)\n$/);
	});

	const blobs = SLOW ? 100_000 : MAX_ARCHIVE_BLOBS + 1;
	test(`a docker save of ${blobs.toLocaleString('en-US')} layers stops at the archive's blob limit, from a file and from stdin`, async () => {
		const file = await countDockerArchive(countConfig(blobs), blobs);
		const line = /^layerscope: (\S+|stdin): the archive holds more than 25,000 layer blobs, more than layerscope reads\n$/;
		assertRefusedInBounds(await runBounded([file]), line);
		const {readFileSync} = await import('node:fs');
		assertRefusedInBounds(await runBounded(['-'], {input: readFileSync(file)}), line);
	});
});
