// Object views of the columnar analysis, made on demand: the FsNode tree the explorer and `diff` walk, and the
// per-layer change lists of `--files`. `--json` and the CI gate never pay for them.
import {IMPLICIT} from './image-entries.js';
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

/** A layer's change list from the versions that hold its changes, sorted by path. */
export function changeList({table, entries, versions}: ColumnarTree, changeVersions: Int32Array, nodes: Int32Array): FileChange[] {
	const changes: FileChange[] = [];
	for (let k = 0; k < changeVersions.length; k++) {
		const v = changeVersions[k];
		const g = versions.entry(v);
		const path = table.pathOf(nodes[k]);
		const entry = entries.entry(g === -1 ? IMPLICIT : g, path);
		const status = versions.status(v);
		const change: FileChange = {
			path,
			status: STATUSES[status],
			type: entry.type,
			sizeBytes: entry.type === 'file' ? entry.size : 0,
			mode: entry.mode,
			uid: entry.uid,
			gid: entry.gid,
		};
		if (entry.linkTarget !== undefined) change.linkTarget = entry.linkTarget;
		const contentChanged = versions.contentChanged(v);
		if (contentChanged !== undefined) change.contentChanged = contentChanged;
		changes.push(change);
	}
	return changes.sort((a, b) => (a.path < b.path ? -1 : 1));
}
