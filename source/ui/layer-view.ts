// The file tree of one layer, flattened for the explorer: the filesystem as of a layer (or the changes since the
// base, aggregated), each path with its status, its size (directories: the total below them) and whether its bytes
// are wasted. Built once per layer, mode and sort (O(paths), one pass over the global preorder) and cached;
// tree-rows.ts turns a view into the rows shown under the current filters and collapsed directories.
import {cutAt, statusAt, versionAt} from '../model/fs-tree.js';
import type {EntryStatus, FsNode, LayerEntry, NodeVersion} from '../model/types.js';
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

/** A version's code in a layer's own view: what the layer did to it, or untouched when a lower layer wrote it. */
function toView(status: EntryStatus, own: boolean): number {
	if (!own) return ROW_STATUS.unchanged;
	return status === 'unchanged' ? ROW_STATUS.rewritten : ROW_STATUS[status];
}

/** Build the view of `layer`: one pass over the global preorder, O(paths). */
export function buildLayerView(global: GlobalTree, key: ViewKey): LayerView {
	const {layer, aggregated} = key;
	const G = global.count;
	const at = new Int32Array(G).fill(-1);
	// Sized for every path; cut to the paths kept at the end.
	const nodes = new Array<FsNode>(G);
	const entries = new Array<LayerEntry | null>(G);
	const versions = new Array<NodeVersion>(G);
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
	for (let g = 0; g < G;) {
		const node = gNode[g];
		const d = gDepth[g];
		const parentCut = cut[d];
		const parentCutBelow = cutBelow[d];
		let version: NodeVersion | undefined;
		let entry: LayerEntry | null;
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
			code = ROW_STATUS.removed;
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
				code = aggregated ? ROW_STATUS[statusAt(node, layer, true)] : toView(version.status, version.layer === layer);
				waste = version.wasted ? 1 : 0;
			} else {
				const before = version.layer === layer && layer > 0 ? versionAt(node, layer - 1) : undefined;
				if (!before?.entry || before.layer < parentCutBelow) {
					g = gEnd[g];
					continue;
				}
				entry = before.entry;
				code = ROW_STATUS.removed;
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
		removedMode[d + 1] = code === ROW_STATUS.removed;
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
			if (status[i] !== ROW_STATUS.removed) totalSize += size[i];
			continue;
		}
		if (end[i] > end[p]) end[p] = end[i];
		// A directory's total counts what is in it as of the layer; a removed directory's, what it held.
		if (status[i] !== ROW_STATUS.removed || status[p] === ROW_STATUS.removed) size[p] += size[i];
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
	return key.sort === 'size' ? sortBySize(view, at) : view;
}

/** The same view with siblings largest first (names break ties): a permutation of its preorder. */
function sortBySize(view: LayerView, at: Int32Array): LayerView {
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
	const pick = <T>(array: ArrayLike<T>): T[] => order.map(old => array[old]);
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
