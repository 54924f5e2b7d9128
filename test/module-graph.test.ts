// The module graph of source/ (scripts/check-cycles.ts): what the restructuring of issue #10 must keep true.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {checkModuleGraph, importGraph} from '../scripts/check-cycles.js';

const root = fileURLToPath(new URL('../source/', import.meta.url));

test('source/ has no import cycle and no import up the layers (model below layers below analysis)', () => {
	assert.deepEqual(checkModuleGraph(root), []);
});

test('the module graph sees the imports it checks', () => {
	const graph = importGraph(root);
	assert.ok(graph.get('sources/load.ts')?.includes('analysis/needed-hashes.ts'));
	assert.ok(graph.get('sources/load.ts')?.includes('layers/deferred-hashes.ts'));
	// A dynamic import counts too.
	assert.ok(graph.get('cli-main.ts')?.includes('diff/run.ts'));
});
