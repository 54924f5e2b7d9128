// Images straight from a real OCI distribution registry (Debian's docker-registry), no daemon: skopeo pushes known
// fixtures, layerscope reads them through registry://. Also Basic auth (a second registry with htpasswd), the Bearer
// token flow (a token gate in front of the registry), multi-platform indexes and the errors users meet.
import assert from 'node:assert/strict';
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {createHash} from 'node:crypto';
import {loadImage} from '../source/sources/load.js';
import {registerSources} from '../source/sources/register.js';
import {contentsOf} from '../source/content/index.js';
import {ImageContents} from '../source/content/provider.js';
import {layerBlobsOf} from '../source/sources/layer-blobs.js';
import {runCli} from './helpers/cli.js';
import {fakeRegistry, freePort, registryImage, type FakeServer} from './helpers/fake-registry.js';
import {end, header} from './helpers/raw-tar.js';
import {dockerArchive, ociLayoutDir, tempDir, writeTemp, type FixtureImage} from './helpers/fixtures.js';
import {fileTarget, noSkopeo, skopeo, skopeoCopy, WASTE_FIGURES, type Figured, wasteFigures, wasteImage} from './helpers/images.js';

const REGISTRY = process.env.LAYERSCOPE_TEST_REGISTRY || '127.0.0.1:5000';
const ID = `${process.pid}`;
const USER = 'tester';
const PASSWORD = 'layerscope-secret';
/** bcrypt of PASSWORD (cost 4), so no htpasswd tool is needed. */
const HTPASSWD = `${USER}:$2b$04$Jkx4BF4ImTHw0cFcoqs2FOuKDKrzTTnLMDtygSsXtnvqZPtSlWRLS\n`;

async function answers(url: string): Promise<number | null> {
	try {
		const response = await fetch(url, {signal: AbortSignal.timeout(3000)});
		await response.body?.cancel();
		return response.status;
	} catch {
		return null;
	}
}

// CI sets LAYERSCOPE_TEST_REGISTRY only when its registry is up: then a dead registry fails the tests, never skips them.
const registryUp = !!process.env.LAYERSCOPE_TEST_REGISTRY || (await answers(`http://${REGISTRY}/v2/`)) === 200;
const reason = noSkopeo
	? noSkopeo
	: !registryUp
		? `no registry answers at http://${REGISTRY}/v2/ (CI starts docker-registry in .ci/run; set LAYERSCOPE_TEST_REGISTRY)`
		: null;
const haveRegistryBinary = spawnSync('docker-registry', ['--version']).status === 0;

function push(source: string, destination: string, extra: string[] = []): void {
	skopeoCopy(source, `docker://${destination}`, ['--dest-tls-verify=false', ...extra]);
}

function rawManifest(reference: string, extra: string[] = []): Record<string, any> {
	return JSON.parse(skopeo(['inspect', '--raw', '--tls-verify=false', ...extra, `docker://${reference}`]).toString());
}

const IMAGE = wasteImage(['fixture:1']);

function checkFixture(report: Record<string, any>, reference: string, manifest: Record<string, any>): void {
	assert.deepEqual(report.source, {kind: 'registry', reference});
	assert.equal(report.image.sizeBytes, 6030);
	assert.deepEqual(wasteFigures(report as Figured), WASTE_FIGURES);
	// Compressed sizes are the blob sizes the manifest states (skopeo gzipped the layers on push).
	const sizes = manifest.layers.map((l: {size: number}) => l.size);
	assert.deepEqual(
		report.layers.map((l: {compressedSizeBytes: number}) => l.compressedSizeBytes),
		sizes,
	);
	assert.equal(
		report.image.compressedSizeBytes,
		sizes.reduce((a: number, b: number) => a + b, 0),
	);
	assert.deepEqual(
		report.layers.map((l: {digest: string}) => l.digest),
		manifest.layers.map((l: {digest: string}) => l.digest),
	);
	assert.equal(report.image.id, manifest.config.digest);
}

