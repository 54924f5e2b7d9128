// Two analysed images compared: files added, changed and removed between their final filesystems, and the layers
// they share by diffID with the bytes shared and unique to each (what `docker system df` would count once).
import {childrenAt} from '../model/fs-tree.js';
import type {EntryType, FsNode, ImageAnalysis, LayerEntry} from '../model/types.js';

export type FileDiffStatus = 'added' | 'changed' | 'removed';
/** What differs for a changed path. */
export type Difference = 'type' | 'content' | 'target' | 'mode' | 'owner';

export interface FileDiff {
	path: string;
	status: FileDiffStatus;
	type: EntryType;
	/** The size in B (added, changed) or in A (removed). */
	sizeBytes: number;
	/** For changed paths: the size in A. */
	sizeBeforeBytes?: number;
	differences?: Difference[];
	/** Symlink target (in B, or in A for removed paths). */
	linkTarget?: string;
}

export interface SharedLayer {
	diffId: string;
	indexA: number;
	indexB: number;
	sizeBytes: number;
	compressedSizeBytes: number | null;
}

export interface ImageDiff {
	files: FileDiff[];
	counts: Record<FileDiffStatus, number>;
	/** Regular-file bytes only in B, only in A, and the size change of changed files. */
	addedBytes: number;
	removedBytes: number;
	changedDeltaBytes: number;
	layers: {
		shared: SharedLayer[];
		/** Layers (by diffID) only in A / only in B, in layer order. */
		onlyA: number[];
		onlyB: number[];
		sharedBytes: number;
		uniqueBytesA: number;
		uniqueBytesB: number;
		/** How many bottom layers the two have in common, in order (a shared base image). */
		commonBaseLayers: number;
	};
}

/** Every path visible in the final filesystem, with the entry that shows it. */
export function finalFiles(analysis: ImageAnalysis): Map<string, LayerEntry> {
	const files = new Map<string, LayerEntry>();
	const last = analysis.layers.length - 1;
	if (last < 0) return files;
	const stack: {node: FsNode; cut: number}[] = [{node: analysis.tree, cut: -1}];
	while (stack.length > 0) {
		const {node, cut} = stack.pop()!;
		for (const child of childrenAt(node, last, cut)) {
			if (!child.version.entry) continue; // removed by the top layer itself
			files.set(child.node.path, child.version.entry);
			if (child.node.children) stack.push({node: child.node, cut: child.cut});
		}
	}
	return files;
}

function differences(a: LayerEntry, b: LayerEntry): Difference[] {
	const found: Difference[] = [];
	if (a.type !== b.type) found.push('type');
	else if (a.hash !== b.hash) found.push('content');
	if (a.type === b.type && a.linkTarget !== b.linkTarget) found.push('target');
	if (a.mode !== b.mode) found.push('mode');
	if (a.uid !== b.uid || a.gid !== b.gid) found.push('owner');
	return found;
}

const fileBytes = (entry: LayerEntry): number => (entry.type === 'file' ? entry.size : 0);
const target = (entry: LayerEntry): {linkTarget?: string} => (entry.type === 'symlink' && entry.linkTarget !== undefined ? {linkTarget: entry.linkTarget} : {});

export function compareImages(a: ImageAnalysis, b: ImageAnalysis): ImageDiff {
	const filesA = finalFiles(a);
	const filesB = finalFiles(b);
	const files: FileDiff[] = [];
	let addedBytes = 0;
	let removedBytes = 0;
	let changedDeltaBytes = 0;
	for (const [path, before] of filesA) {
		const after = filesB.get(path);
		if (!after) {
			files.push({path, status: 'removed', type: before.type, sizeBytes: fileBytes(before), ...target(before)});
			removedBytes += fileBytes(before);
			continue;
		}
		const found = differences(before, after);
		if (found.length === 0) continue;
		files.push({
			path,
			status: 'changed',
			type: after.type,
			sizeBytes: fileBytes(after),
			sizeBeforeBytes: fileBytes(before),
			differences: found,
			...target(after),
		});
		changedDeltaBytes += fileBytes(after) - fileBytes(before);
	}
	for (const [path, after] of filesB) {
		if (filesA.has(path)) continue;
		files.push({path, status: 'added', type: after.type, sizeBytes: fileBytes(after), ...target(after)});
		addedBytes += fileBytes(after);
	}
	files.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
	const counts = {added: 0, changed: 0, removed: 0};
	for (const file of files) counts[file.status]++;

	// Layers by diffID, each counted once per image (an image can repeat a layer, e.g. two empty ones).
	const firstIndex = (image: ImageAnalysis): Map<string, number> => {
		const map = new Map<string, number>();
		image.layers.forEach(layer => map.has(layer.diffId) || map.set(layer.diffId, layer.index));
		return map;
	};
	const layersA = firstIndex(a);
	const layersB = firstIndex(b);
	const shared: SharedLayer[] = [];
	const onlyA: number[] = [];
	const onlyB: number[] = [];
	let uniqueBytesA = 0;
	let uniqueBytesB = 0;
	for (const [diffId, indexA] of layersA) {
		const indexB = layersB.get(diffId);
		const layer = a.layers[indexA];
		if (indexB === undefined) {
			onlyA.push(indexA);
			uniqueBytesA += layer.sizeBytes;
		} else {
			shared.push({diffId, indexA, indexB, sizeBytes: layer.sizeBytes, compressedSizeBytes: layer.compressedSizeBytes ?? b.layers[indexB].compressedSizeBytes});
		}
	}
	for (const [diffId, indexB] of layersB) {
		if (layersA.has(diffId)) continue;
		onlyB.push(indexB);
		uniqueBytesB += b.layers[indexB].sizeBytes;
	}
	let commonBaseLayers = 0;
	while (commonBaseLayers < Math.min(a.layers.length, b.layers.length) && a.layers[commonBaseLayers].diffId === b.layers[commonBaseLayers].diffId)
		commonBaseLayers++;

	return {
		files,
		counts,
		addedBytes,
		removedBytes,
		changedDeltaBytes,
		layers: {shared, onlyA, onlyB, sharedBytes: shared.reduce((sum, layer) => sum + layer.sizeBytes, 0), uniqueBytesA, uniqueBytesB, commonBaseLayers},
	};
}
