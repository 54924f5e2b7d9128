// skopeo's dir: layout: built in code, written by the real skopeo (one image, and `copy --all` of a multi-platform
// index) and by `podman save --format docker-dir`; read as a path or as dir:PATH, with the same figures as the archive.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {loadImage} from '../source/sources/load.js';
import {runCli} from './helpers/cli.js';
import {DIR_VERSION, dirLayout} from './helpers/dir-layout.js';
import {buildImage, dockerArchive, ociLayoutDir, sha256, tempDir, writeTemp, type FixtureImage} from './helpers/fixtures.js';
import {noSkopeo, skopeoCopy, textAt, WASTE_FIGURES, wasteFigures, wasteImage} from './helpers/images.js';
import {podman, podmanUnavailable} from './helpers/podman.js';

const IMAGE = wasteImage(['layerscope-test-dir:1']);

test('a dir: layout (manifest.json, hex-named blobs, version), as a path and as dir:PATH, plain and gzip layers', async () => {
	const {configDigest} = await buildImage(IMAGE);
	for (const compression of ['none', 'gzip'] as const) {
		const dir = await dirLayout(IMAGE, {compression});
		for (const reference of [dir, `dir:${dir}`]) {
			const a = await loadImage(reference);
			assert.deepEqual(a.source, {kind: 'dir', reference: dir});
			assert.deepEqual(a.image.tags, [], 'a dir: layout holds no name');
			assert.equal(a.image.id, configDigest);
			assert.deepEqual(wasteFigures(a), WASTE_FIGURES, `${compression} ${reference}`);
			assert.ok(a.layers.every(l => /^sha256:[0-9a-f]{64}$/.test(l.digest ?? '')));
			assert.equal(await textAt(a, '/etc/conf', 2), 'c'.repeat(10));
			assert.equal(await textAt(a, '/etc/conf', 3), 'd'.repeat(20));
		}
		const json = await runCli([`dir:${dir}`, '--json']);
		assert.equal(json.code, 0, json.stderr);
		assert.deepEqual(JSON.parse(json.stdout).source, {kind: 'dir', reference: dir});
	}
});

test('broken dir: layouts: one line naming the problem, exit 2', async () => {
	const dir = await dirLayout(IMAGE);
	const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {layers: {digest: string}[]};
	const hex = (i: number): string => manifest.layers[i].digest.slice('sha256:'.length);
	const cases: [string, (d: string) => void, string | RegExp][] = [
		['a layer blob is missing', d => rmSync(path.join(d, hex(1))), `the manifest names layer 1 (${hex(1)}), which is missing`],
		[
			'a layer blob is rewritten',
			d => writeFileSync(path.join(d, hex(2)), readFileSync(path.join(d, hex(3)))),
			`layer 2 (${hex(2)}) does not match its digest sha256:${hex(2)} (read sha256:${hex(3)})`,
		],
		[
			'an unknown version',
			d => writeFileSync(path.join(d, 'version'), 'Directory Transport Version: 2.0\n'),
			'not a dir: layout this version of layerscope reads (version file: Directory Transport Version: 2.0)',
		],
		[
			'a docker save unpacked',
			d => writeFileSync(path.join(d, 'manifest.json'), '[{"Config":"x.json","Layers":[]}]'),
			'a directory with a docker save manifest.json: pass the archive itself, not its unpacked files',
		],
		['manifest.json is not JSON', d => writeFileSync(path.join(d, 'manifest.json'), '{"schemaVersion":'), /^manifest sha256:[0-9a-f]{64} is not valid JSON/],
	];
	for (const [name, breakIt, message] of cases) {
		const copy = tempDir();
		for (const file of readdirSync(dir)) writeFileSync(path.join(copy, file), readFileSync(path.join(dir, file)));
		breakIt(copy);
		const result = await runCli([`dir:${copy}`, '--json']);
		assert.equal(result.code, 2, name);
		if (typeof message === 'string') assert.equal(result.stderr, `layerscope: dir:${copy}: ${message}\n`, name);
		else assert.match(result.stderr.replace(`layerscope: dir:${copy}: `, ''), message, name);
		assert.equal(result.stdout, '', name);
	}
	const empty = tempDir();
	const plain = await runCli([empty, '--json']);
	assert.deepEqual(
		[plain.code, plain.stderr],
		[2, `layerscope: ${empty}: a directory, but neither an OCI image layout (no index.json) nor a dir: layout (no manifest.json and version)\n`],
	);
	const noManifest = await runCli([`dir:${empty}`]);
	assert.deepEqual([noManifest.code, noManifest.stderr], [2, `layerscope: dir:${empty}: not a dir: layout (no manifest.json)\n`]);
	const file = writeTemp(await dockerArchive(IMAGE));
	const notDir = await runCli([`dir:${file}`]);
	assert.deepEqual([notDir.code, notDir.stderr], [2, `layerscope: dir:${file}: not a directory (dir: names a layout directory)\n`]);
	const version = tempDir();
	writeFileSync(path.join(version, 'version'), DIR_VERSION);
	mkdirSync(path.join(version, 'manifest.json'));
	const fifoLike = await runCli([version]);
	assert.deepEqual([fifoLike.code, fifoLike.stderr], [2, `layerscope: ${version}: manifest.json is not a regular file\n`]);
});