async function json(args: string[], env: Record<string, string | undefined> = {}): Promise<Record<string, any>> {
	const result = await runCli([...args, '--json'], {env: {DOCKER_CONFIG: tempDir(), ...env}});
	assert.equal(result.stderr, '', result.stderr);
	assert.equal(result.code, 0);
	return JSON.parse(result.stdout);
}

let archive = '';
before(async () => {
	if (reason) return;
	archive = writeTemp(await dockerArchive(IMAGE));
	push(`docker-archive:${archive}`, `${REGISTRY}/layerscope-test/fixture:${ID}`);
});

test(
	'registry://host/repo:tag --insecure: manifest, config and streamed layers give exact sizes and waste',
	{skip: reason ?? false, timeout: 120_000},
	async () => {
		const reference = `registry://${REGISTRY}/layerscope-test/fixture:${ID}`;
		const report = await json([reference, '--insecure']);
		const manifest = rawManifest(`${REGISTRY}/layerscope-test/fixture:${ID}`);
		checkFixture(report, reference, manifest);
		assert.deepEqual(report.image.tags, [`${REGISTRY}/layerscope-test/fixture:${ID}`]);
		// The plain report shows compressed beside uncompressed.
		const plain = await runCli([reference, '--insecure', '--plain']);
		assert.equal(plain.code, 0);
		assert.match(plain.stdout, /size 6\.03 kB {2}\(compressed \d+(\.\d+)? (B|kB)\)/);
	},
);

test('registry://host/repo@sha256:… reads the same image by manifest digest', {skip: reason ?? false, timeout: 120_000}, async () => {
	const manifest = rawManifest(`${REGISTRY}/layerscope-test/fixture:${ID}`);
	const digest = skopeo(['inspect', '--tls-verify=false', '--format', '{{.Digest}}', `docker://${REGISTRY}/layerscope-test/fixture:${ID}`])
		.toString()
		.trim();
	const reference = `registry://${REGISTRY}/layerscope-test/fixture@${digest}`;
	const report = await json([reference, '--insecure']);
	checkFixture(report, reference, manifest);
	assert.deepEqual(report.image.tags, [`${REGISTRY}/layerscope-test/fixture@${digest}`]);
	const wrong = `registry://${REGISTRY}/layerscope-test/fixture@sha256:${'0'.repeat(64)}`;
	const missing = await runCli([wrong, '--insecure']);
	assert.equal(missing.code, 2);
	assert.equal(
		missing.stderr,
		`layerscope: ${wrong}: the registry has no image ${REGISTRY}/layerscope-test/fixture@sha256:${'0'.repeat(64)} (manifest unknown)\n`,
	);
});

test(
	'a multi-platform OCI index (skopeo copy --all): --platform picks the manifest, a missing one lists the choices',
	{skip: reason ?? false, timeout: 120_000},
	async () => {
		const image = (arch: string, size: number): FixtureImage => ({
			architecture: arch,
			layers: [
				{entries: [{name: `${arch}.bin`, content: 'x'.repeat(size)}]},
				{entries: [{name: 'tmp.bin', content: 'y'.repeat(size)}]},
				{entries: [{name: 'tmp.bin', type: 'whiteout'}]},
			],
		});
		const dir = await ociLayoutDir(null, {
			refName: 'multi',
			platforms: [
				{os: 'linux', architecture: 'amd64', image: image('amd64', 300)},
				{os: 'linux', architecture: 'arm64', variant: 'v8', image: image('arm64', 700)},
			],
		});
		const destination = `${REGISTRY}/layerscope-test/multi:${ID}`;
		push(`oci:${dir}:multi`, destination, ['--all']);
		const reference = `registry://${destination}`;
		for (const [platform, size] of [
			['linux/arm64', 700],
			['linux/amd64', 300],
			['linux/arm64/v8', 700],
		] as const) {
			const report = await json([reference, '--insecure', '--platform', platform]);
			assert.equal(report.image.architecture, platform.split('/')[1]);
			assert.deepEqual(
				report.layers.map((l: {sizeBytes: number}) => l.sizeBytes),
				[size, size, 0],
			);
			assert.deepEqual(report.waste.byCause, {removed: size, overwritten: 0, duplicate: 0});
		}
		const none = await runCli([reference, '--insecure', '--platform', 'linux/s390x']);
		assert.equal(none.code, 2);
		assert.equal(none.stderr, `layerscope: ${reference}: no image for platform linux/s390x; choose one with --platform: linux/amd64, linux/arm64/v8\n`);
	},
);

