// Real images made by other tools (../shared/corpus/dive): dive's own figures, formats and layer order.
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {loadImage} from '../source/sources/load.js';
import {CORPUS, runCli} from './helpers/cli.js';

const corpus = (name: string): string => path.join(CORPUS, name);
const haveCorpus = existsSync(corpus('test-docker-image.tar'));

test('test-docker-image.tar gives dive’s own figures exactly (dive’s Test_Analysis)', {skip: !haveCorpus && 'corpus missing'}, async () => {
	const analysis = await loadImage(corpus('test-docker-image.tar'));
	assert.equal(analysis.efficiency.score, 0.9844212134184309);
	assert.equal(analysis.efficiency.sizeBytes, 1220598);
	assert.equal(analysis.efficiency.userSizeBytes, 66237);
	assert.equal(analysis.efficiency.wastedBytes, 32025);
	assert.equal(analysis.efficiency.userWastedPercent, 0.4834911001404049);
	assert.equal(analysis.image.sizeBytes, 1220598);
	assert.deepEqual(analysis.image.tags, ['dive-test:latest']);
	assert.equal(analysis.layers.length, 14);
});

test('test-docker-image.tar: layerscope’s own waste, by cause, with storing and hiding layers', {skip: !haveCorpus && 'corpus missing'}, async () => {
	const analysis = await loadImage(corpus('test-docker-image.tar'));
	assert.equal(analysis.waste.totalBytes, 32025);
	assert.deepEqual(analysis.waste.byCause, {removed: 19215, overwritten: 0, duplicate: 12810});
	const files = analysis.waste.files.map(f => `${f.path} ${f.cause} ${f.layerIndex}->${f.hiddenByLayerIndex}`).sort();
	assert.deepEqual(files, [
		'/root/example/somefile1.txt duplicate 3->4',
		'/root/example/somefile1.txt removed 4->9',
		'/root/example/somefile2.txt removed 5->9',
		'/root/example/somefile3.txt removed 6->7',
		'/root/saved.txt duplicate 7->13',
	]);
	// `chmod 444` in layer 4 rewrote the file with the same bytes: modified (mode), content unchanged.
	const chmod = analysis.layers[4].changes.find(c => c.path === '/root/example/somefile1.txt');
	assert.deepEqual([chmod?.status, chmod?.contentChanged], ['modified', false]);
	assert.equal(analysis.layers[9].hiddenBytes, 12810);
	assert.equal(analysis.layers[9].counts.removed, 1);
	assert.match(analysis.layers[2].createdBy ?? '', /mkdir -p \/root\/example\/really\/nested/);
});

test('test-kaniko-image.tar (gzip layers, kaniko history) gives the dive-algorithm figures', {skip: !haveCorpus && 'corpus missing'}, async () => {
	const analysis = await loadImage(corpus('test-kaniko-image.tar'));
	assert.equal(analysis.efficiency.score, 0.9793688490216431);
	assert.equal(analysis.efficiency.sizeBytes, 1326410);
	assert.equal(analysis.efficiency.userSizeBytes, 94677);
	assert.equal(analysis.efficiency.wastedBytes, 46245);
	assert.equal(analysis.efficiency.userWastedPercent, 0.4884502043790995);
	assert.equal(analysis.waste.totalBytes, 46245);
	assert.ok(analysis.layers.every(layer => layer.compression === 'gzip'));
	assert.equal(analysis.layers[1].createdBy, 'ADD README.md /somefile.txt');
	assert.equal(analysis.layers[0].compressedSizeBytes, 764655);
});

