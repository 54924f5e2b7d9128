// dive's and skopeo's ways to name an image: `--source docker|podman|docker-archive`, `docker-archive://PATH`, and the
// containers-transports spellings `docker-archive:PATH[:name:tag]`, `oci:DIR[:tag]`, `oci-archive:PATH[:tag]`,
// `dir:PATH`, `docker-daemon:NAME`. Each opens what the plain path or name opens; where skopeo exists, skopeo reads
// the same spelling as the same image (its config digest is layerscope's image id).
import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {after, test} from 'node:test';
import {InputError} from '../source/util/errors.js';
import {parseTransport} from '../source/sources/transports.js';
import {runCli} from './helpers/cli.js';
import {dirLayout} from './helpers/dir-layout.js';
import {dockerUnavailable} from './helpers/docker.js';
import {dockerArchive, ociArchive, ociLayoutDir, writeTemp, type FixtureImage} from './helpers/fixtures.js';
import {dir, file, noSkopeo, skopeo, whiteout} from './helpers/images.js';

const APP: FixtureImage = {
	tags: ['app:1.0'],
	layers: [{entries: [dir('tmp'), file('tmp/build.log', 'l', 2000), file('bin/tool', 't', 300)]}, {entries: [whiteout('tmp/build.log')]}],
};
const OTHER: FixtureImage = {tags: ['other:2'], layers: [{entries: [file('only-other', 'o', 10)]}]};

test('parseTransport: the path ends at the first colon, what follows names the image; other references are not transports', () => {
	assert.deepEqual(parseTransport('docker-archive://a/b.tar'), {kind: 'archive', path: 'a/b.tar'});
	assert.deepEqual(parseTransport('docker-archive:a/b.tar'), {kind: 'archive', path: 'a/b.tar'});
	assert.deepEqual(parseTransport('docker-archive:a/b.tar:app:1.0'), {kind: 'archive', path: 'a/b.tar', image: 'app:1.0'});
	assert.deepEqual(parseTransport('docker-archive:b.tar:localhost:5000/app:1'), {kind: 'archive', path: 'b.tar', image: 'localhost:5000/app:1'});
	assert.deepEqual(parseTransport('oci-archive:/x/o.tar:latest'), {kind: 'archive', path: '/x/o.tar', image: 'latest'});
	assert.deepEqual(parseTransport('oci:/x/layout'), {kind: 'oci-layout', path: '/x/layout'});
	assert.deepEqual(parseTransport('oci:/x/layout:v1'), {kind: 'oci-layout', path: '/x/layout', image: 'v1'});
	assert.deepEqual(parseTransport('dir:/x/d:with:colons'), {kind: 'dir', path: '/x/d:with:colons'});
	assert.deepEqual(parseTransport('docker-daemon:nginx:1.27'), {kind: 'docker', name: 'nginx:1.27'});
	for (const other of ['image.tar', './dir', 'nginx:1.27', 'localhost:5000/app:1', 'docker://nginx', 'podman://x', 'registry://h/r:t', 'oci://x', '-'])
		assert.equal(parseTransport(other), null, other);
	assert.throws(
		() => parseTransport('docker-archive:'),
		(e: unknown) => e instanceof InputError && e.message === 'docker-archive: names no path or image',
	);
	assert.throws(
		() => parseTransport('oci-archive::tag'),
		(e: unknown) => e instanceof InputError && e.message === 'oci-archive::tag names no path or image',
	);
});

async function report(
	args: string[],
): Promise<{source: {kind: string; reference: string}; image: {tags: string[]; id: string}; layers: {sizeBytes: number}[]; waste: {totalBytes: number}}> {
	const result = await runCli([...args, '--json'], {env: {DOCKER_HOST: 'unix:///nonexistent/docker.sock'}});
	assert.equal(result.stderr, '', args.join(' '));
	assert.equal(result.code, 0);
	return JSON.parse(result.stdout);
}
const summary = (r: Awaited<ReturnType<typeof report>>): unknown => [r.source.kind, r.image.tags, r.layers.map(l => l.sizeBytes), r.waste.totalBytes];
const APP_SUMMARY = [[2300, 0], 2000];
const OTHER_SUMMARY = [[10], 0];

