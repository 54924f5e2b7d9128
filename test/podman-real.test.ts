// A real Podman over its API socket (`podman system service`, started by .ci/run or here): podman://name, dive's
// --source podman, an image opened by ID with its tags, an image podman built itself, file contents, the errors.
import assert from 'node:assert/strict';
import {copyFileSync, existsSync, mkdirSync, symlinkSync, writeFileSync} from 'node:fs';
import {execFileSync} from 'node:child_process';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {contentsOf} from '../source/content/index.js';
import {lookup, versionAt} from '../source/model/fs-tree.js';
import {loadImage} from '../source/sources/load.js';
import {registerSources} from '../source/sources/register.js';
import {runCli} from './helpers/cli.js';
import {dockerArchive, tempDir, writeTemp} from './helpers/fixtures.js';
import {podman, podmanService, podmanUnavailable, type PodmanService} from './helpers/podman.js';

const reason = podmanUnavailable();
const RUN = `layerscope-test-podman-${process.pid}`;
const TAG = `localhost/${RUN}:1`;
const BUILT = `localhost/${RUN}-built:1`;
const BASE = `localhost/${RUN}-base:1`;
let service: PodmanService;
let env: Record<string, string | undefined>;

interface Report {
	source: {kind: string; reference: string};
	image: {tags: string[]};
	layers: {sizeBytes: number; createdBy: string}[];
	waste: {byCause: Record<string, number>; files: {path: string; sizeBytes: number; cause: string; layerIndex: number; hiddenByLayerIndex: number}[]};
}

async function json(args: string[]): Promise<Report> {
	const result = await runCli([...args, '--json'], {env});
	assert.equal(result.stderr, '', result.stderr);
	assert.equal(result.code, 0);
	return JSON.parse(result.stdout);
}

function checkFixture(report: Report, reference: string, tags = [TAG]): void {
	assert.deepEqual(report.source, {kind: 'podman', reference});
	assert.deepEqual(report.image.tags, tags);
	assert.deepEqual(
		report.layers.map(l => l.sizeBytes),
		[6000, 0, 10, 20],
	);
	assert.deepEqual(report.waste.byCause, {removed: 5000, overwritten: 10, duplicate: 0});
	assert.deepEqual(
		report.waste.files.map(f => `${f.path} ${f.sizeBytes} ${f.cause} ${f.layerIndex}->${f.hiddenByLayerIndex}`),
		['/data/big 5000 removed 0->1', '/etc/conf 10 overwritten 2->3'],
	);
}

