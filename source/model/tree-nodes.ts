// The merged filesystem tree, read from the columns: the queries the explorer's views make (a path's version as of a
// layer, its cuts, its status since the base) on node ids, and FsNode objects made on demand, one per node id, for the
// code that walks objects (diff, the explorer's cursor). A million-path image costs a few objects, not a million.
import type {Cuts} from './cuts.js';
import {DIRECTORY, FILE} from './layer-entries.js';
import type {ImageEntries} from './image-entries.js';
import {ROOT, type PathTable} from './path-table.js';
import {ADDED, MODIFIED, REMOVED, STATUSES, UNCHANGED, type VersionStore} from './version-store.js';
import type {FsNode, LayerEntry, NodeVersion} from './types.js';

export interface ColumnarTree {
	table: PathTable;
	entries: ImageEntries;
	versions: VersionStore;
	cuts: Cuts;
}

export class TreeColumns {
	readonly table: PathTable;
	readonly entries: ImageEntries;
	readonly versions: VersionStore;
	readonly cuts: Cuts;
	/** FsNode objects made so far, by node id: the same object each time, so that they can be compared and kept in sets. */
	private readonly made: (TreeNode | undefined)[] = [];

	constructor(columns: ColumnarTree) {
		this.table = columns.table;
		this.entries = columns.entries;
		this.versions = columns.versions;
		this.cuts = columns.cuts;
	}

	get root(): FsNode {
		return this.node(ROOT);
	}

	/** The FsNode of a node id. */
	node(id: number): FsNode {
		return (this.made[id] ??= new TreeNode(this, id));
	}

	/** The columns an FsNode of this module reads, or null for any other object. */
	static of(node: FsNode): TreeColumns | null {
		return node instanceof TreeNode ? node.owner : null;
	}

	/** The node id of an FsNode of this module, or -1. */
	static idOf(node: FsNode): number {
		return node instanceof TreeNode ? node.id : -1;
	}

	/** Whether any layer wrote or removed the path (the tree leaves out the others, whiteout targets never there). */
	inTree(id: number): boolean {
		const first = this.versions.first;
		return id === ROOT || (id < first.length && first[id] !== -1);
	}

	/** The children in the tree, in name order (code unit order: the table's order depends on which layer walk came first). */
	children(id: number): number[] {
		const table = this.table;
		const out: number[] = [];
		for (let child = table.firstChild(id); child !== -1; child = table.nextSibling(child)) if (this.inTree(child)) out.push(child);
		if (out.length > 1) out.sort((a, b) => (table.name(a) < table.name(b) ? -1 : 1));
		return out;
	}

	/** The version a path has as of `layer` (the last at or below it), or -1. */
	versionAt(id: number, layer: number): number {
		const versions = this.versions;
		if (id >= versions.first.length) return -1;
		let found = -1;
		for (let v = versions.first[id]; v !== -1; v = versions.nextOf(v)) if (versions.layer(v) <= layer) found = v;
		return found;
	}

	/** Latest layer <= `layer` that cleared the subtree below the node, or -1. */
	cutAt(id: number, layer: number): number {
		return this.cuts.at(id, layer);
	}

	/** Whether the path exists (is not removed) in the filesystem as of `layer`. */
	existsAt(id: number, layer: number): boolean {
		const chain: number[] = [];
		for (let n = id; n !== ROOT; n = this.table.parent(n)) chain.push(n);
		let cut = this.cutAt(ROOT, layer);
		for (let i = chain.length - 1; i >= 0; i--) {
			const v = this.versionAt(chain[i], layer);
			if (v === -1 || this.versions.status(v) === REMOVED || this.versions.layer(v) < cut) return false;
			cut = Math.max(cut, this.cutAt(chain[i], layer));
		}
		return true;
	}

