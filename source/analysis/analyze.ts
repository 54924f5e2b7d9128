// The analysis: stack the layers in order, give every touched path a status, follow every stored copy of file
// bytes until the final image, and charge the copies no path shows to the layer that stored them and the layer
// that hid them. Pure computation on LayerWalk data: no I/O, no UI.
import {getHeapStatistics} from 'node:v8';
import {InputError} from '../util/errors.js';
import {diveEfficiency} from './dive-efficiency.js';
import {newRoot} from './fs-tree.js';
import type {
	EntryStatus,
	FileChange,
	FsNode,
	HistoryItem,
	ImageAnalysis,
	ImageInfo,
	LayerAnalysis,
	LayerDescriptor,
	LayerEntry,
	LayerWalk,
	NodeVersion,
	SourceKind,
	WasteCause,
	WastedFile,
} from './types.js';

export interface AnalysisInput {
	source: {kind: SourceKind; reference: string};
	image: Omit<ImageInfo, 'sizeBytes' | 'compressedSizeBytes' | 'fileCount'>;
	layers: {walk: LayerWalk; descriptor: LayerDescriptor}[];
	history: HistoryItem[];
	/** Keep per-layer change lists (the explorer and `--files` need them). */
	keepChanges?: boolean;
	/** Refuse images with more paths than this (default: what the heap holds, pathBudget()). */
	maxPaths?: number;
}

/** One stored copy of file bytes, and how many visible paths show it (a path, plus hard links to it). */
interface Copy {
	layer: number;
	path: string;
	size: number;
	hash: string;
	refs: number;
	version: NodeVersion;
	hiddenBy: number;
	cause: WasteCause;
}

interface Live {
	entry: LayerEntry;
	copy: Copy | null;
}

const IMPLICIT_DIR_MODE = 0o755;

/** The child `name` of `parent`, created if missing; `path` (when the caller has it) is shared, not rebuilt. */
function child(parent: FsNode, name: string, path?: string): FsNode {
	parent.children ??= new Map();
	let node = parent.children.get(name);
	if (!node) {
		node = {name, path: path ?? (parent.parent ? `${parent.path}/${name}` : `/${name}`), parent, children: null, versions: []};
		parent.children.set(name, node);
	}
	return node;
}

function find(root: FsNode, path: string): FsNode | undefined {
	let node: FsNode | undefined = root;
	for (const name of path.split('/')) {
		if (name === '') continue;
		node = node.children?.get(name);
		if (!node) return undefined;
	}
	return node;
}

function sameContent(a: LayerEntry, b: LayerEntry): boolean {
	return a.type === b.type && a.hash === b.hash && a.linkTarget === b.linkTarget;
}

function sameMetadata(a: LayerEntry, b: LayerEntry): boolean {
	return a.mode === b.mode && a.uid === b.uid && a.gid === b.gid;
}

function compare(before: LayerEntry | null, after: LayerEntry): {status: EntryStatus; contentChanged?: boolean} {
	if (!before) return {status: 'added'};
	const contentChanged = !sameContent(before, after);
	return {status: contentChanged || !sameMetadata(before, after) ? 'modified' : 'unchanged', contentChanged};
}

/** Peak heap per path of the merged tree (its node, its versions, the dive-compatible trees), measured with margin. */
const HEAP_PER_PATH = 1536;

/**
 * How many paths (with their implicit parent directories) this process's heap can analyse. A few kB of hostile tar
 * can name millions of directories (`a/a/a/…`); past the budget a clear error says how to raise the limit, where
 * V8 would otherwise die with a fatal out-of-memory report.
 */
export function pathBudget(): number {
	return Math.floor(getHeapStatistics().heap_size_limit / HEAP_PER_PATH);
}

