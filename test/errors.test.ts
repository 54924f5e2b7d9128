// Bad input: one line on stderr naming the input and the problem, exit code 2, nothing on stdout, no stack, no hang.
import assert from 'node:assert/strict';
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import zlib from 'node:zlib';
import {dockerArchive, makeLayer, ociArchive, packTar, sha256, tempDir, unpackTar, writeTemp, type FixtureImage} from './helpers/fixtures.js';
import {runCli} from './helpers/cli.js';
import {setDockerConfig} from './helpers/hostile-fixtures.js';

const image: FixtureImage = {tags: ['t:1'], layers: [{entries: [{name: 'a', content: 'a'.repeat(5000)}]}, {entries: [{name: 'b', content: 'b'.repeat(3000)}]}]};

async function expectError(file: string, message: string | RegExp, input?: Buffer): Promise<void> {
	const result = await runCli(input ? ['-'] : [file], {input, timeoutMs: 30_000});
	assert.equal(result.code, 2, `exit code (stderr: ${result.stderr})`);
	assert.equal(result.stdout, '');
	const lines = result.stderr.split('\n').filter(Boolean);
	assert.equal(lines.length, 1, `one line: ${result.stderr}`);
	const where = input ? 'stdin' : file;
	assert.ok(lines[0].startsWith(`layerscope: ${where}: `), lines[0]);
	if (typeof message === 'string') assert.equal(lines[0], `layerscope: ${where}: ${message}`);
	else assert.match(lines[0], message);
	assert.doesNotMatch(result.stderr, /\n\s+at /);
}

/** Rewrite one member of an archive (by name) and pack it again. */
async function rewrite(members: Map<string, Buffer>, change: (members: Map<string, Buffer>) => void): Promise<Buffer> {
	const copy = new Map(members);
	change(copy);
	return packTar([...copy].map(([name, content]) => ({header: {name, size: content.length, mode: 0o644}, content})));
}

async function classicMembers(): Promise<Map<string, Buffer>> {
	return unpackTar(await dockerArchive(image));
}

test('a file that does not exist', async () => {
	await expectError('/nonexistent/image.tar', 'no such file or directory');
});

test('an empty file, and random bytes', async () => {
	await expectError(writeTemp(Buffer.alloc(0)), 'empty input: expected an image archive');
	await expectError(writeTemp(Buffer.from('this is not a tar archive at all, just text\n'.repeat(30))), 'not a tar archive, or a corrupt one');
});

test('an ordinary tarball that is no image', async () => {
	const plain = await packTar([{header: {name: 'README', size: 5}, content: Buffer.from('hello')}]);
	await expectError(writeTemp(plain), 'not a container image archive (no manifest.json or index.json)');
});

test('truncated archives, at several offsets, from a file and on stdin', async () => {
	const archive = await dockerArchive(image);
	for (const cut of [100, 512, 3000, Math.floor(archive.length / 2), archive.length - 1500]) {
		const truncated = archive.subarray(0, cut);
		await expectError(writeTemp(truncated), /truncated|not a tar archive|is missing|not in the archive/);
	}
	await expectError('', /truncated/, archive.subarray(0, 4000));
});

test('manifest.json names a layer that is missing', async () => {
	const members = await classicMembers();
	const layerName = [...members.keys()].find(name => name.endsWith('layer.tar'))!;
	const broken = await rewrite(members, m => m.delete(layerName));
	await expectError(writeTemp(broken), /the manifest names layer \d \([0-9a-f]{64}\/layer\.tar\), which is missing/);
});

