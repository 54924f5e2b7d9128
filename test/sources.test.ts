// Every archive format and way in: classic and Docker 25+ docker save, several images and tags, oci-archive,
// OCI layout directories, multi-platform indexes, gzip/zstd outer compression, files and stdin.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {readFileSync} from 'node:fs';
import {dockerArchive, ociArchive, ociLayoutDir, packTar, unpackTar, writeTemp, type FixtureImage} from './helpers/fixtures.js';
import {analyzeBuffer} from './helpers/load.js';
import {loadImage} from '../source/sources/load.js';
import {runCli} from './helpers/cli.js';
import {toJsonReport} from '../source/report/json.js';
import {compareImages} from '../source/diff/compare.js';
import {lookup, walkTree} from '../source/model/fs-tree.js';

const appImage: FixtureImage = {
	tags: ['app:1.0', 'app:latest'],
	layers: [
		{
			entries: [
				{name: 'etc/', type: 'directory'},
				{name: 'etc/os-release', content: 'ID=test\n'},
				{name: 'bin/tool', content: 't'.repeat(3000)},
			],
			createdBy: '/bin/sh -c #(nop) ADD file:rootfs in / ',
		},
		{entries: [{name: 'tmp/build.log', content: 'l'.repeat(2000)}], createdBy: '/bin/sh -c make > /tmp/build.log'},
		{entries: [{name: 'tmp/build.log', type: 'whiteout'}], createdBy: '/bin/sh -c rm /tmp/build.log'},
	],
};
const otherImage: FixtureImage = {tags: ['other:2'], layers: [{entries: [{name: 'only-other', content: 'o'.repeat(10)}]}]};

const summary = (a: Awaited<ReturnType<typeof loadImage>>) => ({
	kind: a.source.kind,
	tags: a.image.tags,
	sizes: a.layers.map(l => l.sizeBytes),
	waste: a.waste.totalBytes,
	createdBy: a.layers.map(l => l.createdBy),
});
const expected = {
	tags: ['app:1.0', 'app:latest'],
	sizes: [3008, 2000, 0],
	waste: 2000,
	createdBy: ['/bin/sh -c #(nop) ADD file:rootfs in / ', '/bin/sh -c make > /tmp/build.log', '/bin/sh -c rm /tmp/build.log'],
};

test('classic docker save, from a file and from stdin, plain and gzip-compressed', async () => {
	const archive = await dockerArchive(appImage);
	assert.deepEqual(summary(await loadImage(writeTemp(archive))), {kind: 'docker-archive', ...expected});
	assert.deepEqual(summary(await analyzeBuffer(archive)), {kind: 'docker-archive', ...expected});
	const gz = await dockerArchive(appImage, {outer: 'gzip'});
	assert.deepEqual(summary(await loadImage(writeTemp(gz, 'image.tar.gz'))), {kind: 'docker-archive', ...expected});
	const zst = await dockerArchive(appImage, {outer: 'zstd'});
	assert.deepEqual(summary(await analyzeBuffer(zst)), {kind: 'docker-archive', ...expected});
});

test('Docker 25+ docker save (blobs/sha256 + manifest.json + index.json): layers verified against their digests', async () => {
	const a = await analyzeBuffer(await dockerArchive(appImage, {layout: 'docker25'}));
	assert.deepEqual(summary(a), {kind: 'docker-archive', ...expected});
	assert.match(a.layers[0].digest ?? '', /^sha256:[0-9a-f]{64}$/);
	assert.equal(a.layers[0].digest, a.layers[0].diffId);
	assert.equal(a.layers[0].mediaType, 'application/vnd.oci.image.layer.v1.tar');
});

test('several images and tags in one archive: the first by default, --image picks, --list lists', async () => {
	const file = writeTemp(await dockerArchive([appImage, otherImage]));
	assert.deepEqual((await loadImage(file)).image.tags, ['app:1.0', 'app:latest']);
	assert.deepEqual((await loadImage(file, {image: 'other:2'})).image.tags, ['other:2']);
	assert.deepEqual((await loadImage(file, {image: 'app'})).image.tags, ['app:1.0', 'app:latest']);
	assert.deepEqual((await loadImage(file, {image: 'docker.io/library/other:2'})).image.tags, ['other:2']);
	const list = await runCli([file, '--list']);
	assert.deepEqual([list.code, list.stdout], [0, 'app:1.0\napp:latest\nother:2\n']);
	const missing = await runCli([file, '--image', 'nope:1']);
	assert.equal(missing.code, 2);
	assert.equal(missing.stderr, `layerscope: ${file}: no image nope:1 in the archive; it holds: app:1.0, app:latest, other:2\n`);
});

