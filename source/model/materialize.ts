// Object views of the columnar analysis, made on demand: the FsNode tree the explorer and `diff` walk, and the
// per-layer change lists of `--files`. `--json` and the CI gate never pay for them.
import {IMPLICIT, type ImageEntries} from './image-entries.js';
import {ROOT, type PathTable} from './path-table.js';
import {REMOVED, STATUSES, type VersionStore} from './version-store.js';
import type {FileChange, FsNode, NodeVersion} from './types.js';

export interface ColumnarTree {
	table: PathTable;
	entries: ImageEntries;
	versions: VersionStore;
	cuts: Map<number, number[]>;
}

/** The merged filesystem as FsNode objects; nodes no layer wrote (whiteout targets never there, say) are left out. */
export function materializeTree({table, entries, versions, cuts}: ColumnarTree): FsNode {
	const root: FsNode = {name: '', path: '/', parent: null, children: new Map(), versions: []};
	const rootCuts = cuts.get(ROOT);
	if (rootCuts) root.cuts = [...rootCuts];
	const stack: {id: number; node: FsNode}[] = [{id: ROOT, node: root}];
	while (stack.length > 0) {
		const {id, node} = stack.pop()!;
		// Children in byte order of their names: the table's order depends on which concurrent layer walk named a path
		// first, and a tree must not change from one run to the next.
		const children: number[] = [];
		for (let child = table.firstChild(id); child !== -1; child = table.nextSibling(child))
			if (child < versions.first.length && versions.first[child] !== -1) children.push(child);
		if (children.length > 1) children.sort((a, b) => (table.name(a) < table.name(b) ? -1 : 1));
		for (const child of children) {
			const name = table.name(child);
			const made: FsNode = {name, path: node.parent ? `${node.path}/${name}` : `/${name}`, parent: node, children: null, versions: []};
			for (let v = versions.first[child]; v !== -1; v = versions.nextOf(v)) made.versions.push(nodeVersion(entries, versions, v, made.path));
			const childCuts = cuts.get(child);
			if (childCuts) made.cuts = [...childCuts];
			(node.children ??= new Map()).set(name, made);
			if (table.hasChildren(child)) stack.push({id: child, node: made});
		}
	}
	return root;
}

function nodeVersion(entries: ImageEntries, versions: VersionStore, v: number, path: string): NodeVersion {
	const status = versions.status(v);
	const version: NodeVersion = {
		layer: versions.layer(v),
		entry: status === REMOVED ? null : entries.entry(versions.entry(v), path),
		status: STATUSES[status],
	};
	const wasted = versions.wasted(v);
	if (wasted) version.wasted = wasted;
	return version;
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
