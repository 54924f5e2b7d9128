// A real Podman over its API socket (`podman system service`, started by .ci/run or here): podman://name, dive's
// --source podman, an image opened by ID with its tags, an image podman built itself, file contents, the errors.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {loadImage} from '../source/sources/load.js';
import {registerSources} from '../source/sources/register.js';
import {runCli} from './helpers/cli.js';
import {dockerArchive, writeTemp} from './helpers/fixtures.js';
import {busyboxRootfs, noBusybox, textAt, WASTE_FIGURES, wasteFigures, wasteImage} from './helpers/images.js';
import {podman, podmanBuild, podmanService, podmanUnavailable, type PodmanService} from './helpers/podman.js';

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
	assert.deepEqual(wasteFigures(report), WASTE_FIGURES);
}

describe('a real Podman service', {skip: reason ?? false, timeout: 900_000}, () => {
	before(async () => {
		service = await podmanService();
		env = {CONTAINER_HOST: `unix://${service.socket}`, DOCKER_HOST: undefined};
		const archive = await dockerArchive(wasteImage([TAG], RUN));
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

	test('an image podman built itself: the deleted file is waste, the RUN lines are the history', {skip: noBusybox}, async () => {
		podman(['import', '-q', '-', BASE], busyboxRootfs(['sh', 'dd', 'rm']));
		podmanBuild(BUILT, `FROM ${BASE}\nRUN dd if=/dev/zero of=/big.bin bs=1000 count=300\nRUN rm /big.bin\n`);
		const report = await json([`podman://${BUILT}`]);
		assert.equal(report.layers.length, 3);
		assert.deepEqual(
			report.layers.slice(1).map(l => l.sizeBytes),
			[300000, 0],
		);
		assert.match(report.layers[1].createdBy, /dd if=\/dev\/zero of=\/big\.bin/);
		assert.deepEqual(report.waste.byCause, {removed: 300000, overwritten: 0, duplicate: 0});
		assert.deepEqual(report.image.tags, [BUILT]);
	});

	test('file contents of a Podman image (its export read again, up to the layer)', async () => {
		registerSources();
		const saved = process.env.CONTAINER_HOST;
		process.env.CONTAINER_HOST = env.CONTAINER_HOST;
		try {
			const analysis = await loadImage(`podman://${TAG}`, {keepChanges: false});
			assert.equal(await textAt(analysis, '/etc/conf', 2), 'c'.repeat(10));
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
