// Object views of the columnar analysis, made on demand: the FsNode tree the explorer and `diff` walk, and the
// per-layer change lists of `--files` (as lists, or one change at a time for the JSON report). `--json` and the CI
// gate never pay for them.
import {IMPLICIT} from './image-entries.js';
import {pathRanks} from './path-order.js';
import {STATUSES} from './version-store.js';
import {TreeColumns, type ColumnarTree} from './tree-nodes.js';
import type {FileChange, FsNode} from './types.js';

export type {ColumnarTree} from './tree-nodes.js';

/**
 * The merged filesystem as FsNode objects, made on demand from the columns (tree-nodes.ts): each node when first
 * reached, its children in name order; nodes no layer wrote (whiteout targets never there, say) are left out.
 */
export function materializeTree(columns: ColumnarTree): FsNode {
	return new TreeColumns(columns).root;
}

/** A layer's changes one at a time, in path order: made as they are asked for (`--json --files` writes each and drops it). */
export interface ChangeRows {
	count: number;
	/** The change `i`th in path order (a new object each call). */
	at(i: number): FileChange;
}

/** A layer's changes from the versions that hold them (`nodes[k]` changed to `changeVersions[k]`), in path order. */
export function changeRows({table, entries, versions}: ColumnarTree, changeVersions: Int32Array, nodes: Int32Array): ChangeRows {
	const rank = pathRanks(table);
	const order = new Int32Array(nodes.length);
	for (let k = 0; k < order.length; k++) order[k] = k;
	order.sort((a, b) => rank[nodes[a]] - rank[nodes[b]]);
	return {
		count: order.length,
		at(i) {
			const k = order[i];
			const v = changeVersions[k];
			const g = versions.entry(v);
			const path = table.pathOf(nodes[k]);
			const entry = entries.entry(g === -1 ? IMPLICIT : g, path);
			const change: FileChange = {
				path,
				status: STATUSES[versions.status(v)],
				type: entry.type,
				sizeBytes: entry.type === 'file' ? entry.size : 0,
				mode: entry.mode,
				uid: entry.uid,
				gid: entry.gid,
			};
			if (entry.linkTarget !== undefined) change.linkTarget = entry.linkTarget;
			const contentChanged = versions.contentChanged(v);
			if (contentChanged !== undefined) change.contentChanged = contentChanged;
			return change;
		},
	};
}

/** A layer's change list, sorted by path: every change as an object (the explorer's and diff's). */
export function changeList(columns: ColumnarTree, changeVersions: Int32Array, nodes: Int32Array): FileChange[] {
	const rows = changeRows(columns, changeVersions, nodes);
	return Array.from({length: rows.count}, (_, i) => rows.at(i));
}

const layerRows = new WeakMap<object, () => ChangeRows>();

/** Where a layer's changes can be had one at a time (analysis/analyze.ts, beside its `changes` getter). */
export function setChangeRows(layer: object, rows: () => ChangeRows): void {
	layerRows.set(layer, rows);
}

/** A layer's changes one at a time, or null for a layer whose changes were not kept. */
export function changeRowsOf(layer: object): ChangeRows | null {
	return layerRows.get(layer)?.() ?? null;
}
