// Images in a real local Docker engine, read over its API: docker://name, a bare name, DOCKER_HOST (unix and tcp),
// the current docker context, podman:// over a Docker-compatible socket, and the errors users meet.
import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {after, test} from 'node:test';
import {registerSources} from '../source/sources/register.js';
import {loadImage} from '../source/sources/load.js';
import {contentsOf} from '../source/content/index.js';
import {runCli} from './helpers/cli.js';
import {dockerBuild, dockerUnavailable} from './helpers/docker.js';
import {dockerArchive, tempDir, writeTemp} from './helpers/fixtures.js';
import {fileTarget, WASTE_FIGURES, type Figured, wasteFigures, wasteImage} from './helpers/images.js';

const reason = process.env.LAYERSCOPE_TEST_DOCKER === '1' ? null : dockerUnavailable();
const SOCKET = '/var/run/docker.sock';
const TAG = `layerscope-test-engine:${process.pid}`;
const tags: string[] = [];

after(() => {
	if (tags.length > 0) spawnSync('docker', ['rmi', '-f', ...tags], {stdio: 'ignore'});
});

let loaded = false;
/** A fixture with known waste, `docker load`ed: 5000 B removed by layer 1, 10 B overwritten by layer 3. */
async function loadFixture(): Promise<string> {
	if (loaded) return TAG;
	const archive = await dockerArchive(wasteImage([TAG], TAG));
	execFileSync('docker', ['load', '-i', writeTemp(archive)], {stdio: 'ignore', timeout: 120_000});
	tags.push(TAG);
	loaded = true;
	return TAG;
}

function checkFixture(report: Record<string, any>, kind: string, reference: string): void {
	assert.deepEqual(report.source, {kind, reference});
	assert.deepEqual(report.image.tags, [TAG]);
	assert.equal(report.image.sizeBytes, 6030);
	assert.equal(report.image.compressedSizeBytes, null);
	assert.deepEqual(wasteFigures(report as Figured), WASTE_FIGURES);
}

async function json(args: string[], env: Record<string, string | undefined> = {}): Promise<Record<string, any>> {
	const result = await runCli([...args, '--json'], {env: {DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined, ...env}});
	assert.equal(result.stderr, '', result.stderr);
	assert.equal(result.code, 0);
	return JSON.parse(result.stdout);
}

test('docker://name and a bare name stream the image out of the engine: exact sizes and waste', {skip: reason ?? false, timeout: 180_000}, async () => {
	const tag = await loadFixture();
	checkFixture(await json([`docker://${tag}`]), 'docker-engine', `docker://${tag}`);
	checkFixture(await json([tag]), 'docker-engine', tag);
	checkFixture(await json([tag], {DOCKER_HOST: `unix://${SOCKET}`}), 'docker-engine', tag);
});

test('an image dockerd built itself: the deleted file is waste, the RUN lines are the history', {skip: reason ?? false, timeout: 600_000}, async () => {
	const tag = dockerBuild(
		`layerscope-test-engine-build:${process.pid}`,
		'FROM layerscope-test-base:1\nRUN dd if=/dev/zero of=/big.bin bs=1000 count=300\nRUN rm /big.bin\n',
	);
	tags.push(tag);
	const report = await json([`docker://${tag}`]);
	assert.equal(report.source.kind, 'docker-engine');
	assert.equal(report.layers.length, 3);
	assert.deepEqual(
		report.layers.slice(1).map((l: {sizeBytes: number}) => l.sizeBytes),
		[300000, 0],
	);
	assert.match(report.layers[1].createdBy, /dd if=\/dev\/zero of=\/big\.bin/);
	assert.deepEqual(report.waste.byCause, {removed: 300000, overwritten: 0, duplicate: 0});
});

test('DOCKER_HOST=tcp://… is spoken too (through a loopback TCP relay to the engine socket)', {skip: reason ?? false, timeout: 180_000}, async () => {
	const tag = await loadFixture();
	const relay = net.createServer(client => {
		const engine = net.connect(SOCKET);
		client.pipe(engine).pipe(client);
		client.on('error', () => engine.destroy());
		engine.on('error', () => client.destroy());
	});
	await new Promise<void>(resolve => relay.listen(0, '127.0.0.1', resolve));
	try {
		const {port} = relay.address() as net.AddressInfo;
		checkFixture(await json([`docker://${tag}`], {DOCKER_HOST: `tcp://127.0.0.1:${port}`}), 'docker-engine', `docker://${tag}`);
	} finally {
		relay.close();
	}
});

