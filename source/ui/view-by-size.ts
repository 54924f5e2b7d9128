// A layer view ordered by size (layer-view.ts): siblings largest first, a permutation of the view by name.
import {ends, makeView, SLICE, type LayerView, type ViewBuild, type ViewKey} from './layer-view.js';

/** The same view with siblings largest first (earlier in name order first on a tie): a permutation of its preorder. */
export function* sortBySize(view: LayerView, key: ViewKey): ViewBuild {
	// One loop a function (see ByNameScan): each is optimized on its own, and early.
	const n = view.count;
	const {start, kids} = families(view.parent, n);
	yield;
	const keys = sizeKeys(view.size, kids, n);
	yield;
	if (keys)
		for (let p = 0; p <= n;) {
			p = sortFamilies(keys, kids, start, n, p, SLICE);
			yield;
		}
	else for (let p = 0; p <= n; p++) if (start[p + 1] - start[p] > 1) kids.subarray(start[p], start[p + 1]).sort((a, b) => view.size[b] - view.size[a] || a - b);
	yield;
	const order = preorder(kids, start, n);
	yield;
	// A few passes over the rows between two stops: a key waits for one step at most (about a millisecond a pass
	// on 100,000 rows), where these steps were one of 10-20 ms.
	const newIndex = inverse(order);
	const parent = newParents(view.parent, order, newIndex);
	yield;
	const id = permuteInt32(view.id, order);
	const shown = permuteInt32(view.shown, order);
	yield;
	const depth = permuteInt32(view.depth, order);
	const size = permuteFloat64(view.size, order);
	yield;
	const status = permuteUint8(view.status, order);
	const wasted = permuteUint8(view.wasted, order);
	const isDir = permuteUint8(view.isDir, order);
	yield;
	const end = ends(parent);
	yield;
	const at = remap(view.at, newIndex);
	yield;
	return makeView(view.global, key, {
		count: n,
		id,
		shown,
		depth,
		size,
		status,
		wasted,
		isDir,
		parent,
		end,
		at,
		totalSize: view.totalSize,
		statusCounts: view.statusCounts,
	});
}

/** Children of each row (and of the top, at n), in index order, as one array cut by start offsets. */
function families(parent: Int32Array, n: number): {start: Int32Array; kids: Int32Array} {
	const start = new Int32Array(n + 2);
	for (let i = 0; i < n; i++) start[(parent[i] < 0 ? n : parent[i]) + 1]++;
	for (let p = 0; p <= n; p++) start[p + 1] += start[p];
	const fill = start.slice(0, n + 1);
	const kids = new Int32Array(n);
	for (let i = 0; i < n; i++) kids[fill[parent[i] < 0 ? n : parent[i]]++] = i;
	return {start, kids};
}

/**
 * Sort keys of the rows in `kids` order: (largest size - size) and index, so that a numeric sort (no comparator) puts
 * the largest first and a tie in index order; null when they would not stay exact (below 2^53).
 */
function sizeKeys(size: Float64Array, kids: Int32Array, n: number): Float64Array | null {
	let largest = 0;
	for (let i = 0; i < n; i++) if (size[i] > largest) largest = size[i];
	if ((largest + 1) * n >= Number.MAX_SAFE_INTEGER) return null;
	const keys = new Float64Array(n);
	for (let k = 0; k < n; k++) keys[k] = (largest - size[kids[k]]) * n + kids[k];
	return keys;
}

/** Sort the families from `p` on, about `rows` rows of them; the family to go on from. Families are small next to
 * the view: n log of a family's size, not of n. */
function sortFamilies(keys: Float64Array, kids: Int32Array, start: Int32Array, n: number, p: number, rows: number): number {
	let sorted = 0;
	for (; p <= n && sorted < rows; p++) {
		const from = start[p];
		const to = start[p + 1];
		if (to - from < 2) continue;
		keys.subarray(from, to).sort();
		for (let k = from; k < to; k++) kids[k] = keys[k] % n;
		sorted += to - from;
	}
	return p;
}

/** Preorder over the sorted children. */
function preorder(kids: Int32Array, start: Int32Array, n: number): Int32Array {
	const order = new Int32Array(n);
	const stack: number[] = [];
	for (let k = start[n + 1] - 1; k >= start[n]; k--) stack.push(kids[k]);
	let next = 0;
	while (stack.length > 0) {
		const i = stack.pop()!;
		order[next++] = i;
		for (let k = start[i + 1] - 1; k >= start[i]; k--) stack.push(kids[k]);
	}
	return order;
}

function inverse(order: Int32Array): Int32Array {
	const index = new Int32Array(order.length);
	for (let i = 0; i < order.length; i++) index[order[i]] = i;
	return index;
}

function newParents(parent: Int32Array, order: Int32Array, newIndex: Int32Array): Int32Array {
	const out = new Int32Array(order.length);
	for (let i = 0; i < order.length; i++) out[i] = parent[order[i]] < 0 ? -1 : newIndex[parent[order[i]]];
	return out;
}

// A loop per element type: one loop over several would be slower for all.
function permuteInt32(column: Int32Array, order: Int32Array): Int32Array {
	const out = new Int32Array(order.length);
	for (let i = 0; i < order.length; i++) out[i] = column[order[i]];
	return out;
}

function permuteUint8(column: Uint8Array, order: Int32Array): Uint8Array {
	const out = new Uint8Array(order.length);
	for (let i = 0; i < order.length; i++) out[i] = column[order[i]];
	return out;
}

function permuteFloat64(column: Float64Array, order: Int32Array): Float64Array {
	const out = new Float64Array(order.length);
	for (let i = 0; i < order.length; i++) out[i] = column[order[i]];
	return out;
}

/** View index by global index, through the permutation (-1 stays -1). */
function remap(at: Int32Array, newIndex: Int32Array): Int32Array {
	const out = new Int32Array(at.length);
	for (let g = 0; g < at.length; g++) out[g] = at[g] < 0 ? -1 : newIndex[at[g]];
	return out;
}