test('skopeo copy docker-archive: to dir: reads with the archive figures and the same image id', {skip: noSkopeo, timeout: 120_000}, async () => {
	const archive = writeTemp(await dockerArchive(IMAGE));
	const dir = path.join(tempDir(), 'copy');
	skopeoCopy(`docker-archive:${archive}`, `dir:${dir}`);
	assert.equal(readFileSync(path.join(dir, 'version'), 'utf8'), DIR_VERSION);
	const fromArchive = await loadImage(archive);
	const a = await loadImage(dir);
	assert.equal(a.source.kind, 'dir');
	assert.equal(a.image.id, fromArchive.image.id);
	assert.deepEqual(wasteFigures(a), wasteFigures(fromArchive));
	assert.deepEqual(wasteFigures(a), WASTE_FIGURES);
	assert.equal(await textAt(a, '/etc/conf', 2), 'c'.repeat(10));
});

test('skopeo copy --all of a multi-platform index to dir: --platform picks, --list names the platforms', {skip: noSkopeo, timeout: 120_000}, async () => {
	const arm: FixtureImage = {architecture: 'arm64', layers: [{entries: [{name: 'arm', content: 'a'.repeat(7)}]}]};
	const amd: FixtureImage = {architecture: 'amd64', layers: [{entries: [{name: 'amd', content: 'x'.repeat(9)}]}]};
	const layout = await ociLayoutDir(null, {
		platforms: [
			{os: 'linux', architecture: 'amd64', image: amd},
			{os: 'linux', architecture: 'arm64', variant: 'v8', image: arm},
		],
	});
	const dir = path.join(tempDir(), 'all');
	skopeoCopy(`oci:${layout}`, `dir:${dir}`, ['--all']);
	const picked = await loadImage(`dir:${dir}`, {platform: 'linux/arm64'});
	assert.deepEqual([picked.image.architecture, picked.layers.map(l => l.sizeBytes)], ['arm64', [7]]);
	const amd64 = await loadImage(dir, {platform: 'linux/amd64'});
	assert.deepEqual([amd64.image.architecture, amd64.layers.map(l => l.sizeBytes)], ['amd64', [9]]);
	const list = await runCli([`dir:${dir}`, '--list']);
	const digest = sha256(readFileSync(path.join(dir, 'manifest.json')));
	assert.deepEqual([list.code, list.stdout], [0, `${digest}  linux/amd64, linux/arm64/v8\n`]);
	const wrong = await runCli([dir, '--platform', 'linux/s390x', '--json']);
	assert.deepEqual(
		[wrong.code, wrong.stderr],
		[2, `layerscope: ${dir}: no image for platform linux/s390x; choose one with --platform: linux/amd64, linux/arm64/v8\n`],
	);
});

const noPodman = podmanUnavailable() ?? false;
const podmanTag = `localhost/layerscope-test-dir:${process.pid}`;
after(() => {
	if (!noPodman) spawnSync('podman', ['rmi', '-f', podmanTag], {stdio: 'ignore'});
});

test('podman save --format docker-dir writes a dir: layout layerscope reads with the archive figures', {skip: noPodman, timeout: 300_000}, async () => {
	const archive = writeTemp(await dockerArchive({...IMAGE, tags: [podmanTag]}));
	podman(['load', '-q', '-i', archive]);
	const dir = path.join(tempDir(), 'docker-dir');
	podman(['save', '-q', '--format', 'docker-dir', '-o', dir, podmanTag]);
	const a = await loadImage(dir);
	assert.equal(a.source.kind, 'dir');
	assert.equal(a.image.id, (await loadImage(archive)).image.id);
	assert.deepEqual(wasteFigures(a), WASTE_FIGURES);
	assert.equal(await textAt(a, '/etc/conf', 3), 'd'.repeat(20));
});
