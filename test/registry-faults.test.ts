// A registry that misbehaves, one way per test (a loopback server in the test process, test/helpers/fake-registry.ts):
// every read is bounded in bytes and in idle time, so each case ends, quickly, with exit 2 and one line naming the
// host and what it did — or, where the fault is passing (one 503), with the same report as the archive.
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {writeFileSync} from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {openRegistryBlob} from '../source/sources/registry.js';
import {formatBytes} from '../source/util/format.js';
import {runCli} from './helpers/cli.js';
import {drip, endless, fakeRegistry, registryImage, startServer, type Fault, type FakeServer, type RegistryImage} from './helpers/fake-registry.js';
import {ociArchive, tempDir, writeTemp, type FixtureImage} from './helpers/fixtures.js';

/** 5000 B removed by layer 2; layer 1 holds 6 KB to misbehave with. */
const IMAGE: FixtureImage = {
	layers: [
		{
			entries: [
				{name: 'bin', type: 'directory'},
				{name: 'bin/tool', content: 't'.repeat(1000)},
			],
			createdBy: '/bin/sh -c #(nop) ADD rootfs',
		},
		{
			entries: [
				{name: 'data', type: 'directory'},
				{name: 'data/big', content: 'b'.repeat(5000)},
			],
			createdBy: '/bin/sh -c write big',
		},
		{entries: [{name: 'data/big', type: 'whiteout'}], createdBy: '/bin/sh -c rm /data/big'},
	],
};

let image: RegistryImage;
/** Layer 1's digest and bytes, which most faults play with. */
let layer: {digest: string; data: Buffer};
before(async () => {
	image = await registryImage(IMAGE, {compression: 'none'});
	layer = {digest: image.layers[1].digest, data: image.blobs.get(image.layers[1].digest)!};
});

const servers: FakeServer[] = [];
after(async () => {
	await Promise.all(servers.map(server => server.close()));
});

async function serve(fault?: Fault, of: RegistryImage = image): Promise<string> {
	const server = await fakeRegistry(of, fault);
	servers.push(server);
	return server.host;
}

/** A fault on layer 1's blob only. */
const onLayer =
	(answer: (response: http.ServerResponse) => void): Fault =>
	(_request, response, served) => {
		if (served?.kind !== 'blobs' || served.ref !== layer.digest) return false;
		answer(response);
		return true;
	};

/** A manifest edited (the tag answers it; its digest changes, which a tag read cannot check). */
function withManifest(edit: (manifest: {layers: Record<string, unknown>[]}) => void): RegistryImage {
	const manifest = JSON.parse(image.manifest.toString());
	edit(manifest);
	return {...image, manifest: Buffer.from(JSON.stringify(manifest))};
}

const sha256 = (data: Buffer): string => 'sha256:' + createHash('sha256').update(data).digest('hex');

/** Run the CLI with a 1 s timeout; it must fail with exit 2 and exactly this one line, well within the bound. */
async function fails(reference: string, line: string, {timeout = '1', withinMs = 10_000} = {}): Promise<void> {
	const started = Date.now();
	const result = await runCli([reference, '--insecure', '--json', '--timeout', timeout], {env: {DOCKER_CONFIG: tempDir()}, timeoutMs: 60_000});
	const took = Date.now() - started;
	assert.equal(result.stderr, `layerscope: ${reference}: ${line}\n`);
	assert.equal(result.code, 2);
	assert.equal(result.stdout, '');
	assert.ok(took < withinMs, `took ${took} ms`);
}

async function report(reference: string, extra: string[] = []): Promise<Record<string, any>> {
	const result = await runCli([reference, ...extra, '--json'], {env: {DOCKER_CONFIG: tempDir()}});
	assert.equal(result.stderr, '');
	assert.equal(result.code, 0);
	return JSON.parse(result.stdout);
}

/** The report less what names the source (the archive and the registry name the image differently). */
function content(analysis: Record<string, any>): Record<string, any> {
	const {source: _source, ...rest} = analysis;
	return {...rest, image: {...rest.image, tags: []}};
}

test('happy path: the fake registry gives the same report as the oci-archive of the same blobs', async () => {
	const gzip = await registryImage(IMAGE);
	const host = await serve(undefined, gzip);
	const fromRegistry = await report(`registry://${host}/repo:tag`, ['--insecure']);
	const fromArchive = await report(writeTemp(await ociArchive(IMAGE)));
	assert.deepEqual(content(fromRegistry), content(fromArchive));
	assert.deepEqual(fromRegistry.source, {kind: 'registry', reference: `registry://${host}/repo:tag`});
	assert.deepEqual(fromRegistry.waste.byCause, {removed: 5000, overwritten: 0, duplicate: 0});
});

