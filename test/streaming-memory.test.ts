// Memory follows entries, not bytes: a layer holding one 2 GiB file of zeros streams through with no large buffer.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {loadImage} from '../source/sources/load.js';
import {buildImage} from './helpers/fixtures.js';
import {header, end} from './helpers/raw-tar.js';
import {createHash} from 'node:crypto';

const SIZE = 2 * 1024 * 1024 * 1024;
const CHUNK = Buffer.alloc(1024 * 1024);

/** The layer tar as a stream: header, 2 GiB of zeros from one reused buffer, end blocks. */
function* layerChunks(): Generator<Buffer> {
	yield header({name: 'zeros.bin', size: SIZE});
	for (let done = 0; done < SIZE; done += CHUNK.length) yield CHUNK;
	yield end();
}

test('a 2 GiB file of zeros streams through a docker save archive with bounded memory', {timeout: 300_000}, async t => {
	// The diffID of the layer must be known for the config: hash the same stream once first (cheap, no storage).
	const hash = createHash('sha256');
	let layerSize = 0;
	for (const chunk of layerChunks()) {
		hash.update(chunk);
		layerSize += chunk.length;
	}
	const diffId = 'sha256:' + hash.digest('hex');
	const built = await buildImage({tags: ['zeros:1'], layers: [{entries: []}]});
	const config = JSON.parse(built.config.toString());
	config.rootfs.diff_ids = [diffId];
	const configBytes = Buffer.from(JSON.stringify(config));
	const manifest = Buffer.from(JSON.stringify([{Config: 'config.json', RepoTags: ['zeros:1'], Layers: ['layer/layer.tar']}]));
	const pad = (n: number) => Buffer.alloc((512 - (n % 512)) % 512);

	async function* archive(): AsyncGenerator<Buffer> {
		yield header({name: 'layer/layer.tar', size: layerSize});
		for (const chunk of layerChunks()) yield chunk;
		yield pad(layerSize);
		yield header({name: 'config.json', size: configBytes.length});
		yield Buffer.concat([configBytes, pad(configBytes.length)]);
		yield header({name: 'manifest.json', size: manifest.length});
		yield Buffer.concat([manifest, pad(manifest.length)]);
		yield end();
	}

	global.gc?.();
	const before = process.memoryUsage().rss;
	let peak = before;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
	const analysis = await loadImage('-', {stdin: archive()});
	clearInterval(sampler);
	peak = Math.max(peak, process.memoryUsage().rss);

	assert.equal(analysis.layers[0].sizeBytes, SIZE);
	assert.equal(analysis.image.sizeBytes, SIZE);
	assert.equal(analysis.layers[0].diffId, diffId);
	const growth = (peak - before) / 1024 / 1024;
	t.diagnostic(`RSS growth while streaming 2 GiB: ${growth.toFixed(1)} MiB`);
	assert.ok(growth < 150, `RSS grew by ${growth.toFixed(0)} MiB while streaming 2 GiB`);
});
