// dive-compatible efficiency (docs/design.md, "Definitions"), reproduced with dive's own quirks so dive users get the figures they know:
// per-layer trees keyed by tar names (whiteout files stay as `.wh.NAME` leaves, opaque whiteouts are dropped), implicit
// parent directories carry an empty payload, leaves are visited child-first in byte order, and a whiteout whose target
// is missing from the stacked lower layers stops the visit of that layer (dive logs the error and goes on). Stacking
// walks the upper tree child-first: a `.wh.` name (leaf or not) deletes its target below, every other node sets or
// creates its payload; a `.wh..wh..` name that does not exist is dropped by AddPath with all below it; layer 0 is
// stacked onto (a copy of) itself.
//
// Both trees are sets of nodes of the image's PathTable, held in typed arrays indexed by node id (a node's path is
// its key, and the table's child lists are the trees' child lists): no object or Map per path. The table gains one
// node per whiteout name (`dir/.wh.NAME`), since dive's trees have those leaves.
import {smallIfInteger} from '../model/columns.js';
import {DIRECTORY, type LayerEntries} from '../model/layer-entries.js';
import {ROOT, type PathTable} from '../model/path-table.js';
import type {DiveEfficiency, LayerWalk} from '../model/types.js';

const WHITEOUT_PREFIX = '.wh.';
const META_PREFIX = '.wh..wh..';
const NONE = -1;

/** layerEntry[node]: not in the current layer's tree. */
const ABSENT = -2;
/** layerEntry[node]: in the tree with an empty payload (implicit parent, whiteout leaf). Else: the entry index. */
const IMPLICIT = -1;

/** stackFlags bits. */
const PRESENT = 1;
const IS_DIR = 2;

export interface DiveLimits {
	/** Most path-table nodes (whiteout leaves included) the pass may size its columns for. */
	maxNodes: number;
	/** The error thrown past it. */
	exceeded: () => Error;
}

