// Tar dialects inside layers and in the image archive around them: PAX and GNU long names, base-256 sizes, PAX global
// headers, links, devices.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {lookup, versionAt} from '../source/model/fs-tree.js';
import {analyzeLayers} from './helpers/load.js';
import {body, end, file, header, paxRecords} from './helpers/raw-tar.js';
import {decodeHeader, TarParser} from '../source/tar/tar-reader.js';
import {open} from 'node:fs/promises';
import {Readable} from 'node:stream';
import {contentsOf, type FileVersion} from '../source/content/index.js';
import {indexArchive} from '../source/sources/archive-index.js';
import {loadImage} from '../source/sources/load.js';
import {eachMember, positionedMembers} from '../source/tar/members.js';
import {makeLayer, sha256, writeTemp} from './helpers/fixtures.js';

const longDir = 'very-long-directory-name-'.repeat(6);
const longName = `${longDir}/and-an-even-longer-file-name-that-goes-beyond-one-hundred-bytes-${'z'.repeat(40)}.txt`;

test('GNU long names (././@LongLink, type L and K) give the full path and link target', async () => {
	const target = `${longDir}/target-${'t'.repeat(120)}`;
	const layer = Buffer.concat([
		header({name: '././@LongLink', flag: 'L', size: Buffer.byteLength(longName) + 1, magic: 'gnu'}),
		body(longName + '\0'),
		header({name: longName.slice(0, 100), size: 5, magic: 'gnu'}),
		body('hello'),
		header({name: '././@LongLink', flag: 'L', size: 9, magic: 'gnu'}),
		body('linkname\0'),
		header({name: '././@LongLink', flag: 'K', size: Buffer.byteLength(target) + 1, magic: 'gnu'}),
		body(target + '\0'),
		header({name: 'linkname', flag: '2', linkname: target.slice(0, 100), magic: 'gnu'}),
		end(),
	]);
	const a = await analyzeLayers([{tar: layer}]);
	const node = lookup(a.tree, '/' + longName);
	assert.ok(node, 'long name resolved');
	assert.equal(versionAt(node, 0)?.entry?.size, 5);
	assert.equal(versionAt(lookup(a.tree, '/linkname')!, 0)?.entry?.linkTarget, target);
	assert.equal(a.layers[0].sizeBytes, 5 + Buffer.byteLength(target)); // Docker counts the symlink's full target
});

test('PAX long names, PAX size/uid/gid records, and a PAX global header', async () => {
	const layer = Buffer.concat([
		header({name: 'pax_global_header', flag: 'g', size: paxRecords({comment: 'made by a test'}).length}),
		body(paxRecords({comment: 'made by a test'})),
		header({name: 'PaxHeaders/x', flag: 'x', size: paxRecords({path: longName, uid: '123456789', gid: '987654321'}).length}),
		body(paxRecords({path: longName, uid: '123456789', gid: '987654321'})),
		header({name: 'short', size: 3}),
		body('abc'),
		file('plain', 'p'),
		end(),
	]);
	const a = await analyzeLayers([{tar: layer}]);
	const entry = versionAt(lookup(a.tree, '/' + longName)!, 0)?.entry;
	assert.deepEqual([entry?.size, entry?.uid, entry?.gid], [3, 123456789, 987654321]);
	assert.equal(lookup(a.tree, '/pax_global_header'), undefined);
	assert.equal(lookup(a.tree, '/short'), undefined);
	assert.deepEqual(
		a.layers[0].changes.map(c => c.path),
		['/plain', '/' + longName],
	);
	assert.equal(a.layers[0].sizeBytes, 4);
});