test("dive's docker-archive:// and --source docker-archive, skopeo's docker-archive:PATH[:name:tag]: the archive and the image in it", async () => {
	const file = writeTemp(await dockerArchive([APP, OTHER]));
	for (const args of [[`docker-archive://${file}`], [`docker-archive:${file}`], ['--source', 'docker-archive', file], [`docker-archive:${file}:app:1.0`]]) {
		const r = await report(args);
		assert.deepEqual(summary(r), ['docker-archive', ['app:1.0'], ...APP_SUMMARY], args.join(' '));
		assert.equal(r.source.reference, file);
	}
	for (const args of [
		[`docker-archive:${file}:other:2`],
		[`docker-archive:${file}:docker.io/library/other:2`],
		['--source', 'docker-archive', file, '--image', 'other:2'],
		[`docker-archive:${file}:other:2`, '--image', 'other:2'],
	])
		assert.deepEqual(summary(await report(args)), ['docker-archive', ['other:2'], ...OTHER_SUMMARY], args.join(' '));
	const piped = await runCli(['--source', 'docker-archive', '--json'], {input: await dockerArchive(APP)});
	assert.equal(piped.code, 0, piped.stderr);
	assert.deepEqual(JSON.parse(piped.stdout).source, {kind: 'docker-archive', reference: 'stdin'});
	const list = await runCli([`docker-archive:${file}:other:2`, '--list']);
	assert.deepEqual([list.code, list.stdout], [0, 'app:1.0\nother:2\n']);
	const diff = await runCli(['diff', '--source', 'docker-archive', file, writeTemp(await dockerArchive(OTHER)), '--json']);
	assert.equal(diff.code, 0, diff.stderr);
});

test("oci:DIR[:tag] and oci-archive:PATH[:tag] choose by the reference name, dir:PATH reads skopeo's dir: layout", async () => {
	const layout = await ociLayoutDir(APP, {refName: 'v1'});
	const archive = writeTemp(await ociArchive(APP, {refName: 'v1'}));
	for (const reference of [`oci:${layout}`, `oci:${layout}:v1`])
		assert.deepEqual(summary(await report([reference])), ['oci-layout', ['v1'], ...APP_SUMMARY], reference);
	for (const reference of [`oci-archive:${archive}`, `oci-archive:${archive}:v1`])
		assert.deepEqual(summary(await report([reference])), ['oci-archive', ['v1'], ...APP_SUMMARY], reference);
	const dir = await dirLayout(APP);
	assert.deepEqual(summary(await report([`dir:${dir}`])), ['dir', [], ...APP_SUMMARY]);
	const missing = await runCli([`oci:${layout}:v2`]);
	assert.deepEqual([missing.code, missing.stderr], [2, `layerscope: oci:${layout}:v2: no image v2 in the index; it holds: v1\n`]);
});

