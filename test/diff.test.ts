// `layerscope diff A B`: files added/changed/removed between two final filesystems, and the layers they share.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {runCli} from './helpers/cli.js';
import {dockerArchive, ociArchive, writeTemp, type FixtureLayer} from './helpers/fixtures.js';

const BASE: FixtureLayer = {
	entries: [
		{name: 'etc', type: 'directory'},
		{name: 'etc/os', content: 'v1'},
		{name: 'bin', type: 'directory'},
		{name: 'bin/tool', content: 'x'.repeat(100)},
		{name: 'data', type: 'directory'},
		{name: 'data/a', content: 'a'.repeat(10)},
		{name: 'data/b', content: 'b'.repeat(20)},
	],
	createdBy: '/bin/sh -c #(nop) ADD base',
};

async function pair(): Promise<{a: string; b: string}> {
	const a = await dockerArchive({
		tags: ['app:1'],
		layers: [
			BASE,
			{
				entries: [
					{name: 'app', type: 'directory'},
					{name: 'app/x', content: 'hello'},
				],
				createdBy: '/bin/sh -c make app',
			},
		],
	});
	// B shares A's base layer byte for byte (same diffID) and is an oci-archive with gzip layers: any two sources mix.
	const b = await ociArchive(
		{
			layers: [
				BASE,
				{
					entries: [
						{name: 'etc/os', content: 'v2-long'},
						{name: 'data', type: 'whiteout'},
						{name: 'bin/tool', content: 'x'.repeat(100), mode: 0o755},
						{name: 'new', type: 'directory'},
						{name: 'new/one', content: '111'},
						{name: 'new/two', content: '2222'},
						{name: 'lnk', type: 'symlink', linkname: '/new/one'},
					],
					createdBy: '/bin/sh -c change',
				},
			],
		},
		{compression: 'gzip'},
	);
	return {a: writeTemp(a, 'a.tar'), b: writeTemp(b, 'b.tar')};
}

test('diff --json: every added, changed and removed path, and shared vs unique layer bytes', async () => {
	const {a, b} = await pair();
	const result = await runCli(['diff', a, b, '--json']);
	assert.equal(result.stderr, '');
	assert.equal(result.code, 0);
	const report = JSON.parse(result.stdout);
	assert.equal(report.schemaVersion, 1);
	assert.deepEqual(report.a.source, {kind: 'docker-archive', reference: a});
	assert.deepEqual(report.b.source, {kind: 'oci-archive', reference: b});
	assert.equal(report.a.sizeBytes, 137);
	assert.equal(report.b.sizeBytes, 254);
	assert.deepEqual(report.files.counts, {added: 4, changed: 2, removed: 5});
	assert.equal(report.files.addedBytes, 7);
	assert.equal(report.files.removedBytes, 35);
	assert.equal(report.files.changedDeltaBytes, 5);
	assert.deepEqual(
		report.files.changes.map(
			(c: {status: string; path: string; differences?: string[]}) => `${c.status} ${c.path}${c.differences ? ' ' + c.differences.join(',') : ''}`,
		),
		[
			'removed /app',
			'removed /app/x',
			'changed /bin/tool mode',
			'removed /data',
			'removed /data/a',
			'removed /data/b',
			'changed /etc/os content',
			'added /lnk',
			'added /new',
			'added /new/one',
			'added /new/two',
		],
	);
	assert.equal(report.files.changes.find((c: {path: string}) => c.path === '/lnk').linkTarget, '/new/one');
	const {layers} = report;
	assert.equal(layers.shared.length, 1);
	const [shared] = layers.shared;
	assert.match(shared.diffId, /^sha256:[0-9a-f]{64}$/);
	assert.deepEqual([shared.indexA, shared.indexB, shared.sizeBytes], [0, 0, 132]);
	// A (docker save) has no compressed size; B's gzip blob gives one.
	assert.ok(shared.compressedSizeBytes > 0);
	assert.deepEqual([layers.sharedBytes, layers.uniqueBytesA, layers.uniqueBytesB, layers.commonBaseLayers], [132, 5, 122, 1]);
	assert.deepEqual([layers.onlyA, layers.onlyB], [[1], [1]]);
});

