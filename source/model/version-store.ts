// The version history of every path, in columns: per version its layer, entry, status, waste; per node a linked list
// in layer order. What FsNode.versions shows, at ~20 bytes a version instead of an object graph.
import {GrowableInt32, GrowableUint8} from './columns.js';
import type {EntryStatus, WasteCause} from './types.js';

export const STATUSES: readonly EntryStatus[] = ['added', 'modified', 'unchanged', 'removed'];
export const ADDED = 0;
export const MODIFIED = 1;
export const UNCHANGED = 2;
export const REMOVED = 3;
const STATUS_MASK = 3;
/** Set when the version was compared with a lower one (contentChanged is meaningful). */
const COMPARED = 4;
const CONTENT_CHANGED = 8;

export const CAUSES: readonly WasteCause[] = ['removed', 'overwritten', 'duplicate'];
export const CAUSE_REMOVED = 0;
export const CAUSE_OVERWRITTEN = 1;
export const CAUSE_DUPLICATE = 2;

export class VersionStore {
	private readonly layers = new GrowableInt32(1024);
	/** Global entry number; for a removal, the entry it removed (-1 for a mark left by a cut). */
	private readonly entries = new GrowableInt32(1024);
	private readonly flags = new GrowableUint8(1024);
	/** 0: not wasted; else cause + 1. */
	private readonly waste = new GrowableUint8(1024);
	private readonly hiddenBy = new GrowableInt32(1024);
	private readonly next = new GrowableInt32(1024);
	readonly first: Int32Array;
	readonly last: Int32Array;

	constructor(nodes: number) {
		this.first = new Int32Array(nodes).fill(-1);
		this.last = new Int32Array(nodes).fill(-1);
	}

	/** Append a version to a node's history. */
	push(node: number, layer: number, entry: number, status: number, contentChanged?: boolean): number {
		const v = this.layers.push(layer);
		this.entries.push(entry);
		this.flags.push(status | (contentChanged === undefined ? 0 : COMPARED | (contentChanged ? CONTENT_CHANGED : 0)));
		this.waste.push(0);
		this.hiddenBy.push(-1);
		this.next.push(-1);
		const last = this.last[node];
		if (last === -1) this.first[node] = v;
		else this.next.data[last] = v;
		this.last[node] = v;
		return v;
	}

	/** Rewrite version v in place (a path written twice in one layer: the last one counts). */
	replace(v: number, entry: number, status: number, contentChanged?: boolean): void {
		this.entries.data[v] = entry;
		this.flags.data[v] = status | (contentChanged === undefined ? 0 : COMPARED | (contentChanged ? CONTENT_CHANGED : 0));
		this.waste.data[v] = 0;
		this.hiddenBy.data[v] = -1;
	}

	setWaste(v: number, cause: number, hiddenBy: number): void {
		this.waste.data[v] = cause + 1;
		this.hiddenBy.data[v] = hiddenBy;
	}

	layer(v: number): number {
		return this.layers.data[v];
	}

	entry(v: number): number {
		return this.entries.data[v];
	}

	status(v: number): number {
		return this.flags.data[v] & STATUS_MASK;
	}

	/** contentChanged for a compared version, undefined otherwise. */
	contentChanged(v: number): boolean | undefined {
		const flags = this.flags.data[v];
		return (flags & COMPARED) === 0 ? undefined : (flags & CONTENT_CHANGED) !== 0;
	}

	/** [cause, hidden by layer] of a wasted version, or null. */
	wasted(v: number): {cause: WasteCause; hiddenByLayerIndex: number} | null {
		const waste = this.waste.data[v];
		return waste === 0 ? null : {cause: CAUSES[waste - 1], hiddenByLayerIndex: this.hiddenBy.data[v]};
	}

	/**
	 * The columns themselves, for loops over every path (the explorer's views): layer, entry, flags (status in the low
	 * two bits), waste (0: not wasted) and next by version. Valid until the next push.
	 */
	raw(): {layer: Int32Array; entry: Int32Array; flags: Uint8Array; waste: Uint8Array; next: Int32Array; count: number} {
		return {layer: this.layers.data, entry: this.entries.data, flags: this.flags.data, waste: this.waste.data, next: this.next.data, count: this.layers.length};
	}

	nextOf(v: number): number {
		return this.next.data[v];
	}

	/** Drop spare capacity once the stacking is done. */
	trim(): void {
		for (const column of [this.layers, this.entries, this.flags, this.waste, this.hiddenBy, this.next]) column.trim();
	}
}
