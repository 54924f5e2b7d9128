// Queries on the merged filesystem tree (FsNode): what a path looks like as of a given layer.
// A node's versions are in layer order; `cuts` on a directory are the layers that cleared everything below it
// (a whiteout of it, an opaque whiteout in it, or a non-directory written over it).
import {ROOT} from './path-table.js';
import {TreeColumns} from './tree-nodes.js';
import type {EntryStatus, FsNode, NodeVersion} from './types.js';

export function lookup(root: FsNode, path: string): FsNode | undefined {
	// A tree read from the columns: the path table finds the node without making its siblings' objects.
	const columns = TreeColumns.of(root);
	if (columns && TreeColumns.idOf(root) === ROOT) {
		const id = columns.table.lookup(path);
		if (id === -1) return undefined;
		for (let n = id; n !== ROOT; n = columns.table.parent(n)) if (!columns.inTree(n)) return undefined;
		return columns.node(id);
	}
	let node: FsNode | undefined = root;
	for (const name of path.split('/')) {
		if (name === '') continue;
		node = node.children?.get(name);
		if (!node) return undefined;
	}
	return node;
}

/** The last version at or below `layer` (repeated versions in one layer: the last one counts). */
export function versionAt(node: FsNode, layer: number): NodeVersion | undefined {
	const versions = node.versions;
	for (let i = versions.length - 1; i >= 0; i--) if (versions[i].layer <= layer) return versions[i];
	return undefined;
}

/** Latest layer <= `layer` that cleared the subtree below `node`, or -1. */
export function cutAt(node: FsNode, layer: number): number {
	const cuts = node.cuts;
	if (!cuts) return -1;
	for (let i = cuts.length - 1; i >= 0; i--) if (cuts[i] <= layer) return cuts[i];
	return -1;
}

/** Whether the path exists (is not removed) in the filesystem as of `layer`. */
export function existsAt(node: FsNode, layer: number): boolean {
	const chain: FsNode[] = [];
	for (let n: FsNode | null = node; n?.parent; n = n.parent) chain.push(n);
	let cut = chain.length > 0 ? cutAt(chain[chain.length - 1].parent!, layer) : -1;
	for (let i = chain.length - 1; i >= 0; i--) {
		const version = versionAt(chain[i], layer);
		if (!version?.entry || version.layer < cut) return false;
		cut = Math.max(cut, cutAt(chain[i], layer));
	}
	return true;
}

/**
 * Children to show under `node` for layer `layer`: those that exist as of that layer, and those this very layer
 * removed (so the view can show them in red). `cut` is the highest cut of `node` and its ancestors as of the layer;
 * pass the value returned for the parent to walk a tree top-down in O(1) per child.
 */
export function childrenAt(node: FsNode, layer: number, parentCut = -1): {node: FsNode; version: NodeVersion; cut: number}[] {
	const result: {node: FsNode; version: NodeVersion; cut: number}[] = [];
	if (!node.children) return result;
	const cut = Math.max(parentCut, cutAt(node, layer));
	for (const child of node.children.values()) {
		const version = versionAt(child, layer);
		if (!version) continue;
		if (version.entry) {
			if (version.layer < cut) continue;
		} else if (version.layer !== layer) {
			continue;
		} else {
			// Removed in this layer: show what was removed, as it stood just below.
			const before = versionAt(child, layer - 1);
			if (!before?.entry || before.layer < Math.max(parentCut, cutAt(node, layer - 1))) continue;
		}
		result.push({node: child, version, cut: Math.max(cut, cutAt(child, layer))});
	}
	return result;
}

/**
 * Status of a path in the view of `layer`: the layer's own change, or `unchanged` when the layer did not touch it.
 * With `aggregated`, the change since the base layer (layer 0) instead.
 */
export function statusAt(node: FsNode, layer: number, aggregated = false): EntryStatus {
	const version = versionAt(node, layer);
	if (!version) return 'unchanged';
	if (!aggregated) return version.layer === layer ? version.status : 'unchanged';
	if (!version.entry) return 'removed';
	if (version.layer === 0) return 'unchanged';
	const base = versionAt(node, 0);
	if (!base?.entry || !existsAt(node, 0)) return 'added';
	// Any version written after the base that changed it makes the path modified.
	for (const v of node.versions) if (v.layer > 0 && v.layer <= layer && v.status !== 'unchanged') return 'modified';
	return 'unchanged';
}

/** Visit every node of the tree, parents first, without recursion (trees can be thousands deep). */
export function* walkTree(root: FsNode): Generator<FsNode> {
	const stack: FsNode[] = [root];
	while (stack.length > 0) {
		const node = stack.pop()!;
		yield node;
		if (node.children) for (const child of node.children.values()) stack.push(child);
	}
}
