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
}

/** Leaves (most nodes) share this empty map and get their own on a first child: a Map costs ~170 bytes even empty. */
const NO_CHILDREN = new Map<string, DiveNode>();

function ownChildren(node: DiveNode): Map<string, DiveNode> {
	if (node.children === NO_CHILDREN) node.children = new Map();
	return node.children;
}

function newNode(name: string): DiveNode {
	return {name, size: 0, isDir: false, children: NO_CHILDREN};
}

function splitPath(path: string): string[] {
	return path.split('/').filter(part => part !== '');
}

/** dive's AddPath: create missing parents with an empty payload; a `.wh..wh..` name that is not there is dropped. */
function addPath(root: DiveNode, path: string, size: number, isDir: boolean): void {
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
		}
	}
}

function getNode(root: DiveNode, names: string[]): DiveNode | undefined {
	let node: DiveNode | undefined = root;
	for (const name of names) {
		node = node.children.get(name);
		if (!node) return undefined;
	}
	return node;
}

function layerTree(walk: LayerWalk): DiveNode {
	const root = newNode('');
	for (const entry of walk.entries) addPath(root, entry.path, entry.size, entry.type === 'directory');
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

function copyTree(node: DiveNode): DiveNode {
	const copy: DiveNode = {name: node.name, size: node.size, isDir: node.isDir, children: NO_CHILDREN};
	const stack: [DiveNode, DiveNode][] = [[node, copy]];
	while (stack.length > 0) {
		const [from, to] = stack.pop()!;
		for (const [name, child] of from.children) {
			const childCopy: DiveNode = {name, size: child.size, isDir: child.isDir, children: NO_CHILDREN};
			ownChildren(to).set(name, childCopy);
			stack.push([child, childCopy]);
		}
	}
	return copy;
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

export function diveEfficiency(walks: LayerWalk[]): DiveEfficiency {
	const paths = new Map<string, {count: number; cumulative: number; min: number}>();
	let stacked: DiveNode | null = null;
	let first: DiveNode | null = null;

	for (const walk of walks) {
		const tree = layerTree(walk);
		if (!first) {
			first = tree;
			stacked = copyTree(tree);
		}
		const lower = stacked!;
		visitChildFirst(tree, (node, names) => {
			if (node.children.size > 0) return true;
			let size = node.size;
			let key = '/' + names.join('/');
			if (node.name.startsWith(WHITEOUT_PREFIX)) {
				const target = [...names.slice(0, -1), node.name.slice(WHITEOUT_PREFIX.length)];
				key = '/' + target.join('/');
				const previous = getNode(lower, target);
				if (!previous) return false;
				size = previous.isDir ? subtreeSize(previous) : 0;
			}
			const data = paths.get(key);
			if (data) {
				data.count++;
				data.cumulative += size;
				data.min = Math.min(data.min, size);
			} else {
				paths.set(key, {count: 1, cumulative: size, min: size});
			}
			return true;
		});
		stack(lower, tree);
	}

	let minimum = 0;
	let discovered = 0;
	let wastedBytes = 0;
	const inefficiencies: DiveEfficiency['inefficiencies'] = [];
	for (const [path, data] of paths) {
		minimum += data.min;
		discovered += data.cumulative;
		if (data.count >= 2) {
			wastedBytes += data.cumulative;
			inefficiencies.push({path, count: data.count, cumulativeSize: data.cumulative});
		}
	}
	inefficiencies.sort((a, b) => b.cumulativeSize - a.cumulativeSize || (a.path < b.path ? -1 : 1));
	const sizeBytes = walks.reduce((sum, walk) => sum + walk.sizeBytes, 0);
	const userSizeBytes = sizeBytes - (walks[0]?.sizeBytes ?? 0);
	return {
		score: discovered === 0 ? 1 : minimum / discovered,
		wastedBytes,
		userWastedPercent: userSizeBytes === 0 ? 0 : wastedBytes / userSizeBytes,
		inefficiencies,
		sizeBytes,
		userSizeBytes,
	};
}