test(
	'registry errors: unknown tag, plain-http registry without --insecure, nothing listening, bad references',
	{skip: reason ?? false, timeout: 120_000},
	async () => {
		const absent = `registry://${REGISTRY}/layerscope-test/fixture:absent-${ID}`;
		const missing = await runCli([absent, '--insecure']);
		assert.equal(missing.code, 2);
		assert.equal(missing.stderr, `layerscope: ${absent}: the registry has no image ${REGISTRY}/layerscope-test/fixture:absent-${ID} (manifest unknown)\n`);
		const noRepo = `registry://${REGISTRY}/layerscope-test/never-pushed-${ID}:1`;
		const missingRepo = await runCli([noRepo, '--insecure']);
		assert.equal(missingRepo.code, 2);
		assert.match(missingRepo.stderr, /: the registry has no image .*never-pushed.* \(manifest unknown\)\n$/);

		const tls = await runCli([`registry://${REGISTRY}/layerscope-test/fixture:${ID}`]);
		assert.equal(tls.code, 2);
		assert.equal(
			tls.stderr,
			`layerscope: registry://${REGISTRY}/layerscope-test/fixture:${ID}: the registry at https://${REGISTRY} answered in plain http, not TLS; for a plain-http registry use --insecure\n`,
		);
	},
);

test('registry errors that need no registry: refused connection, malformed references', async () => {
	const closed = await freePort();
	const refused = await runCli([`registry://127.0.0.1:${closed}/a/b:1`, '--insecure']);
	assert.equal(refused.code, 2);
	assert.equal(
		refused.stderr,
		`layerscope: registry://127.0.0.1:${closed}/a/b:1: cannot reach the registry at http://127.0.0.1:${closed}: connection refused\n`,
	);
	for (const [reference, why] of [
		['registry://', 'no image named'],
		['registry://127.0.0.1:5000/Upper/case:1', 'repository names are lowercase letters, digits and separators'],
		['registry://127.0.0.1:5000/repo:bad tag', 'bad tag'],
		['registry://127.0.0.1:5000/repo@sha256:1234', 'a digest is sha256: and 64 hex digits'],
	]) {
		const result = await runCli([reference, '--insecure']);
		assert.equal(result.code, 2, reference);
		assert.equal(result.stderr, `layerscope: ${reference}: not a valid registry reference (${why}): ${reference}\n`);
	}
});

test('layers addressed by sha512 (a registry on loopback in the test): read and verified; a tampered one is one line, exit 2', async () => {
	const image = await registryImage(IMAGE, {compression: 'none', layerAlgorithm: 'sha512'});
	const digests = image.layers.map(layer => layer.digest);
	assert.ok(digests.every(digest => /^sha512:[0-9a-f]{128}$/.test(digest)));
	const servers: FakeServer[] = [];
	try {
		const good = await fakeRegistry(image);
		servers.push(good);
		const reference = `registry://${good.host}/repo:tag`;
		const report = await json([reference, '--insecure']);
		assert.deepEqual(wasteFigures(report as Figured), WASTE_FIGURES);
		assert.deepEqual(
			report.layers.map((l: {digest: string}) => l.digest),
			digests,
		);
		// The explorer's viewer fetches the layer again by its sha512 digest.
		registerSources();
		const analysis = await loadImage(reference, {insecure: true, keepChanges: false});
		assert.equal((await contentsOf(analysis).read(fileTarget(analysis, '/etc/conf', 2))).bytes.toString(), 'c'.repeat(10));

		// Layer 2 with one byte of /etc/conf changed: the same size, another sha512.
		const real = image.blobs.get(digests[2])!;
		const tampered = Buffer.from(real);
		tampered[real.indexOf('c'.repeat(10))] = 'x'.charCodeAt(0);
		const bad = await fakeRegistry(image, (_request, response, served) => {
			if (served?.kind !== 'blobs' || served.ref !== digests[2]) return false;
			response.writeHead(200, {'Content-Length': tampered.length});
			response.end(tampered);
			return true;
		});
		servers.push(bad);
		const badReference = `registry://${bad.host}/repo:tag`;
		const result = await runCli([badReference, '--insecure', '--json'], {env: {DOCKER_CONFIG: tempDir()}});
		const read = 'sha512:' + createHash('sha512').update(tampered).digest('hex');
		assert.deepEqual(
			[result.code, result.stdout, result.stderr],
			[2, '', `layerscope: ${badReference}: layer 2 (${digests[2]}) does not match its digest ${digests[2]} (read ${read})\n`],
		);
	} finally {
		await Promise.all(servers.map(server => server.close()));
	}
});