test('a 503 on one blob is asked again, and the read goes on', async () => {
	let failed = false;
	const host = await serve((_request, response, served) => {
		if (failed || served?.ref !== layer.digest) return false;
		failed = true;
		response.writeHead(503, {'Content-Type': 'application/json'});
		response.end('{"errors":[{"message":"try later"}]}');
		return true;
	});
	const fromRegistry = await report(`registry://${host}/repo:tag`, ['--insecure']);
	assert.ok(failed);
	assert.deepEqual(
		fromRegistry.layers.map((l: {sizeBytes: number}) => l.sizeBytes),
		[1000, 5000, 0],
	);
});

test('drip: a layer sent one byte every 100 ms fails after the timeout', async () => {
	const host = await serve(
		onLayer(response => {
			response.writeHead(200, {'Content-Length': layer.data.length});
			drip(response, layer.data, 100);
		}),
	);
	await fails(`registry://${host}/repo:tag`, `layer 1: registry ${host} sent the layer too slowly (less than 1 KiB in 1 s)`);
});

test('stall after headers: 100 bytes of the layer, then nothing', async () => {
	const host = await serve(
		onLayer(response => {
			response.writeHead(200, {'Content-Length': layer.data.length});
			response.write(layer.data.subarray(0, 100));
		}),
	);
	await fails(`registry://${host}/repo:tag`, `layer 1: registry ${host} stopped sending the layer after 100 B (no data for 1 s)`);
	// A manifest read that stalls used to say "The operation was aborted due to timeout".
	const manifest = await serve((_request, response, served) => {
		if (served?.kind !== 'manifests') return false;
		response.writeHead(200, {'Content-Type': image.manifestType, 'Content-Length': image.manifest.length});
		response.write(image.manifest.subarray(0, 10));
		return true;
	});
	await fails(`registry://${manifest}/repo:tag`, `registry ${manifest} stopped sending manifest tag after 10 B (no data for 1 s)`);
});

test('stall before headers: the manifest request is never answered', async () => {
	const host = await serve((_request, _response, served) => served?.kind === 'manifests');
	await fails(`registry://${host}/repo:tag`, `registry ${host} did not answer the request for manifest tag in 1 s`);
});

test('endless body: a layer that never ends stops one byte past its descriptor size', async () => {
	const host = await serve(
		onLayer(response => {
			response.writeHead(200, {'Content-Type': 'application/octet-stream'});
			response.write(layer.data);
			endless(response, Buffer.alloc(64 * 1024));
		}),
	);
	await fails(
		`registry://${host}/repo:tag`,
		`layer 1: registry ${host} sent more than the ${layer.data.length.toLocaleString('en-US')} bytes the manifest gives for the layer`,
	);
});

test('endless body: a manifest with no size to go by stops at 4 MiB', async () => {
	const host = await serve((_request, response, served) => {
		if (served?.kind !== 'manifests') return false;
		response.writeHead(200, {'Content-Type': 'application/vnd.oci.image.manifest.v1+json'});
		endless(response, Buffer.alloc(64 * 1024, ' '));
		return true;
	});
	await fails(`registry://${host}/repo:tag`, `registry ${host} sent manifest tag over 4 MiB`);
});

test('lying Content-Length: longer or shorter than the descriptor, refused before the body is read', async () => {
	const size = layer.data.length;
	for (const announced of [size + 1000, size - 10]) {
		const host = await serve(
			onLayer(response => {
				response.writeHead(200, {'Content-Length': announced});
				response.end(announced > size ? Buffer.concat([layer.data, Buffer.alloc(1000)]) : layer.data.subarray(0, announced));
			}),
		);
		await fails(
			`registry://${host}/repo:tag`,
			`layer 1: registry ${host} announced ${announced.toLocaleString('en-US')} bytes for the layer, but the manifest gives ${size.toLocaleString('en-US')}`,
		);
	}
});

test('body cut short: the connection drops halfway through the announced length', async () => {
	const half = 3072;
	const host = await serve(
		onLayer(response => {
			response.writeHead(200, {'Content-Length': layer.data.length});
			response.write(layer.data.subarray(0, half), () => setTimeout(() => response.socket?.destroy(), 50));
		}),
	);
	await fails(`registry://${host}/repo:tag`, `layer 1: registry ${host} broke off the layer after ${formatBytes(half)} of ${formatBytes(layer.data.length)}`);
});

