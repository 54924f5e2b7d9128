// The definitions of docs/design.md on images built in code, with exact expected numbers.
import assert from 'node:assert/strict';
import {Readable} from 'node:stream';
import {test} from 'node:test';
import {neededHashes} from '../source/analysis/needed-hashes.js';
import {newImagePathTable} from '../source/analysis/path-budget.js';
import {walkLayer} from '../source/layers/walk-layer.js';
import {childrenAt, existsAt, lookup, statusAt, versionAt} from '../source/model/fs-tree.js';
import type {ImageAnalysis} from '../source/model/types.js';
import {makeLayer, type FixtureEntry} from './helpers/fixtures.js';
import {analyzeLayers} from './helpers/load.js';

const KB = (n: number): string => 'x'.repeat(n * 1000);
const changes = (a: ImageAnalysis, layer: number): string[] => a.layers[layer].changes.map(c => `${c.status} ${c.path}`);
const wasted = (a: ImageAnalysis): string[] => a.waste.files.map(f => `${f.path} ${f.sizeBytes} ${f.cause} ${f.layerIndex}->${f.hiddenByLayerIndex}`);

test('paths are normalised: ./ and leading / stripped, // collapsed, trailing / dropped', async () => {
	const a = await analyzeLayers([
		{entries: [{name: './etc/', type: 'directory'}, {name: '/etc//hosts', content: 'h'}, {name: 'usr/bin/', type: 'directory'}, {name: './'}]},
	]);
	assert.deepEqual(changes(a, 0), ['added /etc', 'added /etc/hosts', 'added /usr/bin']);
});

test('a name climbing out of the root is kept as written, flagged, never resolved', async () => {
	const a = await analyzeLayers([
		{
			entries: [
				{name: '../evil', content: 'e'},
				{name: 'a/../b', content: 'b'},
			],
		},
	]);
	const evil = lookup(a.tree, '/../evil');
	assert.ok(evil);
	assert.equal(versionAt(evil, 0)?.entry?.unsafePath, true);
	assert.ok(lookup(a.tree, '/a/../b'));
	assert.equal(lookup(a.tree, '/b'), undefined);
	assert.equal(lookup(a.tree, '/evil'), undefined);
});

test('layer size is Docker’s: regular files and symlink targets; hard links, directories, devices and whiteouts count 0', async () => {
	const a = await analyzeLayers([
		{
			entries: [
				{name: 'd/', type: 'directory'},
				{name: 'd/f', content: KB(3)},
				{name: 'd/hard', type: 'link', linkname: 'd/f'},
				{name: 'd/sym', type: 'symlink', linkname: 'f'},
				{name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3},
				{name: 'fifo', type: 'fifo'},
			],
		},
		{
			entries: [
				{name: 'd/sym', type: 'whiteout'},
				{name: 'g', content: KB(1)},
			],
		},
	]);
	assert.deepEqual(
		a.layers.map(l => l.sizeBytes),
		[3001, 1000],
	); // d/sym -> f: 1 byte
	assert.equal(a.image.sizeBytes, 4001);
	assert.equal(a.efficiency.sizeBytes, 4000); // dive's rule: regular files only
	const types = Object.fromEntries(a.layers[0].changes.map(c => [c.path, c.type]));
	assert.deepEqual(types, {'/d': 'directory', '/d/f': 'file', '/d/hard': 'hardlink', '/d/sym': 'symlink', '/dev/null': 'char-device', '/fifo': 'fifo'});
	assert.equal(a.layers[0].changes.find(c => c.path === '/d/sym')?.linkTarget, 'f');
	assert.equal(a.layers[0].changes.find(c => c.path === '/d/hard')?.linkTarget, '/d/f');
	// fileCount: non-directories of the final filesystem (d/sym was removed).
	assert.equal(a.image.fileCount, 5);
});

test('whiteout: removes the path and everything under it; deleted directories count with their contents', async () => {
	const a = await analyzeLayers([
		{
			entries: [
				{name: 'app/', type: 'directory'},
				{name: 'app/a', content: KB(5)},
				{name: 'app/sub/b', content: KB(2)},
				{name: 'keep', content: KB(1)},
			],
		},
		{entries: [{name: 'app', type: 'whiteout'}], createdBy: '/bin/sh -c rm -rf /app'},
	]);
	assert.deepEqual(changes(a, 1), ['removed /app']);
	assert.deepEqual(a.layers[1].counts, {added: 0, modified: 0, unchanged: 0, removed: 1});
	assert.equal(a.waste.totalBytes, 7000);
	assert.deepEqual(a.waste.byCause, {removed: 7000, overwritten: 0, duplicate: 0});
	assert.deepEqual(wasted(a), ['/app/a 5000 removed 0->1', '/app/sub/b 2000 removed 0->1']);
	assert.deepEqual([a.layers[0].wastedBytes, a.layers[0].hiddenBytes, a.layers[1].wastedBytes, a.layers[1].hiddenBytes], [7000, 0, 0, 7000]);
	assert.equal(existsAt(lookup(a.tree, '/app/sub/b')!, 1), false);
	assert.equal(existsAt(lookup(a.tree, '/app/sub/b')!, 0), true);
	// dive sizes the whiteout of /app at 7000, but /app was never a leaf before, so dive sees no waste at all:
	// the blind spot layerscope's own figure does not have.
	assert.equal(a.efficiency.wastedBytes, 0);
	assert.equal(a.efficiency.score, 1);
});