// A second registry with htpasswd (Basic auth), started for these tests on a free loopback port.
let authRegistry: {process: ChildProcess; address: string} | null = null;
after(() => {
	authRegistry?.process.kill();
});

async function startAuthRegistry(): Promise<string> {
	if (authRegistry) return authRegistry.address;
	const dir = tempDir();
	writeFileSync(path.join(dir, 'htpasswd'), HTPASSWD);
	const port = await freePort();
	const address = `127.0.0.1:${port}`;
	writeFileSync(
		path.join(dir, 'config.yml'),
		`version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\nhttp:\n  addr: ${address}\nauth:\n  htpasswd:\n    realm: layerscope-test\n    path: ${dir}/htpasswd\n`,
	);
	const child = spawn('docker-registry', ['serve', path.join(dir, 'config.yml')], {stdio: 'ignore'});
	authRegistry = {process: child, address};
	for (let i = 0; i < 100 && (await answers(`http://${address}/v2/`)) !== 401; i++) await new Promise(resolve => setTimeout(resolve, 100));
	return address;
}

function dockerConfig(registry: string, user: string, password: string): string {
	const dir = tempDir();
	writeFileSync(path.join(dir, 'config.json'), JSON.stringify({auths: {[registry]: {auth: Buffer.from(`${user}:${password}`).toString('base64')}}}));
	return dir;
}

test(
	'Basic auth (docker-registry with htpasswd): credentials from config.json, never printed; clear errors without them',
	{skip: reason ?? (!haveRegistryBinary && 'docker-registry is not installed (CI installs it)'), timeout: 120_000},
	async () => {
		const address = await startAuthRegistry();
		push(`docker-archive:${archive}`, `${address}/private/fixture:1`, ['--dest-creds', `${USER}:${PASSWORD}`]);
		const reference = `registry://${address}/private/fixture:1`;
		const manifest = rawManifest(`${address}/private/fixture:1`, ['--creds', `${USER}:${PASSWORD}`]);
		const config = dockerConfig(address, USER, PASSWORD);
		checkFixture(await json([reference, '--insecure'], {DOCKER_CONFIG: config}), reference, manifest);

		const anonymous = await runCli([reference, '--insecure'], {env: {DOCKER_CONFIG: tempDir()}});
		assert.equal(anonymous.code, 2);
		assert.equal(anonymous.stderr, `layerscope: ${reference}: the registry ${address} requires authentication; run \`docker login ${address}\`\n`);

		const wrongConfig = dockerConfig(address, USER, 'wrong-password');
		const wrong = await runCli([reference, '--insecure'], {env: {DOCKER_CONFIG: wrongConfig}});
		assert.equal(wrong.code, 2);
		assert.equal(wrong.stderr, `layerscope: ${reference}: the registry ${address} refused the credentials from ${path.join(wrongConfig, 'config.json')}\n`);
		assert.ok(!wrong.stderr.includes('wrong-password'));
	},
);