describe('a real Podman service', {skip: reason ?? false, timeout: 900_000}, () => {
	before(async () => {
		service = await podmanService();
		env = {CONTAINER_HOST: `unix://${service.socket}`, DOCKER_HOST: undefined};
		const archive = await dockerArchive({
			tags: [TAG],
			layers: [
				{
					entries: [
						{name: 'bin', type: 'directory'},
						{name: 'bin/tool', content: 't'.repeat(1000)},
						{name: 'data', type: 'directory'},
						{name: 'data/big', content: 'b'.repeat(5000)},
					],
					createdBy: '/bin/sh -c #(nop) ADD rootfs',
				},
				{entries: [{name: 'data/big', type: 'whiteout'}], createdBy: '/bin/sh -c rm /data/big'},
				{
					entries: [
						{name: 'etc', type: 'directory'},
						{name: 'etc/conf', content: 'c'.repeat(10)},
					],
					createdBy: '/bin/sh -c write conf',
				},
				{
					entries: [
						{name: 'etc', type: 'directory'},
						{name: 'etc/conf', content: 'd'.repeat(20)},
					],
					createdBy: '/bin/sh -c rewrite conf',
				},
			],
		});
		podman(['load', '-q', '-i', writeTemp(archive)]);
	});
	after(() => {
		for (const tag of [BUILT, BASE, TAG]) podman(['rmi', '-f', '--ignore', tag]);
		service?.stop();
	});

	test('podman://name and --source podman stream the image out of Podman: exact sizes and waste', async () => {
		checkFixture(await json([`podman://${TAG}`]), `podman://${TAG}`);
		checkFixture(await json(['--source', 'podman', TAG]), `podman://${TAG}`);
	});

	test('an image opened by its ID shows the tags Podman gives it', async () => {
		const {Id: id, RepoTags, RepoDigests} = JSON.parse(podman(['image', 'inspect', TAG]))[0] as {Id: string; RepoTags: string[]; RepoDigests: string[]};
		// Podman gives a loaded image a RepoDigest (its manifest's digest): the tags, then the digests.
		assert.deepEqual(RepoTags, [TAG]);
		assert.ok(RepoDigests.length > 0 && RepoDigests.every(digest => digest.startsWith(`localhost/${RUN}@sha256:`)), RepoDigests.join(' '));
		checkFixture(await json([`podman://${id.slice(0, 12)}`]), `podman://${id.slice(0, 12)}`, [TAG, ...RepoDigests]);
		const list = await runCli([`podman://${id}`, '--list'], {env});
		assert.deepEqual([list.code, list.stdout], [0, [TAG, ...RepoDigests].map(name => `${name}\n`).join('')]);
	});

	test(
		'an image podman built itself: the deleted file is waste, the RUN lines are the history',
		{skip: existsSync('/bin/busybox') ? false : '/bin/busybox is missing (busybox-static)'},
		async () => {
			const root = tempDir();
			mkdirSync(path.join(root, 'bin'));
			copyFileSync('/bin/busybox', path.join(root, 'bin/busybox'));
			for (const applet of ['sh', 'dd', 'rm']) symlinkSync('busybox', path.join(root, 'bin', applet));
			podman(['import', '-q', '-', BASE], execFileSync('tar', ['-C', root, '-c', '.'], {maxBuffer: 1 << 28}));
			const context = tempDir();
			writeFileSync(path.join(context, 'Dockerfile'), `FROM ${BASE}\nRUN dd if=/dev/zero of=/big.bin bs=1000 count=300\nRUN rm /big.bin\n`);
			podman(['build', '-q', '--network', 'none', '-t', BUILT, context]);
			const report = await json([`podman://${BUILT}`]);
			assert.equal(report.layers.length, 3);
			assert.deepEqual(
				report.layers.slice(1).map(l => l.sizeBytes),
				[300000, 0],
			);
			assert.match(report.layers[1].createdBy, /dd if=\/dev\/zero of=\/big\.bin/);
			assert.deepEqual(report.waste.byCause, {removed: 300000, overwritten: 0, duplicate: 0});
			assert.deepEqual(report.image.tags, [BUILT]);
		},
	);

	test('file contents of a Podman image (its export read again, up to the layer)', async () => {
		registerSources();
		const saved = process.env.CONTAINER_HOST;
		process.env.CONTAINER_HOST = env.CONTAINER_HOST;
		try {
			const analysis = await loadImage(`podman://${TAG}`, {keepChanges: false});
			const conf = lookup(analysis.tree, '/etc/conf')!;
			const version = versionAt(conf, 2)!;
			const read = await contentsOf(analysis).read({
				path: '/etc/conf',
				shownPath: '/etc/conf',
				layer: version.layer,
				viewLayer: 2,
				size: version.entry!.size,
				hash: version.entry!.hash,
			});
			assert.equal(read.bytes.toString(), 'c'.repeat(10));
		} finally {
			if (saved === undefined) delete process.env.CONTAINER_HOST;
			else process.env.CONTAINER_HOST = saved;
		}
	});

	test('an image Podman does not have, and a platform it does not store: one line, exit 2', async () => {
		const name = `localhost/${RUN}-absent:1`;
		const absent = await runCli([`podman://${name}`], {env});
		assert.deepEqual(
			[absent.code, absent.stderr],
			[2, `layerscope: podman://${name}: image ${name} is not in the local Podman storage; run \`podman pull ${name}\`\n`],
		);
		const other = await runCli([`podman://${TAG}`, '--platform', 'linux/s390x'], {env});
		assert.deepEqual(
			[other.code, other.stderr],
			[
				2,
				`layerscope: podman://${TAG}: the Podman service holds ${TAG} for linux/amd64, not linux/s390x; run \`podman pull --platform linux/s390x ${TAG}\` or read it from a registry\n`,
			],
		);
	});
});
