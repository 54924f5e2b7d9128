// A layer view by name (layer-view.ts): one pass over the global preorder that keeps the paths present in the layer
// and those it removed, each with its status, size and waste, read from the version store's columns.
import {DIRECTORY} from '../model/layer-entries.js';
import type {TreeColumns} from '../model/tree-nodes.js';
import {REMOVED, UNCHANGED} from '../model/version-store.js';
import {ends, makeView, ROW_STATUS, SLICE, STATUS_CODES, type GlobalTree, type ViewBuild, type ViewKey} from './layer-view.js';

// Row codes as plain constants: a property read of ROW_STATUS in a branch of the hot loops had no type feedback
// when V8 first optimized them, and threw the optimized code away when the branch first ran.
const REMOVED_ROW: number = ROW_STATUS.removed;
const UNTOUCHED_ROW: number = ROW_STATUS.unchanged;

export function* buildByName(global: GlobalTree, key: ViewKey): ViewBuild {
	const scan = new ByNameScan(global, key);
	while (!scan.run(SLICE)) yield;
	yield;
	const {count, ids, shown, parent, depth, status, wasted, isDir, size, at, statusCounts} = scan;
	const end = ends(parent, count);
	const totalSize = sumUp(count, parent, status, size);
	yield;
	// The scan's columns are sized for every path of the image. Where the view has most of them (a layer's view
	// mostly does), they are kept as they are: copies would be as much again to allocate, and to collect.
	const keep = count * 4 >= scan.total * 3;
	const cut = <T extends Int32Array | Uint8Array | Float64Array>(column: T): T => (keep ? column.subarray(0, count) : column.slice(0, count)) as T;
	return makeView(global, key, {
		count,
		id: cut(ids),
		shown: cut(shown),
		depth: cut(depth),
		parent: cut(parent),
		end,
		size: cut(size),
		status: cut(status),
		wasted: cut(wasted),
		isDir: cut(isDir),
		at,
		totalSize,
		statusCounts,
	});
}

/**
 * The pass of a view by name over the global preorder, a slice of paths per run(). A class of its own, with one loop:
 * V8 optimizes it whole after a run or two, where the same loop inside a generator among others was optimized and
 * thrown away phase by phase (the first builds of each kind took 50-150 ms instead of 5-10).
 */
class ByNameScan {
	readonly layer: number;
	readonly aggregated: boolean;
	readonly columns: TreeColumns;
	readonly total: number;
	readonly gId: Int32Array;
	readonly gDepth: Int32Array;
	readonly gEnd: Int32Array;
	// The version store's columns, read directly: this loop visits every path of the image.
	readonly vLayer: Int32Array | Uint16Array | Uint8Array;
	readonly vFlags: Uint8Array;
	readonly vWaste: Uint8Array;
	readonly vNext: Int32Array;
	readonly first: Int32Array;
	readonly vType: Uint8Array;
	readonly vSize: Float64Array;
	readonly hasCuts: boolean;
	readonly at: Int32Array;
	// Sized for every path; cut to the paths kept at the end.
	readonly ids: Int32Array;
	readonly shown: Int32Array;
	readonly parent: Int32Array;
	readonly depth: Int32Array;
	readonly status: Uint8Array;
	readonly wasted: Uint8Array;
	readonly isDir: Uint8Array;
	readonly size: Float64Array;
	/** Rows by status code: counted in the pass (a loop of its own over the view, run once per layer, ran cold). */
	readonly statusCounts = new Int32Array(STATUS_CODES.length);
	count = 0;
	g = 0;
	// Per depth: the cut of the ancestors as of the layer and as of the layer below, whether we are under a
	// directory this layer removed (its contents show as they stood below), and the parent's index in the view.
	readonly cut: number[] = [-1];
	readonly cutBelow: number[] = [-1];
	readonly removedMode: boolean[] = [false];
	readonly parentAt: number[] = [-1];

	constructor(global: GlobalTree, key: ViewKey) {
		this.layer = key.layer;
		this.aggregated = key.aggregated;
		const columns = global.columns;
		this.columns = columns;
		this.total = global.count;
		this.gId = global.id;
		this.gDepth = global.depth;
		this.gEnd = global.end;
		const raw = columns.versions.raw();
		this.vLayer = raw.layer;
		this.vFlags = raw.flags;
		this.vWaste = raw.waste;
		this.vNext = raw.next;
		this.first = columns.versions.first;
		const kinds = columns.versionKinds();
		this.vType = kinds.type;
		this.vSize = kinds.size;
		this.hasCuts = columns.cuts.size > 0;
		const G = global.count;
		this.at = new Int32Array(G).fill(-1);
		this.ids = new Int32Array(G);
		this.shown = new Int32Array(G);
		this.parent = new Int32Array(G);
		this.depth = new Int32Array(G);
		this.status = new Uint8Array(G);
		this.wasted = new Uint8Array(G);
		this.isDir = new Uint8Array(G);
		this.size = new Float64Array(G);
	}