export function diveEfficiency(walks: LayerWalk[], limits?: DiveLimits): DiveEfficiency {
	const sizeBytes = walks.reduce((sum, walk) => sum + walk.diveSizeBytes, 0);
	const userSizeBytes = sizeBytes - (walks[0]?.diveSizeBytes ?? 0);
	const result = (score: number, wastedBytes: number, inefficiencies: DiveEfficiency['inefficiencies']): DiveEfficiency => ({
		score,
		wastedBytes,
		userWastedPercent: userSizeBytes === 0 ? 0 : wastedBytes / userSizeBytes,
		inefficiencies,
		sizeBytes,
		userSizeBytes,
	});
	if (walks.length === 0) return result(1, 0, []);
	const table = walks[0].entries.table;

	// Whiteout leaves first, so that every column below is sized once (the table's own budget applies here).
	for (const walk of walks)
		for (let w = 0; w < walk.whiteouts.count; w++) {
			const node = walk.whiteouts.node(w);
			if (!walk.whiteouts.opaque(w) && node !== ROOT) table.child(table.parent(node), WHITEOUT_PREFIX + table.name(node));
		}
	const nodes = table.size;
	if (limits && nodes > limits.maxNodes) throw limits.exceeded();

	const dropAt = metaAncestors(table);
	// The current layer's tree: membership and payload in one column, reset after each layer.
	const layerEntry = new Int32Array(nodes).fill(ABSENT);
	// The stacked tree. Invariant: a present node's parent is present, so an absent node has no present descendant.
	const stackFlags = new Uint8Array(nodes);
	const stackSize = new Float64Array(nodes);
	stackFlags[ROOT] = PRESENT;
	// dive's per-path figures, keyed by node (the key of a whiteout leaf is its target's node).
	const counts = new Int32Array(nodes);
	const cumulative = new Float64Array(nodes);
	const minimum = new Float64Array(nodes);
	// Scratch stack of the subtree walks of the stacked tree.
	const pending: number[] = [];

	const stackedSubtreeSize = (top: number): number => {
		let total = 0;
		pending.push(top);
		while (pending.length > 0) {
			const node = pending.pop()!;
			if ((stackFlags[node] & PRESENT) === 0) continue;
			total += stackSize[node];
			for (let child = table.firstChild(node); child !== NONE; child = table.nextSibling(child)) pending.push(child);
		}
		return total;
	};

	const removeStacked = (top: number): void => {
		pending.push(top);
		while (pending.length > 0) {
			const node = pending.pop()!;
			if ((stackFlags[node] & PRESENT) === 0) continue;
			stackFlags[node] = 0;
			for (let child = table.firstChild(node); child !== NONE; child = table.nextSibling(child)) pending.push(child);
		}
	};

	walks.forEach((walk, layer) => {
		const entries = walk.entries;
		let layerNodes = 0;
		layerEntry[ROOT] = IMPLICIT;
		/** AddPath's parents: `node` and its missing ancestors join the tree with an empty payload (each step adds a node). */
		const addToLayer = (node: number): void => {
			for (let n = node; layerEntry[n] === ABSENT; n = table.parent(n)) {
				layerEntry[n] = IMPLICIT;
				layerNodes++;
			}
		};
		/** dive's AddPath of `node` with `payload`: under a dropped `.wh..wh..` name, only the parents above it. */
		const place = (node: number, payload: number): void => {
			const drop = dropAt === null ? NONE : dropAt[node];
			if (drop !== NONE) {
				addToLayer(table.parent(drop));
				return;
			}
			addToLayer(node);
			layerEntry[node] = payload;
		};
		for (let i = 0; i < entries.count; i++) {
			const node = entries.node.data[i];
			if (node !== ROOT) place(node, i);
		}
		for (let w = 0; w < walk.whiteouts.count; w++) {
			const node = walk.whiteouts.node(w);
			if (walk.whiteouts.opaque(w) || node === ROOT) continue;
			place(table.findChild(table.parent(node), WHITEOUT_PREFIX + table.name(node)), IMPLICIT);
		}

		const order = childFirstOrder(table, layerEntry, layerNodes);
		const size = (node: number): number => payloadSize(entries, layerEntry[node]);

		// dive stacks layer 0 onto a copy of itself: the stacked tree starts as that copy (its visit sees layer 0 whole).
		if (layer === 0)
			for (const item of order) {
				const node = item < 0 ? ~item : item;
				stackFlags[node] = PRESENT | (payloadIsDir(entries, layerEntry[node]) ? IS_DIR : 0);
				stackSize[node] = size(node);
			}

		// The visit, leaves only, against the stacked tree as the lower layers left it.
		for (const item of order) {
			if (item >= 0) continue;
			const node = ~item;
			const name = table.name(node);
			let key = node;
			let bytes: number;
			if (name.startsWith(WHITEOUT_PREFIX)) {
				key = table.findChild(table.parent(node), name.slice(WHITEOUT_PREFIX.length));
				if (key === NONE || (stackFlags[key] & PRESENT) === 0) break;
				bytes = stackFlags[key] & IS_DIR ? stackedSubtreeSize(key) : 0;
			} else {
				bytes = size(node);
			}
			if (counts[key] === 0) {
				cumulative[key] = bytes;
				minimum[key] = bytes;
			} else {
				cumulative[key] += bytes;
				minimum[key] = Math.min(minimum[key], bytes);
			}
			counts[key]++;
		}

		// The stack step, every node of the layer tree in the same order.
		for (const item of order) {
			const node = item < 0 ? ~item : item;
			const name = table.name(node);
			if (name.startsWith(WHITEOUT_PREFIX)) {
				// Deletes the target if present (dive also looks the parent up first: a present node's parent is present).
				const target = table.findChild(table.parent(node), name.slice(WHITEOUT_PREFIX.length));
				if (target !== NONE) removeStacked(target);
			} else {
				// Missing parents join with an empty payload (no layer tree holds a `.wh..wh..` name, so none is dropped).
				for (let n = table.parent(node); (stackFlags[n] & PRESENT) === 0; n = table.parent(n)) {
					stackFlags[n] = PRESENT;
					stackSize[n] = 0;
				}
				stackFlags[node] = PRESENT | (payloadIsDir(entries, layerEntry[node]) ? IS_DIR : 0);
				stackSize[node] = size(node);
			}
		}

		for (const item of order) layerEntry[item < 0 ? ~item : item] = ABSENT;
		layerEntry[ROOT] = ABSENT;
	});

	// Sums of integer byte counts (exact below 2^53), so their order, by node here, is free.
	let minimumTotal = 0;
	let discovered = 0;
	let wastedBytes = 0;
	const inefficiencies: DiveEfficiency['inefficiencies'] = [];
	for (let node = 0; node < nodes; node++) {
		const count = counts[node];
		if (count === 0) continue;
		minimumTotal += minimum[node];
		discovered += cumulative[node];
		if (count >= 2) {
			wastedBytes += cumulative[node];
			inefficiencies.push({path: table.pathOf(node), count, cumulativeSizeBytes: smallIfInteger(cumulative[node])});
		}
	}
	inefficiencies.sort((a, b) => b.cumulativeSizeBytes - a.cumulativeSizeBytes || (a.path < b.path ? -1 : 1));
	return result(discovered === 0 ? 1 : minimumTotal / discovered, wastedBytes, inefficiencies);
}