test('a parser fed through one reused read buffer keeps headers and long names cut by a read (detach)', () => {
	const layer = Buffer.concat([
		header({name: 'PaxHeaders/x', flag: 'x', size: paxRecords({path: longName}).length}),
		body(paxRecords({path: longName})),
		header({name: 'short', size: 3}),
		body('abc'),
		header({name: '././@LongLink', flag: 'L', size: 9, magic: 'gnu'}),
		body('linkname\0'),
		header({name: 'linkname', flag: '2', linkname: 'short', magic: 'gnu'}),
		file('plain', 'p'),
		end(),
	]);
	const read = (chunkBytes: number, reuse: boolean): string[] => {
		const seen: string[] = [];
		const parser = new TarParser(h => {
			seen.push(`${h.name} ${h.type} ${h.size} ${h.linkname ?? ''}`);
			return null;
		});
		const buffer = Buffer.alloc(chunkBytes);
		for (let at = 0; at < layer.length; at += chunkBytes) {
			const n = layer.copy(buffer, 0, at, at + chunkBytes);
			// The next read overwrites the buffer: what the parser kept of it must be its own copy.
			assert.equal(parser.write(reuse ? buffer.subarray(0, n) : Buffer.from(buffer.subarray(0, n))), undefined);
			if (reuse) parser.detach();
			buffer.fill(0xff);
		}
		parser.end();
		return seen;
	};
	const expected = [`${longName} file 3 `, 'linkname symlink 0 short', 'plain file 1 '];
	for (const chunkBytes of [100, 300, 512, 700, 1500]) {
		assert.deepEqual(read(chunkBytes, false), expected, `${chunkBytes}-byte reads, fresh buffers`);
		assert.deepEqual(read(chunkBytes, true), expected, `${chunkBytes}-byte reads into one buffer`);
	}
});

test('base-256 (binary) size fields are read', async () => {
	const layer = Buffer.concat([header({name: 'bin256', size: 1000, base256Size: true, magic: 'gnu'}), body('b'.repeat(1000)), end()]);
	const a = await analyzeLayers([{tar: layer}]);
	assert.equal(a.layers[0].sizeBytes, 1000);
	assert.equal(versionAt(lookup(a.tree, '/bin256')!, 0)?.entry?.size, 1000);
});

test('symlinks keep their target verbatim; hard links point at a normalised path; devices and fifos are typed', async () => {
	const a = await analyzeLayers([
		{
			entries: [
				{name: 'bin/busybox', content: 'ELF'},
				{name: 'bin/sh', type: 'link', linkname: './bin/busybox'},
				{name: 'bin/ls', type: 'symlink', linkname: '../bin/./busybox'},
				{name: 'dev/sda', type: 'block-device', devmajor: 8, devminor: 0},
				{name: 'dev/tty', type: 'character-device', devmajor: 5, devminor: 0},
				{name: 'run/pipe', type: 'fifo'},
			],
		},
	]);
	const entry = (path: string) => versionAt(lookup(a.tree, path)!, 0)?.entry;
	assert.deepEqual([entry('/bin/sh')?.type, entry('/bin/sh')?.linkTarget], ['hardlink', '/bin/busybox']);
	assert.deepEqual([entry('/bin/ls')?.type, entry('/bin/ls')?.linkTarget], ['symlink', '../bin/./busybox']);
	assert.deepEqual(
		['/dev/sda', '/dev/tty', '/run/pipe'].map(p => entry(p)?.type),
		['block-device', 'char-device', 'fifo'],
	);
	assert.equal(a.layers[0].sizeBytes, 3 + '../bin/./busybox'.length); // the file and the symlink's target
});

test('PAX owners beyond 32 bits (and ones no uid can be) are kept exactly as the header says', async () => {
	const records = paxRecords({uid: '4294967296', gid: '99999999999'});
	const layer = Buffer.concat([
		header({name: 'PaxHeaders/w', flag: 'x', size: records.length}),
		body(records),
		header({name: 'wide', size: 1}),
		body('w'),
		file('small', 's'),
		end(),
	]);
	const a = await analyzeLayers([{tar: layer}]);
	const wide = a.layers[0].changes.find(change => change.path === '/wide');
	assert.deepEqual([wide?.uid, wide?.gid], [4294967296, 99999999999]);
	const small = versionAt(lookup(a.tree, '/small')!, 0)?.entry;
	assert.deepEqual([small?.uid, small?.gid], [0, 0]);
});

test('header checksums are checked wherever the block lies in memory, to the last byte, and at their largest', () => {
	const block = header({name: 'etc/some-file', size: 1234, linkname: 'x'});
	const setChecksum = (b: Buffer): void => {
		b.fill(32, 148, 156);
		let sum = 0;
		for (const byte of b) sum += byte;
		b.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
	};
	// The word-at-a-time sum reads 4-aligned blocks; the others take the byte loop. Both must agree.
	for (let shift = 0; shift < 8; shift++) {
		const memory = Buffer.alloc(512 + 16);
		block.copy(memory, shift);
		const at = memory.subarray(shift, shift + 512);
		assert.equal(decodeHeader(at)?.name, 'etc/some-file', `at offset ${shift}`);
		for (const i of [0, 1, 99, 147, 156, 200, 345, 511]) {
			at[i] ^= 0x40;
			assert.throws(() => decodeHeader(at), /Invalid tar header\. Maybe/, `byte ${i} changed at offset ${shift}`);
			at[i] ^= 0x40;
		}
	}
	// Every byte 0xff: the largest sum a header can have passes the checksum (and then fails as no known format).
	const full = Buffer.alloc(512, 0xff);
	setChecksum(full);
	for (const shift of [0, 1]) {
		const memory = Buffer.alloc(520);
		full.copy(memory, shift);
		assert.throws(() => decodeHeader(memory.subarray(shift, shift + 512)), /unknown format/, `at offset ${shift}`);
	}
});