test('opaque whiteout: removes every lower child of the directory, the directory stays; the layer’s own children survive', async () => {
	const a = await analyzeLayers([
		{
			entries: [
				{name: 'cache/', type: 'directory'},
				{name: 'cache/old1', content: KB(4)},
				{name: 'cache/old2', content: KB(6)},
				{name: 'cache/same', content: 'same'},
			],
		},
		{
			entries: [
				{name: 'cache/', type: 'directory'},
				{name: 'cache', type: 'opaque'},
				{name: 'cache/new', content: KB(1)},
				{name: 'cache/same', content: 'same'},
			],
		},
	]);
	assert.deepEqual(changes(a, 1), ['unchanged /cache', 'added /cache/new', 'removed /cache/old1', 'removed /cache/old2', 'unchanged /cache/same']);
	assert.deepEqual(wasted(a), ['/cache/old2 6000 removed 0->1', '/cache/old1 4000 removed 0->1', '/cache/same 4 duplicate 0->1']);
	const cache = lookup(a.tree, '/cache')!;
	assert.deepEqual(
		childrenAt(cache, 1)
			.filter(c => c.version.entry)
			.map(c => c.node.name)
			.sort(),
		['new', 'same'],
	);
	assert.deepEqual(
		childrenAt(cache, 1)
			.filter(c => !c.version.entry)
			.map(c => c.node.name)
			.sort(),
		['old1', 'old2'],
	);
	assert.deepEqual(
		childrenAt(cache, 0)
			.map(c => c.node.name)
			.sort(),
		['old1', 'old2', 'same'],
	);
	// dive ignores opaque whiteouts: only /cache/same (twice) and /cache (dir, 0) repeat.
	assert.equal(a.efficiency.wastedBytes, 8);
});

test('cuts: each directory keeps, in layer order, the layers that cleared what was below it', async () => {
	const a = await analyzeLayers([
		{
			entries: [
				{name: 'a/old', content: 'o'},
				{name: 'b/keep', content: 'k'},
				{name: 'c/file', content: 'c'},
			],
		},
		{
			entries: [
				{name: 'a', type: 'whiteout'},
				{name: 'c/file', type: 'whiteout'},
			],
		},
		{
			entries: [
				{name: 'a/new', content: 'n'},
				{name: 'b', type: 'opaque'},
				{name: 'b/mine', content: 'm'},
			],
		},
		{
			entries: [
				{name: 'a/', type: 'directory'},
				{name: 'a', type: 'opaque'},
				{name: 'a/last', content: 'l'},
			],
		},
	]);
	const cuts = (path: string): number[] | undefined => lookup(a.tree, path)?.cuts;
	assert.deepEqual(cuts('/a'), [1, 3]);
	assert.deepEqual(cuts('/b'), [2]);
	// Only /c's file was removed: the cut is on the path removed, not on its directory.
	assert.deepEqual(cuts('/c'), undefined);
	assert.deepEqual(cuts('/c/file'), [1]);
	const a1 = lookup(a.tree, '/a')!;
	assert.deepEqual(
		childrenAt(a1, 2)
			.filter(c => c.version.entry)
			.map(c => c.node.name),
		['new'],
	);
	assert.deepEqual(
		childrenAt(a1, 3)
			.filter(c => c.version.entry)
			.map(c => c.node.name),
		['last'],
	);
	assert.equal(existsAt(lookup(a.tree, '/a/old')!, 2), false);
	assert.equal(existsAt(lookup(a.tree, '/b/keep')!, 1), true);
	assert.equal(existsAt(lookup(a.tree, '/b/keep')!, 2), false);
});