test('diff text report: folded directories, size changes, layer sharing', async () => {
	const {a, b} = await pair();
	const result = await runCli(['diff', a, b]);
	assert.equal(result.code, 0);
	assert.equal(result.stderr, '');
	const lines = result.stdout.split('\n');
	assert.match(lines[0], /^A {2}app:1 {2}\(docker-archive: .*a\.tar\) {2}2 layers {2}137 B$/);
	assert.match(lines[1], /^B {2}[0-9a-f]{12} {2}\(oci-archive: .*b\.tar\) {2}2 layers {2}254 B \(compressed \d+ B\)$/);
	assert.ok(lines.includes('Layers: 1 shared (132 B), 1 only in A (5 B), 1 only in B (122 B)'));
	assert.ok(lines.includes('  stored once for both: 259 B; shared bytes saved: 132 B; common base: 1 layer'));
	assert.match(result.stdout, /\n {2}shared A0 B0 +132 B {2}[0-9a-f]{12} {2}ADD base\n/);
	assert.match(result.stdout, /\n {2}only A1 +5 B {2}[0-9a-f]{12} {2}RUN make app\n/);
	const files = result.stdout.slice(result.stdout.indexOf('Files:'));
	assert.equal(
		files,
		[
			'Files: 4 added (+7 B), 2 changed (+5 B), 5 removed (-35 B)',
			'  - /app/  5 B  (1 path below)',
			'  ~ /bin/tool  100 B  mode',
			'  - /data/  30 B  (2 paths below)',
			'  ~ /etc/os  2 B -> 7 B  content',
			'  + /lnk -> /new/one  symlink',
			'  + /new/  7 B  (2 paths below)',
			'',
		].join('\n'),
	);
});

test('diff of an image with itself: nothing changed, every layer shared', async () => {
	const {a} = await pair();
	const result = await runCli(['diff', a, a]);
	assert.equal(result.code, 0);
	assert.match(result.stdout, /Layers: 2 shared \(137 B\), 0 only in A \(0 B\), 0 only in B \(0 B\)/);
	assert.match(result.stdout, /Files: 0 added \(\+0 B\), 0 changed \(\+0 B\), 0 removed \(-0 B\)\n {2}the final filesystems are the same\n$/);
});

test('diff: hostile path names are made visible, never sent raw', async () => {
	const a = writeTemp(await dockerArchive({layers: [{entries: [{name: 'x', content: '1'}]}]}), 'a.tar');
	const b = writeTemp(
		await dockerArchive({
			layers: [
				{
					entries: [
						{name: 'x', content: '1'},
						{name: 'evil\u001b[2Jname', content: '2'},
					],
				},
			],
		}),
		'b.tar',
	);
	const result = await runCli(['diff', a, b]);
	assert.equal(result.code, 0);
	assert.ok(!result.stdout.includes('\u001b'));
	assert.match(result.stdout, / {2}\+ \/evil\\e\[2Jname {2}1 B\n/);
});

test('diff: wrong argument counts and unreadable images give one line and exit 2', async () => {
	const {a} = await pair();
	const one = await runCli(['diff', a]);
	assert.equal(one.code, 2);
	assert.equal(one.stderr, 'layerscope: diff compares two images (got 1): layerscope diff <imageA> <imageB>\n');
	assert.equal(one.stdout, '');
	const three = await runCli(['diff', a, a, a]);
	assert.equal(three.code, 2);
	assert.match(three.stderr, /^layerscope: diff compares two images \(got 3\)/);
	const missing = await runCli(['diff', a, '/nonexistent/b.tar']);
	assert.equal(missing.code, 2);
	assert.equal(missing.stderr, 'layerscope: /nonexistent/b.tar: no such file or directory\n');
	assert.equal(missing.stdout, '');
	const notImage = await runCli(['diff', writeTemp(Buffer.from('not an image at all, just some text\n'.repeat(40)), 'x.tar'), a]);
	assert.equal(notImage.code, 2);
	assert.match(notImage.stderr, /^layerscope: \S+x\.tar: .+\n$/);
	const bothStdin = await runCli(['diff', '-', '-']);
	assert.equal(bothStdin.code, 2);
	assert.equal(bothStdin.stderr, 'layerscope: diff can read only one of the two images from stdin\n');
	assert.equal(bothStdin.stdout, '');
});