test(
	'Bearer token flow: 401 challenge, token fetched from the realm with Basic credentials, then used',
	{skip: reason ?? false, timeout: 120_000},
	async () => {
		// A token gate in front of the real registry, as Docker Hub, GHCR or Harbor put one: /v2/ answers 401 with a
		// Bearer challenge until the request carries the token that /token hands out for the right Basic credentials.
		const TOKEN = `token-${ID}`;
		const REFRESH = `refresh-${ID}`;
		const seen: {scope: string | null; service: string | null; basic: boolean; refresh?: boolean}[] = [];
		const gate = http.createServer((request, response) => {
			const url = new URL(request.url ?? '/', 'http://gate');
			if (url.pathname === '/token' && request.method === 'POST') {
				// OAuth2 refresh-token grant (an identitytoken in config.json).
				const chunks: Buffer[] = [];
				request.on('data', chunk => chunks.push(chunk));
				request.on('end', () => {
					const form = new URLSearchParams(Buffer.concat(chunks).toString());
					const good = form.get('grant_type') === 'refresh_token' && form.get('refresh_token') === REFRESH;
					seen.push({scope: form.get('scope'), service: form.get('service'), basic: false, refresh: good});
					response.writeHead(good ? 200 : 401, {'Content-Type': 'application/json'});
					response.end(good ? JSON.stringify({access_token: TOKEN}) : '{}');
				});
				return;
			}
			if (url.pathname === '/token') {
				const basic = request.headers.authorization === 'Basic ' + Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
				seen.push({scope: url.searchParams.get('scope'), service: url.searchParams.get('service'), basic});
				response.writeHead(basic ? 200 : 401, {'Content-Type': 'application/json'});
				response.end(basic ? JSON.stringify({token: TOKEN, expires_in: 300}) : '{}');
				return;
			}
			if (request.headers.authorization !== `Bearer ${TOKEN}`) {
				const {port} = gate.address() as net.AddressInfo;
				response.writeHead(401, {
					'WWW-Authenticate': `Bearer realm="http://127.0.0.1:${port}/token",service="gate-test",scope="repository:layerscope-test/fixture:pull"`,
				});
				response.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
				return;
			}
			const upstream = http.request(
				{
					host: REGISTRY.split(':')[0],
					port: Number(REGISTRY.split(':')[1] ?? 80),
					path: request.url,
					method: request.method,
					headers: {accept: request.headers.accept ?? '*/*'},
				},
				answer => {
					response.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(response);
				},
			);
			upstream.on('error', () => response.destroy());
			upstream.end();
		});
		await new Promise<void>(resolve => gate.listen(0, '127.0.0.1', resolve));
		try {
			const address = `127.0.0.1:${(gate.address() as net.AddressInfo).port}`;
			const reference = `registry://${address}/layerscope-test/fixture:${ID}`;
			const manifest = rawManifest(`${REGISTRY}/layerscope-test/fixture:${ID}`);
			checkFixture(await json([reference, '--insecure'], {DOCKER_CONFIG: dockerConfig(address, USER, PASSWORD)}), reference, manifest);
			// One token for the whole read, asked for the scope and service of the challenge.
			assert.deepEqual(seen, [{scope: 'repository:layerscope-test/fixture:pull', service: 'gate-test', basic: true}]);

			// An identity token (OAuth2 refresh token) instead of a password: exchanged by POST for an access token.
			seen.length = 0;
			const identity = tempDir();
			writeFileSync(
				path.join(identity, 'config.json'),
				JSON.stringify({auths: {[address]: {auth: Buffer.from('<token>:').toString('base64'), identitytoken: REFRESH}}}),
			);
			checkFixture(await json([reference, '--insecure'], {DOCKER_CONFIG: identity}), reference, manifest);
			assert.deepEqual(seen, [{scope: 'repository:layerscope-test/fixture:pull', service: 'gate-test', basic: false, refresh: true}]);

			const wrongConfig = dockerConfig(address, USER, 'nope');
			const wrong = await runCli([reference, '--insecure'], {env: {DOCKER_CONFIG: wrongConfig}});
			assert.equal(wrong.code, 2);
			assert.equal(wrong.stderr, `layerscope: ${reference}: the registry ${address} refused the credentials from ${path.join(wrongConfig, 'config.json')}\n`);
		} finally {
			gate.close();
		}
	},
);