test('invalid JSON in manifest.json and in the config', async () => {
	const members = await classicMembers();
	await expectError(
		writeTemp(await rewrite(members, m => m.set('manifest.json', Buffer.from('[{"Config": ')))),
		/^layerscope: .*: manifest manifest\.json is not valid JSON \(/,
	);
	// A config is checked against its name first: the broken one goes under the name its digest gives it.
	const broken = Buffer.from('{"rootfs": [');
	await expectError(
		writeTemp(await rewrite(members, m => void setDockerConfig(m, broken))),
		new RegExp(`config ${sha256(broken).slice(7)}\\.json is not valid JSON`),
	);
});

test('invalid JSON in an OCI index.json', async () => {
	const members = await unpackTar(await ociArchive(image));
	await expectError(writeTemp(await rewrite(members, m => m.set('index.json', Buffer.from('{"manifests": [')))), /index index\.json is not valid JSON/);
});

test('a layer whose bytes do not match its diffID is an error naming the layer', async () => {
	const members = await classicMembers();
	const layerName = [...members.keys()].filter(name => name.endsWith('layer.tar'))[1];
	const forged = await makeLayer([{name: 'b', content: 'B'.repeat(3000)}]);
	await expectError(
		writeTemp(await rewrite(members, m => m.set(layerName, forged))),
		new RegExp(`layer 1 \\(${layerName.replace('/', '\\/')}\\) does not match its diffID sha256:[0-9a-f]{64} \\(read ${sha256(forged)}\\)`),
	);
});

test('an OCI layer blob that does not match its digest', async () => {
	const layer = await makeLayer([{name: 'x', content: 'xyz'}]);
	const gz = zlib.gzipSync(layer);
	const config = Buffer.from(JSON.stringify({os: 'linux', architecture: 'amd64', rootfs: {type: 'layers', diff_ids: [sha256(layer)]}}));
	const wrongDigest = sha256('something else');
	const manifest = Buffer.from(
		JSON.stringify({
			schemaVersion: 2,
			config: {mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length},
			layers: [{mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: wrongDigest, size: gz.length}],
		}),
	);
	const index = Buffer.from(
		JSON.stringify({schemaVersion: 2, manifests: [{mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha256(manifest), size: manifest.length}]}),
	);
	const hex = (d: string) => d.slice(7);
	const archive = await packTar(
		[
			['index.json', index],
			['oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}')],
			[`blobs/sha256/${hex(sha256(manifest))}`, manifest],
			[`blobs/sha256/${hex(sha256(config))}`, config],
			[`blobs/sha256/${hex(wrongDigest)}`, gz],
		].map(([name, content]) => ({header: {name: name as string, size: (content as Buffer).length}, content: content as Buffer})),
	);
	await expectError(
		writeTemp(archive),
		new RegExp(`layer 0 \\(blobs/sha256/${hex(wrongDigest)}\\) does not match its digest ${wrongDigest} \\(read ${sha256(gz)}\\)`),
	);
});

test('corrupt compression: a gzip layer cut short, a corrupted zstd frame, a gzip archive cut short', async () => {
	const members = await classicMembers();
	const layerName = [...members.keys()].find(name => name.endsWith('layer.tar'))!;
	const gz = zlib.gzipSync(members.get(layerName)!);
	await expectError(
		writeTemp(await rewrite(members, m => m.set(layerName, gz.subarray(0, gz.length - 20)))),
		/layer 0: .*layer\.tar: truncated compressed data \(unexpected end of file\)/,
	);
	const ociMembers = await unpackTar(await ociArchive(image, {compression: 'zstd'}));
	const zstdBlob = [...ociMembers].find(([, data]) => data[0] === 0x28 && data[1] === 0xb5)!;
	const corrupted = Buffer.from(zstdBlob[1]);
	corrupted.fill(0xff, 12, 40);
	await expectError(
		writeTemp(await rewrite(ociMembers, m => m.set(zstdBlob[0], corrupted))),
		/layer \d: blobs\/sha256\/[0-9a-f]+: (corrupt zstd data|not a tar archive, or a corrupt one|.*does not match)/,
	);
	const gzArchive = await dockerArchive(image, {outer: 'gzip'});
	await expectError(writeTemp(gzArchive.subarray(0, gzArchive.length - 30)), /truncated compressed data|truncated|corrupt gzip/);
});

test('a directory that is not an OCI layout, and an unreadable file', async t => {
	const dir = tempDir();
	mkdirSync(path.join(dir, 'empty'));
	await expectError(path.join(dir, 'empty'), 'a directory, but neither an OCI image layout (no index.json) nor a dir: layout (no manifest.json and version)');
	const file = path.join(dir, 'secret.tar');
	writeFileSync(file, await dockerArchive(image), {mode: 0o000});
	if (process.getuid?.() === 0) {
		t.diagnostic('running as root: file permissions do not stop root, unreadable-file case skipped');
		return;
	}
	await expectError(file, 'permission denied');
});

test('unknown flags and too many images are usage errors (exit 2)', async () => {
	const result = await runCli(['a.tar', 'b.tar']);
	assert.equal(result.code, 2);
	assert.match(result.stderr, /one image at a time/);
});
