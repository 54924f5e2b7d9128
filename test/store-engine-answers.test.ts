// The store library on fixed engine answers: the docker CLI's reclaimable formula, newer and Podman-style answers,
// the layer sizes read from histories, and the one-line errors (no engine, no permission, an engine error).
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {chmodSync, mkdtempSync} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {StoreAnalyser} from '../source/store/analyse-all.js';
import {chainIds} from '../source/store/chain-id.js';
import type {ImageAnalysis} from '../source/model/types.js';
import {ImageNotInEngine} from '../source/sources/engine.js';
import {runImagesArgs} from '../source/store/command.js';
import {StoreClient} from '../source/store/engine-api.js';
import {layerSizes, layerView} from '../source/store/layer-view.js';
import {listStore} from '../source/store/list.js';
import {mapLimit} from '../source/store/pool.js';
import {StoreSession} from '../source/store/session.js';
import {ROOT} from './helpers/cli.js';
import {dockerArchive} from './helpers/fixtures.js';
import {fakeEngine} from './helpers/store-fake-engine.js';

const id = (n: number): string => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const diff = (n: number): string => `sha256:${'d'.repeat(63)}${n}`;

async function capture(args: string[], env: NodeJS.ProcessEnv): Promise<{code: number; stdout: string; stderr: string}> {
	let stdout = '';
	let stderr = '';
	const code = await runImagesArgs(args, {stdout: {write: (text: string) => (stdout += text)}, stderr: {write: (text: string) => (stderr += text)}, env});
	return {code, stdout, stderr};
}

/** Three images: X (two layers) and Y (X's first layer and one more) share layer 1; Z stands alone. */
function store(overrides: {df?: object; images?: Record<string, unknown>} = {}): Record<string, unknown> {
	const inspect = (layers: string[], created: string): object => ({RootFS: {Type: 'layers', Layers: layers}, RepoDigests: [], Created: created});
	return {
		// API 1.44+ has no VirtualSize; Z's SharedSize is unknown (-1) although a container uses it.
		'/system/df': {
			LayersSize: 1000,
			Images: [
				{Id: id(1), RepoTags: ['x:1'], RepoDigests: ['x@sha256:' + 'e'.repeat(64)], Size: 600, SharedSize: 200, Containers: 1, ParentId: ''},
				{Id: id(2), RepoTags: [], RepoDigests: [], Size: 500, SharedSize: 200, Containers: 0, ParentId: ''},
				{Id: id(3), RepoTags: ['z:1', 'z:latest'], Size: 300, SharedSize: -1, Containers: 2, ParentId: ''},
			],
			...overrides.df,
		},
		'/containers/json?all=1': [{Id: 'c1', Names: ['/web'], ImageID: id(1), State: 'running'}],
		[`/images/${id(1)}/json`]: inspect([diff(1), diff(2)], '2026-01-02T03:04:05.123456789Z'),
		[`/images/${id(2)}/json`]: inspect([diff(1), diff(3)], '2026-01-02T03:04:06Z'),
		[`/images/${id(3)}/json`]: inspect([diff(4)], '2026-01-02T03:04:07Z'),
		// Histories, newest step first: metadata steps of size 0, a RUN that stored nothing (size 0), BuildKit's COPY.
		[`/images/${id(1)}/history`]: [
			{Size: 0, CreatedBy: '/bin/sh -c #(nop)  CMD ["sh"]'},
			{Size: 400, CreatedBy: '/bin/sh -c dd if=/dev/zero of=/x bs=400 count=1'},
			{Size: 200, CreatedBy: ''},
		],
		[`/images/${id(2)}/history`]: [
			{Size: 0, CreatedBy: 'ENV A=1'},
			{Size: 300, CreatedBy: 'COPY . / # buildkit'},
			{Size: 0, CreatedBy: 'LABEL a=b'},
			{Size: 200, CreatedBy: ''},
		],
		[`/images/${id(3)}/history`]: [{Size: 0, CreatedBy: '/bin/sh -c rm -rf /'}],
		...overrides.images,
	};
}

