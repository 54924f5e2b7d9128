// The file tree of one layer, flattened for the explorer: the filesystem as of a layer (or the changes since the
// base, aggregated), each path with its status, its size (directories: the total below them) and whether its bytes
// are wasted. Read from the analysis's columns (model/tree-nodes.ts) into typed arrays, one pass over the global
// preorder per layer and mode, O(paths); the order by size is a permutation of the view by name. Views are cached;
// tree-rows.ts turns a view into the rows shown under the current filters and collapsed directories. Objects (FsNode,
// LayerEntry) are made only for the rows something reads one at a time: those on screen, the cursor's.
import {DIRECTORY} from '../model/layer-entries.js';
import {TreeColumns} from '../model/tree-nodes.js';
import type {FsNode, LayerEntry} from '../model/types.js';
import {ADDED, MODIFIED, REMOVED, STATUSES, UNCHANGED} from '../model/version-store.js';

/** A path's status in a layer view. `rewritten`: this layer wrote it again with the same content. */
export type ViewStatus = 'added' | 'modified' | 'rewritten' | 'removed' | 'unchanged';

/**
 * A row's status code: the model's codes (model/version-store.ts), where the model's `unchanged` (written again
 * with the same content) is the view's `rewritten`, and one more after them for a path the layer did not touch.
 */
export const ROW_STATUS = {
	added: ADDED,
	modified: MODIFIED,
	rewritten: UNCHANGED,
	removed: REMOVED,
	unchanged: STATUSES.length,
} as const satisfies Record<ViewStatus, number>;

/** The view status of each code. */
export const STATUS_CODES: ViewStatus[] = [];
for (const [status, code] of Object.entries(ROW_STATUS)) STATUS_CODES[code] = status as ViewStatus;

export type SortOrder = 'name' | 'size';

export interface ViewKey {
	layer: number;
	aggregated: boolean;
	sort: SortOrder;
}

export interface LayerView extends ViewKey {
	count: number;
	global: GlobalTree;
	/** Path table node of each row. */
	id: Int32Array;
	/** The version whose entry is shown: for a removed path, the version that was removed. */
	shown: Int32Array;
	depth: Int32Array;
	/** Preorder index of the parent, -1 at the top level. */
	parent: Int32Array;
	/** Preorder index just past the subtree. */
	end: Int32Array;
	/** File size; for a directory the total of the files below it. */
	size: Float64Array;
	status: Uint8Array;
	/** 1 when the bytes of the version shown are not visible in the final image. */
	wasted: Uint8Array;
	isDir: Uint8Array;
	/** View index by global preorder index, -1 where the view does not have the path. */
	at: Int32Array;
	/** The FsNode of each row, made when read (for code that reads a row at a time; loops read `id`). */
	node: readonly FsNode[];
	/** The entry shown on each row, made when read. */
	entry: readonly (LayerEntry | null)[];
	/** Preorder index of a path in this view. */
	indexOf: {get(node: FsNode): number | undefined};
	/** Totals over the whole view, for the header. */
	totalSize: number;
}

export function statusOf(view: LayerView, index: number): ViewStatus {
	return STATUS_CODES[view.status[index]];
}

/** A row's name, without making its FsNode. */
export function nameOf(view: LayerView, index: number): string {
	return view.global.columns.table.name(view.id[index]);
}

/**
 * Every path the image ever had, once, in preorder with children in name order, as node ids: built once per analysis.
 * A layer view is one pass over it that keeps the paths present in that layer (and those the layer removed).
 */
export interface GlobalTree {
	columns: TreeColumns;
	count: number;
	id: Int32Array;
	depth: Int32Array;
	end: Int32Array;
	/** Global preorder index by node id, -1 for the root and nodes outside the tree. */
	at: Int32Array;
	/** Full paths by global preorder index, made when a path filter first needs them. */
	paths: string[] | null;
}

