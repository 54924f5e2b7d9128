// File contents (source/content/): one layer read again from the source, in every archive format, the version the
// analysis recorded (by content hash), exports that write only where the user said, and each store's openLayerBlob.
import assert from 'node:assert/strict';
import {existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {Readable} from 'node:stream';
import {describe, it} from 'node:test';
import {contentsOf, ExistsError, type FileVersion} from '../source/content/index.js';
import {scanLayer} from '../source/content/scan-layer.js';
import {lookup, versionAt} from '../source/model/fs-tree.js';
import type {ImageAnalysis} from '../source/model/types.js';
import type {LayerBlobRef} from '../source/sources/blob-store.js';
import {layerBlobsOf} from '../source/sources/layer-blobs.js';
import {loadImage, openSource} from '../source/sources/load.js';
import {resolveImage} from '../source/sources/resolve.js';
import {savedLayerBlob} from '../source/sources/saved-layer.js';
import {toContentView} from '../source/ui/content-view.js';
import {InputError} from '../source/util/errors.js';
import {dockerArchive, ociArchive, ociLayoutDir, packTar, sha256, tempDir, unpackTar, writeTemp, type FixtureImage} from './helpers/fixtures.js';

const IMAGE: FixtureImage = {
	tags: ['content:1'],
	layers: [
		{
			entries: [
				{name: 'etc/', type: 'directory'},
				{name: 'etc/motd', content: 'first\n'},
				{name: 'etc/other', content: 'x'.repeat(100_000)},
			],
		},
		// The same path twice in one layer: the last one is the version the image has.
		{
			entries: [
				{name: 'etc/motd', content: 'second (overwritten in the same layer)\n'},
				{name: 'etc/motd', content: 'third\n'},
			],
		},
	],
};

function target(analysis: ImageAnalysis, filePath: string, layer: number): FileVersion {
	const node = lookup(analysis.tree, filePath)!;
	const version = versionAt(node, layer)!;
	return {path: filePath, layer: version.layer, size: version.entry!.size, hash: version.entry!.hash};
}

const sources: [string, () => Promise<string>][] = [
	['docker save (classic)', async () => writeTemp(await dockerArchive(IMAGE))],
	['docker save (Docker 25+)', async () => writeTemp(await dockerArchive(IMAGE, {layout: 'docker25'}))],
	['docker save, gzip-compressed', async () => writeTemp(await dockerArchive(IMAGE, {outer: 'gzip'}), 'image.tar.gz')],
	['oci-archive, zstd layers', async () => writeTemp(await ociArchive(IMAGE, {compression: 'zstd'}))],
	['OCI layout directory', async () => ociLayoutDir(IMAGE)],
];

describe('file contents', () => {
	for (const [name, make] of sources) {
		it(`reads the version of a layer from a ${name}`, async () => {
			const reference = await make();
			const analysis = await loadImage(reference, {keepChanges: false});
			const content = contentsOf(analysis);
			assert.equal(content.unavailable(), null);
			assert.equal((await content.read(target(analysis, '/etc/motd', 0))).bytes.toString(), 'first\n');
			assert.equal((await content.read(target(analysis, '/etc/motd', 1))).bytes.toString(), 'third\n', 'the last entry of the path in the layer');
			const capped = await content.read(target(analysis, '/etc/other', 1), 1000);
			assert.equal(capped.bytes.length, 1000, 'capped');
			assert.equal(capped.size, 100_000, 'the full size is still known');
		});
	}

	it('says why contents are unavailable for stdin', async () => {
		const analysis = await loadImage('-', {stdin: Readable.from([await dockerArchive(IMAGE)]), keepChanges: false});
		const content = contentsOf(analysis);
		assert.match(content.unavailable()!, /not available when the image comes on stdin/);
		await assert.rejects(content.read(target(analysis, '/etc/motd', 0)), (error: unknown) => error instanceof InputError && error.kind === 'unavailable');
	});

	it('says so for an analysis that did not come from loadImage', () => {
		assert.equal(contentsOf({...({} as ImageAnalysis)}).unavailable(), 'file contents are not available here');
	});

	it('shows text as numbered lines and anything else as hex, control characters visible', () => {
		const bytes = Buffer.from('one\ntwo\u001B[2J\n');
		const text = toContentView(bytes, bytes.length);
		assert.equal(text.kind, 'text');
		assert.deepEqual(text.kind === 'text' ? text.lines : [], ['1 │ one', '2 │ two\\e[2J']);
		assert.equal(toContentView(Buffer.from([0, 1, 2]), 3).kind, 'hex');
		assert.equal(toContentView(Buffer.from([0xc3, 0x28]), 2).kind, 'hex', 'invalid UTF-8');
		assert.equal(toContentView(Buffer.from('é'.repeat(10)).subarray(0, 5), 20).kind, 'text', 'a character cut by the cap is not binary');
	});
});

describe('export', () => {
	it('writes the whole file to the path typed, refuses to replace one unless asked', async () => {
		const reference = writeTemp(await dockerArchive(IMAGE));
		const analysis = await loadImage(reference, {keepChanges: false});
		const content = contentsOf(analysis);
		const dir = tempDir();
		const out = path.join(dir, 'other.txt');
		const result = await content.exportTo(target(analysis, '/etc/other', 0), out, false);
		assert.equal(result.bytes, 100_000);
		assert.equal(readFileSync(out, 'utf8'), 'x'.repeat(100_000));
		await assert.rejects(content.exportTo(target(analysis, '/etc/motd', 0), out, false), ExistsError);
		assert.equal(readFileSync(out, 'utf8').length, 100_000, 'left as it was');
		await content.exportTo(target(analysis, '/etc/motd', 1), out, true);
		assert.equal(readFileSync(out, 'utf8'), 'third\n');
	});

	it('never follows a link at the path, never writes into a directory, leaves nothing behind on failure', async () => {
		const reference = writeTemp(await dockerArchive(IMAGE));
		const analysis = await loadImage(reference, {keepChanges: false});
		const content = contentsOf(analysis);
		const dir = tempDir();
		const victim = path.join(dir, 'victim');
		writeFileSync(victim, 'keep');
		symlinkSync(victim, path.join(dir, 'link'));
		await assert.rejects(content.exportTo(target(analysis, '/etc/motd', 0), path.join(dir, 'link'), true), /not a regular file/);
		assert.equal(readFileSync(victim, 'utf8'), 'keep');
		mkdirSync(path.join(dir, 'sub'));
		await assert.rejects(content.exportTo(target(analysis, '/etc/motd', 0), path.join(dir, 'sub'), false), /is a directory/);
		await assert.rejects(content.exportTo(target(analysis, '/etc/motd', 0), path.join(dir, 'missing', 'x'), false), /no directory/);
		const gone: FileVersion = {...target(analysis, '/etc/motd', 0), hash: 'not-the-hash'};
		await assert.rejects(content.exportTo(gone, path.join(dir, 'never'), false), /no longer holds/);
		await assert.rejects(content.read(gone), (error: unknown) => error instanceof InputError && error.kind === 'missing');
		assert.ok(!existsSync(path.join(dir, 'never')));
		assert.deepEqual((await import('node:fs')).readdirSync(dir).sort(), ['link', 'sub', 'victim'], 'no temporary file left');
	});
});

describe('layers found again in an engine export (a docker save stream)', () => {
	const collect = (): {sink: {start(): Promise<void>; write(chunk: Buffer): Promise<void>}; text(): string} => {
		let chunks: Buffer[] = [];
		return {
			sink: {
				async start() {
					chunks = [];
				},
				async write(chunk) {
					chunks.push(Buffer.from(chunk));
				},
			},
			text: () => Buffer.concat(chunks).toString(),
		};
	};
	const stream =
		(archive: Buffer): (() => Promise<AsyncIterable<Buffer>>) =>
		async () =>
			Readable.from([archive]);
	const ref = (analysis: ImageAnalysis, layer: number): LayerBlobRef => layerBlobsOf(analysis)!.layers[layer];
	/** What scanSavedLayer did: the layer's blob found in the export, then scanned; null when the export lacks it. */
	const scanSaved = async (
		open: () => Promise<AsyncIterable<Buffer>>,
		layer: LayerBlobRef,
		version: FileVersion,
		sink: ReturnType<typeof collect>['sink'],
	): Promise<boolean | null> => {
		const blob = await savedLayerBlob(open, layer);
		return blob && scanLayer(blob, version, sink);
	};

	for (const layout of ['classic', 'docker25'] as const) {
		it(`finds each layer of a ${layout} export, by digest`, async () => {
			const archive = await dockerArchive(IMAGE, {layout});
			const analysis = await loadImage(writeTemp(archive), {keepChanges: false});
			for (const [layer, expected] of [
				[0, 'first\n'],
				[1, 'third\n'],
			] as const) {
				const out = collect();
				assert.equal(await scanSaved(stream(archive), ref(analysis, layer), target(analysis, '/etc/motd', layer), out.sink), true);
				assert.equal(out.text(), expected, `layer ${layer}`);
			}
			// Without a content hash to tell the versions apart, the classic layout's layer.tar members are told apart
			// by their digests: layer 0 also holds /etc/motd, and comes first, but is not layer 1.
			const twice = await dockerArchive(
				{tags: ['twice:1'], layers: [{entries: [{name: 'etc/motd', content: 'first\n'}]}, {entries: [{name: 'etc/motd', content: 'again\n'}]}]},
				{layout},
			);
			const twiceAnalysis = await loadImage(writeTemp(twice), {keepChanges: false});
			const unhashed = collect();
			assert.equal(await scanSaved(stream(twice), ref(twiceAnalysis, 1), {...target(twiceAnalysis, '/etc/motd', 1), hash: undefined}, unhashed.sink), true);
			assert.equal(unhashed.text(), 'again\n');
			const missing = collect();
			const other: LayerBlobRef = {index: 0, name: '0/layer.tar', digest: null, diffId: 'sha256:' + '0'.repeat(64), compressedSizeBytes: null};
			assert.equal(await scanSaved(stream(archive), other, {...target(analysis, '/etc/motd', 0), hash: undefined}, missing.sink), null);
			assert.equal(missing.text(), '', 'what another layer wrote is dropped');
		});
	}

	it('finds a layer named <diffID>.tar (Podman’s docker-archive)', async () => {
		const archive = await dockerArchive({
			tags: ['twice:1'],
			layers: [{entries: [{name: 'etc/motd', content: 'first\n'}]}, {entries: [{name: 'etc/motd', content: 'again\n'}]}],
		});
		const analysis = await loadImage(writeTemp(archive), {keepChanges: false});
		const members = [...(await unpackTar(archive))];
		const layerTars = members.filter(([name]) => name.endsWith('/layer.tar'));
		const renamed = await packTar(
			layerTars.map(([, data], i) => ({header: {name: `${analysis.layers[i].diffId.slice('sha256:'.length)}.tar`, size: data.length}, content: data})),
		);
		const out = collect();
		assert.equal(await scanSaved(stream(renamed), ref(analysis, 1), {...target(analysis, '/etc/motd', 1), hash: undefined}, out.sink), true);
		assert.equal(out.text(), 'again\n');
	});

	it('reads a classic layer from a second export once the first has shown which member it is', async () => {
		const archive = await dockerArchive(IMAGE);
		const analysis = await loadImage(writeTemp(archive), {keepChanges: false});
		let exports = 0;
		const blob = await savedLayerBlob(
			async () => {
				exports++;
				return Readable.from([archive]);
			},
			ref(analysis, 1),
		);
		assert.equal(sha256(await gather(blob!)), analysis.layers[1].diffId);
		assert.equal(exports, 2);

		// The member holds other bytes in the second export (the tag moved in between): read whole, that is an error.
		const layer1 = [...(await unpackTar(archive))].find(([, data]) => sha256(data) === analysis.layers[1].diffId)![0];
		const moved = await packTar(
			[...(await unpackTar(archive))].map(([name, data]) => {
				const content = name === layer1 ? Buffer.concat([data, Buffer.alloc(1024)]) : data;
				return {header: {name, size: content.length}, content};
			}),
		);
		const exportsSeen: Buffer[] = [archive, moved];
		const changed = await savedLayerBlob(async () => Readable.from([exportsSeen.shift()!]), ref(analysis, 1));
		await assert.rejects(
			gather(changed!),
			(error: unknown) => error instanceof InputError && error.kind === 'missing' && /layer 1 changed between two reads/.test(error.message),
		);
	});
});

async function gather(blob: AsyncIterable<Buffer>): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of blob) chunks.push(Buffer.from(chunk));
	return Buffer.concat(chunks);
}