test('totals: LayersSize, and reclaimable by the docker CLI formula (images in use minus their shared bytes; -1 skipped)', async () => {
	const engine = await fakeEngine(store());
	try {
		const listing = await listStore(new StoreClient({kind: 'docker', url: `unix://${engine.socket}`, socketPath: engine.socket, origin: 'default'}));
		// used = X: 600 − 200; Z is in use but its SharedSize is -1, so docker skips it: 1000 − 400.
		assert.deepEqual(listing.totals, {images: 3, active: 2, layersBytes: 1000, reclaimableBytes: 600});
		assert.deepEqual(
			listing.images.map(image => [
				image.tags,
				image.sizeBytes,
				image.sharedBytes,
				image.uniqueBytes,
				image.containers,
				image.dangling,
				image.diffIds.length,
				image.digests,
			]),
			[
				[['x:1'], 600, 200, 400, 1, false, 2, ['x@sha256:' + 'e'.repeat(64)]],
				[[], 500, 200, 300, 0, true, 2, []],
				[['z:1', 'z:latest'], 300, null, null, 2, false, 1, []],
			],
		);
		assert.deepEqual(listing.containers, [{id: 'c1', names: ['web'], imageId: id(1), state: 'running'}]);
		assert.deepEqual(engine.asked.slice(0, 2), ['/system/df', '/containers/json?all=1']);
	} finally {
		await engine.close();
	}
});

test('Docker 20.10 refuses a second /system/df while one runs: the list asks again until it is answered', async () => {
	const routes = store();
	let refused = 0;
	const df = routes['/system/df'];
	const busy = [500, {message: 'a disk usage operation is already running'}];
	const engine = await fakeEngine({...routes, '/system/df': () => (refused++ < 2 ? busy : df)});
	try {
		const listing = await listStore(new StoreClient({kind: 'docker', url: `unix://${engine.socket}`, socketPath: engine.socket, origin: 'default'}));
		assert.equal(listing.totals.images, 3);
		assert.deepEqual(
			engine.asked.filter(url => url === '/system/df'),
			['/system/df', '/system/df', '/system/df'],
		);
	} finally {
		await engine.close();
	}
});

test('another engine error on /system/df is one line at once, not asked again', async () => {
	const engine = await fakeEngine({...store(), '/system/df': [500, {message: 'the disk is on fire'}]});
	try {
		await assert.rejects(listStore(new StoreClient({kind: 'docker', url: `unix://${engine.socket}`, socketPath: engine.socket, origin: 'default'})), {
			message: /answered \/system\/df with the disk is on fire$/,
		});
		assert.equal(engine.asked.filter(url => url === '/system/df').length, 1);
	} finally {
		await engine.close();
	}
});

test('an engine whose /system/df has no Images list or LayersSize: the list from /images/json, the layers summed once', async () => {
	const routes = store();
	const df = routes['/system/df'] as {Images: object[]};
	const engine = await fakeEngine({...routes, '/system/df': {Volumes: []}, '/images/json?shared-size=1': df.Images});
	try {
		const listing = await listStore(new StoreClient({kind: 'docker', url: `unix://${engine.socket}`, socketPath: engine.socket, origin: 'default'}));
		assert.deepEqual(
			listing.images.map(image => [image.tags, image.sharedBytes]),
			[
				[['x:1'], 200],
				[[], 200],
				[['z:1', 'z:latest'], null],
			],
		);
		// Each layer once, at its history size: 400 + 300 + 200 + 0; Z's 300 bytes are in no history.
		assert.deepEqual(listing.totals, {images: 3, active: 2, layersBytes: 900, reclaimableBytes: 500});
	} finally {
		await engine.close();
	}
});

test('the layer view: sizes from each history, metadata steps skipped, shared layers named once with every image', async () => {
	const engine = await fakeEngine(store());
	try {
		const client = new StoreClient({kind: 'docker', url: `unix://${engine.socket}`, socketPath: engine.socket, origin: 'default'});
		const layers = await layerView(client, await listStore(client));
		const [x1, x2] = chainIds([diff(1), diff(2)]);
		const y2 = chainIds([diff(1), diff(3)])[1];
		assert.deepEqual(
			layers.map(layer => [layer.chainId, layer.sizeBytes, layer.images]),
			[
				[x2, 400, [id(1)]],
				[y2, 300, [id(2)]],
				[x1, 200, [id(1), id(2)]],
				[diff(4), 0, [id(3)]],
			],
		);
		// X's history sized X's layers; Y's was still needed for its own top layer.
		assert.ok(engine.asked.includes(`/images/${id(2)}/history`));
	} finally {
		await engine.close();
	}
});