for (const compression of ['gzip', 'zstd', 'none'] as const) {
	test(`oci-archive with ${compression} layers: manifest order, compressed sizes, digests checked`, async () => {
		const a = await analyzeBuffer(await ociArchive(appImage, {compression, refName: 'app:1.0'}));
		assert.deepEqual(summary(a), {...expected, kind: 'oci-archive', tags: ['app:1.0']});
		assert.deepEqual(
			a.layers.map(l => l.compression),
			[compression, compression, compression],
		);
		if (compression === 'none') assert.equal(a.image.compressedSizeBytes, null);
		else assert.ok(a.layers.every(l => (l.compressedSizeBytes ?? 0) > 0) && a.image.compressedSizeBytes! > 0);
	});
}

test('OCI layout directory', async () => {
	const dir = await ociLayoutDir(appImage, {compression: 'zstd'});
	assert.deepEqual(summary(await loadImage(dir)), {...expected, kind: 'oci-layout', tags: []});
});

test('multi-platform index: --platform picks, the host platform is the default, a missing one lists the choices', async () => {
	const amd = {layers: [{entries: [{name: 'arch', content: 'amd64!'}]}]};
	const arm = {layers: [{entries: [{name: 'arch', content: 'arm64'}]}]};
	const archive = await ociArchive(null, {
		platforms: [
			{os: 'linux', architecture: 'amd64', image: amd},
			{os: 'linux', architecture: 'arm64', variant: 'v8', image: arm},
		],
	});
	assert.equal((await analyzeBuffer(archive, {platform: 'linux/arm64'})).image.sizeBytes, 5);
	assert.equal((await analyzeBuffer(archive, {platform: 'linux/amd64'})).image.sizeBytes, 6);
	const host = process.arch === 'arm64' ? 5 : 6;
	assert.equal((await analyzeBuffer(archive)).image.sizeBytes, host);
	await assert.rejects(
		analyzeBuffer(archive, {platform: 'linux/s390x'}),
		/no image for platform linux\/s390x; choose one with --platform: linux\/amd64, linux\/arm64\/v8/,
	);
});

test('stdin: `-` and a bare pipe stream a classic archive (manifest.json last) without a temp file', async () => {
	const archive = await dockerArchive(appImage);
	const names = readFileSync(writeTemp(archive)).includes(Buffer.from('manifest.json'));
	assert.ok(names);
	for (const args of [['-', '--json'], ['--json']]) {
		const result = await runCli(args, {input: archive});
		assert.equal(result.code, 0, result.stderr);
		const report = JSON.parse(result.stdout);
		assert.deepEqual([report.source.reference, report.waste.totalBytes, report.image.tags], ['stdin', 2000, ['app:1.0', 'app:latest']]);
	}
});

test('the plain report is printed when stdout is not a terminal', async () => {
	const result = await runCli([writeTemp(await dockerArchive(appImage))]);
	assert.equal(result.code, 0, result.stderr);
	assert.match(result.stdout, /^Image: app:1\.0, app:latest/);
	assert.match(result.stdout, /wasted 2\.00 kB: removed 2\.00 kB, overwritten 0 B, duplicate 0 B/);
	assert.match(result.stdout, /2\.00 kB +removed +stored by layer 1, hidden by layer 2 +\/tmp\/build\.log/);
	assert.match(result.stdout, /RUN make > \/tmp\/build\.log/);
});