	/** The change since the base layer of a path whose version as of `layer` is `v` (fs-tree.ts statusAt, aggregated). */
	aggregatedStatus(id: number, layer: number, v: number): number {
		const versions = this.versions;
		if (versions.status(v) === REMOVED) return REMOVED;
		if (versions.layer(v) === 0) return UNCHANGED;
		const base = this.versionAt(id, 0);
		if (base === -1 || versions.status(base) === REMOVED || !this.existsAt(id, 0)) return ADDED;
		// Any version written after the base that changed it makes the path modified.
		for (let w = versions.first[id]; w !== -1; w = versions.nextOf(w)) {
			const at = versions.layer(w);
			if (at > 0 && at <= layer && versions.status(w) !== UNCHANGED) return MODIFIED;
		}
		return UNCHANGED;
	}

	private kinds: {type: Uint8Array; size: Float64Array} | null = null;

	/**
	 * By version: the entry's type code and a regular file's size (0 for anything else, and for removals), read once
	 * from the entries so that a view's pass over every path does not look each one up by layer.
	 */
	versionKinds(): {type: Uint8Array; size: Float64Array} {
		if (this.kinds) return this.kinds;
		const {entry, flags, count} = this.versions.raw();
		const type = new Uint8Array(count);
		const size = new Float64Array(count);
		for (let v = 0; v < count; v++) {
			if ((flags[v] & 3) === REMOVED) continue;
			const g = entry[v];
			const code = this.entries.typeCode(g);
			type[v] = code;
			if (code === FILE) size[v] = this.entries.size(g);
		}
		return (this.kinds = {type, size});
	}

	/** Entry number of a version that is not a removal. */
	private entryNumber(v: number): number {
		return this.versions.entry(v);
	}

	/** The bytes a version that is not a removal shows: a regular file's size, 0 for anything else. */
	fileSize(v: number): number {
		const g = this.entryNumber(v);
		return this.entries.typeCode(g) === FILE ? this.entries.size(g) : 0;
	}

	isDirectory(v: number): boolean {
		return this.entries.typeCode(this.entryNumber(v)) === DIRECTORY;
	}

	/** The LayerEntry of a version that is not a removal (made on each call). */
	entry(v: number, id: number): LayerEntry {
		return this.entries.entry(this.entryNumber(v), this.table.pathOf(id));
	}

	/** The NodeVersion objects of a path, in layer order. */
	nodeVersions(id: number, path: string): NodeVersion[] {
		const {versions, entries} = this;
		const out: NodeVersion[] = [];
		if (id === ROOT || id >= versions.first.length) return out;
		for (let v = versions.first[id]; v !== -1; v = versions.nextOf(v)) {
			const status = versions.status(v);
			const version: NodeVersion = {
				layer: versions.layer(v),
				entry: status === REMOVED ? null : entries.entry(versions.entry(v), path),
				status: STATUSES[status],
			};
			const wasted = versions.wasted(v);
			if (wasted) version.wasted = wasted;
			out.push(version);
		}
		return out;
	}
}

/** An FsNode read from the columns; its children and versions are made on first use and kept. */
class TreeNode implements FsNode {
	private pathMemo: string | undefined;
	private childrenMemo: Map<string, FsNode> | null | undefined;
	private versionsMemo: NodeVersion[] | undefined;

	constructor(
		readonly owner: TreeColumns,
		readonly id: number,
	) {}

	get name(): string {
		return this.id === ROOT ? '' : this.owner.table.name(this.id);
	}

	get path(): string {
		return (this.pathMemo ??= this.owner.table.pathOf(this.id));
	}

	get parent(): FsNode | null {
		return this.id === ROOT ? null : this.owner.node(this.owner.table.parent(this.id));
	}

	get children(): Map<string, FsNode> | null {
		if (this.childrenMemo === undefined) {
			const ids = this.owner.children(this.id);
			this.childrenMemo = ids.length === 0 ? null : new Map(ids.map(child => [this.owner.table.name(child), this.owner.node(child)]));
		}
		return this.childrenMemo;
	}

	get versions(): NodeVersion[] {
		return (this.versionsMemo ??= this.owner.nodeVersions(this.id, this.path));
	}

	get cuts(): number[] | undefined {
		return this.owner.cuts.of(this.id);
	}
}
