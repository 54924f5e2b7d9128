// dive-compatible efficiency (DESIGN.md), reproduced with dive's own quirks so dive users get the figures they know:
// per-layer trees keyed by tar names (whiteout files stay as `.wh.NAME` leaves, opaque whiteouts are dropped), implicit
// parent directories carry an empty payload, leaves are visited child-first in byte order, and a whiteout whose target
// is missing from the stacked lower layers stops the visit of that layer (dive logs the error and goes on).
import type {DiveEfficiency, LayerWalk} from './types.js';

const WHITEOUT_PREFIX = '.wh.';
const META_PREFIX = '.wh..wh..';

interface DiveNode {
	name: string;
	size: number;
	isDir: boolean;
	children: Map<string, DiveNode>;
	/** The entry's own path string, on nodes a layer entry made: the key of a leaf, shared rather than rebuilt. */
	path?: string;
}

/** Leaves (most nodes) share this empty map and get their own on a first child: a Map costs ~170 bytes even empty. */
const NO_CHILDREN = new Map<string, DiveNode>();

function ownChildren(node: DiveNode): Map<string, DiveNode> {
	if (node.children === NO_CHILDREN) node.children = new Map();
	return node.children;
}

/**
 * Nodes alive in the trees of one diveEfficiency() run, against the caller's path budget: an image naming millions of
 * directories must end in the caller's clear error, not in V8 running out of memory. Synchronous code only.
 */
const budget = {live: 0, max: Infinity, exceeded: (): Error => new Error('too many paths')};

function newNode(name: string): DiveNode {
	if (++budget.live > budget.max) throw budget.exceeded();
	return {name, size: 0, isDir: false, children: NO_CHILDREN};
}

function countNodes(root: DiveNode): number {
	let count = 0;
	const stack = [root];
	while (stack.length > 0) {
		const node = stack.pop()!;
		count++;
		for (const child of node.children.values()) stack.push(child);
	}
	return count;
}

function splitPath(path: string): string[] {
	return path.split('/').filter(part => part !== '');
}

function getNode(root: DiveNode, names: string[]): DiveNode | undefined {
	let node: DiveNode | undefined = root;
	for (const name of names) {
		node = node.children.get(name);
		if (!node) return undefined;
	}
	return node;
}

/** dive's AddPath: create missing parents with an empty payload; a `.wh..wh..` name that is not there is dropped. */
function addPath(root: DiveNode, path: string, size: number, isDir: boolean, keepPath = false): void {
	const names = splitPath(path);
	let node = root;
	for (const [index, name] of names.entries()) {
		let child = node.children.get(name);
		if (!child) {
			if (name.startsWith(META_PREFIX)) return;
			child = newNode(name);
			ownChildren(node).set(name, child);
		}
		node = child;
		if (index === names.length - 1) {
			node.size = size;
			node.isDir = isDir;
			if (keepPath) node.path = path;
		}
	}
}

function layerTree(walk: LayerWalk): DiveNode {
	const root = newNode('');
	for (const entry of walk.entries) addPath(root, entry.path, entry.size, entry.type === 'directory', true);
	for (const whiteout of walk.whiteouts) {
		if (whiteout.opaque) continue;
		const names = splitPath(whiteout.path);
		const last = names.pop();
		if (last === undefined) continue;
		addPath(root, '/' + [...names, WHITEOUT_PREFIX + last].join('/'), 0, false);
	}
	return root;
}

