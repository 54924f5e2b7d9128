// The columnar model's path table: one node per path, names interned, parents and children by integer ids.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {pathRanks} from '../source/model/path-order.js';
import {PathTable, ROOT} from '../source/model/path-table.js';
import {newImagePathTable} from '../source/analysis/path-budget.js';

test('interning a path makes its parents; the same path gives the same node; lookup never creates', () => {
	const table = new PathTable();
	const file = table.intern('/usr/lib/x.so');
	assert.equal(table.size, 4);
	assert.equal(table.intern('/usr/lib/x.so'), file);
	assert.equal(table.pathOf(file), '/usr/lib/x.so');
	assert.equal(table.pathOf(ROOT), '/');
	assert.equal(table.lookup('/usr/lib'), table.parent(file));
	assert.equal(table.lookup('/usr/bin'), -1);
	assert.equal(table.size, 4);
	assert.equal(table.intern('/'), ROOT);
	// `..` is a name like any other (kept verbatim, never resolved).
	assert.equal(table.pathOf(table.intern('/../evil')), '/../evil');
	assert.notEqual(table.lookup('/../evil'), table.lookup('/evil'));
});

test('children come in the order they were first named; names repeat across directories', () => {
	const table = new PathTable();
	for (const path of ['/b/index.js', '/a/index.js', '/b/a.js', '/b/index.js']) table.intern(path);
	const b = table.lookup('/b');
	assert.deepEqual(
		[...table.children(b)].map(node => table.name(node)),
		['index.js', 'a.js'],
	);
	assert.deepEqual(
		[...table.children(ROOT)].map(node => table.name(node)),
		['b', 'a'],
	);
	assert.equal(table.name(table.lookup('/a/index.js')), table.name(table.lookup('/b/index.js')));
});

test('200,000 paths through several rehashes: every one found again', () => {
	const table = new PathTable();
	const nodes: number[] = [];
	for (let i = 0; i < 200_000; i++) nodes.push(table.intern(`/d${i % 997}/f${i}`));
	assert.equal(table.size, 1 + 997 + 200_000);
	for (let i = 0; i < 200_000; i += 7919) assert.equal(table.lookup(`/d${i % 997}/f${i}`), nodes[i]);
	assert.equal(table.pathOf(nodes[5]), '/d5/f5');
});

test('an image naming more paths than its budget stops with the clear error', () => {
	const table = newImagePathTable(10);
	for (let i = 0; i < 10; i++) table.intern(`/p${i}`);
	assert.throws(() => table.intern('/one-too-many'), /the image names more than 10 paths \(parent directories included\)/);
});

test("the path order is the order of the paths as strings, where a sibling's name sorts between a directory and what it holds", () => {
	const table = new PathTable();
	const paths = [
		'/a/b',
		'/a.txt',
		'/a',
		'/a-b/c',
		'/a b',
		'/a/b/c',
		'/a/b.d',
		'/a/b-',
		'/A',
		'/~',
		'/\u00e9t\u00e9',
		'/\u{1f600}/x',
		'/\uff41',
		'/0',
		'/a//',
		'/../x',
		'/.hidden/y',
	];
	for (const path of paths) table.intern(path);
	const rank = pathRanks(table);
	const nodes = Array.from({length: table.size}, (_, node) => node);
	const byRank = [...nodes].sort((x, y) => rank[x] - rank[y]).map(node => table.pathOf(node));
	const byString = nodes.map(node => table.pathOf(node)).sort((x, y) => (x < y ? -1 : 1));
	assert.deepEqual(byRank, byString);
	assert.equal(new Set(rank).size, table.size);
});