for (const [file, compression, mediaType] of [
	['test-oci-gzip-image.tar', 'gzip', 'application/vnd.oci.image.layer.v1.tar+gzip'],
	['test-oci-zstd-image.tar', 'zstd', 'application/vnd.oci.image.layer.v1.tar+zstd'],
	['test-oci-uncompressed-image.tar', 'none', 'application/vnd.oci.image.layer.v1.tar'],
] as const) {
	test(`${file} loads: one ${compression} layer holding /README.md (11189 bytes)`, {skip: !haveCorpus && 'corpus missing'}, async () => {
		const analysis = await loadImage(corpus(file));
		assert.equal(analysis.source.kind, 'oci-archive');
		assert.equal(analysis.layers.length, 1);
		const [layer] = analysis.layers;
		assert.equal(layer.compression, compression);
		assert.equal(layer.mediaType, mediaType);
		assert.equal(layer.diffId, 'sha256:356d5e7f4012d87cb1078ac1f480e90528eec4940ce45c50380321436db38758');
		assert.equal(layer.sizeBytes, 11189);
		assert.deepEqual(
			layer.changes.map(c => [c.path, c.status, c.sizeBytes]),
			[['/README.md', 'added', 11189]],
		);
		assert.equal(analysis.image.architecture, 'arm64');
		assert.equal(layer.createdBy, 'COPY README.md /README.md # buildkit');
	});
}

test('test-oci-estargz-image.tar: an eStargz layer is gzip; its TOC entry is a file like any other', {skip: !haveCorpus && 'corpus missing'}, async () => {
	const analysis = await loadImage(corpus('test-oci-estargz-image.tar'));
	const [layer] = analysis.layers;
	assert.equal(layer.compression, 'gzip');
	assert.deepEqual(
		layer.changes.map(c => c.path),
		['/README.md', '/stargz.index.json'],
	);
	assert.equal(layer.changes[0].sizeBytes, 11189);
});

test('a bare layer tar (not an image) is refused with one line and exit 2', {skip: !haveCorpus && 'corpus missing'}, async () => {
	const result = await runCli([corpus('test-gzip-image.tar')]);
	assert.equal(result.code, 2);
	assert.equal(result.stdout, '');
	assert.equal(result.stderr, `layerscope: ${corpus('test-gzip-image.tar')}: not a container image archive (no manifest.json or index.json)\n`);
});

test('--json on the dive corpus image carries every required field', {skip: !haveCorpus && 'corpus missing'}, async () => {
	const result = await runCli([corpus('test-docker-image.tar'), '--json']);
	assert.equal(result.code, 0, result.stderr);
	const report = JSON.parse(result.stdout);
	assert.equal(report.schemaVersion, 1);
	assert.deepEqual(report.source, {kind: 'docker-archive', reference: corpus('test-docker-image.tar')});
	for (const key of ['tags', 'id', 'os', 'architecture', 'created', 'config', 'sizeBytes', 'compressedSizeBytes', 'fileCount'])
		assert.ok(key in report.image, key);
	for (const layer of report.layers)
		for (const key of [
			'index',
			'diffId',
			'digest',
			'mediaType',
			'sizeBytes',
			'compressedSizeBytes',
			'createdBy',
			'created',
			'counts',
			'wastedBytes',
			'hiddenBytes',
		])
			assert.ok(key in layer, key);
	for (const key of ['createdBy', 'created', 'emptyLayer', 'layerIndex']) assert.ok(key in report.history[0], key);
	assert.deepEqual(Object.keys(report.waste).sort(), ['byCause', 'files', 'totalBytes']);
	assert.deepEqual(report.efficiency.score, 0.9844212134184309);
	assert.deepEqual(report.efficiency.wastedBytes, 32025);
	assert.deepEqual(report.efficiency.userWastedPercent, 0.4834911001404049);
	assert.equal(report.layers[0].changes, undefined);
	const withFiles = JSON.parse((await runCli([corpus('test-docker-image.tar'), '--json', '--files'])).stdout);
	assert.deepEqual(withFiles.layers[13].changes, [
		{path: '/root', status: 'unchanged', type: 'directory', sizeBytes: 0, mode: 0o700, uid: 0, gid: 0, contentChanged: false},
		{path: '/root/saved.txt', status: 'modified', type: 'file', sizeBytes: 6405, mode: 0o755, uid: 0, gid: 0, contentChanged: false},
	]);
});