function sortedChildren(node: DiveNode): DiveNode[] {
	return [...node.children.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Depth-first, children before parent, children in byte order; `visit` returning false stops everything.
 * `names` is one array shared by all calls (the path to `node`): copy it to keep it.
 */
function visitChildFirst(root: DiveNode, visit: (node: DiveNode, names: readonly string[]) => boolean): void {
	// Iterative, with one shared path array, so that a path thousands of directories deep costs neither stack nor
	// memory quadratic in its depth.
	const names: string[] = [];
	const stack: {node: DiveNode; children: DiveNode[] | null; next: number}[] = [{node: root, children: null, next: 0}];
	while (stack.length > 0) {
		const top = stack[stack.length - 1];
		top.children ??= sortedChildren(top.node);
		if (top.next < top.children.length) {
			const child = top.children[top.next++];
			names.push(child.name);
			stack.push({node: child, children: null, next: 0});
			continue;
		}
		stack.pop();
		if (top.node === root) return;
		if (!visit(top.node, names)) return;
		names.pop();
	}
}

function subtreeSize(node: DiveNode): number {
	let total = 0;
	const stack = [node];
	while (stack.length > 0) {
		const current = stack.pop()!;
		total += current.size;
		for (const child of current.children.values()) stack.push(child);
	}
	return total;
}

/**
 * dive's Stack: whiteouts remove their target, every other node (implicit parents too) replaces the payload.
 * Same order and effect as an AddPath per node, but the lower tree is walked beside the upper one, so each node costs
 * O(1) instead of O(depth).
 */
function stack(lower: DiveNode, upper: DiveNode): void {
	// `target`: the lower node at this frame's path, once looked up or created; null while not needed yet.
	type Frame = {node: DiveNode; target: DiveNode | null; children: DiveNode[] | null; next: number};
	const frames: Frame[] = [{node: upper, target: lower, children: null, next: 0}];
	/** The lower node for frames[depth], created (like AddPath) if missing; null when AddPath would drop the path. */
	const ensure = (depth: number): DiveNode | null => {
		let start = depth;
		while (frames[start].target === null) start--;
		for (let i = start + 1; i <= depth; i++) {
			const parent = frames[i - 1].target!;
			const name = frames[i].node.name;
			let child = parent.children.get(name);
			if (!child) {
				if (name.startsWith(META_PREFIX)) return null;
				child = newNode(name);
				ownChildren(parent).set(name, child);
			}
			frames[i].target = child;
		}
		return frames[depth].target;
	};
	/** The lower node for frames[depth] if it exists, creating nothing (like GetNode). */
	const existing = (depth: number): DiveNode | undefined => {
		let start = depth;
		while (frames[start].target === null) start--;
		let node: DiveNode | undefined = frames[start].target!;
		for (let i = start + 1; i <= depth && node; i++) node = node.children.get(frames[i].node.name);
		return node;
	};
	while (frames.length > 0) {
		const top = frames[frames.length - 1];
		top.children ??= sortedChildren(top.node);
		if (top.next < top.children.length) {
			frames.push({node: top.children[top.next++], target: null, children: null, next: 0});
			continue;
		}
		if (frames.length === 1) return;
		const depth = frames.length - 1;
		const node = top.node;
		if (node.name.startsWith(WHITEOUT_PREFIX)) {
			existing(depth - 1)?.children.delete(node.name.slice(WHITEOUT_PREFIX.length));
		} else {
			const target = ensure(depth);
			if (target) {
				target.size = node.size;
				target.isDir = node.isDir;
			}
		}
		frames.pop();
	}
}

export interface DiveLimits {
	/** Most tree nodes alive at once (the stacked tree plus the current layer's). */
	maxNodes: number;
	/** The error thrown past it. */
	exceeded: () => Error;
}

export function diveEfficiency(walks: LayerWalk[], limits?: DiveLimits): DiveEfficiency {
	budget.live = 0;
	budget.max = limits?.maxNodes ?? Infinity;
	budget.exceeded = limits?.exceeded ?? budget.exceeded;
	// Per path: an index into three number columns (a Map of small objects would cost several times more per path).
	const paths = new Map<string, number>();
	const counts: number[] = [];
	const cumulative: number[] = [];
	const minimum: number[] = [];
	let stacked: DiveNode | null = null;

	for (const walk of walks) {
		const tree = layerTree(walk);
		// dive stacks layer 0 onto a copy of itself: the first tree serves as that copy. Stacking a tree onto itself
		// touches the same nodes in the same order as onto an identical copy, so no copy of the largest tree is made.
		stacked ??= tree;
		const lower = stacked;
		visitChildFirst(tree, (node, names) => {
			if (node.children.size > 0) return true;
			let size = node.size;
			let key = node.path ?? '/' + names.join('/');
			if (node.name.startsWith(WHITEOUT_PREFIX)) {
				const target = [...names.slice(0, -1), node.name.slice(WHITEOUT_PREFIX.length)];
				key = '/' + target.join('/');
				const previous = getNode(lower, target);
				if (!previous) return false;
				size = previous.isDir ? subtreeSize(previous) : 0;
			}
			const index = paths.get(key);
			if (index === undefined) {
				paths.set(key, counts.length);
				counts.push(1);
				cumulative.push(size);
				minimum.push(size);
			} else {
				counts[index]++;
				cumulative[index] += size;
				minimum[index] = Math.min(minimum[index], size);
			}
			return true;
		});
		stack(lower, tree);
		// This layer's own tree is garbage now (unless it is the stacked tree itself).
		if (tree !== lower) budget.live -= countNodes(tree);
	}

	let minimumTotal = 0;
	let discovered = 0;
	let wastedBytes = 0;
	const inefficiencies: DiveEfficiency['inefficiencies'] = [];
	for (const [path, index] of paths) {
		minimumTotal += minimum[index];
		discovered += cumulative[index];
		if (counts[index] >= 2) {
			wastedBytes += cumulative[index];
			inefficiencies.push({path, count: counts[index], cumulativeSize: cumulative[index]});
		}
	}
	inefficiencies.sort((a, b) => b.cumulativeSize - a.cumulativeSize || (a.path < b.path ? -1 : 1));
	const sizeBytes = walks.reduce((sum, walk) => sum + walk.sizeBytes, 0);
	const userSizeBytes = sizeBytes - (walks[0]?.sizeBytes ?? 0);
	return {
		score: discovered === 0 ? 1 : minimumTotal / discovered,
		wastedBytes,
		userWastedPercent: userSizeBytes === 0 ? 0 : wastedBytes / userSizeBytes,
		inefficiencies,
		sizeBytes,
		userSizeBytes,
	};
}
