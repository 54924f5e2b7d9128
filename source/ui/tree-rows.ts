// The file tree of one layer, flattened for the explorer: the filesystem as of a layer (or the changes since the
// base, aggregated), each path with its status, its size (directories: the total below them) and whether its bytes
// are wasted; then the rows to show under the current filters and collapsed directories.
//
// Built in three steps, each cached on its inputs, so a key press that only moves the cursor costs nothing here:
//   1. LayerView (per layer + mode + sort): every path in preorder, in typed arrays. O(n) once per layer view.
//   2. keep mask (per view + filters): which paths pass the filters, or hold one that does. O(n) per filter change.
//   3. rows (per keep mask + collapsed set): the preorder indices shown, and tree guides. O(n) per collapse change.
// The explorer renders only the window of rows that fits the screen.
import {cutAt, statusAt, versionAt} from '../model/fs-tree.js';
import type {EntryStatus, FsNode, LayerEntry, NodeVersion} from '../model/types.js';

/** A path's status in a layer view. `rewritten`: this layer wrote it again with the same content. */
export type ViewStatus = 'added' | 'modified' | 'rewritten' | 'removed' | 'unchanged';

export const STATUS_CODES: ViewStatus[] = ['unchanged', 'added', 'modified', 'rewritten', 'removed'];
const CODE: Record<ViewStatus, number> = {unchanged: 0, added: 1, modified: 2, rewritten: 3, removed: 4};

export type SortOrder = 'name' | 'size';

export interface ViewKey {
	layer: number;
	aggregated: boolean;
	sort: SortOrder;
}

export interface LayerView extends ViewKey {
	count: number;
	node: FsNode[];
	/** The version shown: for a removed path, the version that was removed. */
	entry: (LayerEntry | null)[];
	/** The version the node has as of the layer (entry null when removed in this layer). */
	version: NodeVersion[];
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
	/** Preorder index of a path in this view. */
	indexOf: {get(node: FsNode): number | undefined};
	/** Totals over the whole view, for the header. */
	totalSize: number;
}

export function statusOf(view: LayerView, index: number): ViewStatus {
	return STATUS_CODES[view.status[index]];
}

/**
 * Every path the image ever had, once, in preorder with children in name order: built once per analysis. A layer
 * view is one pass over it that keeps the paths present in that layer (and those the layer removed).
 */
export interface GlobalTree {
	count: number;
	node: FsNode[];
	depth: Int32Array;
	end: Int32Array;
	indexOf: Map<FsNode, number>;
}

export function buildGlobalTree(root: FsNode): GlobalTree {
	const node: FsNode[] = [];
	const depths: number[] = [];
	const stack: {node: FsNode; depth: number}[] = [];
	const push = (parent: FsNode, depth: number): void => {
		if (!parent.children) return;
		const kids = [...parent.children.values()].sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
		for (const kid of kids) stack.push({node: kid, depth});
	};
	push(root, 0);
	while (stack.length > 0) {
		const frame = stack.pop()!;
		node.push(frame.node);
		depths.push(frame.depth);
		push(frame.node, frame.depth + 1);
	}
	const count = node.length;
	const depth = Int32Array.from(depths);
	const end = new Int32Array(count);
	const open: number[] = [];
	for (let i = 0; i < count; i++) {
		while (open.length > 0 && depth[open[open.length - 1]] >= depth[i]) end[open.pop()!] = i;
		open.push(i);
	}
	for (const i of open) end[i] = count;
	const indexOf = new Map<FsNode, number>();
	node.forEach((n, i) => indexOf.set(n, i));
	return {count, node, depth, end, indexOf};
}

function toView(status: EntryStatus, own: boolean): number {
	if (!own) return CODE.unchanged;
	return status === 'unchanged' ? CODE.rewritten : CODE[status];
}