test('image archives in every header dialect: the positioned index and the stream read the same members, with the one decoder', async () => {
	const layer0 = await makeLayer([{name: 'etc/motd', content: 'first\n'}]);
	const layer1 = await makeLayer([{name: 'etc/motd', content: 'second\n'}]);
	const config = Buffer.from(
		JSON.stringify({architecture: 'amd64', os: 'linux', rootfs: {type: 'layers', diff_ids: [sha256(layer0), sha256(layer1), sha256(layer0)]}, history: []}),
	);
	const longMember = `${'l'.repeat(120)}/layer.tar`;
	const paxMember = `${'p'.repeat(130)}/layer.tar`;
	const manifest = Buffer.from(JSON.stringify([{Config: 'config.json', RepoTags: ['dialects:1'], Layers: [longMember, paxMember, 'again/layer.tar']}]));
	const archive = Buffer.concat([
		file('config.json', config),
		// GNU long name (type L), GNU magic.
		header({name: '././@LongLink', flag: 'L', size: Buffer.byteLength(longMember) + 1, magic: 'gnu'}),
		body(longMember + '\0'),
		header({name: longMember.slice(0, 100), size: layer0.length, magic: 'gnu'}),
		body(layer0),
		// PAX path, and a base-256 size field.
		header({name: 'PaxHeader', flag: 'x', size: paxRecords({path: paxMember}).length}),
		body(paxRecords({path: paxMember})),
		header({name: 'short-name', size: layer1.length, base256Size: true}),
		body(layer1),
		// A symlinked member standing for another (docker save of a repeated layer), its target a GNU long link (type K).
		header({name: '././@LongLink', flag: 'K', size: Buffer.byteLength(`../${longMember}`) + 1, magic: 'gnu'}),
		body(`../${longMember}\0`),
		header({name: 'again/layer.tar', flag: '2', linkname: `../${longMember}`.slice(0, 100), magic: 'gnu'}),
		file('manifest.json', manifest),
		end(),
	]);
	const reference = writeTemp(archive);

	const index = await indexArchive(reference);
	assert.ok(index, 'the positioned index takes it (no fallback to the stream)');
	assert.deepEqual(
		index.files.map(member => [member.name, member.size]),
		[
			['config.json', config.length],
			[longMember, layer0.length],
			[paxMember, layer1.length],
			['manifest.json', manifest.length],
		],
	);
	assert.deepEqual(index.symlinks, [{name: 'again/layer.tar', target: `../${longMember}`}]);
	const streamed: [string, string | null, number, string | null][] = [];
	await eachMember(Readable.from([archive]), h => {
		streamed.push([h.name, h.type, h.size, h.linkname]);
		return null;
	});
	const handle = await open(reference, 'r');
	const positioned: [string, string | null, number, string | null][] = [];
	for await (const {header: h} of positionedMembers(handle, 1024 * 1024)) positioned.push([h.name, h.type, h.size, h.linkname]);
	await handle.close();
	assert.deepEqual(positioned, streamed);

	const fromFile = await loadImage(reference, {keepChanges: false});
	const fromStdin = await loadImage('-', {stdin: Readable.from([archive]), keepChanges: false});
	assert.deepEqual(
		fromFile.layers.map(layer => layer.diffId),
		[sha256(layer0), sha256(layer1), sha256(layer0)],
	);
	assert.deepEqual(fromStdin.layers, fromFile.layers);
	// Contents come back through the same member names, the symlinked one included.
	const version = (layer: number): FileVersion => ({path: '/etc/motd', layer, size: 0});
	assert.equal((await contentsOf(fromFile).read(version(2))).bytes.toString(), 'first\n');
	assert.equal((await contentsOf(fromFile).read(version(1))).bytes.toString(), 'second\n');
});