test('layer sizes from a history: one step per layer, else the sized steps, else unknown', () => {
	const step = (size: number, createdBy: string): {size: number; createdBy: string} => ({size, createdBy});
	assert.deepEqual(layerSizes([step(5, ''), step(0, '/bin/sh -c #(nop) WORKDIR /'), step(0, '/bin/sh -c rm /a'), step(7, 'RUN x')], 3), [5, 0, 7]);
	assert.deepEqual(layerSizes([step(5, ''), step(0, 'RUN true # buildkit'), step(7, 'RUN x')], 2), [5, 7]);
	assert.deepEqual(layerSizes([step(5, ''), step(0, 'RUN a'), step(0, 'RUN b')], 2), [null, null]);
});

test('chain IDs: the first layer is its diffID, each next one sha256 of "parent diffID" (values from sha256sum)', () => {
	assert.deepEqual(chainIds(['sha256:a', 'sha256:b', 'sha256:c']), [
		'sha256:a',
		'sha256:970a948bffa8de94d6e22d747ba8c95030e6e546909f98f54e99a13005e173a8',
		'sha256:dee159b33409cefa3f6eda71539f006014283e9d9130c18a1dea7bd8a33c9b1b',
	]);
});

test('bounded concurrency: never more tasks at once than the limit, results in order', async () => {
	let running = 0;
	let most = 0;
	const out = await mapLimit([5, 1, 4, 2, 3], 2, async n => {
		most = Math.max(most, ++running);
		await new Promise(resolve => setTimeout(resolve, n * 5));
		running--;
		return n * 10;
	});
	assert.deepEqual([out, most], [[50, 10, 40, 20, 30], 2]);
});

test('the analyser: one load for two callers at once, failures not cached, a removed image named, abort stops the rest', async () => {
	const loaded: string[] = [];
	const analyser = new StoreAnalyser(
		{kind: 'docker', url: 'unix:///unused.sock', socketPath: '/unused.sock', origin: 'default'},
		{
			concurrency: 1,
			topFinding: analysis => `finding of ${analysis.image.id}`,
			load: async ({reference}) => {
				loaded.push(reference);
				await new Promise(resolve => setTimeout(resolve, 5));
				if (reference.endsWith(id(2))) throw new ImageNotInEngine('image is not in the local Docker engine', 'missing');
				return {image: {id: reference}, waste: {totalBytes: 7, byCause: {removed: 7, overwritten: 0, duplicate: 0}, files: []}} as unknown as ImageAnalysis;
			},
		},
	);
	const one = {id: id(1), tags: [], open: {reference: `docker://${id(1)}`}};
	const [first, second] = await Promise.all([analyser.analyse(one), analyser.analyse(one)]);
	assert.equal(first, second);
	assert.deepEqual(first, {id: id(1), wastedBytes: 7, byCause: {removed: 7, overwritten: 0, duplicate: 0}, topFinding: `finding of docker://${id(1)}`});
	const controller = new AbortController();
	const outcomes = await analyser.analyseAll(
		[1, 2, 3, 4].map(n => ({id: id(n), tags: n === 2 ? ['gone:1'] : [], open: {reference: `docker://${id(n)}`}})),
		{onProgress: progress => progress.done === 3 && controller.abort(), signal: controller.signal},
	);
	assert.deepEqual(
		outcomes.map(outcome => [outcome.id, outcome.waste?.wastedBytes ?? outcome.error]),
		[
			[id(1), 7],
			[id(2), 'image gone:1 (222222222222) was removed from the Docker engine after the list was read; refresh the list'],
			[id(3), 7],
		],
	);
	assert.deepEqual(
		loaded,
		[1, 2, 3].map(n => `docker://${id(n)}`),
		'image 1 from the cache, 4 never started',
	);
	assert.equal(analyser.cached(id(2)), undefined);
});