function payloadSize(entries: LayerEntries, entry: number): number {
	return entry >= 0 ? entries.size(entry) : 0;
}

function payloadIsDir(entries: LayerEntries, entry: number): boolean {
	return entry >= 0 && entries.typeCode(entry) === DIRECTORY;
}

/**
 * Per node, its topmost ancestor-or-self named `.wh..wh..`, or -1; null when the table has no such name. AddPath
 * creates the parents above that name, then drops the path: no tree ever holds such a node. A column rather than a
 * walk up per entry, so that many entries under one deep dropped path cost O(1) each.
 */
function metaAncestors(table: PathTable): Int32Array | null {
	let dropAt: Int32Array | null = null;
	// A parent's id is below its children's (the table appends), so one pass in id order sees parents first.
	for (let node = 1; node < table.size; node++) {
		const isMeta = table.name(node).startsWith(META_PREFIX);
		if (dropAt === null) {
			if (!isMeta) continue;
			dropAt = new Int32Array(table.size).fill(NONE);
		}
		const above = dropAt[table.parent(node)];
		dropAt[node] = above !== NONE ? above : isMeta ? node : NONE;
	}
	return dropAt;
}

/**
 * The layer tree's nodes (root excluded) children first, siblings in byte order (dive's `a.name < b.name`); a leaf
 * is stored as ~node (negative). Built as the pre-order with siblings in reverse order, read backwards.
 */
function childFirstOrder(table: PathTable, layerEntry: Int32Array, count: number): Int32Array {
	const order = new Int32Array(count);
	// Each node is pushed once, so `count + 1` slots hold the deepest stack.
	const stack = new Int32Array(count + 1);
	const byName = (a: number, b: number): number => {
		const x = table.name(a);
		const y = table.name(b);
		return x < y ? -1 : x > y ? 1 : 0;
	};
	let top = 0;
	let at = count;
	stack[top++] = ROOT;
	while (top > 0) {
		const node = stack[--top];
		const first = top;
		for (let child = table.firstChild(node); child !== NONE; child = table.nextSibling(child)) if (layerEntry[child] !== ABSENT) stack[top++] = child;
		// Ascending on the stack: the last name pops first, so the reversed sequence has the first name first.
		if (top - first > 1) stack.subarray(first, top).sort(byName);
		if (node !== ROOT) order[--at] = top > first ? node : ~node;
	}
	return order;
}