export function analyzeImage(input: AnalysisInput): ImageAnalysis {
	const root = newRoot();
	const maxPaths = input.maxPaths ?? pathBudget();
	const tooManyPaths = (): InputError => {
		const heapMb = Math.round(getHeapStatistics().heap_size_limit / (1024 * 1024));
		return new InputError(
			`the image names more than ${maxPaths.toLocaleString('en')} paths (parent directories included): more than ${heapMb} MB of memory holds; raise it with NODE_OPTIONS=--max-old-space-size=${heapMb * 2}`,
		);
	};
	let paths = 0;
	/** child(), counting the nodes it creates against the budget. */
	const childCounted = (parent: FsNode, name: string, path?: string): FsNode => {
		const before = parent.children?.size ?? 0;
		const node = child(parent, name, path);
		if (parent.children!.size > before && ++paths > maxPaths) throw tooManyPaths();
		return node;
	};
	// dive's figure first: its per-layer trees are garbage before the stacking below builds its own working state,
	// so the two peaks do not add up. Its trees hold at most the stacked tree and one layer's: twice the paths.
	const efficiency = diveEfficiency(input.layers.map(layer => layer.walk), {maxNodes: 2 * maxPaths, exceeded: tooManyPaths});
	const copies: Copy[] = [];
	const layers: LayerAnalysis[] = [];
	/** Runtime state kept beside each node while stacking; dropped when the analysis is done. A Map, not a WeakMap:
	 * ephemeron tables make every garbage collection walk them, which cost a fifth of the time on big layers. */
	const live = new Map<FsNode, Live>();
	const keepChanges = input.keepChanges !== false;

	const release = (copy: Copy | null, layer: number, cause: WasteCause): void => {
		if (!copy || copy.refs === 0) return;
		copy.refs--;
		if (copy.refs === 0) {
			copy.hiddenBy = layer;
			copy.cause = cause;
		}
	};

	/** Take `node` and everything below it out of the filesystem (layer `layer` did it, for `cause`). */
	const clear = (node: FsNode, layer: number, cause: WasteCause, includeSelf: boolean): void => {
		const stack: FsNode[] = includeSelf ? [node] : [...(node.children?.values() ?? [])];
		while (stack.length > 0) {
			const current = stack.pop()!;
			const state = live.get(current);
			if (state) {
				release(state.copy, layer, cause);
				live.delete(current);
				// A path written earlier in this same layer leaves a removal mark, since the cut does not hide it.
				const last = current.versions[current.versions.length - 1];
				if (current !== node && last?.layer === layer && last.entry)
					current.versions.push({layer, entry: null, status: 'removed'});
			}
			if (current.children) for (const grandchild of current.children.values()) stack.push(grandchild);
		}
		(node.cuts ??= []).push(layer);
	};

	input.layers.forEach(({walk, descriptor}, index) => {
		const changes = new Map<string, FileChange>();
		// Each path's last status in this layer, for the counts (FileChange objects only when change lists are kept).
		const statuses = new Map<string, EntryStatus>();

		// Statuses compare with the filesystem just below this layer: remember it before anything moves.
		// Below the first layer there is nothing.
		const below = new Map<string, Live | null>();
		if (index > 0) for (const entry of walk.entries) {
			if (below.has(entry.path)) continue;
			const node = find(root, entry.path);
			below.set(entry.path, (node && live.get(node)) ?? null);
		}

		const removeNode = (node: FsNode, cause: WasteCause): void => {
			const state = live.get(node)!;
			statuses.set(node.path, 'removed');
			if (keepChanges) changes.set(node.path, {
				path: node.path,
				status: 'removed',
				type: state.entry.type,
				sizeBytes: state.entry.type === 'file' ? state.entry.size : 0,
				mode: state.entry.mode,
				uid: state.entry.uid,
				gid: state.entry.gid,
				...(state.entry.linkTarget === undefined ? {} : {linkTarget: state.entry.linkTarget}),
			});
			clear(node, index, cause, true);
			node.versions.push({layer: index, entry: null, status: 'removed'});
		};

		// Whiteouts apply to the lower layers before this layer's own entries.
		for (const whiteout of walk.whiteouts) {
			const node = find(root, whiteout.path);
			if (!node) continue;
			if (whiteout.opaque) {
				if (!live.has(node) && node.parent) continue;
				for (const lower of node.children?.values() ?? []) if (live.has(lower)) removeNode(lower, 'removed');
				(node.cuts ??= []).push(index);
			} else if (live.has(node)) {
				removeNode(node, 'removed');
			}
		}

		for (const entry of walk.entries) {
			// Parents: a missing or non-directory parent becomes an implicit directory.
			let parent = root;
			const names = entry.path.split('/').filter(Boolean);
			for (let i = 0; i < names.length - 1; i++) {
				const node = childCounted(parent, names[i]);
				const state = live.get(node);
				if (!state || state.entry.type !== 'directory') {
					if (state) {
						release(state.copy, index, 'overwritten');
						live.delete(node);
					}
					const implicit: LayerEntry = {path: node.path, type: 'directory', size: 0, mode: IMPLICIT_DIR_MODE, uid: 0, gid: 0, mtime: 0};
					live.set(node, {entry: implicit, copy: null});
					node.versions.push({layer: index, entry: implicit, status: state ? 'modified' : 'added'});
				}
				parent = node;
			}
			const node = names.length === 0 ? root : childCounted(parent, names[names.length - 1], entry.path);
			if (node === root) continue; // the root itself (`./`) carries nothing we show

			const previous = live.get(node);
			// Hard links share the copy of their target; the link's "content" is the target's.
			let copy: Copy | null = null;
			if (entry.type === 'hardlink' && entry.linkTarget) {
				const target = find(root, entry.linkTarget);
				const targetCopy = target ? live.get(target)?.copy : null;
				if (targetCopy) {
					copy = targetCopy;
					copy.refs++;
					entry.hash = copy.hash;
				}
			}

			if (previous) {
				if (previous.entry.type === 'directory' && entry.type !== 'directory') clear(node, index, 'overwritten', false);
				const cause: WasteCause = entry.type === 'file' && previous.copy?.hash === entry.hash ? 'duplicate' : 'overwritten';
				release(previous.copy, index, cause);
			}

			const lower = below.get(entry.path) ?? null;
			const {status, contentChanged} = compare(lower?.entry ?? null, entry);
			// Removed by this layer's whiteout and written again by it (`rm -rf d && mkdir d && ...`): the lower copy
			// was really replaced, so the cause is the replacement's, not the removal's.
			const old = lower?.copy;
			if (old && old.refs === 0 && old.hiddenBy === index && old.cause === 'removed')
				old.cause = entry.type === 'file' && entry.hash === old.hash ? 'duplicate' : 'overwritten';
			const version: NodeVersion = {layer: index, entry, status};
			const last = node.versions[node.versions.length - 1];
			if (last?.layer === index && last.entry) node.versions[node.versions.length - 1] = version;
			else node.versions.push(version);

			if (entry.type === 'file') {
				copy = {layer: index, path: entry.path, size: entry.size, hash: entry.hash ?? '', refs: 1, version, hiddenBy: -1, cause: 'removed'};
				copies.push(copy);
			}
			live.set(node, {entry, copy});
			statuses.set(entry.path, status);
			if (keepChanges) changes.set(entry.path, {
				path: entry.path,
				status,
				type: entry.type,
				sizeBytes: entry.type === 'file' ? entry.size : 0,
				mode: entry.mode,
				uid: entry.uid,
				gid: entry.gid,
				...(entry.linkTarget === undefined ? {} : {linkTarget: entry.linkTarget}),
				...(contentChanged === undefined ? {} : {contentChanged}),
			});
		}

		const counts = {added: 0, modified: 0, unchanged: 0, removed: 0};
		for (const status of statuses.values()) counts[status]++;
		layers.push({
			index,
			diffId: descriptor.diffId ?? walk.diffId,
			digest: descriptor.digest ?? (walk.compression === 'none' ? null : walk.blobDigest),
			mediaType: descriptor.mediaType,
			sizeBytes: walk.sizeBytes,
			compressedSizeBytes: walk.compression === 'none' ? null : (descriptor.compressedSizeBytes ?? walk.blobSize),
			compression: walk.compression,
			createdBy: null,
			created: null,
			comment: null,
			counts,
			wastedBytes: 0,
			hiddenBytes: 0,
			changes: !keepChanges ? [] : [...changes.values()].sort((a, b) => (a.path < b.path ? -1 : 1)),
			entryCount: walk.entries.length + walk.whiteouts.length,
		});
	});

	// Waste: every copy that no path shows in the end.
	const files: WastedFile[] = [];
	const byCause: Record<WasteCause, number> = {removed: 0, overwritten: 0, duplicate: 0};
	for (const copy of copies) {
		if (copy.refs > 0 || copy.size === 0) continue;
		files.push({path: copy.path, layerIndex: copy.layer, sizeBytes: copy.size, cause: copy.cause, hiddenByLayerIndex: copy.hiddenBy});
		copy.version.wasted = {cause: copy.cause, hiddenByLayerIndex: copy.hiddenBy};
		byCause[copy.cause] += copy.size;
		layers[copy.layer].wastedBytes += copy.size;
		if (copy.hiddenBy > copy.layer) layers[copy.hiddenBy].hiddenBytes += copy.size;
	}
	files.sort((a, b) => b.sizeBytes - a.sizeBytes || a.layerIndex - b.layerIndex || (a.path < b.path ? -1 : 1));

	let fileCount = 0;
	const stack: FsNode[] = [root];
	while (stack.length > 0) {
		const node = stack.pop()!;
		const state = live.get(node);
		if (state && state.entry.type !== 'directory') fileCount++;
		live.delete(node);
		if (node.children) for (const c of node.children.values()) stack.push(c);
	}

	// History: each step that made a layer maps, in order, to the next layer.
	let next = 0;
	const history = input.history.map(item => {
		const layerIndex = item.emptyLayer || next >= layers.length ? null : next++;
		if (layerIndex !== null) {
			layers[layerIndex].createdBy = item.createdBy;
			layers[layerIndex].created = item.created;
			layers[layerIndex].comment = item.comment ?? null;
		}
		return {...item, layerIndex};
	});

	const compressed = layers.map(layer => layer.compressedSizeBytes);
	const wasteTotal = byCause.removed + byCause.overwritten + byCause.duplicate;
	return {
		source: input.source,
		image: {
			...input.image,
			sizeBytes: layers.reduce((sum, layer) => sum + layer.sizeBytes, 0),
			compressedSizeBytes: compressed.every(size => size !== null) && compressed.length > 0 ? compressed.reduce((a, b) => a! + b!, 0) : null,
			fileCount,
		},
		layers,
		history,
		waste: {totalBytes: wasteTotal, byCause, files},
		efficiency,
		tree: root,
	};
}
