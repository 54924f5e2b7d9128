// The file tree of one layer, flattened for the explorer: the filesystem as of a layer (or the changes since the
// base, aggregated), each path with its status, its size (directories: the total below them) and whether its bytes
// are wasted. Read from the analysis's columns (model/tree-nodes.ts) into typed arrays, one pass over the global
// preorder per layer and mode, O(paths) (view-by-name.ts); the order by size is a permutation of the view by name
// (view-by-size.ts). Views are cached (view-cache.ts); tree-rows.ts turns a view into the rows shown under the current
// filters and collapsed directories. Objects (FsNode, LayerEntry) are made only for the rows something reads one at a
// time: those on screen, the cursor's.
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
	/** Rows by status code (ROW_STATUS), counted as the view is built. */
	statusCounts: Int32Array;
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

/** Each row's end (one past its last descendant), from the parents of a preorder's first `count` rows. */
export function ends(parent: Int32Array, count = parent.length): Int32Array {
	const end = new Int32Array(count);
	for (let i = 0; i < count; i++) end[i] = i + 1;
	for (let i = count - 1; i >= 0; i--) if (parent[i] >= 0 && end[i] > end[parent[i]]) end[parent[i]] = end[i];
	return end;
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
export type ViewBuild = Generator<void, LayerView, void>;

/** Rows between two stops of a build. */
export const SLICE = 0x3fff;

/** Run a build to its end. */
export function finish(build: ViewBuild): LayerView {
	for (;;) {
		const step = build.next();
		if (step.done) return step.value;
	}
}

export type ViewColumns = Omit<LayerView, keyof ViewKey | 'global' | 'node' | 'entry' | 'indexOf'>;

export function makeView(global: GlobalTree, key: ViewKey, columns: ViewColumns): LayerView {
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
