// How many paths one image may name before the analysis refuses it with a clear error instead of V8 running out of
// memory: a few kB of hostile tar can name millions of directories (`a/a/a/…`).
import {getHeapStatistics} from 'node:v8';
import {InputError} from '../util/errors.js';
import {PathTable} from '../model/path-table.js';

/**
 * Heap per path, with margin, when something makes the FsNode object tree or every layer's change list at once (the
 * explorer, `diff`): those are objects per path on the heap.
 */
export const OBJECT_TREE_HEAP_PER_PATH = 1536;

/**
 * Heap per path, with margin, for the reports that read only the columns (`--json`, with `--files` too, the plain
 * report, the CI gate): interned names and the wasted-file list are all they keep on the heap; the columns are typed
 * arrays outside it, and `--files` makes each change as it is written.
 */
export const COLUMNS_HEAP_PER_PATH = 512;

/** How many paths (with their implicit parent directories) this process's heap can analyse. */
export function pathBudget(heapPerPath = OBJECT_TREE_HEAP_PER_PATH): number {
	return Math.floor(getHeapStatistics().heap_size_limit / heapPerPath);
}

export function tooManyPaths(maxPaths: number): InputError {
	const heapMb = Math.round(getHeapStatistics().heap_size_limit / (1024 * 1024));
	return new InputError(
		`the image names more than ${maxPaths.toLocaleString('en')} paths (parent directories included): more than ${heapMb} MB of memory holds; raise it with NODE_OPTIONS=--max-old-space-size=${heapMb * 2}`,
	);
}

/** A path table for one image, refusing more paths than the budget (the root does not count). */
export function newImagePathTable(maxPaths = pathBudget()): PathTable {
	return new PathTable({maxNodes: maxPaths + 1, exceeded: () => tooManyPaths(maxPaths)});
}