	/** The version a path has as of `at` (the last at or below it), or -1. */
	versionAt(node: number, at: number): number {
		const {first, vNext, vLayer} = this;
		let found = -1;
		for (let v = first[node]; v !== -1; v = vNext[v]) if (vLayer[v] <= at) found = v;
		return found;
	}

	/** Go on for at most `paths` more paths; whether the pass is done. */
	run(paths: number): boolean {
		const {layer, aggregated, columns, total, gId, gDepth, gEnd, vLayer, vFlags, vWaste, vType, vSize, hasCuts} = this;
		const {at, ids, shown, parent, depth, status, wasted, isDir, size, statusCounts, cut, cutBelow, removedMode, parentAt} = this;
		let {g, count} = this;
		for (let left = paths; g < total && left > 0; left--) {
			const node = gId[g];
			const d = gDepth[g];
			const parentCut = cut[d];
			const parentCutBelow = cutBelow[d];
			// The version shown (a removal's: the version it removed) and the row's status code.
			let show: number;
			let code: number;
			if (removedMode[d]) {
				const before = layer > 0 ? this.versionAt(node, layer - 1) : -1;
				if (before === -1 || (vFlags[before] & 3) === REMOVED || vLayer[before] < parentCutBelow) {
					g = gEnd[g];
					continue;
				}
				show = before;
				code = REMOVED_ROW;
			} else {
				const version = this.versionAt(node, layer);
				if (version === -1) {
					g = gEnd[g];
					continue;
				}
				const own = vFlags[version] & 3;
				if (own !== REMOVED) {
					if (vLayer[version] < parentCut) {
						g = gEnd[g];
						continue;
					}
					show = version;
					// In a layer's own view: what the layer did (the model's `unchanged` is the view's `rewritten`), or untouched.
					code = aggregated ? aggregatedCode(columns.aggregatedStatus(node, layer, version)) : vLayer[version] === layer ? own : UNTOUCHED_ROW;
				} else {
					const before = vLayer[version] === layer && layer > 0 ? this.versionAt(node, layer - 1) : -1;
					if (before === -1 || (vFlags[before] & 3) === REMOVED || vLayer[before] < parentCutBelow) {
						g = gEnd[g];
						continue;
					}
					show = before;
					code = REMOVED_ROW;
				}
			}
			const i = count++;
			at[g] = i;
			ids[i] = node;
			shown[i] = show;
			parent[i] = parentAt[d];
			depth[i] = d;
			status[i] = code;
			statusCounts[code]++;
			wasted[i] = vWaste[show] === 0 ? 0 : 1;
			size[i] = vSize[show];
			if (vType[show] !== DIRECTORY) {
				g = gEnd[g];
				continue;
			}
			isDir[i] = 1;
			cut[d + 1] = hasCuts ? Math.max(parentCut, columns.cutAt(node, layer)) : -1;
			cutBelow[d + 1] = layer > 0 && hasCuts ? Math.max(parentCutBelow, columns.cutAt(node, layer - 1)) : -1;
			removedMode[d + 1] = code === REMOVED_ROW;
			parentAt[d + 1] = i;
			g++;
		}
		this.g = g;
		this.count = count;
		return g >= total;
	}
}

/**
 * Each directory's total size, from the rows' parents; the top rows' total. A directory's total counts what is in it
 * as of the layer; a removed directory's, what it held.
 */
function sumUp(count: number, parent: Int32Array, status: Uint8Array, size: Float64Array): number {
	let totalSize = 0;
	// Every read and sum on every row, the rare cases (a top row, a removed one) chosen by value: an operation that
	// first runs in a rare branch after V8 has optimized the loop throws the optimized code away.
	for (let i = count - 1; i >= 0; i--) {
		const p = parent[i];
		const own = size[i];
		const removed = status[i] === REMOVED_ROW;
		if (p < 0) {
			totalSize += removed ? 0 : own;
			continue;
		}
		size[p] += !removed || status[p] === REMOVED_ROW ? own : 0;
	}
	return totalSize;
}

/** A status of model/version-store.ts, as the aggregated view shows it (its `unchanged`: untouched since the base). */
function aggregatedCode(status: number): number {
	return status === UNCHANGED ? UNTOUCHED_ROW : status;
}