test('statuses: added, modified (content, type, link target, mode, owner), unchanged (only mtime, or nothing), removed', async () => {
	const a = await analyzeLayers([
		{
			entries: [
				{name: 'same', content: 'abc', mtime: 1},
				{name: 'content', content: 'abc'},
				{name: 'mode', content: 'abc'},
				{name: 'owner', content: 'abc'},
				{name: 'type', content: 'abc'},
				{name: 'link', type: 'symlink', linkname: 'a'},
				{name: 'gone', content: 'abc'},
			],
		},
		{
			entries: [
				{name: 'same', content: 'abc', mtime: 99},
				{name: 'content', content: 'abd'},
				{name: 'mode', content: 'abc', mode: 0o755},
				{name: 'owner', content: 'abc', uid: 1000},
				{name: 'type', type: 'symlink', linkname: 'x'},
				{name: 'link', type: 'symlink', linkname: 'b'},
				{name: 'gone', type: 'whiteout'},
				{name: 'new', content: 'n'},
			],
		},
	]);
	const status = Object.fromEntries(a.layers[1].changes.map(c => [c.path, [c.status, c.contentChanged]]));
	assert.deepEqual(status, {
		'/content': ['modified', true],
		'/gone': ['removed', undefined],
		'/link': ['modified', true],
		'/mode': ['modified', false],
		'/new': ['added', undefined],
		'/owner': ['modified', false],
		'/same': ['unchanged', false],
		'/type': ['modified', true],
	});
	assert.deepEqual(a.layers[1].counts, {added: 1, modified: 5, unchanged: 1, removed: 1});
	assert.deepEqual(a.waste.byCause, {removed: 3, overwritten: 6, duplicate: 9});
	assert.deepEqual(wasted(a).sort(), [
		'/content 3 overwritten 0->1',
		'/gone 3 removed 0->1',
		'/mode 3 duplicate 0->1',
		'/owner 3 duplicate 0->1',
		'/same 3 duplicate 0->1',
		'/type 3 overwritten 0->1',
	]);
});

test('aggregated view: changes since the base layer', async () => {
	const a = await analyzeLayers([
		{
			entries: [
				{name: 'base', content: 'b'},
				{name: 'touched', content: 't'},
			],
		},
		{
			entries: [
				{name: 'touched', content: 'T'},
				{name: 'new', content: 'n'},
			],
		},
		{entries: [{name: 'other', content: 'o'}]},
	]);
	const at = (path: string, layer: number, aggregated: boolean): string => statusAt(lookup(a.tree, path)!, layer, aggregated);
	assert.deepEqual(
		['base', 'touched', 'new', 'other'].map(p => at('/' + p, 2, false)),
		['unchanged', 'unchanged', 'unchanged', 'added'],
	);
	assert.deepEqual(
		['base', 'touched', 'new', 'other'].map(p => at('/' + p, 2, true)),
		['unchanged', 'modified', 'added', 'added'],
	);
});

test('waste causes: overwritten (other content), duplicate (same content), with the storing and the hiding layer', async () => {
	const a = await analyzeLayers([
		{
			entries: [
				{name: 'conf', content: KB(2)},
				{name: 'bin', content: KB(10)},
			],
		},
		{entries: [{name: 'conf', content: 'y'.repeat(2000)}], createdBy: '/bin/sh -c echo y > /conf'},
		{entries: [{name: 'bin', content: KB(10), mode: 0o755}], createdBy: '/bin/sh -c chmod +x /bin'},
	]);
	assert.deepEqual(wasted(a), ['/bin 10000 duplicate 0->2', '/conf 2000 overwritten 0->1']);
	assert.deepEqual(
		a.layers.map(l => [l.wastedBytes, l.hiddenBytes]),
		[
			[12000, 0],
			[0, 2000],
			[0, 10000],
		],
	);
	assert.equal(a.waste.totalBytes, 12000);
});

test('a hard link that stays visible keeps the copy alive; when both go, the copy is waste', async () => {
	const a = await analyzeLayers([
		{
			entries: [
				{name: 'lib/real', content: KB(8)},
				{name: 'lib/alias', type: 'link', linkname: 'lib/real'},
				{name: 'tmp/big', content: KB(3)},
				{name: 'tmp/big2', type: 'link', linkname: 'tmp/big'},
			],
		},
		{
			entries: [
				{name: 'lib/real', type: 'whiteout'},
				{name: 'tmp', type: 'whiteout'},
			],
		},
	]);
	assert.deepEqual(wasted(a), ['/tmp/big 3000 removed 0->1']);
	assert.equal(a.waste.totalBytes, 3000);
	assert.equal(a.image.fileCount, 1);
});

test('entries repeated in one layer: the last wins, the earlier copy is stored and wasted', async () => {
	const a = await analyzeLayers([
		{
			entries: [
				{name: 'f', content: KB(1)},
				{name: 'f', content: 'z'.repeat(500)},
				{name: 'f', content: 'z'.repeat(500)},
			],
		},
	]);
	assert.deepEqual(changes(a, 0), ['added /f']);
	assert.equal(a.layers[0].sizeBytes, 2000);
	assert.deepEqual(wasted(a), ['/f 1000 overwritten 0->0', '/f 500 duplicate 0->0']);
	assert.equal(versionAt(lookup(a.tree, '/f')!, 0)?.entry?.size, 500);
});