test('diff of two registry images: the shared base layer is counted once', {skip: reason ?? false, timeout: 120_000}, async () => {
	const other: FixtureImage = {layers: [IMAGE.layers[0], {entries: [{name: 'extra', content: 'e'.repeat(42)}], createdBy: '/bin/sh -c add extra'}]};
	push(`docker-archive:${writeTemp(await dockerArchive(other))}`, `${REGISTRY}/layerscope-test/other:${ID}`);
	const result = await runCli(
		['diff', `registry://${REGISTRY}/layerscope-test/fixture:${ID}`, `registry://${REGISTRY}/layerscope-test/other:${ID}`, '--insecure', '--json'],
		{env: {DOCKER_CONFIG: tempDir()}},
	);
	assert.equal(result.stderr, '');
	assert.equal(result.code, 0);
	const report = JSON.parse(result.stdout);
	assert.deepEqual([report.layers.sharedBytes, report.layers.uniqueBytesA, report.layers.uniqueBytesB, report.layers.commonBaseLayers], [6000, 30, 42, 1]);
	assert.deepEqual(
		report.files.changes.map((c: {status: string; path: string}) => `${c.status} ${c.path}`),
		['added /data/big', 'removed /etc', 'removed /etc/conf', 'added /extra'],
	);
});

/** PUT a blob through the distribution upload API, streamed from a generator (Content-Length known). */
async function uploadBlob(repository: string, chunks: () => Iterable<Buffer>, size: number, digest: string): Promise<void> {
	const start = await fetch(`http://${REGISTRY}/v2/${repository}/blobs/uploads/`, {method: 'POST'});
	assert.equal(start.status, 202);
	const location = new URL(start.headers.get('location')!, `http://${REGISTRY}`);
	location.searchParams.set('digest', digest);
	await new Promise<void>((resolve, reject) => {
		const request = http.request(location, {method: 'PUT', headers: {'Content-Length': size, 'Content-Type': 'application/octet-stream'}}, response => {
			response.resume();
			response.on('end', () => (response.statusCode === 201 ? resolve() : reject(new Error(`blob upload answered ${response.statusCode}`))));
		});
		request.on('error', reject);
		const iterator = chunks()[Symbol.iterator]();
		const write = (): void => {
			for (let next = iterator.next(); !next.done; next = iterator.next()) if (!request.write(next.value)) return void request.once('drain', write);
			request.end();
		};
		write();
	});
}

test('a 256 MiB layer blob streams from the registry through the walker with bounded memory', {skip: reason ?? false, timeout: 300_000}, async t => {
	const SIZE = 256 * 1024 * 1024;
	const CHUNK = Buffer.alloc(1024 * 1024);
	function* layer(): Generator<Buffer> {
		yield header({name: 'zeros.bin', size: SIZE});
		for (let done = 0; done < SIZE; done += CHUNK.length) yield CHUNK;
		yield end();
	}
	const hash = createHash('sha256');
	let layerSize = 0;
	for (const chunk of layer()) {
		hash.update(chunk);
		layerSize += chunk.length;
	}
	const layerDigest = 'sha256:' + hash.digest('hex');
	const repository = 'layerscope-test/big';
	await uploadBlob(repository, layer, layerSize, layerDigest);
	const config = Buffer.from(
		JSON.stringify({architecture: 'amd64', os: 'linux', rootfs: {type: 'layers', diff_ids: [layerDigest]}, history: [{created_by: 'big layer'}]}),
	);
	const configDigest = 'sha256:' + createHash('sha256').update(config).digest('hex');
	await uploadBlob(repository, () => [config], config.length, configDigest);
	const manifest = JSON.stringify({
		schemaVersion: 2,
		mediaType: 'application/vnd.oci.image.manifest.v1+json',
		config: {mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length},
		layers: [{mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: layerSize}],
	});
	const put = await fetch(`http://${REGISTRY}/v2/${repository}/manifests/${ID}`, {
		method: 'PUT',
		headers: {'Content-Type': 'application/vnd.oci.image.manifest.v1+json'},
		body: manifest,
	});
	assert.equal(put.status, 201);

	registerSources();
	(globalThis as {gc?: () => void}).gc?.();
	const before = process.memoryUsage().rss;
	let peak = before;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
	const progress: number[] = [];
	const analysis = await loadImage(`registry://${REGISTRY}/${repository}:${ID}`, {insecure: true, onProgress: p => progress.push(p.bytes)});
	clearInterval(sampler);
	peak = Math.max(peak, process.memoryUsage().rss);
	assert.equal(analysis.layers[0].sizeBytes, SIZE);
	assert.equal(analysis.layers[0].diffId, layerDigest);
	assert.equal(Math.max(...progress), layerSize);
	const growth = (peak - before) / 1024 / 1024;
	t.diagnostic(`RSS growth while streaming a 256 MiB blob from the registry: ${growth.toFixed(1)} MiB`);
	assert.ok(growth < 128, `RSS grew by ${growth.toFixed(0)} MiB while streaming 256 MiB`);
});

