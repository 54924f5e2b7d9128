// The archive layout containerd's exporter writes (what Docker 25+ `docker save` writes with the containerd store):
// a real containerd, started here on its own root, state and socket, `ctr image import` of an image built in code,
// then `ctr image export`; layerscope must read the export with the figures of the original archive, and choose the
// platforms of a multi-platform export from its index (its manifest.json names one platform only).
import assert from 'node:assert/strict';
import {execFileSync, spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {existsSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import type {ImageAnalysis} from '../source/model/types.js';
import {loadImage} from '../source/sources/load.js';
import {runCli} from './helpers/cli.js';
import {dockerArchive, ociArchive, tempDir, writeTemp, type FixtureImage} from './helpers/fixtures.js';
import {textAt, wasteFigures, wasteImage} from './helpers/images.js';

function unavailable(): string | null {
	for (const tool of ['containerd', 'ctr'])
		if (spawnSync(tool, ['--version']).status !== 0) return `${tool} is not installed (Debian package containerd; CI installs it)`;
	if (process.getuid?.() !== 0) return 'containerd needs root';
	return null;
}
const reason = unavailable();

let daemon: ChildProcess | undefined;
let socket = '';
const NAMESPACE = 'layerscope-test';

function ctr(args: string[]): string {
	return execFileSync('ctr', ['--address', socket, '--namespace', NAMESPACE, ...args], {encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe']});
}

/** containerd on a root, state and socket of its own (no CRI, no snapshots used: images are imported unpacked). */
async function startContainerd(): Promise<void> {
	const dir = tempDir('layerscope-containerd-');
	socket = path.join(dir, 'containerd.sock');
	const config = path.join(dir, 'config.toml');
	writeFileSync(
		config,
		[
			'version = 2',
			`root = "${dir}/root"`,
			`state = "${dir}/state"`,
			'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
			`[grpc]\n  address = "${socket}"`,
			`[ttrpc]\n  address = "${socket}.ttrpc"`,
			'[debug]\n  address = ""',
			'[metrics]\n  address = ""',
		].join('\n') + '\n',
	);
	daemon = spawn('containerd', ['--config', config], {stdio: 'ignore'});
	for (let i = 0; i < 200; i++) {
		if (existsSync(socket) && spawnSync('ctr', ['--address', socket, 'version'], {stdio: 'ignore', timeout: 5000}).status === 0) return;
		await new Promise(resolve => setTimeout(resolve, 100));
	}
	throw new Error(`containerd did not answer on ${socket} within 20 s`);
}

/** `ctr image import` of an archive, then `ctr image export` of the named image; the export's path. */
function roundTrip(archive: string, name: string, importArgs: string[] = [], exportArgs: string[] = []): string {
	ctr(['image', 'import', '--no-unpack', ...importArgs, archive]);
	const out = path.join(tempDir(), 'export.tar');
	ctr(['image', 'export', ...exportArgs, out, name]);
	return out;
}

const WASTE = wasteImage(['layerscope-test-ctr:1']);

/** The waste figures, with what names the image and its layers: an export must keep them all. */
function figures(a: ImageAnalysis): unknown {
	return {...wasteFigures(a), id: a.image.id, diffIds: a.layers.map(l => l.diffId), efficiency: a.efficiency.score};
}

describe('ctr image export of a real containerd', {skip: reason ?? false, timeout: 600_000}, () => {
	before(startContainerd);
	after(() => daemon?.kill());

	test('a docker save archive through containerd: the export (blobs/sha256, index.json, manifest.json) has the same figures', async () => {
		const archive = writeTemp(await dockerArchive(WASTE));
		const original = await loadImage(archive);
		const exported = roundTrip(archive, 'docker.io/library/layerscope-test-ctr:1');
		const members = execFileSync('tar', ['-tf', exported], {encoding: 'utf8'}).split('\n');
		assert.ok(members.includes('index.json') && members.includes('manifest.json') && members.includes('oci-layout'), members.join(' '));
		assert.ok(members.some(m => /^blobs\/sha256\/[0-9a-f]{64}$/.test(m)));
		const a = await loadImage(exported);
		assert.deepEqual([a.source.kind, a.image.tags], ['docker-archive', ['layerscope-test-ctr:1']]);
		assert.deepEqual(figures(a), figures(original));
		assert.deepEqual(a.waste.byCause, {removed: 5000, overwritten: 10, duplicate: 0});
		assert.ok(
			a.layers.every(l => /^sha256:[0-9a-f]{64}$/.test(l.digest ?? '')),
			'layers named by digest are checked against it',
		);
		assert.equal(await textAt(a, '/etc/conf', 2), 'c'.repeat(10));
		assert.equal(await textAt(a, '/etc/conf', 3), 'd'.repeat(20));

		// --skip-manifest-json: ctr 1.6 still writes a manifest.json, with RepoTags null; the same figures.
		const bare = path.join(tempDir(), 'bare.tar');
		ctr(['image', 'export', '--skip-manifest-json', bare, 'docker.io/library/layerscope-test-ctr:1']);
		assert.deepEqual(figures(await loadImage(bare)), figures(original));
		const cli = await runCli([`docker-archive:${exported}:layerscope-test-ctr:1`, '--json']);
		assert.equal(cli.code, 0, cli.stderr);
		assert.equal(JSON.parse(cli.stdout).waste.totalBytes, 5010);
	});

	test('gzip layers keep their compressed sizes and digests through the export', async () => {
		const archive = writeTemp(await ociArchive(WASTE, {compression: 'gzip', refName: 'gz'}));
		const original = await loadImage(archive);
		const a = await loadImage(roundTrip(archive, 'example.com/layerscope/gz:gz', ['--base-name', 'example.com/layerscope/gz']));
		assert.deepEqual(figures(a), figures(original));
		assert.deepEqual(
			a.layers.map(l => [l.digest, l.compressedSizeBytes, l.compression]),
			original.layers.map(l => [l.digest, l.compressedSizeBytes, l.compression]),
		);
		assert.ok(a.layers.every(l => l.compression === 'gzip'));
	});

	test('a multi-platform export: --list names the platforms, --platform chooses from the index, not the one manifest.json names', async () => {
		const amd: FixtureImage = {architecture: 'amd64', layers: [{entries: [{name: 'amd', content: 'x'.repeat(9)}]}]};
		const arm: FixtureImage = {architecture: 'arm64', layers: [{entries: [{name: 'arm', content: 'a'.repeat(7)}]}]};
		const archive = writeTemp(
			await ociArchive(null, {
				refName: 'v1',
				platforms: [
					{os: 'linux', architecture: 'amd64', image: amd},
					{os: 'linux', architecture: 'arm64', variant: 'v8', image: arm},
				],
			}),
		);
		const name = 'example.com/layerscope/multi:v1';
		const all = roundTrip(archive, name, ['--all-platforms', '--base-name', 'example.com/layerscope/multi'], ['--all-platforms']);
		const list = await runCli([all, '--list']);
		assert.deepEqual([list.code, list.stdout], [0, `${name}  linux/amd64, linux/arm64/v8\n`]);
		for (const [platform, architecture, sizes] of [
			['linux/arm64', 'arm64', [7]],
			['linux/arm64/v8', 'arm64', [7]],
			['linux/amd64', 'amd64', [9]],
		] as const) {
			const a = await loadImage(all, {platform});
			assert.deepEqual([a.image.architecture, a.layers.map(l => l.sizeBytes)], [architecture, sizes], platform);
		}
		const wrong = await runCli([all, '--platform', 'linux/s390x', '--json']);
		assert.deepEqual(
			[wrong.code, wrong.stderr],
			[2, `layerscope: ${all}: no image for platform linux/s390x; choose one with --platform: linux/amd64, linux/arm64/v8\n`],
		);
		// One platform exported: the index stays whole, the other platform's manifest is not there, and --list says so.
		const one = path.join(tempDir(), 'one.tar');
		ctr(['image', 'export', '--platform', 'linux/arm64/v8', one, name]);
		const listOne = await runCli([one, '--list']);
		assert.deepEqual([listOne.code, listOne.stdout], [0, `${name}  linux/arm64/v8\n`]);
		const picked = await loadImage(one, {platform: 'linux/arm64'});
		assert.deepEqual(
			picked.layers.map(l => l.sizeBytes),
			[7],
		);
	});
});