test('a non-directory over a lower directory hides its subtree', async () => {
	const a = await analyzeLayers([
		{
			entries: [
				{name: 'x/', type: 'directory'},
				{name: 'x/inner', content: KB(2)},
			],
		},
		{entries: [{name: 'x', type: 'symlink', linkname: '/elsewhere'}]},
	]);
	assert.deepEqual(wasted(a), ['/x/inner 2000 overwritten 0->1']);
	assert.equal(existsAt(lookup(a.tree, '/x/inner')!, 1), false);
	assert.deepEqual(childrenAt(lookup(a.tree, '/x')!, 1), []);
	assert.deepEqual(changes(a, 1), ['modified /x']);
});

test('whiteout then recreate in the same layer (rm -rf && mkdir): lower children are gone, new ones stay', async () => {
	const a = await analyzeLayers([
		{
			entries: [
				{name: 'd/', type: 'directory'},
				{name: 'd/old', content: KB(1)},
				{name: 'd/kept', content: 'k'},
			],
		},
		{
			entries: [
				{name: 'd', type: 'whiteout'},
				{name: 'd/', type: 'directory'},
				{name: 'd/kept', content: 'k'},
				{name: 'd/fresh', content: 'f'},
			],
		},
	]);
	const d = lookup(a.tree, '/d')!;
	assert.deepEqual(
		childrenAt(d, 1)
			.filter(c => c.version.entry)
			.map(c => c.node.name)
			.sort(),
		['fresh', 'kept'],
	);
	assert.equal(existsAt(lookup(a.tree, '/d/old')!, 1), false);
	assert.deepEqual(wasted(a), ['/d/old 1000 removed 0->1', '/d/kept 1 duplicate 0->1']);
	assert.deepEqual(changes(a, 1), ['unchanged /d', 'added /d/fresh', 'unchanged /d/kept']);
});

test('history: empty_layer steps map to no layer; created_by kept verbatim', async () => {
	const a = await analyzeLayers(
		[
			{entries: [{name: 'a', content: 'a'}], createdBy: '/bin/sh -c #(nop) ADD file:abc in / '},
			{entries: [{name: 'b', content: 'b'}], createdBy: '/bin/sh -c apt-get update\t&& rm x'},
		],
		{
			emptyHistory: [
				{before: 1, createdBy: '/bin/sh -c #(nop)  ENV A=1'},
				{before: 2, createdBy: '/bin/sh -c #(nop)  CMD ["sh"]'},
			],
		},
	);
	assert.deepEqual(
		a.history.map(h => [h.emptyLayer, h.layerIndex]),
		[
			[false, 0],
			[true, null],
			[false, 1],
			[true, null],
		],
	);
	assert.equal(a.layers[0].createdBy, '/bin/sh -c #(nop) ADD file:abc in / ');
	assert.equal(a.layers[1].createdBy, '/bin/sh -c apt-get update\t&& rm x');
});

test('an implicit parent directory (no entry in the tar) appears as a directory', async () => {
	const a = await analyzeLayers([{entries: [{name: 'deep/er/file', content: 'q'}]}]);
	assert.equal(versionAt(lookup(a.tree, '/deep/er')!, 0)?.entry?.type, 'directory');
	assert.deepEqual(changes(a, 0), ['added /deep/er/file']);
});

test('the merged tree lists children in byte order of their names, whatever order the layers named them in', async () => {
	const a = await analyzeLayers([
		{
			entries: [
				{name: 'x/b', content: 'b'},
				{name: 'x/B', content: 'B'},
			],
		},
		{
			entries: [
				{name: 'x/a', content: 'a'},
				{name: 'x/.hidden', content: 'h'},
				{name: 'x/b', type: 'whiteout'},
			],
		},
	]);
	assert.deepEqual([...lookup(a.tree, '/x')!.children!.keys()], ['.hidden', 'B', 'a', 'b']);
});

test('the content hashes the analysis compares: paths written more than once, and hard link targets', async () => {
	const paths = newImagePathTable();
	const walk = async (entries: FixtureEntry[]) => walkLayer(Readable.from([await makeLayer(entries)]), {paths});
	const walks = [
		await walk([
			{name: 'etc', type: 'directory'},
			{name: 'etc/once', content: 'a'},
			{name: 'etc/twice', content: 'b'},
			{name: 'target', content: 't'},
		]),
		await walk([
			{name: 'etc/twice', content: 'c'},
			{name: 'link', type: 'link', linkname: 'target'},
			{name: 'gone', type: 'whiteout'},
		]),
	];
	const needed = neededHashes(walks);
	const marked = [...needed.keys()].filter(node => needed[node] === 1).map(node => paths.pathOf(node));
	assert.deepEqual(marked.sort(), ['/etc/twice', '/target']);
	assert.deepEqual([...new Set(needed)].sort(), [0, 1]);
});