test('body ended short: a chunked layer that ends before its descriptor size', async () => {
	const host = await serve(
		onLayer(response => {
			response.writeHead(200, {'Content-Type': 'application/octet-stream'});
			response.end(layer.data.subarray(0, 1024));
		}),
	);
	await fails(
		`registry://${host}/repo:tag`,
		`layer 1: registry ${host} sent only 1,024 of the ${layer.data.length.toLocaleString('en-US')} bytes the manifest gives for the layer`,
	);
});

test('wrong digest: a layer blob with one byte changed', async () => {
	const changed = Buffer.from(layer.data);
	changed[1024] ^= 1; // the first byte of /data/big (after the headers of data/ and data/big): still a valid tar
	const host = await serve(
		onLayer(response => {
			response.writeHead(200, {'Content-Length': changed.length});
			response.end(changed);
		}),
	);
	await fails(`registry://${host}/repo:tag`, `layer 1 (${layer.digest}) does not match its digest ${layer.digest} (read ${sha256(changed)})`);
});

test('wrong digest: a manifest read by digest, and a config', async () => {
	const manifest = Buffer.concat([image.manifest, Buffer.from(' ')]);
	const byDigest = await serve((_request, response, served) => {
		if (served?.kind !== 'manifests') return false;
		response.writeHead(200, {'Content-Type': image.manifestType, 'Content-Length': manifest.length});
		response.end(manifest);
		return true;
	});
	await fails(
		`registry://${byDigest}/repo@${image.manifestDigest}`,
		`registry ${byDigest} sent manifest ${image.manifestDigest}, which does not match its digest (read ${sha256(manifest)})`,
	);

	const config = Buffer.concat([image.blobs.get(image.configDigest)!, Buffer.from(' ')]);
	const host = await serve((_request, response, served) => {
		if (served?.ref !== image.configDigest) return false;
		response.writeHead(200, {'Content-Length': config.length});
		response.end(config);
		return true;
	});
	await fails(
		`registry://${host}/repo:tag`,
		`registry ${host} announced ${config.length.toLocaleString('en-US')} bytes for config ${image.configDigest}, but the manifest gives ${(config.length - 1).toLocaleString('en-US')}`,
	);
	const shifted = await serve((_request, response, served) => {
		if (served?.ref !== image.configDigest) return false;
		response.end(Buffer.from(config.subarray(1)));
		return true;
	});
	await fails(
		`registry://${shifted}/repo:tag`,
		`registry ${shifted} sent config ${image.configDigest}, which does not match its digest (read ${sha256(config.subarray(1))})`,
	);
});

test('endless token answer: the token service is cut off at 1 MiB', async () => {
	const tokens = await startServer((_request, response) => {
		response.writeHead(200, {'Content-Type': 'application/json'});
		response.write('{"token":"');
		endless(response, Buffer.alloc(64 * 1024, 'a'));
	});
	servers.push(tokens);
	const host = await serve((request, response) => {
		if (request.headers.authorization === 'Bearer good') return false;
		response.writeHead(401, {'WWW-Authenticate': `Bearer realm="http://${tokens.host}/token",service="fake"`});
		response.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
		return true;
	});
	await fails(`registry://${host}/repo:tag`, `token service ${tokens.host} sent the token answer over 1 MiB`);
	assert.deepEqual(tokens.requests, ['/token?service=fake&scope=repository%3Arepo%3Apull']);
});

test("500s: asked three times, then one line with the status and the registry's reason", async () => {
	const host = await serve((_request, response, served) => {
		if (served?.kind !== 'manifests') return false;
		response.writeHead(500, {'Content-Type': 'application/json'});
		response.end('{"errors":[{"code":"UNKNOWN","message":"database down\\nstack trace"}]}');
		return true;
	});
	await fails(`registry://${host}/repo:tag`, `registry ${host} answered HTTP 500 for manifest tag (3 tries): database down`);
	assert.equal(servers.at(-1)!.requests.length, 3);
});

test('redirect loop: a blob redirected to itself stops after 10 redirects, naming the host', async () => {
	const host = await serve(
		onLayer(response => {
			response.writeHead(307, {Location: `/v2/repo/blobs/${layer.digest}`});
			response.end();
		}),
	);
	await fails(
		`registry://${host}/repo:tag`,
		`layer 1: registry ${host} redirected the request for the layer more than 10 times (last to http://${host}/v2/repo/blobs/${layer.digest})`,
	);
});