describe('openLayerBlob: each store opens one layer blob again, as stored', () => {
	const stores: [string, () => Promise<string>][] = [
		['docker save (classic), read by offset', async () => writeTemp(await dockerArchive(IMAGE))],
		['docker save (Docker 25+), read by offset', async () => writeTemp(await dockerArchive(IMAGE, {layout: 'docker25'}))],
		['docker save, gzip-compressed, read again up to the member', async () => writeTemp(await dockerArchive(IMAGE, {outer: 'gzip'}), 'image.tar.gz')],
		['oci-archive, zstd layers', async () => writeTemp(await ociArchive(IMAGE, {compression: 'zstd'}))],
		['OCI layout directory', async () => ociLayoutDir(IMAGE)],
	];
	for (const [name, make] of stores) {
		it(name, async () => {
			const reference = await make();
			const analysis = await loadImage(reference, {keepChanges: false});
			const store = await openSource(reference);
			assert.equal(store.blobsUnavailable, null);
			const resolved = await resolveImage(store, {});
			for (const [i, layer] of analysis.layers.entries()) {
				const blob = await store.openLayerBlob({...layer, name: resolved.layers[i].name});
				assert.equal(sha256(await gather(blob)), layer.digest ?? layer.diffId, `layer ${i}`);
			}
			await assert.rejects(
				store.openLayerBlob({...analysis.layers[0], name: 'blobs/sha256/' + '0'.repeat(64)}),
				(error: unknown) => error instanceof InputError && error.kind === 'missing' && /(no longer holds|is not in the layout)/.test(error.message),
			);
		});
	}

	it('reads an archive file again when it changed since it was indexed', async () => {
		const reference = writeTemp(await dockerArchive(IMAGE));
		const analysis = await loadImage(reference, {keepChanges: false});
		const blobs = layerBlobsOf(analysis)!;
		writeFileSync(reference, await dockerArchive(IMAGE, {layout: 'docker25'}));
		await assert.rejects(blobs.open(blobs.layers[1]), /the archive no longer holds [0-9a-f]+\/layer\.tar/);
		assert.equal(
			sha256(await gather(await blobs.open({...blobs.layers[1], name: `blobs/sha256/${analysis.layers[1].diffId.slice(7)}`}))),
			analysis.layers[1].diffId,
		);
	});

	it('a layout blob removed since: missing', async () => {
		const reference = await ociLayoutDir(IMAGE);
		const analysis = await loadImage(reference, {keepChanges: false});
		const blobs = layerBlobsOf(analysis)!;
		rmSync(path.join(reference, blobs.layers[0].name));
		await assert.rejects(
			contentsOf(analysis).read(target(analysis, '/etc/motd', 0)),
			(error: unknown) => error instanceof InputError && error.kind === 'missing',
		);
	});

	it('stdin: unavailable, said up front', async () => {
		const store = await openSource('-', {stdin: Readable.from([await dockerArchive(IMAGE)])});
		assert.match(store.blobsUnavailable!, /a pipe cannot be read twice/);
		await assert.rejects(
			store.openLayerBlob({index: 0, name: 'x', digest: null, diffId: 'sha256:' + '0'.repeat(64), compressedSizeBytes: null}),
			(error: unknown) => error instanceof InputError && error.kind === 'unavailable',
		);
	});
});