/** Build the view of `layer`: one pass over the global preorder, O(paths). */
export function buildLayerView(global: GlobalTree, key: ViewKey): LayerView {
	const {layer, aggregated} = key;
	const G = global.count;
	const at = new Int32Array(G).fill(-1);
	// Sized for every path; cut to the paths kept at the end.
	const nodes: FsNode[] = new Array(G);
	const entries: (LayerEntry | null)[] = new Array(G);
	const versions: NodeVersion[] = new Array(G);
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
	const {node: gNode, depth: gDepth, end: gEnd} = global;
	for (let g = 0; g < G; ) {
		const node = gNode[g];
		const d = gDepth[g];
		const parentCut = cut[d];
		const parentCutBelow = cutBelow[d];
		let version: NodeVersion | undefined;
		let entry: LayerEntry | null = null;
		let code: number;
		let waste: number;
		if (removedMode[d]) {
			const before = layer > 0 ? versionAt(node, layer - 1) : undefined;
			if (!before?.entry || before.layer < parentCutBelow) {
				g = gEnd[g];
				continue;
			}
			version = versionAt(node, layer)!;
			entry = before.entry;
			code = CODE.removed;
			waste = before.wasted ? 1 : 0;
		} else {
			version = versionAt(node, layer);
			if (!version) {
				g = gEnd[g];
				continue;
			}
			if (version.entry) {
				if (version.layer < parentCut) {
					g = gEnd[g];
					continue;
				}
				entry = version.entry;
				code = aggregated ? CODE[statusAt(node, layer, true)] : toView(version.status, version.layer === layer);
				waste = version.wasted ? 1 : 0;
			} else {
				const before = version.layer === layer && layer > 0 ? versionAt(node, layer - 1) : undefined;
				if (!before?.entry || before.layer < parentCutBelow) {
					g = gEnd[g];
					continue;
				}
				entry = before.entry;
				code = CODE.removed;
				waste = before.wasted ? 1 : 0;
			}
		}
		const i = count++;
		at[g] = i;
		nodes[i] = node;
		entries[i] = entry;
		versions[i] = version;
		parent[i] = parentAt[d];
		depth[i] = d;
		status[i] = code;
		wasted[i] = waste;
		const dir = entry.type === 'directory';
		isDir[i] = dir ? 1 : 0;
		size[i] = entry.type === 'file' ? entry.size : 0;
		if (!dir) {
			g = gEnd[g];
			continue;
		}
		cut[d + 1] = Math.max(parentCut, cutAt(node, layer));
		cutBelow[d + 1] = layer > 0 ? Math.max(parentCutBelow, cutAt(node, layer - 1)) : -1;
		removedMode[d + 1] = code === CODE.removed;
		parentAt[d + 1] = i;
		g++;
	}
	nodes.length = count;
	entries.length = count;
	versions.length = count;
	const end = new Int32Array(count);
	for (let i = 0; i < count; i++) end[i] = i + 1;
	let totalSize = 0;
	for (let i = count - 1; i >= 0; i--) {
		const p = parent[i];
		if (p < 0) {
			if (status[i] !== CODE.removed) totalSize += size[i];
			continue;
		}
		if (end[i] > end[p]) end[p] = end[i];
		// A directory's total counts what is in it as of the layer; a removed directory's, what it held.
		if (status[i] !== CODE.removed || status[p] === CODE.removed) size[p] += size[i];
	}
	const view: LayerView = {
		...key,
		count,
		node: nodes,
		entry: entries,
		version: versions,
		depth: depth.slice(0, count),
		parent: parent.slice(0, count),
		end,
		size: size.slice(0, count),
		status: status.slice(0, count),
		wasted: wasted.slice(0, count),
		isDir: isDir.slice(0, count),
		indexOf: {
			get(node: FsNode): number | undefined {
				const g = global.indexOf.get(node);
				if (g === undefined) return undefined;
				const i = at[g];
				return i < 0 ? undefined : i;
			},
		},
		totalSize,
	};
	return key.sort === 'size' ? sortBySize(view, global, at) : view;
}