test('spellings that cannot work: one line naming the problem, exit 2, nothing read', async () => {
	const file = writeTemp(await dockerArchive([APP, OTHER]));
	const layout = await ociLayoutDir(APP);
	for (const [args, line] of [
		[
			[`docker-archive:${file}:other:2`, '--image', 'app:1.0'],
			`layerscope: docker-archive:${file}:other:2: the reference names image other:2 but --image names app:1.0\n`,
		],
		[
			[`docker-archive:${file}:@1`],
			`layerscope: docker-archive:${file}:@1: docker-archive: images by index (@1) are not supported; name the image (docker-archive:PATH:name:tag) or use --image\n`,
		],
		[['--source', 'registry', 'x'], 'layerscope: --source must be docker, podman, docker-archive (got registry)\n'],
		[['--source', 'docker', 'docker://x'], 'layerscope: docker://x: --source docker and a reference that names its own source: give one of them\n'],
		[
			['--source', 'docker-archive', `oci:${layout}`],
			`layerscope: oci:${layout}: --source docker-archive and a reference that names its own source: give one of them\n`,
		],
		[['--source', 'podman', '-'], 'layerscope: stdin: --source podman reads an image from the engine: name it (stdin takes an archive)\n'],
		[[`oci:${file}`], `layerscope: oci:${file}: not a directory (oci: names a layout directory)\n`],
		[[`docker-archive:${layout}`], `layerscope: docker-archive:${layout}: a directory, not an image archive\n`],
		[['--source', 'docker-archive', layout], `layerscope: ${layout}: a directory, not an image archive\n`],
		[[`oci-archive:${file}.missing`], `layerscope: oci-archive:${file}.missing: no such file or directory\n`],
		[['docker-daemon:Bad Name'], 'layerscope: docker-daemon:Bad Name: not a valid image reference: Bad Name\n'],
		[
			['containers-storage:app:1'],
			'layerscope: containers-storage:app:1: containers-storage: is not read directly; name the image as podman://NAME (the Podman socket)\n',
		],
	] as [string[], string][]) {
		const result = await runCli(args, {env: {DOCKER_HOST: 'unix:///nonexistent/docker.sock'}});
		assert.deepEqual([result.code, result.stderr, result.stdout], [2, line, ''], args.join(' '));
	}
});

/** The config digest of the image skopeo reads from a spelling: the id layerscope must report for it. */
function skopeoImageId(reference: string): string {
	const config = skopeo(['inspect', '--config', '--raw', reference]);
	return 'sha256:' + createHash('sha256').update(config).digest('hex');
}

test('skopeo reads every file spelling as the image layerscope reads from it (same config digest)', {skip: noSkopeo, timeout: 180_000}, async () => {
	const file = writeTemp(await dockerArchive([APP, OTHER]));
	const layout = await ociLayoutDir(OTHER, {refName: 'v2'});
	const archive = writeTemp(await ociArchive(APP, {refName: 'v1'}));
	const dir = await dirLayout(OTHER);
	for (const reference of [`docker-archive:${file}:app:1.0`, `docker-archive:${file}:other:2`, `oci:${layout}:v2`, `oci-archive:${archive}:v1`, `dir:${dir}`]) {
		const r = await report([reference]);
		assert.equal(r.image.id, skopeoImageId(reference), reference);
		assert.deepEqual(
			r.layers.map(l => l.sizeBytes),
			reference.includes('app') || reference.includes(':v1') ? [2300, 0] : [10],
			reference,
		);
	}
});

const noDocker = process.env.LAYERSCOPE_TEST_DOCKER === '1' ? null : dockerUnavailable();
const dockerTag = `layerscope-test-transports:${process.pid}`;
let loaded = false;
after(() => {
	if (loaded) spawnSync('docker', ['rmi', '-f', dockerTag], {stdio: 'ignore'});
});

test(
	"docker-daemon:NAME and dive's --source docker: the local engine, as skopeo's docker-daemon: reads it",
	{skip: noDocker ?? noSkopeo, timeout: 180_000},
	async () => {
		execFileSync('docker', ['load', '-i', writeTemp(await dockerArchive({...APP, tags: [dockerTag]}))], {stdio: 'ignore', timeout: 120_000});
		loaded = true;
		const env = {DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined};
		for (const args of [[`docker-daemon:${dockerTag}`], ['--source', 'docker', dockerTag], [`docker://${dockerTag}`]]) {
			const result = await runCli([...args, '--json'], {env});
			assert.equal(result.code, 0, result.stderr);
			const r = JSON.parse(result.stdout);
			assert.deepEqual(r.source, {kind: 'docker-engine', reference: `docker://${dockerTag}`}, args.join(' '));
			assert.deepEqual(summary(r), ['docker-engine', [dockerTag], ...APP_SUMMARY]);
			assert.equal(r.image.id, skopeoImageId(`docker-daemon:${dockerTag}`));
		}
	},
);