test('a layer.tar that is a symlink to another layer’s tar (docker save of repeated layers)', async () => {
	const same = {entries: [{name: 'same', content: 's'.repeat(700)}]};
	const archive = await dockerArchive({tags: ['twice:1'], layers: [same, same]});
	const members = [...(await unpackTar(archive))].map(([name, data]) => ({name, data}));
	const layers = members.filter(m => m.name.endsWith('/layer.tar'));
	const [first, second] = layers.map(m => m.name);
	const rebuilt = await packTar(
		members.map(m =>
			m.name === second
				? {header: {name: second, type: 'symlink' as const, linkname: `../${first}`}}
				: {header: {name: m.name, size: m.data.length}, content: m.data},
		),
	);
	const a = await analyzeBuffer(rebuilt);
	assert.deepEqual(
		a.layers.map(l => l.sizeBytes),
		[700, 700],
	);
	assert.deepEqual(
		a.waste.files.map(f => `${f.path} ${f.cause} ${f.layerIndex}->${f.hiddenByLayerIndex}`),
		['/same duplicate 0->1'],
	);
});

test('zstd layers decode the same with the zstd program and with the pure-JS fallback (LAYERSCOPE_ZSTD_CLI=0)', async () => {
	const file = writeTemp(await ociArchive(appImage, {compression: 'zstd'}));
	const reports = [];
	for (const env of [{}, {LAYERSCOPE_ZSTD_CLI: '0'}]) {
		const result = await runCli([file, '--json'], {env});
		assert.equal(result.code, 0, result.stderr);
		const report = JSON.parse(result.stdout);
		assert.deepEqual(
			report.layers.map((l: {compression: string; sizeBytes: number}) => [l.compression, l.sizeBytes]),
			[
				['zstd', 3008],
				['zstd', 2000],
				['zstd', 0],
			],
		);
		reports.push(report);
	}
	assert.deepEqual(reports[0], reports[1]);
});

test('stdin handing over a whole 80 MB archive in one chunk still reads (the guard against endless empty blocks waits for the entries)', async () => {
	const big = Buffer.alloc(80 * 1024 * 1024, 1);
	const a = await analyzeBuffer(
		await dockerArchive({tags: ['big:1'], layers: [{entries: [{name: 'big.bin', content: big}]}, {entries: [{name: 'big.bin', type: 'whiteout'}]}]}),
	);
	assert.deepEqual([a.image.sizeBytes, a.waste.totalBytes, a.waste.byCause.removed], [big.length, big.length, big.length]);
});

test('big bodies hashed by workers straight from the file (archives and layouts) give the same analysis as streamed ones, and a changed byte is still caught', async () => {
	const MiB = 1024 * 1024;
	const random = (seed: number): Buffer => {
		const data = Buffer.alloc(MiB);
		for (let i = 0, x = seed; i < data.length; i += 4) data.writeUInt32LE((x = (Math.imul(x, 1103515245) + 12345) >>> 0), i);
		return data;
	};
	const [a, b, c] = [random(1), random(2), random(3)];
	const image: FixtureImage = {
		tags: ['big:1'],
		layers: [
			{
				entries: [
					{name: 'same.bin', content: a},
					{name: 'changed.bin', content: b},
					{name: 'pad.bin', content: Buffer.alloc(4 * MiB, 7)},
				],
			},
			{
				entries: [
					{name: 'same.bin', content: a},
					{name: 'changed.bin', content: c},
					{name: 'pad2.bin', content: Buffer.alloc(4 * MiB, 9)},
				],
			},
		],
	};
	const figures = (analysis: Awaited<ReturnType<typeof loadImage>>): unknown => ({
		byCause: analysis.waste.byCause,
		changes: analysis.layers[1].changes
			.filter(change => change.path.endsWith('.bin'))
			.map(change => `${change.status} ${change.path} ${change.contentChanged}`),
	});
	const expected = {
		byCause: {removed: 0, overwritten: MiB, duplicate: MiB},
		changes: ['modified /changed.bin true', 'added /pad2.bin undefined', 'unchanged /same.bin false'],
	};
	for (const layout of ['classic', 'docker25'] as const) {
		const archive = await dockerArchive(image, {layout});
		assert.deepEqual(figures(await loadImage(writeTemp(archive))), expected, layout);
		assert.deepEqual(figures(await analyzeBuffer(archive)), expected, `${layout} from stdin`);
		// One byte of a body changed in the file: the digest, hashed by a worker from the file, no longer matches.
		const at = archive.indexOf(c.subarray(0, 64));
		const tampered = Buffer.from(archive);
		tampered[at + 100] ^= 1;
		await assert.rejects(loadImage(writeTemp(tampered)), /does not match its (digest|diffID)/, layout);
	}
	assert.deepEqual(figures(await loadImage(await ociLayoutDir(image, {compression: 'none'}))), expected, 'OCI layout');
});

