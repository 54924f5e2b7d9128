// The streamed JSON report (source/report/json-writer.ts) is the text terminalJson() gives, byte for byte.
import assert from 'node:assert/strict';
import {PassThrough} from 'node:stream';
import {test} from 'node:test';
import {JsonRows, writeJson} from '../source/report/json-writer.js';
import {terminalJson} from '../source/util/sanitize.js';

async function written(value: unknown, highWaterMark = 16): Promise<string> {
	const out = new PassThrough({highWaterMark});
	const chunks: Buffer[] = [];
	out.on('data', (chunk: Buffer) => chunks.push(chunk));
	await writeJson(value, out);
	out.end();
	await new Promise(resolve => out.on('end', resolve));
	return Buffer.concat(chunks).toString('utf8');
}

test('the streamed text is terminalJson() and a newline, whatever the nesting and the leaves', async () => {
	const hostile = 'a\u009b[31m\u202ex\u2028"\\\n\t\u0007';
	const value = {
		schemaVersion: 1,
		empty: {},
		none: [],
		nested: [[], [{}], [1, [2, [3, {deep: [{}]}]]], {a: {b: {c: []}}}],
		gaps: [undefined, () => 1, null, Number.NaN, -0, 1e21],
		left: undefined,
		fn: () => 1,
		when: new Date(0),
		[hostile]: {[hostile]: hostile, list: [hostile, {x: hostile}]},
		records: Array.from({length: 3000}, (_, i) => ({path: `/srv/f${i}`, size: i, hash: i % 2 ? null : 'ab', ok: i % 3 === 0})),
		// Records of leaves, which the writer makes from each value's own JSON: escapes, gaps, odd keys and numbers.
		flat: [
			{path: hostile, [hostile]: 1, tag: '\u{e0001}\ud800\u00ad\u{1f600}', del: '\u007f'},
			{gone: undefined, fn: () => 1, sym: Symbol('s'), n: Number.POSITIVE_INFINITY, z: -0, big: 2 ** 60, tiny: 5e-7},
			{gone: undefined},
			{'1': 'integer key first', b: true, a: false, '0': null},
			{when: new Date(0), size: 1},
		],
	};
	assert.equal(await written(value), terminalJson(value) + '\n');
	assert.equal(await written([]), '[]\n');
	assert.equal(await written('text\u0085'), terminalJson('text\u0085') + '\n');
});

test('a big report is written in pieces, waiting for the stream to drain', async () => {
	const value = {files: Array.from({length: 20_000}, (_, i) => ({path: `/data/d${i % 100}/f${i}`, sizeBytes: i * 7}))};
	const out = new PassThrough({highWaterMark: 1024});
	let writes = 0;
	const write = out.write.bind(out);
	out.write = ((chunk: string) => {
		writes++;
		return write(chunk);
	}) as typeof out.write;
	const chunks: Buffer[] = [];
	out.on('data', (chunk: Buffer) => chunks.push(chunk));
	await writeJson(value, out);
	assert.equal(Buffer.concat(chunks).toString('utf8'), terminalJson(value) + '\n');
	assert.ok(writes > 10, `${writes} writes`);
});

test('rows made one at a time are written as the array they stand for, each made as it is written', async () => {
	const made: number[] = [];
	const rows = new JsonRows(2500, i => {
		made.push(i);
		return {path: `/srv/f${i}`, sizeBytes: i, nested: {list: [i]}};
	});
	const value = {
		layers: [
			{index: 0, changes: rows},
			{index: 1, changes: new JsonRows(0, () => ({}))},
		],
	};
	const expected = terminalJson(value);
	made.length = 0;
	assert.equal(await written(value), expected + '\n');
	assert.deepEqual(
		made,
		Array.from({length: 2500}, (_, i) => i),
	);
	assert.equal(
		expected,
		terminalJson({
			layers: [
				{index: 0, changes: rows.toJSON()},
				{index: 1, changes: []},
			],
		}),
	);
});
