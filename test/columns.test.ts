// model/columns.ts: what the columns give back to objects is the number stored, whatever V8 keeps it as.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {smallIfInteger} from '../source/model/columns.js';

test('a size read from a column for an object is the same number: small integers, the 31-bit edges, big and fractional ones', () => {
	const column = new Float64Array([0, 1, 4096, 2 ** 30 - 1, 2 ** 30, -(2 ** 30), -(2 ** 30) - 1, 3e9, 2 ** 53, 1.5, -0.25, 1e21]);
	for (const value of column) assert.ok(Object.is(smallIfInteger(value), value), `${value}`);
});