test('a big uncompressed layer read by positioned reads fails as the streamed one does: a body past its end, a broken header', async () => {
	const MiB = 1024 * 1024;
	const tarHeader = (name: string, size: number): Buffer => {
		const block = Buffer.alloc(512);
		block.write(name, 0);
		block.write('0000644\0', 100);
		block.write('0000000\0', 108);
		block.write('0000000\0', 116);
		block.write(size.toString(8).padStart(11, '0') + '\0', 124);
		block.write('00000000000\0', 136);
		block.write('        ', 148);
		block.write('0', 156);
		block.write('ustar\0' + '00', 257);
		let sum = 0;
		for (const byte of block) sum += byte;
		block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
		return block;
	};
	const big = Buffer.concat([tarHeader('big.bin', 5 * MiB), Buffer.alloc(5 * MiB, 3)]);
	const cases: [string, Buffer, RegExp][] = [
		['a body past the end of the layer', Buffer.concat([big, tarHeader('cut.bin', 8 * MiB), Buffer.alloc(MiB, 4)]), /truncated \(unexpected end of data\)/],
		['a broken header after a big body', Buffer.concat([big, Buffer.alloc(512, 0x41), Buffer.alloc(1024)]), /not a tar archive, or a corrupt one/],
	];
	for (const [what, layer, problem] of cases) {
		const archive = await dockerArchive({tags: ['broken:1'], layers: [{tar: layer}]});
		const file = writeTemp(archive);
		const fromFile = await runCli([file, '--json']);
		const fromStdin = await runCli(['-', '--json'], {input: archive});
		assert.equal(fromFile.code, 2, `${what}: ${fromFile.stderr}`);
		assert.match(fromFile.stderr, problem, what);
		assert.equal(
			fromFile.stderr.replace(`layerscope: ${file}:`, 'layerscope: IMAGE:'),
			fromStdin.stderr.replace('layerscope: stdin:', 'layerscope: IMAGE:'),
			what,
		);
	}
});

test('file bodies of big uncompressed layers in files are hashed only where a comparison needs it, with the same analysis and diff as streamed', async () => {
	const pad = (n: number): {name: string; content: Buffer} => ({name: `pad${n}.bin`, content: Buffer.alloc(4 * 1024 * 1024, n)});
	const image = (variant: string): FixtureImage => ({
		tags: [`small:${variant}`],
		layers: [
			{
				entries: [
					pad(1),
					{name: 'etc/conf', content: 'same bytes'},
					{name: 'etc/app', content: 'version 1'},
					{name: 'etc/other', content: 'other'},
					{name: 'bin/tool', content: 'tool'},
				],
			},
			{
				entries: [
					pad(2),
					{name: 'etc/conf', content: 'same bytes', mode: 0o600},
					{name: 'etc/app', content: 'version 2'},
					{name: 'bin/link', type: 'link', linkname: 'bin/tool'},
				],
			},
			// Big enough for a worker: its hash is read after the walk only because diff asks for all of them.
			{entries: [pad(3), {name: 'etc/final', content: variant}, {name: 'opt/big-final.bin', content: Buffer.alloc(1024 * 1024, variant)}]},
		],
	});
	const [a, b] = [await dockerArchive(image('AAAA')), await dockerArchive(image('BBBB'))];
	const fromFile = await loadImage(writeTemp(a), {keepChanges: true});
	const streamed = await analyzeBuffer(a, {keepChanges: true});
	// As the JSON text has it (a layer's changes are rows made as they are written).
	const report = (analysis: typeof fromFile): unknown => JSON.parse(JSON.stringify({...toJsonReport(analysis, {files: true}), source: null}));
	assert.deepEqual(report(fromFile), report(streamed));
	assert.deepEqual(fromFile.waste.byCause, {removed: 0, overwritten: 9, duplicate: 10});
	assert.deepEqual(
		fromFile.layers[1].changes.filter(change => change.path.startsWith('/etc/')).map(change => `${change.status} ${change.path} ${change.contentChanged}`),
		['modified /etc/app true', 'modified /etc/conf false'],
	);
	// diff compares every final file: same size, other bytes, is a content change.
	const [fileA, fileB] = [writeTemp(a), writeTemp(b)];
	const viaFiles = compareImages(await loadImage(fileA, {allHashes: true}), await loadImage(fileB, {allHashes: true}));
	const viaStdin = compareImages(await analyzeBuffer(a), await analyzeBuffer(b));
	assert.deepEqual(viaFiles.files, viaStdin.files);
	assert.deepEqual(
		viaFiles.files.filter(file => file.path.includes('final')).map(file => `${file.path} ${file.status}`),
		['/etc/final changed', '/opt/big-final.bin changed'],
	);
	// Without allHashes, the files no comparison needs have no hash: the pads and the big final file were never hashed.
	const hashed = (path: string): boolean => lookup(fromFile.tree, path)?.versions.at(-1)?.entry?.hash !== undefined;
	assert.deepEqual(['/pad1.bin', '/opt/big-final.bin', '/etc/app'].map(hashed), [false, false, true]);
});

