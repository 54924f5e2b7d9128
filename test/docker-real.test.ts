// Real images built by a real Docker engine: the waste figures on `docker save` and on a skopeo copy to OCI.
import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import path from 'node:path';
import {test} from 'node:test';
import {loadImage} from '../source/sources/load.js';
import type {ImageAnalysis} from '../source/model/types.js';
import {dockerBuild, dockerSave, dockerUnavailable, BASE_IMAGE} from './helpers/docker.js';
import {tempDir} from './helpers/fixtures.js';
import {runCli} from './helpers/cli.js';

const reason = dockerUnavailable();
const skopeo = spawnSync('skopeo', ['--version']).status === 0;

const DOCKERFILE = `FROM ${BASE_IMAGE}
RUN dd if=/dev/zero of=/big.bin bs=1000 count=300
RUN rm /big.bin
RUN dd if=/dev/zero of=/data.bin bs=1000 count=50 && chmod 600 /data.bin
RUN chmod 644 /data.bin
RUN mkdir -p /cache && dd if=/dev/zero of=/cache/a bs=1000 count=20 && dd if=/dev/zero of=/cache/b bs=1000 count=10
RUN rm -rf /cache && mkdir /cache && echo new > /cache/c
`;

let built: {dir: string; save: string} | null = null;
function image(): {dir: string; save: string} {
	if (built) return built;
	const tag = dockerBuild('layerscope-test-waste:1', DOCKERFILE);
	const dir = tempDir();
	const save = path.join(dir, 'waste.tar');
	dockerSave(tag, save);
	built = {dir, save};
	return built;
}

function checkWaste(a: ImageAnalysis): void {
	assert.equal(a.layers.length, 7);
	assert.deepEqual(
		a.layers.slice(1).map(l => l.sizeBytes),
		[300000, 0, 50000, 50000, 30000, 4],
	);
	assert.deepEqual(a.waste.byCause, {removed: 330000, overwritten: 0, duplicate: 50000});
	assert.equal(a.waste.totalBytes, 380000);
	const files = a.waste.files.map(f => `${f.path} ${f.sizeBytes} ${f.cause} ${f.layerIndex}->${f.hiddenByLayerIndex}`);
	assert.deepEqual(files, ['/big.bin 300000 removed 1->2', '/data.bin 50000 duplicate 3->4', '/cache/a 20000 removed 5->6', '/cache/b 10000 removed 5->6']);
	// overlay2 recorded `rm -rf /cache && mkdir /cache` as an opaque whiteout: the lower children are removed.
	assert.deepEqual(
		a.layers[6].changes.filter(c => c.path.startsWith('/cache')).map(c => `${c.status} ${c.path}`),
		['unchanged /cache', 'removed /cache/a', 'removed /cache/b', 'added /cache/c'],
	);
	assert.deepEqual(a.layers.map(l => [l.wastedBytes, l.hiddenBytes]).slice(1), [
		[300000, 0],
		[0, 300000],
		[50000, 0],
		[0, 50000],
		[30000, 0],
		[0, 30000],
	]);
	assert.match(a.layers[4].createdBy ?? '', /chmod 644 \/data\.bin/);
}

test(
	'docker save of a real build: add then delete, chmod rewrite, rm -rf and recreate (opaque whiteout)',
	{skip: reason ?? false, timeout: 600_000},
	async () => {
		const {save} = image();
		const a = await loadImage(save);
		assert.equal(a.source.kind, 'docker-archive');
		assert.deepEqual(a.image.tags, ['layerscope-test-waste:1']);
		checkWaste(a);
		// dive's figures on the same image: the removed /big.bin and /cache children, the rewritten /data.bin.
		assert.ok(a.efficiency.score < 1);
	},
);

test('`docker save | layerscope -` streams the same analysis', {skip: reason ?? false, timeout: 600_000}, async () => {
	image();
	const tar = execFileSync('docker', ['save', 'layerscope-test-waste:1'], {maxBuffer: 1 << 30});
	const result = await runCli(['-', '--json'], {input: tar});
	assert.equal(result.code, 0, result.stderr);
	const report = JSON.parse(result.stdout);
	assert.equal(report.waste.totalBytes, 380000);
	assert.deepEqual(report.waste.byCause, {removed: 330000, overwritten: 0, duplicate: 50000});
});

test(
	'skopeo copy to an OCI layout and to an oci-archive gives the same figures',
	{skip: reason ?? (!skopeo && 'skopeo is not installed (CI installs it)'), timeout: 600_000},
	async () => {
		const {dir, save} = image();
		const layout = path.join(dir, 'oci-layout');
		execFileSync('skopeo', ['copy', '-q', `docker-archive:${save}`, `oci:${layout}:waste`], {timeout: 120_000});
		checkWaste(await loadImage(layout));
		const archive = path.join(dir, 'waste-oci.tar');
		execFileSync('skopeo', ['copy', '-q', '--dest-compress-format', 'zstd', `docker-archive:${save}`, `oci-archive:${archive}:waste`], {timeout: 120_000});
		const a = await loadImage(archive);
		assert.equal(a.source.kind, 'oci-archive');
		assert.ok(a.layers.every(l => l.compression === 'zstd'));
		checkWaste(a);
	},
);