/** The same view with siblings largest first (names break ties): a permutation of its preorder. */
function sortBySize(view: LayerView, global: GlobalTree, at: Int32Array): LayerView {
	const n = view.count;
	const children: number[][] = [];
	const top: number[] = [];
	for (let i = 0; i < n; i++) {
		const p = view.parent[i];
		if (p < 0) top.push(i);
		else (children[p] ??= []).push(i);
	}
	const bySize = (a: number, b: number): number => view.size[b] - view.size[a] || a - b;
	const order: number[] = [];
	const stack = [...top.sort(bySize)].reverse();
	while (stack.length > 0) {
		const i = stack.pop()!;
		order.push(i);
		const kids = children[i];
		if (kids) for (const k of [...kids].sort(bySize).reverse()) stack.push(k);
	}
	const newIndex = new Int32Array(n);
	order.forEach((old, i) => (newIndex[old] = i));
	const pick = <T,>(array: ArrayLike<T>): T[] => order.map(old => array[old]);
	const parent = Int32Array.from(order.map(old => (view.parent[old] < 0 ? -1 : newIndex[view.parent[old]])));
	const end = new Int32Array(n);
	for (let i = 0; i < n; i++) end[i] = i + 1;
	for (let i = n - 1; i >= 0; i--) if (parent[i] >= 0 && end[i] > end[parent[i]]) end[parent[i]] = end[i];
	for (let g = 0; g < at.length; g++) if (at[g] >= 0) at[g] = newIndex[at[g]];
	return {
		...view,
		node: pick(view.node),
		entry: pick(view.entry),
		version: pick(view.version),
		depth: Int32Array.from(pick(view.depth)),
		parent,
		end,
		size: Float64Array.from(pick(view.size)),
		status: Uint8Array.from(pick(view.status)),
		wasted: Uint8Array.from(pick(view.wasted)),
		isDir: Uint8Array.from(pick(view.isDir)),
	};
	void global;
}

export interface StatusFilter {
	added: boolean;
	modified: boolean;
	removed: boolean;
	unchanged: boolean;
}

export interface RowFilter {
	status: StatusFilter;
	wastedOnly: boolean;
	/** Substring of the path; case-insensitive unless it has a capital letter. */
	path: string;
}

export const ALL_STATUSES: StatusFilter = {added: true, modified: true, removed: true, unchanged: true};

function statusShown(filter: StatusFilter, code: number): boolean {
	switch (code) {
		case CODE.added:
			return filter.added;
		case CODE.modified:
		case CODE.rewritten:
			return filter.modified;
		case CODE.removed:
			return filter.removed;
		default:
			return filter.unchanged;
	}
}

/** Case-insensitive unless the query has a capital letter (like less and vim's smartcase). */
export function matcher(query: string): (text: string) => boolean {
	if (query === '') return () => true;
	if (/[A-Z]/.test(query)) return text => text.includes(query);
	const lower = query.toLowerCase();
	return text => text.toLowerCase().includes(lower);
}

export function filterIsEmpty(filter: RowFilter): boolean {
	const s = filter.status;
	return s.added && s.modified && s.removed && s.unchanged && !filter.wastedOnly && filter.path === '';
}

/** 1 for each path that passes the filter or has a descendant that does; null when nothing is filtered. */
export function keepMask(view: LayerView, filter: RowFilter): Uint8Array | null {
	if (filterIsEmpty(filter)) return null;
	const keep = new Uint8Array(view.count);
	const pathOk = matcher(filter.path);
	const anyPath = filter.path === '';
	for (let i = view.count - 1; i >= 0; i--) {
		if (keep[i] === 0) {
			const self =
				statusShown(filter.status, view.status[i]) &&
				(!filter.wastedOnly || view.wasted[i] === 1) &&
				(anyPath || pathOk(view.node[i].path));
			if (!self) continue;
			keep[i] = 1;
		}
		const parent = view.parent[i];
		if (parent >= 0) keep[parent] = 1;
	}
	return keep;
}

/** Directories shown collapsed: all of them but `toggled`, or only `toggled`. Immutable. */
export interface Collapse {
	all: boolean;
	toggled: ReadonlySet<FsNode>;
}

export const NONE_COLLAPSED: Collapse = {all: false, toggled: new Set()};

export function isCollapsed(collapse: Collapse, node: FsNode): boolean {
	return collapse.all !== collapse.toggled.has(node);
}

export interface Rows {
	view: LayerView;
	keep: Uint8Array | null;
	/** Preorder indices of the rows shown, ascending. */
	rows: Int32Array;
	/** By preorder index, for rows shown: another row follows at the same depth under the same parent. */
	hasNext: Uint8Array;
}