export function buildGlobalTree(root: FsNode): GlobalTree {
	const columns = TreeColumns.of(root);
	if (!columns) throw new Error('buildGlobalTree: the tree is not read from the analysis columns');
	const size = columns.table.size;
	const id = new Int32Array(size);
	const depth = new Int32Array(size);
	const at = new Int32Array(size).fill(-1);
	let count = 0;
	// Children pushed last to first, so that they pop in name order.
	const stackId: number[] = [];
	const stackDepth: number[] = [];
	const push = (parent: number, d: number): void => {
		const kids = columns.children(parent);
		for (let k = kids.length - 1; k >= 0; k--) {
			stackId.push(kids[k]);
			stackDepth.push(d);
		}
	};
	push(TreeColumns.idOf(root), 0);
	while (stackId.length > 0) {
		const node = stackId.pop()!;
		const d = stackDepth.pop()!;
		at[node] = count;
		id[count] = node;
		depth[count] = d;
		count++;
		if (columns.table.hasChildren(node)) push(node, d + 1);
	}
	const end = new Int32Array(count);
	const open: number[] = [];
	for (let i = 0; i < count; i++) {
		while (open.length > 0 && depth[open[open.length - 1]] >= depth[i]) end[open.pop()!] = i;
		open.push(i);
	}
	for (const i of open) end[i] = count;
	return {columns, count, id: id.slice(0, count), depth: depth.slice(0, count), end, at, paths: null};
}

/** Full paths by global preorder index (each its parent's and a name), made once. */
export function globalPaths(global: GlobalTree): string[] {
	if (global.paths) return global.paths;
	const {count, id, depth, columns} = global;
	const table = columns.table;
	const paths = new Array<string>(count);
	const prefix: string[] = [''];
	for (let g = 0; g < count; g++) {
		const d = depth[g];
		const path = `${prefix[d]}/${table.name(id[g])}`;
		paths[g] = path;
		prefix[d + 1] = path;
	}
	return (global.paths = paths);
}

/** Array-like rows made on demand: `rows[i]` calls `make(i)`; length, iteration and the array methods work. */
function onDemand<T>(count: number, make: (i: number) => T): readonly T[] {
	const index = (key: string | symbol): number => {
		if (typeof key !== 'string') return -1;
		const i = Number(key);
		return Number.isInteger(i) && i >= 0 && i < count && String(i) === key ? i : -1;
	};
	return new Proxy([] as T[], {
		get(target, key, receiver) {
			if (key === 'length') return count;
			const i = index(key);
			return i >= 0 ? make(i) : (Reflect.get(target, key, receiver) as unknown);
		},
		has(target, key) {
			return index(key) >= 0 || Reflect.has(target, key);
		},
	});
}

/**
 * A view being built: each next() goes on for a slice of rows (about 16,000) and stops, until it returns the view. The
 * explorer's idle work builds views a slice at a time, so that a key never waits for a whole build; a key that needs
 * the view runs it to the end (finish).
 */
type ViewBuild = Generator<void, LayerView, void>;

/** Rows between two stops of a build. */
const SLICE = 0x3fff;

/** Run a build to its end. */
function finish(build: ViewBuild): LayerView {
	for (;;) {
		const step = build.next();
		if (step.done) return step.value;
	}
}

/** Build the view of `layer` by name: one pass over the global preorder, O(paths). */
export function buildLayerView(global: GlobalTree, key: ViewKey): LayerView {
	const view = finish(buildByName(global, {...key, sort: 'name'}));
	return key.sort === 'size' ? finish(sortBySize(view, key)) : view;
}