test('registry references: host and port, Docker Hub defaults, tags and digests', async () => {
	const {parseRegistryReference} = await import('../source/sources/registry-reference.js');
	const digest = `sha256:${'a'.repeat(64)}`;
	const pick = (reference: string) => {
		const r = parseRegistryReference(reference);
		return [r.registry, r.apiHost, r.repository, r.manifestRef, r.canonical];
	};
	assert.deepEqual(pick('registry://127.0.0.1:5000/repo:tag'), ['127.0.0.1:5000', '127.0.0.1:5000', 'repo', 'tag', '127.0.0.1:5000/repo:tag']);
	assert.deepEqual(pick('registry://ghcr.io/org/app'), ['ghcr.io', 'ghcr.io', 'org/app', 'latest', 'ghcr.io/org/app:latest']);
	assert.deepEqual(pick('registry://nginx:1.27'), ['docker.io', 'registry-1.docker.io', 'library/nginx', '1.27', 'docker.io/library/nginx:1.27']);
	assert.deepEqual(pick('registry://bitnami/redis'), ['docker.io', 'registry-1.docker.io', 'bitnami/redis', 'latest', 'docker.io/bitnami/redis:latest']);
	assert.deepEqual(pick(`registry://localhost/a/b:1@${digest}`), ['localhost', 'localhost', 'a/b', digest, `localhost/a/b:1@${digest}`]);
	assert.deepEqual(pick(`registry://quay.io/x@${digest}`), ['quay.io', 'quay.io', 'x', digest, `quay.io/x@${digest}`]);
});

test(
	'the explorer reads and exports file contents of a registry image (the layer blob fetched again by digest)',
	{skip: reason ?? false, timeout: 120_000},
	async () => {
		registerSources();
		const reference = `registry://${REGISTRY}/layerscope-test/fixture:${ID}`;
		const analysis = await loadImage(reference, {insecure: true, keepChanges: false});
		const content = contentsOf(analysis);
		assert.equal(content.unavailable(), null);
		const at = (layer: number) => fileTarget(analysis, '/etc/conf', layer);
		assert.equal((await content.read(at(2))).bytes.toString(), 'c'.repeat(10));
		assert.equal((await content.read(at(3))).bytes.toString(), 'd'.repeat(20));
		const out = path.join(tempDir(), 'conf');
		assert.deepEqual(await content.exportTo(at(3), out, false), {path: out, bytes: 20});
		assert.equal(readFileSync(out, 'utf8'), 'd'.repeat(20));
		// A blob the registry does not have: one clear line.
		const blobs = layerBlobsOf(analysis)!;
		const gone = new ImageContents({...blobs, layers: blobs.layers.map(layer => ({...layer, digest: 'sha256:' + '0'.repeat(64)}))});
		await assert.rejects(gone.read(at(2)), /layer sha256:0{64} is not in the registry/);
	},
);