export function visibleRows(view: LayerView, keep: Uint8Array | null, collapse: Collapse): Rows {
	const out = new Int32Array(view.count);
	let n = 0;
	const checkCollapse = collapse.all || collapse.toggled.size > 0;
	for (let i = 0; i < view.count; ) {
		if (keep && keep[i] === 0) {
			i = view.end[i];
			continue;
		}
		out[n++] = i;
		if (checkCollapse && view.isDir[i] === 1 && isCollapsed(collapse, view.node[i])) i = view.end[i];
		else i++;
	}
	const rows = out.slice(0, n);
	const hasNext = new Uint8Array(view.count);
	const open: number[] = [];
	for (let r = n - 1; r >= 0; r--) {
		const i = rows[r];
		const d = view.depth[i];
		hasNext[i] = open[d] === 1 ? 1 : 0;
		open.length = d;
		open[d] = 1;
	}
	return {view, keep, rows, hasNext};
}

/** Row number of a preorder index, or the row of the closest index before it (rows are ascending). */
export function rowOf(rows: Int32Array, index: number): {row: number; exact: boolean} {
	let lo = 0;
	let hi = rows.length - 1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		const value = rows[mid];
		if (value === index) return {row: mid, exact: true};
		if (value < index) lo = mid + 1;
		else hi = mid - 1;
	}
	return {row: Math.max(0, hi), exact: false};
}

/** Tree guides before a row's name: `│  ├─ `. Collapsed directories end in `⊕`. */
export function treeGuide(rows: Rows, index: number, collapsed: boolean, maxDepth = 64): string {
	const {view, hasNext} = rows;
	const depth = view.depth[index];
	const parts: string[] = [];
	let ancestor = view.parent[index];
	for (let d = depth - 1; d >= 0 && ancestor >= 0; d--) {
		parts.push(hasNext[ancestor] ? '│  ' : '   ');
		ancestor = view.parent[ancestor];
	}
	parts.reverse();
	const own = (hasNext[index] ? '├' : '└') + (collapsed ? '⊕ ' : '─ ');
	if (parts.length > maxDepth) return '…' + parts.slice(parts.length - maxDepth).join('').slice(1) + own;
	return parts.join('') + own;
}

/** Next path (in preorder, wrapping) after `from` whose name matches, among the paths the filters keep. */
export function findMatch(view: LayerView, keep: Uint8Array | null, query: string, from: number, direction: 1 | -1, includeFrom = false): number {
	if (query === '' || view.count === 0) return -1;
	const test = matcher(query);
	const n = view.count;
	const start = includeFrom ? from : from + direction;
	for (let step = 0; step < n; step++) {
		const i = (((start + direction * step) % n) + n) % n;
		if (keep && keep[i] === 0) continue;
		if (test(view.node[i].name)) return i;
	}
	return -1;
}

/** The ancestors of a path in the view, nearest first. */
export function ancestorsOf(view: LayerView, index: number): number[] {
	const out: number[] = [];
	for (let p = view.parent[index]; p >= 0; p = view.parent[p]) out.push(p);
	return out;
}

/** Cache of views per layer, mode and sort (a few kept: switching back and forth is free). */
export class ViewCache {
	private readonly views = new Map<string, LayerView>();
	private global: GlobalTree | null = null;
	constructor(
		private readonly root: FsNode,
		private readonly size = 8,
	) {}

	has(key: ViewKey): boolean {
		return this.views.has(`${key.layer}/${key.aggregated ? 'a' : 'l'}/${key.sort}`);
	}

	get(key: ViewKey): LayerView {
		const id = `${key.layer}/${key.aggregated ? 'a' : 'l'}/${key.sort}`;
		let view = this.views.get(id);
		if (view) {
			this.views.delete(id);
			this.views.set(id, view);
			return view;
		}
		this.global ??= buildGlobalTree(this.root);
		view = buildLayerView(this.global, key);
		this.views.set(id, view);
		if (this.views.size > this.size) this.views.delete(this.views.keys().next().value!);
		return view;
	}
}