test('no engine: one line naming the socket, exit 2', async () => {
	const socket = path.join(mkdtempSync(path.join(os.tmpdir(), 'layerscope-store-')), 'none.sock');
	assert.deepEqual(await capture([], {DOCKER_HOST: `unix://${socket}`}), {
		code: 2,
		stdout: '',
		stderr: `layerscope: images: cannot reach the Docker engine at unix://${socket} (from DOCKER_HOST): is it running?\n`,
	});
	assert.deepEqual(await capture(['--source', 'podman', '--json'], {CONTAINER_HOST: `unix://${socket}`}), {
		code: 2,
		stdout: '',
		stderr: `layerscope: images: cannot reach the Podman service at unix://${socket} (from CONTAINER_HOST): is it running?\n`,
	});
});

test('whether an engine answers: OK to /_ping, else no (no socket, not an engine)', async () => {
	const engine = await fakeEngine({'/_ping': 'OK'});
	const other = await fakeEngine({});
	try {
		assert.equal(await StoreSession.engineAnswers('docker', {DOCKER_HOST: `unix://${engine.socket}`}), true);
		assert.equal(await StoreSession.engineAnswers('docker', {DOCKER_HOST: `unix://${other.socket}`}), false);
		assert.equal(await StoreSession.engineAnswers('podman', {CONTAINER_HOST: 'unix:///nonexistent/podman.sock'}), false);
	} finally {
		await engine.close();
		await other.close();
	}
});

test('permission denied on the socket: one line, exit 2', async t => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'layerscope-store-'));
	chmodSync(dir, 0o755);
	const socket = path.join(dir, 'docker.sock');
	const server = net.createServer(connection => connection.destroy());
	await new Promise<void>(resolve => server.listen(socket, resolve));
	chmodSync(socket, 0o000);
	const line = `layerscope: images: permission denied on the Docker engine at unix://${socket} (from DOCKER_HOST): is your user in the docker group?\n`;
	try {
		if (process.getuid?.() === 0) {
			// root connects through any mode: the user the socket refuses is another one, who must be able to read the
			// checkout (a clone in a `mktemp -d` directory is 0700: .ci/run opens its own for this).
			const readable = spawnSync('test', ['-r', path.join(ROOT, 'test/helpers/store-run.ts')], {uid: 65534, gid: 65534}).status === 0;
			if (!readable) return t.skip('the checkout is not readable by uid 65534, the user this test switches to');
			const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/helpers/store-run.ts')], {
				cwd: ROOT,
				uid: 65534,
				gid: 65534,
				env: {PATH: process.env.PATH, HOME: '/tmp', DOCKER_HOST: `unix://${socket}`},
				encoding: 'utf8',
				timeout: 60_000,
			});
			assert.deepEqual({code: child.status, stdout: child.stdout, stderr: child.stderr}, {code: 2, stdout: '', stderr: line});
		} else {
			assert.deepEqual(await capture([], {DOCKER_HOST: `unix://${socket}`}), {code: 2, stdout: '', stderr: line});
		}
	} finally {
		server.close();
	}
});

test("an engine error: the engine's own message, one line", async () => {
	const engine = await fakeEngine({'/system/df': [500, {message: 'a disk usage operation is already running\nsecond line'}]});
	try {
		assert.deepEqual(await capture([], {DOCKER_HOST: `unix://${engine.socket}`}), {
			code: 2,
			stdout: '',
			stderr: `layerscope: images: the Docker engine at unix://${engine.socket} (from DOCKER_HOST) answered /system/df with a disk usage operation is already running\n`,
		});
	} finally {
		await engine.close();
	}
});

test('an image removed between the list and its inspect: the list is read again', async () => {
	const routes = store();
	let dfCalls = 0;
	const first = routes['/system/df'] as {Images: object[]};
	const engine = await fakeEngine(
		new Proxy(routes, {
			get(target, key: string) {
				if (key !== '/system/df') return target[key];
				// The first answer names an image whose inspect 404s; the second no longer names it.
				return dfCalls++ === 0 ? {...first, Images: [...first.Images, {Id: id(9), RepoTags: ['gone:1'], Size: 1, SharedSize: 0, Containers: 0}]} : first;
			},
		}),
	);
	try {
		const listing = await listStore(new StoreClient({kind: 'docker', url: `unix://${engine.socket}`, socketPath: engine.socket, origin: 'default'}));
		assert.deepEqual([listing.images.length, dfCalls], [3, 2]);
	} finally {
		await engine.close();
	}
});