test('a layer descriptor with no size, or with 10^15 bytes: refused before the download', async () => {
	const noSize = await serve(
		undefined,
		withManifest(manifest => delete manifest.layers[1].size),
	);
	await fails(`registry://${noSize}/repo:tag`, 'layer 1: the manifest gives no valid size for the layer, so its download could not be bounded');
	const huge = await serve(
		undefined,
		withManifest(manifest => (manifest.layers[1].size = 1e15)),
	);
	await fails(`registry://${huge}/repo:tag`, 'layer 1: the manifest gives the layer 1,000,000,000,000,000 bytes, over the 1 TiB layerscope reads');
	// Neither blob was asked for.
	assert.ok(!servers.at(-1)!.requests.some(path => path.endsWith(layer.digest)));
});

test('--timeout takes a positive number of seconds', async () => {
	for (const value of ['abc', '0', '-1', '']) {
		const result = await runCli(['registry://127.0.0.1:1/repo:tag', '--insecure', '--timeout', value]);
		assert.equal(result.stderr, `layerscope: --timeout ${value}: not a number of seconds above 0\n`);
		assert.equal(result.code, 2);
	}
});

test('blobs redirected to another host (a CDN): no credentials follow them, and a stall there names that host', async () => {
	const seen: (string | undefined)[] = [];
	const cdn = await startServer((request, response) => {
		seen.push(request.headers.authorization);
		const digest = (request.url ?? '').slice(1);
		const data = image.blobs.get(digest)!;
		response.writeHead(200, {'Content-Length': data.length});
		if (digest === layer.digest && stall) response.write(data.subarray(0, 100));
		else response.end(data);
	});
	servers.push(cdn);
	let stall = false;
	const host = await serve((request, response, served) => {
		if (request.headers.authorization !== 'Basic dTpw') {
			response.writeHead(401, {'WWW-Authenticate': 'Basic realm="fake"'});
			response.end();
			return true;
		}
		if (served?.kind !== 'blobs') return false;
		response.writeHead(307, {Location: `http://${cdn.host}/${served.ref}`});
		response.end();
		return true;
	});
	const config = tempDir();
	writeFileSync(path.join(config, 'config.json'), JSON.stringify({auths: {[host]: {auth: Buffer.from('u:p').toString('base64')}}}));
	const result = await runCli([`registry://${host}/repo:tag`, '--insecure', '--json'], {env: {DOCKER_CONFIG: config}});
	assert.equal(result.stderr, '');
	assert.deepEqual(
		JSON.parse(result.stdout).layers.map((l: {sizeBytes: number}) => l.sizeBytes),
		[1000, 5000, 0],
	);
	assert.deepEqual(seen, [undefined, undefined, undefined, undefined]);

	stall = true;
	const reference = `registry://${host}/repo:tag`;
	const stalled = await runCli([reference, '--insecure', '--json', '--timeout', '1'], {env: {DOCKER_CONFIG: config}});
	assert.equal(
		stalled.stderr,
		`layerscope: ${reference}: layer 1: ${cdn.host} (redirected from registry ${host}) stopped sending the layer after 100 B (no data for 1 s)\n`,
	);
	assert.equal(stalled.code, 2);
});

test("the content viewer's blob read (openRegistryBlob) keeps the same bounds, naming the layer by digest", async () => {
	const host = await serve(
		onLayer(response => {
			response.writeHead(200, {'Content-Length': layer.data.length});
			response.write(layer.data.subarray(0, 100));
		}),
	);
	const blob = await openRegistryBlob(`registry://${host}/repo:tag`, {insecure: true, timeout: 1}, layer.digest, layer.data.length);
	const started = Date.now();
	await assert.rejects(
		(async () => {
			for await (const _chunk of blob);
		})(),
		{name: 'InputError', kind: 'network', message: `registry ${host} stopped sending layer ${layer.digest} after 100 B (no data for 1 s)`},
	);
	assert.ok(Date.now() - started < 5000);
	const whole: Buffer[] = [];
	for await (const chunk of await openRegistryBlob(`registry://${host}/repo:tag`, {insecure: true}, image.layers[0].digest, image.layers[0].size))
		whole.push(chunk);
	assert.equal(sha256(Buffer.concat(whole)), image.layers[0].digest);
});
