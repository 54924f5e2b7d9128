// Integrity (issue #12): content that does not match what names it is refused. Layers addressed by sha512 are
// verified as sha256 ones are; a digest nobody can verify, a malformed one or a missing diff_id is an error naming the
// layer; configs and manifests are checked against the digests that name them; two archive members of one name are
// refused. Every case runs through the archive file reader, the stdin stream reader and, where it applies, a layout.
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import {describe, test} from 'node:test';
import {runCli} from './helpers/cli.js';
import {compress, dockerArchive, makeLayer, packTar, sha256, tempDir, writeTemp, type Compression} from './helpers/fixtures.js';
import {editArchive, rawControl, setDockerConfig} from './helpers/hostile-fixtures.js';

type Algorithm = 'sha256' | 'sha512';

function digest(data: Buffer, algorithm: Algorithm): string {
	return `${algorithm}:${createHash(algorithm).update(data).digest('hex')}`;
}

interface OciEdits {
	/** Layer blobs addressed with this algorithm (config and manifest stay sha256). */
	algorithm?: Algorithm;
	compression?: Compression;
	/** Change the manifest's layer descriptors, the config's diff_ids, or the blobs before writing. */
	layerDigest?: (real: string) => string;
	diffId?: (real: string) => unknown;
	blobs?: (files: Map<string, Buffer>, names: {manifest: string; config: string; layer: string}) => unknown;
	/** The layer tar (default LAYER). */
	tar?: Buffer;
}

const LAYER = makeLayer([
	{name: 'etc/a', content: 'hello'},
	{name: 'bin/tool', content: Buffer.alloc(3000, 2)},
]);

/** One-layer OCI image files, built by hand so that any digest can be written. */
async function ociImage(edits: OciEdits = {}): Promise<Map<string, Buffer>> {
	const files = new Map<string, Buffer>();
	const put = (data: Buffer, algorithm: Algorithm): string => {
		const d = digest(data, algorithm);
		files.set(`blobs/${d.replace(':', '/')}`, data);
		return d;
	};
	const tar = edits.tar ?? (await LAYER);
	const blob = compress(tar, edits.compression ?? 'gzip');
	const layerDigest = put(blob, edits.algorithm ?? 'sha256');
	const diffId = sha256(tar);
	const config = Buffer.from(
		JSON.stringify({
			architecture: 'amd64',
			os: 'linux',
			rootfs: {type: 'layers', diff_ids: [edits.diffId ? edits.diffId(diffId) : diffId]},
			history: [{created_by: '/bin/sh -c make'}],
		}),
	);
	const configDigest = put(config, 'sha256');
	const mediaType = edits.compression === 'none' ? 'application/vnd.oci.image.layer.v1.tar' : 'application/vnd.oci.image.layer.v1.tar+gzip';
	const manifest = Buffer.from(
		JSON.stringify({
			schemaVersion: 2,
			mediaType: 'application/vnd.oci.image.manifest.v1+json',
			config: {mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length},
			layers: [{mediaType, digest: edits.layerDigest ? edits.layerDigest(layerDigest) : layerDigest, size: blob.length}],
		}),
	);
	const manifestDigest = put(manifest, 'sha256');
	files.set('oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}'));
	files.set(
		'index.json',
		Buffer.from(
			JSON.stringify({schemaVersion: 2, manifests: [{mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: manifestDigest, size: manifest.length}]}),
		),
	);
	const name = (d: string): string => `blobs/${d.replace(':', '/')}`;
	await edits.blobs?.(files, {manifest: name(manifestDigest), config: name(configDigest), layer: name(layerDigest)});
	return files;
}

function pack(files: Map<string, Buffer>): Promise<Buffer> {
	return packTar([...files].map(([name, content]) => ({header: {name, size: content.length, mode: 0o644}, content})));
}

function layoutDir(files: Map<string, Buffer>): string {
	const dir = tempDir();
	for (const [name, content] of files) {
		mkdirSync(path.join(dir, path.dirname(name)), {recursive: true});
		writeFileSync(path.join(dir, name), content);
	}
	return dir;
}

/** The outcome through each reader: the archive file (indexed), stdin (streamed), and the layout directory. */
async function throughEveryReader(files: Map<string, Buffer>, layout = true): Promise<{via: string; code: number | null; stdout: string; stderr: string}[]> {
	const archive = await pack(files);
	const file = writeTemp(archive);
	const results = [
		{via: 'file', ...(await runCli([file, '--json']))},
		{via: 'stdin', ...(await runCli(['-', '--json'], {input: archive}))},
	];
	if (layout) results.push({via: 'layout', ...(await runCli([layoutDir(files), '--json']))});
	return results;
}