function* buildByName(global: GlobalTree, key: ViewKey): ViewBuild {
	const scan = new ByNameScan(global, key);
	while (!scan.run(SLICE)) yield;
	yield;
	const {count, ids, shown, parent, depth, status, wasted, isDir, size, at} = scan;
	const end = new Int32Array(count);
	const totalSize = sumUp(count, parent, status, size, end);
	return makeView(global, key, {
		count,
		id: ids.slice(0, count),
		shown: shown.slice(0, count),
		depth: depth.slice(0, count),
		parent: parent.slice(0, count),
		end,
		size: size.slice(0, count),
		status: status.slice(0, count),
		wasted: wasted.slice(0, count),
		isDir: isDir.slice(0, count),
		at,
		totalSize,
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
		const {at, ids, shown, parent, depth, status, wasted, isDir, size, cut, cutBelow, removedMode, parentAt} = this;
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
				code = ROW_STATUS.removed;
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
					code = aggregated ? aggregatedCode(columns.aggregatedStatus(node, layer, version)) : vLayer[version] === layer ? own : ROW_STATUS.unchanged;
				} else {
					const before = vLayer[version] === layer && layer > 0 ? this.versionAt(node, layer - 1) : -1;
					if (before === -1 || (vFlags[before] & 3) === REMOVED || vLayer[before] < parentCutBelow) {
						g = gEnd[g];
						continue;
					}
					show = before;
					code = ROW_STATUS.removed;
				}
			}
			const i = count++;
			at[g] = i;
			ids[i] = node;
			shown[i] = show;
			parent[i] = parentAt[d];
			depth[i] = d;
			status[i] = code;
			wasted[i] = vWaste[show] === 0 ? 0 : 1;
			size[i] = vSize[show];
			if (vType[show] !== DIRECTORY) {
				g = gEnd[g];
				continue;
			}
			isDir[i] = 1;
			cut[d + 1] = hasCuts ? Math.max(parentCut, columns.cutAt(node, layer)) : -1;
			cutBelow[d + 1] = layer > 0 && hasCuts ? Math.max(parentCutBelow, columns.cutAt(node, layer - 1)) : -1;
			removedMode[d + 1] = code === ROW_STATUS.removed;
			parentAt[d + 1] = i;
			g++;
		}
		this.g = g;
		this.count = count;
		return g >= total;
	}
}

/**
 * Each row's end (one past its last descendant) and each directory's total size, from the rows' parents; the top
 * rows' total. A directory's total counts what is in it as of the layer; a removed directory's, what it held.
 */
function sumUp(count: number, parent: Int32Array, status: Uint8Array, size: Float64Array, end: Int32Array): number {
	for (let i = 0; i < count; i++) end[i] = i + 1;
	let totalSize = 0;
	for (let i = count - 1; i >= 0; i--) {
		const p = parent[i];
		if (p < 0) {
			if (status[i] !== ROW_STATUS.removed) totalSize += size[i];
			continue;
		}
		if (end[i] > end[p]) end[p] = end[i];
		if (status[i] !== ROW_STATUS.removed || status[p] === ROW_STATUS.removed) size[p] += size[i];
	}
	return totalSize;
}

/** A status of model/version-store.ts, as the aggregated view shows it (its `unchanged`: untouched since the base). */
function aggregatedCode(status: number): number {
	return status === UNCHANGED ? ROW_STATUS.unchanged : status;
}

type ViewColumns = Omit<LayerView, keyof ViewKey | 'global' | 'node' | 'entry' | 'indexOf'>;

function makeView(global: GlobalTree, key: ViewKey, columns: ViewColumns): LayerView {
	const tree = global.columns;
	const {id, shown, at} = columns;
	return {
		...key,
		...columns,
		global,
		node: onDemand(columns.count, i => tree.node(id[i])),
		entry: onDemand(columns.count, i => tree.entry(shown[i], id[i])),
		indexOf: {
			get(node: FsNode): number | undefined {
				const nodeId = TreeColumns.idOf(node);
				const g = nodeId < 0 || nodeId >= global.at.length ? -1 : global.at[nodeId];
				const i = g < 0 ? -1 : at[g];
				return i < 0 ? undefined : i;
			},
		},
	};
}