function contextConfig(name: string, host: string): string {
	const dir = tempDir();
	writeFileSync(path.join(dir, 'config.json'), JSON.stringify({currentContext: name}));
	const meta = path.join(dir, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'));
	mkdirSync(meta, {recursive: true});
	writeFileSync(path.join(meta, 'meta.json'), JSON.stringify({Name: name, Endpoints: {docker: {Host: host, SkipTLSVerify: false}}}));
	return dir;
}

test(
	'the current docker context (config.json currentContext) chooses the engine when DOCKER_HOST is unset',
	{skip: reason ?? false, timeout: 180_000},
	async () => {
		const tag = await loadFixture();
		checkFixture(await json([`docker://${tag}`], {DOCKER_CONFIG: contextConfig('mine', `unix://${SOCKET}`)}), 'docker-engine', `docker://${tag}`);
		const broken = await runCli([`docker://${tag}`, '--json'], {
			env: {DOCKER_HOST: undefined, DOCKER_CONFIG: contextConfig('gone', 'unix:///nonexistent/docker.sock')},
		});
		assert.equal(broken.code, 2);
		assert.equal(
			broken.stderr,
			`layerscope: docker://${tag}: cannot reach the Docker engine at unix:///nonexistent/docker.sock (from docker context gone): is it running?\n`,
		);
	},
);

test('podman://name over a Docker-compatible API socket named by CONTAINER_HOST', {skip: reason ?? false, timeout: 180_000}, async () => {
	const tag = await loadFixture();
	checkFixture(await json([`podman://${tag}`], {CONTAINER_HOST: `unix://${SOCKET}`}), 'podman', `podman://${tag}`);
});

test('an image opened by its ID shows the tags the engine gives it (the export by ID carries none)', {skip: reason ?? false, timeout: 180_000}, async () => {
	const tag = await loadFixture();
	const id = execFileSync('docker', ['image', 'inspect', '--format', '{{.Id}}', tag], {encoding: 'utf8'}).trim();
	const short = id.replace(/^sha256:/, '').slice(0, 12);
	checkFixture(await json([short]), 'docker-engine', short);
	checkFixture(await json([`docker://${id}`]), 'docker-engine', `docker://${id}`);
	checkFixture(await json(['--source', 'docker', short]), 'docker-engine', `docker://${short}`);
	const list = await runCli([short, '--list'], {env: {DOCKER_HOST: undefined}});
	assert.deepEqual([list.code, list.stdout], [0, `${tag}\n`]);
});

// CI sets LAYERSCOPE_TEST_REGISTRY when its registry runs: a pushed image has a RepoDigest.
const registry = process.env.LAYERSCOPE_TEST_REGISTRY;
test(
	'an image opened by its ID lists its RepoDigests after its RepoTags',
	{skip: reason ?? (!registry && 'no LAYERSCOPE_TEST_REGISTRY (CI starts one in .ci/run)'), timeout: 180_000},
	async () => {
		const tag = await loadFixture();
		const pushed = `${registry!}/layerscope-test-engine:${process.pid}`;
		execFileSync('docker', ['tag', tag, pushed]);
		tags.push(pushed);
		execFileSync('docker', ['push', '-q', pushed], {stdio: 'ignore', timeout: 120_000});
		const inspect = JSON.parse(execFileSync('docker', ['image', 'inspect', pushed], {encoding: 'utf8'}))[0] as {
			Id: string;
			RepoTags: string[];
			RepoDigests: string[];
		};
		assert.equal(inspect.RepoDigests.length, 1);
		assert.match(inspect.RepoDigests[0], new RegExp(`^${registry!.replace(/\./g, '\\.')}/layerscope-test-engine@sha256:[0-9a-f]{64}$`));
		const report = await json([inspect.Id.slice('sha256:'.length, 'sha256:'.length + 12)]);
		assert.deepEqual(report.image.tags, [...inspect.RepoTags, ...inspect.RepoDigests]);
		assert.ok(report.image.tags.includes(TAG) && report.image.tags.includes(pushed));
	},
);

test('an image the engine does not have: one line offering `docker pull`, exit 2, nothing pulled', {skip: reason ?? false, timeout: 60_000}, async () => {
	const name = `layerscope-test-absent:${process.pid}`;
	const result = await runCli([`docker://${name}`], {env: {DOCKER_HOST: undefined}});
	assert.equal(result.code, 2);
	assert.equal(result.stderr, `layerscope: docker://${name}: image ${name} is not in the local Docker engine; run \`docker pull ${name}\`\n`);
	assert.equal(result.stdout, '');
	const bare = await runCli([name], {env: {DOCKER_HOST: undefined}});
	assert.equal(bare.code, 2);
	assert.equal(bare.stderr, `layerscope: ${name}: no such file, and image ${name} is not in the local Docker engine; run \`docker pull ${name}\`\n`);
	assert.notEqual(spawnSync('docker', ['image', 'inspect', name], {stdio: 'ignore'}).status, 0);
});

test('the engine is not running: a clear line naming the socket, exit 2 (no engine needed)', async () => {
	const socket = path.join(tempDir(), 'docker.sock');
	const result = await runCli(['docker://alpine:3'], {env: {DOCKER_HOST: `unix://${socket}`}});
	assert.equal(result.code, 2);
	assert.equal(result.stderr, `layerscope: docker://alpine:3: cannot reach the Docker engine at unix://${socket} (from DOCKER_HOST): is it running?\n`);
	const bare = await runCli(['alpine:3'], {env: {DOCKER_HOST: `unix://${socket}`}});
	assert.equal(bare.code, 2);
	assert.equal(bare.stderr, `layerscope: alpine:3: no such file, and cannot reach the Docker engine at unix://${socket} (from DOCKER_HOST): is it running?\n`);
	const tcp = await runCli(['docker://alpine:3'], {env: {DOCKER_HOST: 'tcp://127.0.0.1:1'}});
	assert.equal(tcp.code, 2);
	assert.equal(tcp.stderr, 'layerscope: docker://alpine:3: cannot reach the Docker engine at tcp://127.0.0.1:1 (from DOCKER_HOST): is it running?\n');
	const podman = await runCli(['podman://alpine:3'], {env: {CONTAINER_HOST: `unix://${socket}`}});
	assert.equal(podman.code, 2);
	assert.equal(podman.stderr, `layerscope: podman://alpine:3: cannot reach the Podman service at unix://${socket} (from CONTAINER_HOST): is it running?\n`);
	const ssh = await runCli(['docker://alpine:3'], {env: {DOCKER_HOST: 'ssh://me@host'}});
	assert.equal(ssh.code, 2);
	assert.equal(ssh.stderr, 'layerscope: docker://alpine:3: DOCKER_HOST is ssh://me@host: ssh:// engines are not supported; use unix:// or tcp://\n');
});

test('bad references are refused before any connection, exit 2', async () => {
	const env = {DOCKER_HOST: 'unix:///nonexistent/docker.sock'};
	for (const [reference, message] of [
		['docker://Bad Name', 'not a valid image reference: Bad Name'],
		['docker://', 'not a valid image reference: docker://'],
		['docker://UPPER:1', 'not a valid image reference: UPPER:1'],
		['podman://a:b:c', 'not a valid image reference: a:b:c'],
		['docker://x\u001b[2J', 'not a valid image reference: x\\e[2J'],
	]) {
		const result = await runCli([reference], {env});
		assert.equal(result.code, 2, reference);
		assert.equal(result.stderr, `layerscope: ${reference.replace('\u001b', '\\e')}: ${message}\n`);
	}
	const notName = await runCli(['Not An Image'], {env});
	assert.equal(notName.code, 2);
	assert.equal(notName.stderr, 'layerscope: Not An Image: no such file or directory\n');
});

test('--platform other than the one the engine stores is an error, never a silent substitution', {skip: reason ?? false, timeout: 180_000}, async () => {
	const tag = await loadFixture();
	checkFixture(await json([`docker://${tag}`, '--platform', 'linux/amd64']), 'docker-engine', `docker://${tag}`);
	const other = await runCli([`docker://${tag}`, '--platform', 'linux/arm64'], {env: {DOCKER_HOST: undefined}});
	assert.equal(other.code, 2);
	assert.equal(
		other.stderr,
		`layerscope: docker://${tag}: the Docker engine holds ${tag} for linux/amd64, not linux/arm64; run \`docker pull --platform linux/arm64 ${tag}\` or read it from a registry\n`,
	);
});

test(
	'the explorer reads and exports file contents of an engine image (its export read again, up to the layer)',
	{skip: reason ?? false, timeout: 180_000},
	async () => {
		const tag = await loadFixture();
		registerSources();
		for (const reference of [`docker://${tag}`, tag]) {
			const analysis = await loadImage(reference, {keepChanges: false});
			const content = contentsOf(analysis);
			assert.equal(content.unavailable(), null);
			const at = (layer: number) => fileTarget(analysis, '/etc/conf', layer);
			assert.equal((await content.read(at(2))).bytes.toString(), 'c'.repeat(10), reference);
			assert.equal((await content.read(at(3))).bytes.toString(), 'd'.repeat(20), reference);
			const out = path.join(tempDir(), 'conf');
			assert.deepEqual(await content.exportTo(at(2), out, false), {path: out, bytes: 10});
			assert.equal(readFileSync(out, 'utf8'), 'c'.repeat(10));
		}
	},
);