test('positioned reads: an extended header longer than a read, cut across reads, is read whole', async () => {
	const comment = 'c'.repeat(1536 * 1024);
	const image: FixtureImage = {
		tags: ['pax:1'],
		layers: [
			{
				entries: [
					{name: 'pad.bin', content: Buffer.alloc(4 * 1024 * 1024 + 700, 1)},
					{name: 'after', content: 'after the long header', pax: {comment, 'LAYERSCOPE.note': 'x'}},
					{name: 'last', content: 'last'},
				],
			},
			{
				entries: [
					{name: 'after', content: 'after the long header'},
					{name: 'last', content: 'changed'},
				],
			},
		],
	};
	const archive = await dockerArchive(image);
	const report = (analysis: Awaited<ReturnType<typeof loadImage>>): unknown =>
		JSON.parse(JSON.stringify({...toJsonReport(analysis, {files: true}), source: null}));
	const fromFile = await loadImage(writeTemp(archive), {keepChanges: true});
	assert.deepEqual(report(fromFile), report(await analyzeBuffer(archive, {keepChanges: true})));
	assert.deepEqual(
		fromFile.layers[1].changes.map(change => `${change.status} ${change.path}`),
		['unchanged /after', 'modified /last'],
	);
});

test('deferred hashes read many small bodies to a window: every file hash equals the streamed one, across window edges', async () => {
	// ~3.4 MiB of small files of every size from 1 to 2600 bytes: several windows, bodies cut by their edges; and one
	// body just below the size the workers take (512 KiB), which fills a window of its own.
	const small = Array.from({length: 2600}, (_, i) => ({name: `s/f${i}`, content: Buffer.alloc(i + 1, i % 251)}));
	small.splice(1300, 0, {name: 's/mid.bin', content: Buffer.alloc(512 * 1024 - 1, 4)});
	const image: FixtureImage = {
		tags: ['window:1'],
		layers: [
			{entries: [{name: 'pad.bin', content: Buffer.alloc(4 * 1024 * 1024, 1)}, ...small, {name: 'big.bin', content: Buffer.alloc(700 * 1024, 2)}]},
			{
				entries: [
					{name: 'pad2.bin', content: Buffer.alloc(4 * 1024 * 1024, 3)},
					{name: 's/f1234', content: 'rewritten'},
				],
			},
		],
	};
	const archive = await dockerArchive(image);
	const hashes = (analysis: Awaited<ReturnType<typeof loadImage>>): Map<string, string | undefined> => {
		const all = new Map<string, string | undefined>();
		for (const node of walkTree(analysis.tree))
			for (const version of node.versions) if (version.entry?.type === 'file') all.set(`${node.path}@${version.layer}`, version.entry.hash);
		return all;
	};
	const fromFile = hashes(await loadImage(writeTemp(archive), {allHashes: true}));
	const streamed = hashes(await analyzeBuffer(archive));
	assert.equal(fromFile.size, 2600 + 5);
	assert.deepEqual(fromFile, streamed);
	// Without allHashes, only the path written twice is hashed, in both layers.
	const needed = [...hashes(await loadImage(writeTemp(archive))).entries()].filter(([, hash]) => hash !== undefined).map(([key]) => key);
	assert.deepEqual(needed.sort(), ['/s/f1234@0', '/s/f1234@1']);
});