function assertRefused(results: Awaited<ReturnType<typeof throughEveryReader>>, problem: RegExp): void {
	for (const result of results) {
		assert.equal(result.code, 2, `${result.via}: exit 2, stderr: ${result.stderr}`);
		assert.equal(result.stdout, '', result.via);
		const lines = result.stderr.split('\n');
		assert.equal(lines.length, 2, `${result.via}: one line: ${result.stderr}`);
		assert.match(lines[0], /^layerscope: [^:]+: /, result.via);
		assert.match(lines[0], problem, result.via);
		assert.equal(rawControl(result.stderr), null);
	}
}

describe('layer digests of every registered algorithm are verified', () => {
	for (const compression of ['gzip', 'none'] as const) {
		test(`a sha512-addressed ${compression} layer reads, its digest shown as sha512`, async () => {
			const files = await ociImage({algorithm: 'sha512', compression});
			const layerDigest = [...files.keys()].find(name => name.startsWith('blobs/sha512/'))!.replace('blobs/sha512/', 'sha512:');
			for (const result of await throughEveryReader(files)) {
				assert.equal(result.code, 0, `${result.via}: ${result.stderr}`);
				const report = JSON.parse(result.stdout);
				assert.equal(report.layers.length, 1);
				assert.equal(report.layers[0].digest, layerDigest, result.via);
				assert.equal(report.layers[0].diffId, sha256(await LAYER), result.via);
				assert.equal(report.layers[0].sizeBytes, 3005, result.via);
			}
		});

		test(`a tampered sha512 ${compression} layer is refused, naming the layer`, async () => {
			const files = await ociImage({
				algorithm: 'sha512',
				compression,
				async blobs(blobs, names) {
					// Other content under the same name: a valid layer, so only the digest can tell.
					const other = await makeLayer([{name: 'etc/a', content: 'HELLO'}]);
					blobs.set(names.layer, compress(other, compression));
				},
			});
			assertRefused(
				await throughEveryReader(files),
				/layer 0 \(blobs\/sha512\/[0-9a-f]{128}\) does not match its (digest sha512:[0-9a-f]{128} \(read sha512:[0-9a-f]{128}\)|diffID)/,
			);
		});
	}

	test('a big sha512 layer (hashed on the worker threads, by positioned reads or as a stream) reads; tampered, it is refused', async () => {
		// 6 MiB of bytes that do not compress: over the size where hashing moves to the workers, gzip or not.
		const noise = Buffer.alloc(6 * 1024 * 1024);
		for (let i = 0, x = 1; i < noise.length; i++) noise[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
		const tar = await makeLayer([{name: 'blob.bin', content: noise}]);
		for (const compression of ['none', 'gzip'] as const) {
			const files = await ociImage({algorithm: 'sha512', compression, tar});
			const layerDigest = [...files.keys()].find(name => name.startsWith('blobs/sha512/'))!.replace('blobs/sha512/', 'sha512:');
			for (const result of await throughEveryReader(files)) {
				assert.equal(result.code, 0, `${compression} ${result.via}: ${result.stderr}`);
				const layer = JSON.parse(result.stdout).layers[0];
				assert.deepEqual([layer.digest, layer.diffId, layer.sizeBytes], [layerDigest, sha256(tar), noise.length], `${compression} ${result.via}`);
			}
			// Other bytes under the blob's name: file content changed (plain), or the same tar compressed otherwise (gzip,
			// so the diffID still matches and only the sha512 can tell).
			const other = (blob: Buffer): Buffer => (compression === 'none' ? Buffer.from(blob).fill(0x55, 600, 700) : zlib.gzipSync(tar, {level: 1}));
			const tampered = await ociImage({
				algorithm: 'sha512',
				compression,
				tar,
				blobs: (blobs, names) => void blobs.set(names.layer, other(blobs.get(names.layer)!)),
			});
			assertRefused(
				await throughEveryReader(tampered),
				/layer 0 \(blobs\/sha512\/[0-9a-f]{128}\) does not match its digest sha512:[0-9a-f]{128} \(read sha512:[0-9a-f]{128}\)$/,
			);
		}
	});

	test('a digest of an algorithm nobody can verify, or a malformed one, is an error naming the layer', async () => {
		const cases: [string, (real: string) => string, RegExp][] = [
			[
				'md5',
				() => 'md5:' + 'a'.repeat(32),
				/manifest sha256:[0-9a-f]{64}: layer 0 has a digest of an algorithm layerscope cannot verify \("md5"; sha256 and sha512 are\)$/,
			],
			['blake3', real => 'blake3:' + real.slice(7), /layer 0 has a digest of an algorithm layerscope cannot verify \("blake3"/],
			[
				'uppercase hex',
				real => real.toUpperCase().replace('SHA256', 'sha256'),
				/layer 0 has a malformed sha256 digest "sha256:[0-9A-F]{64}" \(expected 64 lowercase hex digits\)$/,
			],
			['short hex', real => real.slice(0, 20), /layer 0 has a malformed sha256 digest/],
			['no algorithm', real => real.slice(7), /layer 0 has a malformed digest "[0-9a-f]{64}"$/],
			['empty', () => '', /layer 0 has no digest$/],
		];
		for (const [name, layerDigest, problem] of cases) {
			const files = await ociImage({layerDigest});
			assertRefused(await throughEveryReader(files), problem);
			assert.ok(true, name);
		}
	});

	test('an empty, missing or non-sha256 diff_id is an error naming the layer: the layer is never read unverified', async () => {
		const cases: [unknown, RegExp][] = [
			['', /config sha256:[0-9a-f]{64}: layer 0 has no diff_id \(rootfs\.diff_ids\[0\] is empty\): it cannot be verified$/],
			[null, /config sha256:[0-9a-f]{64}: rootfs\.diff_ids\[0\] is null, expected a string$/],
			['sha512:' + 'a'.repeat(128), /layer 0 has a sha512 diff_id; diff_ids are sha256 of the layer's tar$/],
			['sha256:xyz', /layer 0's diff_id has a malformed sha256 digest "sha256:xyz"/],
			[42, /config sha256:[0-9a-f]{64}: rootfs\.diff_ids\[0\] is a number, expected a string$/],
		];
		for (const [diffId, problem] of cases) assertRefused(await throughEveryReader(await ociImage({diffId: () => diffId})), problem);
	});

	test('a big layer that does not match is reported, not what was read from it: not a later broken layer, not its analysis', async () => {
		// Over the workers' 4 MiB: the entries are read while a worker still hashes the blob, and the analysis runs
		// meanwhile; the digest check must still decide what the user is told.
		const noise = Buffer.alloc(6 * 1024 * 1024);
		for (let i = 0, x = 7; i < noise.length; i++) noise[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
		const big = {entries: [{name: 'blob.bin', content: noise}]};
		const broken = {tar: Buffer.alloc(4096, 0x41)};
		const tamper = (archive: Buffer): Buffer => {
			const at = archive.indexOf(noise.subarray(0, 64));
			return Buffer.from(archive).fill(0x55, at + 1000, at + 1100);
		};
		for (const layers of [[big], [big, broken], [big, {entries: [{name: 'blob.bin', content: 'gone'}]}]]) {
			const file = writeTemp(tamper(await dockerArchive({tags: ['x:1'], layers})));
			const result = await runCli([file, '--json']);
			assert.equal(result.code, 2, result.stderr);
			assert.equal(result.stdout, '');
			assert.match(
				result.stderr,
				/^layerscope: [^\n]+: layer 0 \([0-9a-f]{64}\/layer\.tar\) does not match its diffID sha256:[0-9a-f]{64} \(read sha256:[0-9a-f]{64}\)\n$/,
			);
		}
	});

	test('a layer that does not match its diff_id is refused', async () => {
		const files = await ociImage({diffId: () => `sha256:${'0'.repeat(64)}`});
		assertRefused(
			await throughEveryReader(files),
			/layer 0 \(blobs\/sha256\/[0-9a-f]{64}\) does not match its diffID sha256:0{64} \(read sha256:[0-9a-f]{64}\)$/,
		);
	});
});

describe('configs and manifests are checked against the digests that name them', () => {
	test('a docker-save config that is not the content its name <hex>.json gives is refused', async () => {
		const archive = await dockerArchive({tags: ['x:1'], layers: [{entries: [{name: 'a', content: 'a'}]}]});
		const tampered = await editArchive(archive, files => {
			const manifest = JSON.parse(files.get('manifest.json')!.toString()) as {Config: string}[];
			const config = JSON.parse(files.get(manifest[0].Config)!.toString());
			config.config.Cmd = ['evil'];
			files.set(manifest[0].Config, Buffer.from(JSON.stringify(config)));
		});
		const file = writeTemp(tampered);
		for (const result of [await runCli([file, '--json']), await runCli(['-', '--json'], {input: tampered})]) {
			assert.equal(result.code, 2, result.stderr);
			assert.match(result.stderr, /^layerscope: [^:]+: config ([0-9a-f]{64})\.json does not match its digest sha256:\1 \(read sha256:[0-9a-f]{64}\)\n$/);
		}
		// The same edit under the name its digest gives reads.
		const renamed = await editArchive(archive, files => {
			const manifest = JSON.parse(files.get('manifest.json')!.toString()) as {Config: string}[];
			const config = JSON.parse(files.get(manifest[0].Config)!.toString());
			config.config.Cmd = ['evil'];
			setDockerConfig(files, Buffer.from(JSON.stringify(config)));
		});
		const result = await runCli([writeTemp(renamed), '--json']);
		assert.equal(result.code, 0, result.stderr);
		assert.deepEqual(JSON.parse(result.stdout).image.config.Cmd, ['evil']);
	});

	test('a Docker 25 config at blobs/sha256/<hex> is checked too', async () => {
		const archive = await dockerArchive({layers: [{entries: [{name: 'a', content: 'a'}]}]}, {layout: 'docker25'});
		const tampered = await editArchive(archive, files => {
			const manifest = JSON.parse(files.get('manifest.json')!.toString()) as {Config: string}[];
			files.set(manifest[0].Config, Buffer.from(files.get(manifest[0].Config)!.toString().replace('"sh"', '"zsh"')));
		});
		const result = await runCli([writeTemp(tampered)]);
		assert.equal(result.code, 2);
		assert.match(result.stderr, /config blobs\/sha256\/([0-9a-f]{64}) does not match its digest sha256:\1 \(read sha256:[0-9a-f]{64}\)\n$/);
	});

	test('an OCI manifest or config that does not match its descriptor is refused', async () => {
		const manifest = await ociImage({
			blobs: (files, names) => files.set(names.manifest, Buffer.from(files.get(names.manifest)!.toString().replace('"schemaVersion":2', '"schemaVersion":3'))),
		});
		assertRefused(
			await throughEveryReader(manifest),
			/manifest sha256:[0-9a-f]{64} does not match its digest sha256:[0-9a-f]{64} \(read sha256:[0-9a-f]{64}\)$/,
		);
		const config = await ociImage({
			blobs: (files, names) => files.set(names.config, Buffer.from(files.get(names.config)!.toString().replace('amd64', 'arm64'))),
		});
		assertRefused(await throughEveryReader(config), /config sha256:[0-9a-f]{64} does not match its digest/);
		const size = await ociImage({
			blobs(files) {
				const index = JSON.parse(files.get('index.json')!.toString());
				index.manifests[0].size += 1;
				files.set('index.json', Buffer.from(JSON.stringify(index)));
			},
		});
		assertRefused(await throughEveryReader(size), /manifest sha256:[0-9a-f]{64} is (\d+) bytes where its descriptor says \d+$/);
	});

	test('two archive members of one name are refused by both readers, whichever is first', async () => {
		const files = await ociImage();
		const archive = await pack(files);
		const index = files.get('index.json')!;
		for (const extra of [
			{name: 'index.json', content: Buffer.from('{"manifests": []}')},
			{name: './index.json', content: index},
		]) {
			const doubled = await packTar([
				...[...files].map(([name, content]) => ({header: {name, size: content.length, mode: 0o644}, content})),
				{header: {name: extra.name, size: extra.content.length, mode: 0o644}, content: extra.content},
			]);
			const file = writeTemp(doubled);
			for (const result of [await runCli([file]), await runCli(['-'], {input: doubled})]) {
				assert.equal(result.code, 2, result.stderr);
				assert.match(result.stderr, /^layerscope: [^:]+: the archive holds two members named index\.json: refusing to guess which one is meant\n$/);
			}
		}
		assert.equal((await runCli([writeTemp(archive), '--json'])).code, 0);
		// A symlink of a name a file has: two members of one name too.
		const linked = await packTar([
			...[...files].map(([name, content]) => ({header: {name, size: content.length, mode: 0o644}, content})),
			{header: {name: 'index.json', type: 'symlink' as const, linkname: 'oci-layout'}},
		]);
		for (const result of [await runCli([writeTemp(linked)]), await runCli(['-'], {input: linked})]) {
			assert.equal(result.code, 2, result.stderr);
			assert.match(result.stderr, /the archive holds two members named index\.json: refusing to guess which one is meant\n$/);
		}
	});
});