test('names from the engine are hostile: escapes shown, never sent to the terminal', async () => {
	const routes = store();
	const df = routes['/system/df'] as {Images: {RepoTags: string[]}[]};
	df.Images[0].RepoTags = ['evil\u001b[31m/x:1\u009b'];
	const engine = await fakeEngine(routes);
	try {
		const table = await capture(['--plain'], {DOCKER_HOST: `unix://${engine.socket}`});
		assert.equal(table.code, 0, table.stderr);
		assert.ok(table.stdout.includes('evil\\e[31m/x   1\\x9b   '), table.stdout);
		assert.doesNotMatch(table.stdout, /[\u001b\u009b]/);
		const json = await capture(['--json'], {DOCKER_HOST: `unix://${engine.socket}`});
		assert.doesNotMatch(json.stdout, /[\u001b\u009b]/);
		assert.deepEqual(JSON.parse(json.stdout).images[0].tags, ['evil\u001b[31m/x:1\u009b']);
	} finally {
		await engine.close();
	}
	const failing = await fakeEngine({'/system/df': [500, {message: 'bad \u001b]0;title\u0007 thing'}]});
	try {
		const result = await capture([], {DOCKER_HOST: `unix://${failing.socket}`});
		assert.equal(
			result.stderr,
			`layerscope: images: the Docker engine at unix://${failing.socket} (from DOCKER_HOST) answered /system/df with bad \\e]0;title\\a thing\n`,
		);
	} finally {
		await failing.close();
	}
});

test('--analyse: a progress bar on a terminal, each image read from its export, the most wasted first, failures named', async () => {
	// X's export: a file added then removed (1000 bytes wasted); Y and Z cannot be exported.
	const archive = await dockerArchive({
		tags: ['x:1'],
		layers: [{entries: [{name: 'big', content: Buffer.alloc(1000)}]}, {entries: [{name: 'big', type: 'whiteout'}]}],
	});
	const engine = await fakeEngine({...store(), [`/images/${id(1)}/get`]: archive});
	try {
		let stdout = '';
		let stderr = '';
		const io = {
			stdout: {write: (text: string) => (stdout += text)},
			stderr: {isTTY: true, write: (text: string) => (stderr += text)},
			env: {DOCKER_HOST: `unix://${engine.socket}`},
		};
		assert.equal(await runImagesArgs(['--analyse'], io), 0);
		const frame = (done: number): string => `\r\u001B[2Kanalysing [${'#'.repeat(done * 10).padEnd(30, '.')}] ${done}/3 images`;
		assert.equal(stderr, frame(1) + frame(2) + '\r\u001B[2K');
		const most = stdout.slice(stdout.indexOf('Most wasted:'));
		assert.equal(
			most,
			'Most wasted:\n\n' +
				'1.00 kB  x:1: saves 1.00 kB: merge layers 0–1 into one RUN: a layer stores only what is left at its end\n' +
				`could not analyse ${id(2).slice(7, 19)}: the Docker engine could not export ${id(2)}: no route /images/${id(2)}/get\n` +
				`could not analyse z:1: the Docker engine could not export ${id(3)}: no route /images/${id(3)}/get\n`,
		);
		const rows = stdout
			.split('\n')
			.slice(3, 6)
			.map(line => line.split(/ {3,}/));
		assert.deepEqual(
			rows.map(cells => [cells[0], cells[9]]),
			[
				['x', '1.00 kB'],
				['<none>', 'error'],
				['z', 'error'],
			],
		);
	} finally {
		await engine.close();
	}
});

test('bad arguments: one line with the usage, exit 2', async () => {
	assert.deepEqual(await capture(['--source', 'rkt'], {}), {code: 2, stdout: '', stderr: 'layerscope: images: --source must be docker or podman, not rkt\n'});
	assert.deepEqual(await capture(['--frobnicate'], {}), {
		code: 2,
		stdout: '',
		stderr:
			'layerscope: images: unknown argument --frobnicate; usage: layerscope images [docker://|podman://|ARCHIVE] [--json] [--plain] [-a] [--source docker|podman] [--layers] [--analyse]\n',
	});
});
