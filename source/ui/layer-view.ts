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

/** Build the view of `layer` by name: one pass over the global preorder, O(paths). */
export function buildLayerView(global: GlobalTree, key: ViewKey): LayerView {
	const view = buildByName(global, {...key, sort: 'name'});
	return key.sort === 'size' ? sortBySize(view, key) : view;
}

function buildByName(global: GlobalTree, key: ViewKey): LayerView {
	const {layer, aggregated} = key;
	const {columns, count: G, id: gId, depth: gDepth, end: gEnd} = global;
	// The version store's columns, read directly: this loop visits every path of the image.
	const {layer: vLayer, flags: vFlags, waste: vWaste, next: vNext} = columns.versions.raw();
	const first = columns.versions.first;
	const {type: vType, size: vSize} = columns.versionKinds();
	const hasCuts = columns.cuts.size > 0;
	/** The version a path has as of `at` (the last at or below it), or -1. */
	const versionAt = (node: number, at: number): number => {
		let found = -1;
		for (let v = first[node]; v !== -1; v = vNext[v]) if (vLayer[v] <= at) found = v;
		return found;
	};
	const at = new Int32Array(G).fill(-1);
	// Sized for every path; cut to the paths kept at the end.
	const ids = new Int32Array(G);
	const shown = new Int32Array(G);
	const parent = new Int32Array(G);
	const depth = new Int32Array(G);
	const status = new Uint8Array(G);
	const wasted = new Uint8Array(G);
	const isDir = new Uint8Array(G);
	const size = new Float64Array(G);
	let count = 0;
	// Per depth: the cut of the ancestors as of the layer and as of the layer below, whether we are under a
	// directory this layer removed (its contents show as they stood below), and the parent's index in the view.
	const cut: number[] = [-1];
	const cutBelow: number[] = [-1];
	const removedMode: boolean[] = [false];
	const parentAt: number[] = [-1];
	for (let g = 0; g < G;) {
		const node = gId[g];
		const d = gDepth[g];
		const parentCut = cut[d];
		const parentCutBelow = cutBelow[d];
		// The version shown (a removal's: the version it removed) and the row's status code.
		let show: number;
		let code: number;
		if (removedMode[d]) {
			const before = layer > 0 ? versionAt(node, layer - 1) : -1;
			if (before === -1 || (vFlags[before] & 3) === REMOVED || vLayer[before] < parentCutBelow) {
				g = gEnd[g];
				continue;
			}
			show = before;
			code = ROW_STATUS.removed;
		} else {
			const version = versionAt(node, layer);
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
				const before = vLayer[version] === layer && layer > 0 ? versionAt(node, layer - 1) : -1;
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
	const end = new Int32Array(count);
	for (let i = 0; i < count; i++) end[i] = i + 1;
	let totalSize = 0;
	for (let i = count - 1; i >= 0; i--) {
		const p = parent[i];
		if (p < 0) {
			if (status[i] !== ROW_STATUS.removed) totalSize += size[i];
			continue;
		}
		if (end[i] > end[p]) end[p] = end[i];
		// A directory's total counts what is in it as of the layer; a removed directory's, what it held.
		if (status[i] !== ROW_STATUS.removed || status[p] === ROW_STATUS.removed) size[p] += size[i];
	}
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
function sortBySize(view: LayerView, key: ViewKey): LayerView {
	const n = view.count;
	const {parent: oldParent, size} = view;
	// Every row in one order, largest first and by index on a tie, from a numeric sort of a typed array (no
	// comparator): keys of (largest size - size) and index, exact while they stay below 2^53. Then grouped by parent,
	// keeping that order.
	let largest = 0;
	for (let i = 0; i < n; i++) if (size[i] > largest) largest = size[i];
	const byOrder = new Int32Array(n);
	if ((largest + 1) * n < Number.MAX_SAFE_INTEGER) {
		const keys = new Float64Array(n);
		for (let i = 0; i < n; i++) keys[i] = (largest - size[i]) * n + i;
		keys.sort();
		for (let k = 0; k < n; k++) byOrder[k] = keys[k] % n;
	} else {
		for (let i = 0; i < n; i++) byOrder[i] = i;
		byOrder.sort((a, b) => size[b] - size[a] || a - b);
	}
	// Children of each row (and of the top, at n), in that order, as one array cut by start offsets.
	const start = new Int32Array(n + 2);
	for (let i = 0; i < n; i++) start[(oldParent[i] < 0 ? n : oldParent[i]) + 1]++;
	for (let p = 0; p <= n; p++) start[p + 1] += start[p];
	const fill = start.slice(0, n + 1);
	const kids = new Int32Array(n);
	for (let k = 0; k < n; k++) {
		const i = byOrder[k];
		kids[fill[oldParent[i] < 0 ? n : oldParent[i]]++] = i;
	}
	// Preorder over the sorted children.
	const order = new Int32Array(n);
	const stack: number[] = [];
	const pushKids = (p: number): void => {
		for (let k = start[p + 1] - 1; k >= start[p]; k--) stack.push(kids[k]);
	};
	pushKids(n);
	let next = 0;
	while (stack.length > 0) {
		const i = stack.pop()!;
		order[next++] = i;
		pushKids(i);
	}
	const newIndex = new Int32Array(n);
	for (let i = 0; i < n; i++) newIndex[order[i]] = i;
	const pick = <T extends Int32Array | Float64Array | Uint8Array>(array: T, made: T): T => {
		for (let i = 0; i < n; i++) made[i] = array[order[i]];
		return made;
	};
	const parent = new Int32Array(n);
	for (let i = 0; i < n; i++) parent[i] = oldParent[order[i]] < 0 ? -1 : newIndex[oldParent[order[i]]];
	const end = new Int32Array(n);
	for (let i = 0; i < n; i++) end[i] = i + 1;
	for (let i = n - 1; i >= 0; i--) if (parent[i] >= 0 && end[i] > end[parent[i]]) end[parent[i]] = end[i];
	const at = new Int32Array(view.at.length);
	for (let g = 0; g < at.length; g++) at[g] = view.at[g] < 0 ? -1 : newIndex[view.at[g]];
	return makeView(view.global, key, {
		count: n,
		id: pick(view.id, new Int32Array(n)),
		shown: pick(view.shown, new Int32Array(n)),
		depth: pick(view.depth, new Int32Array(n)),
		parent,
		end,
		size: pick(view.size, new Float64Array(n)),
		status: pick(view.status, new Uint8Array(n)),
		wasted: pick(view.wasted, new Uint8Array(n)),
		isDir: pick(view.isDir, new Uint8Array(n)),
		at,
		totalSize: view.totalSize,
	});
}

/**
 * Cache of views per layer, mode and sort: switching back and forth is free. It keeps at least `size` views, and more
 * while their rows add up to at most `rows` (a million-path view is some 40 MB, a 100,000-path one a tenth of it).
 */
export class ViewCache {
	private readonly views = new Map<string, LayerView>();
	private global: GlobalTree | null = null;
	private rowsKept = 0;
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
		let view = this.views.get(id);
		if (view) {
			this.views.delete(id);
			this.views.set(id, view);
			return view;
		}
		// The order by size permutes the view by name (made, or taken from the cache).
		view = key.sort === 'size' ? sortBySize(this.get({...key, sort: 'name'}), key) : buildByName(this.globalTree(), key);
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