/** The same view with siblings largest first (earlier in name order first on a tie): a permutation of its preorder. */
function* sortBySize(view: LayerView, key: ViewKey): ViewBuild {
	// One loop a function (see ByNameScan): each is optimized on its own, and early.
	const n = view.count;
	const {start, kids} = families(view.parent, n);
	yield;
	const keys = sizeKeys(view.size, kids, n);
	if (keys)
		for (let p = 0; p <= n;) {
			p = sortFamilies(keys, kids, start, n, p, SLICE);
			yield;
		}
	else for (let p = 0; p <= n; p++) if (start[p + 1] - start[p] > 1) kids.subarray(start[p], start[p + 1]).sort((a, b) => view.size[b] - view.size[a] || a - b);
	yield;
	const order = preorder(kids, start, n);
	yield;
	const newIndex = inverse(order);
	const parent = newParents(view.parent, order, newIndex);
	const columns = {
		id: permuteInt32(view.id, order),
		shown: permuteInt32(view.shown, order),
		depth: permuteInt32(view.depth, order),
		size: permuteFloat64(view.size, order),
		status: permuteUint8(view.status, order),
		wasted: permuteUint8(view.wasted, order),
		isDir: permuteUint8(view.isDir, order),
	};
	yield;
	const end = ends(parent);
	const at = remap(view.at, newIndex);
	yield;
	return makeView(view.global, key, {count: n, ...columns, parent, end, at, totalSize: view.totalSize});
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

/** Each row's end (one past its last descendant), from the parents of a preorder. */
function ends(parent: Int32Array): Int32Array {
	const n = parent.length;
	const end = new Int32Array(n);
	for (let i = 0; i < n; i++) end[i] = i + 1;
	for (let i = n - 1; i >= 0; i--) if (parent[i] >= 0 && end[i] > end[parent[i]]) end[parent[i]] = end[i];
	return end;
}

/** View index by global index, through the permutation (-1 stays -1). */
function remap(at: Int32Array, newIndex: Int32Array): Int32Array {
	const out = new Int32Array(at.length);
	for (let g = 0; g < at.length; g++) out[g] = at[g] < 0 ? -1 : newIndex[at[g]];
	return out;
}

/**
 * Cache of views per layer, mode and sort: switching back and forth is free. It keeps at least `size` views, and more
 * while their rows add up to at most `rows` (a million-path view is some 40 MB, a 100,000-path one a tenth of it).
 * A view may also be built ahead, a slice at a time (`advance`); a `get` of it finishes that build.
 */
export class ViewCache {
	private readonly views = new Map<string, LayerView>();
	private global: GlobalTree | null = null;
	private rowsKept = 0;
	/** The one build in progress ahead of need, and what it makes. */
	private ahead: {id: string; key: ViewKey; build: ViewBuild} | null = null;
	constructor(
		private readonly root: FsNode,
		private readonly size = 4,
		private readonly rows = 3_000_000,
	) {}

	has(key: ViewKey): boolean {
		return this.views.has(viewId(key));
	}

	/** Every path of the image in preorder (built on first use). */
	globalTree(): GlobalTree {
		return (this.global ??= buildGlobalTree(this.root));
	}

	get(key: ViewKey): LayerView {
		const id = viewId(key);
		const view = this.views.get(id);
		if (view) {
			this.views.delete(id);
			this.views.set(id, view);
			return view;
		}
		return this.keep(id, finish(this.build(key)));
	}

	/**
	 * Go on building `key`'s view until `deadline` (performance.now()), a slice at a time; whether it is made. A build of
	 * another view in progress is dropped (what is idle work for changes with the state).
	 */
	advance(key: ViewKey, deadline: number): boolean {
		const id = viewId(key);
		if (this.views.has(id)) return true;
		if (this.ahead?.id !== id) this.ahead = {id, key, build: this.fresh(key)};
		const {build} = this.ahead;
		for (;;) {
			const step = build.next();
			if (step.done) {
				this.ahead = null;
				this.keep(id, step.value);
				return true;
			}
			if (performance.now() >= deadline) return false;
		}
	}

	/** The build of a view not in the cache: the one in progress ahead, else a new one. */
	private build(key: ViewKey): ViewBuild {
		const ahead = this.ahead;
		if (ahead?.id !== viewId(key)) return this.fresh(key);
		this.ahead = null;
		return ahead.build;
	}

	/** A new build (by size: from the view by name, made here unless cached). */
	private *fresh(key: ViewKey): ViewBuild {
		if (key.sort === 'name') return yield* buildByName(this.globalTree(), key);
		const nameKey = {...key, sort: 'name' as const};
		const nameId = viewId(nameKey);
		let byName = this.views.get(nameId);
		if (!byName) {
			byName = yield* buildByName(this.globalTree(), nameKey);
			this.keep(nameId, byName);
		}
		return yield* sortBySize(byName, key);
	}

	private keep(id: string, view: LayerView): LayerView {
		const before = this.views.get(id);
		if (before) {
			this.views.delete(id);
			this.rowsKept -= before.count;
		}
		this.views.set(id, view);
		this.rowsKept += view.count;
		while (this.views.size > this.size && this.rowsKept > this.rows) {
			const [oldest, dropped] = this.views.entries().next().value!;
			this.views.delete(oldest);
			this.rowsKept -= dropped.count;
		}
		return view;
	}
}

const viewId = (key: ViewKey): string => `${key.layer}/${key.aggregated ? 'a' : 'l'}/${key.sort}`;
