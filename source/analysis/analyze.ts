// The analysis: stack the layers in order, give every touched path a status, follow every stored copy of file
// bytes until the final image, and charge the copies no path shows to the layer that stored them and the layer
// that hid them. Pure computation on LayerWalk data: no I/O, no UI.
//
// Everything per path or per entry lives in typed-array columns indexed by node id (the image's PathTable) or by
// global entry number (ImageEntries); the FsNode tree and the change lists are made from them only when asked for.
import {diveEfficiency} from './dive-efficiency.js';
import {Cuts} from '../model/cuts.js';
import {IMPLICIT, ImageEntries} from '../model/image-entries.js';
import {DIRECTORY, FILE, HARDLINK} from '../model/layer-entries.js';
import {changeList, changeRows, materializeTree, setChangeRows, type ColumnarTree} from '../model/materialize.js';
import {PathTable, ROOT} from '../model/path-table.js';
import {
	ADDED,
	CAUSES,
	CAUSE_DUPLICATE,
	CAUSE_OVERWRITTEN,
	CAUSE_REMOVED,
	MODIFIED,
	REMOVED,
	STATUSES,
	UNCHANGED,
	VersionStore,
} from '../model/version-store.js';
import type {
	FileChange,
	FsNode,
	HistoryItem,
	ImageAnalysis,
	ImageInfo,
	LayerAnalysis,
	LayerDescriptor,
	LayerWalk,
	SourceKind,
	WasteCause,
	WastedFile,
} from '../model/types.js';

export interface AnalysisInput {
	source: {kind: SourceKind; reference: string};
	image: Omit<ImageInfo, 'sizeBytes' | 'compressedSizeBytes' | 'fileCount'>;
	layers: {walk: LayerWalk; descriptor: LayerDescriptor}[];
	history: HistoryItem[];
	/** Keep per-layer change lists (the explorer and `--files` need them). */
	keepChanges?: boolean;
}

const NONE = -1;
/** copyVersion of a copy whose version a later entry of the same layer rewrote in place. */
const DETACHED = -2;

export function analyzeImage(input: AnalysisInput): ImageAnalysis {
	const walks = input.layers.map(layer => layer.walk);
	const table = walks[0]?.entries.table ?? new PathTable();
	// dive's figure first: its working columns are garbage before the stacking below builds its own. The paths it
	// names (whiteout leaves) count against the table's own budget.
	const efficiency = diveEfficiency(walks);

	const entries = new ImageEntries(walks.map(walk => walk.entries));
	const nodes = table.size;
	const versions = new VersionStore(nodes);
	const cuts = new Cuts();
	const keepChanges = input.keepChanges !== false;
	const layers: LayerAnalysis[] = [];
	const columnar: ColumnarTree = {table, entries, versions, cuts};

	// Working state of the stacking, dropped at the end. Per node: the live entry (global number, IMPLICIT, or NONE)
	// and the copy of bytes it shows. Per entry: each stored copy's reference count, fate and version.
	const liveEntry = new Int32Array(nodes).fill(NONE);
	const liveCopy = new Int32Array(nodes).fill(NONE);
	const copyRefs = new Int32Array(entries.total);
	const copyHiddenBy = new Int32Array(entries.total).fill(NONE);
	const copyCause = new Uint8Array(entries.total);
	const copyVersion = new Int32Array(entries.total).fill(NONE);
	// This layer's change per node (a version number), and the nodes it touched, in order.
	const changeStamp = new Int32Array(nodes).fill(NONE);
	const changeOf = new Int32Array(nodes);

	const isLiveDirectory = (node: number): boolean => liveEntry[node] !== NONE && entries.typeCode(liveEntry[node]) === DIRECTORY;

	/** Layer `layer` cleared everything below `node`. */
	const addCut = (node: number, layer: number): void => cuts.add(node, layer);

	const release = (copy: number, layer: number, cause: number): void => {
		if (copy === NONE || copyRefs[copy] === 0) return;
		if (--copyRefs[copy] === 0) {
			copyHiddenBy[copy] = layer;
			copyCause[copy] = cause;
		}
	};

	/** Take `node` and everything below it out of the filesystem (layer `layer` did it, for `cause`). */
	const clear = (node: number, layer: number, cause: number, includeSelf: boolean): void => {
		// Only live nodes can have live children: the walk prunes at the first node not shown.
		const stack: number[] = [];
		if (includeSelf) stack.push(node);
		else for (const child of table.children(node)) stack.push(child);
		while (stack.length > 0) {
			const current = stack.pop()!;
			if (current >= nodes || liveEntry[current] === NONE) continue;
			release(liveCopy[current], layer, cause);
			liveEntry[current] = NONE;
			liveCopy[current] = NONE;
			// A path written earlier in this same layer leaves a removal mark, since the cut does not hide it.
			const last = versions.last[current];
			if (current !== node && last !== NONE && versions.layer(last) === layer && versions.status(last) !== REMOVED)
				versions.push(current, layer, NONE, REMOVED);
			for (const child of table.children(current)) stack.push(child);
		}
		addCut(node, layer);
	};

	input.layers.forEach(({walk, descriptor}, index) => {
		const layerEntries = walk.entries;
		const base = entries.bases[index];
		const touched: number[] = [];
		const noteChange = (node: number, v: number): void => {
			if (changeStamp[node] !== index) {
				changeStamp[node] = index;
				touched.push(node);
			}
			changeOf[node] = v;
		};

		// Statuses compare with the filesystem just below this layer: remember it before anything moves.
		const count = layerEntries.count;
		const nodeOf = layerEntries.node.data;
		const belowEntry = new Int32Array(count).fill(NONE);
		const belowCopy = new Int32Array(count).fill(NONE);
		if (index > 0)
			for (let i = 0; i < count; i++) {
				belowEntry[i] = liveEntry[nodeOf[i]];
				belowCopy[i] = liveCopy[nodeOf[i]];
			}

		const removeNode = (node: number, cause: number): void => {
			const removed = liveEntry[node];
			clear(node, index, cause, true);
			noteChange(node, versions.push(node, index, removed, REMOVED));
		};

		// Whiteouts apply to the lower layers before this layer's own entries.
		for (let w = 0; w < walk.whiteouts.count; w++) {
			const node = walk.whiteouts.node(w);
			if (walk.whiteouts.opaque(w)) {
				if (liveEntry[node] === NONE && node !== ROOT) continue;
				for (const lower of table.children(node)) if (lower < nodes && liveEntry[lower] !== NONE) removeNode(lower, CAUSE_REMOVED);
				addCut(node, index);
			} else if (liveEntry[node] !== NONE) {
				removeNode(node, CAUSE_REMOVED);
			}
		}

		const chain: number[] = [];
		for (let i = 0; i < count; i++) {
			const node = nodeOf[i];
			const g = base + i;
			// Parents: a missing or non-directory parent becomes an implicit directory. Above a live directory all
			// parents are live directories, so the climb stops there.
			chain.length = 0;
			for (let parent = table.parent(node); parent !== ROOT && parent !== NONE && !isLiveDirectory(parent); parent = table.parent(parent)) chain.push(parent);
			for (let k = chain.length - 1; k >= 0; k--) {
				const parent = chain[k];
				const was = liveEntry[parent];
				if (was !== NONE) release(liveCopy[parent], index, CAUSE_OVERWRITTEN);
				liveEntry[parent] = IMPLICIT;
				liveCopy[parent] = NONE;
				versions.push(parent, index, IMPLICIT, was !== NONE ? MODIFIED : ADDED);
			}
			if (node === ROOT) continue; // the root itself (`./`) carries nothing we show

			const type = layerEntries.typeCode(i);
			const previous = liveEntry[node];
			const previousCopy = liveCopy[node];
			// Hard links share the copy of their target; the link's "content" is the target's.
			let copy = NONE;
			if (type === HARDLINK) {
				const target = layerEntries.hardlinkTarget(i);
				const targetCopy = target >= 0 && target < nodes ? liveCopy[target] : NONE;
				if (targetCopy !== NONE) {
					copy = targetCopy;
					copyRefs[copy]++;
					const at = entries.locate(copy);
					layerEntries.copyHash(i, at.entries, at.index);
				}
			}

			if (previous !== NONE) {
				if (entries.typeCode(previous) === DIRECTORY && type !== DIRECTORY) clear(node, index, CAUSE_OVERWRITTEN, false);
				const duplicate = type === FILE && previousCopy !== NONE && entries.sameHash(previousCopy, layerEntries, i);
				release(previousCopy, index, duplicate ? CAUSE_DUPLICATE : CAUSE_OVERWRITTEN);
			}

			const lower = belowEntry[i];
			let status = ADDED;
			let contentChanged: boolean | undefined;
			if (lower !== NONE) {
				contentChanged = !entries.sameContent(lower, layerEntries, i);
				status = contentChanged || !entries.sameMetadata(lower, layerEntries, i) ? MODIFIED : UNCHANGED;
			}
			// Removed by this layer's whiteout and written again by it (`rm -rf d && mkdir d && ...`): the lower copy
			// was really replaced, so the cause is the replacement's, not the removal's.
			const old = belowCopy[i];
			if (old !== NONE && copyRefs[old] === 0 && copyHiddenBy[old] === index && copyCause[old] === CAUSE_REMOVED)
				copyCause[old] = type === FILE && entries.sameHash(old, layerEntries, i) ? CAUSE_DUPLICATE : CAUSE_OVERWRITTEN;

			const last = versions.last[node];
			let v: number;
			if (last !== NONE && versions.layer(last) === index && versions.status(last) !== REMOVED) {
				// The same path twice in one layer: the last one counts; the earlier copy's version is gone.
				const earlier = versions.entry(last);
				if (earlier >= 0 && copyVersion[earlier] === last) copyVersion[earlier] = DETACHED;
				versions.replace(last, g, status, contentChanged);
				v = last;
			} else {
				v = versions.push(node, index, g, status, contentChanged);
			}

			if (type === FILE) {
				copy = g;
				copyRefs[g] = 1;
				copyVersion[g] = v;
				copyHiddenBy[g] = NONE;
				copyCause[g] = CAUSE_REMOVED;
			}
			liveEntry[node] = g;
			liveCopy[node] = copy;
			noteChange(node, v);
		}

		const counts = {added: 0, modified: 0, unchanged: 0, removed: 0};
		const changeVersions = new Int32Array(touched.length);
		for (let k = 0; k < touched.length; k++) {
			const v = changeOf[touched[k]];
			changeVersions[k] = v;
			counts[STATUSES[versions.status(v)]]++;
		}
		const layer: LayerAnalysis = {
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
			changes: [],
		};
		if (keepChanges) lazyChanges(layer, columnar, changeVersions, Int32Array.from(touched));
		layers.push(layer);
	});

	// Waste: every copy that no path shows in the end, in the order the layers stored them.
	const files: WastedFile[] = [];
	const byCause: Record<WasteCause, number> = {removed: 0, overwritten: 0, duplicate: 0};
	for (let g = 0; g < entries.total; g++) {
		if (copyVersion[g] === NONE || copyRefs[g] > 0) continue;
		const at = entries.locate(g);
		const size = at.entries.size(at.index);
		if (size === 0) continue;
		const cause = CAUSES[copyCause[g]];
		const hiddenBy = copyHiddenBy[g];
		files.push({path: table.pathOf(at.entries.node.data[at.index]), layerIndex: at.layer, sizeBytes: size, cause, hiddenByLayerIndex: hiddenBy});
		if (copyVersion[g] >= 0) versions.setWaste(copyVersion[g], copyCause[g], hiddenBy);
		byCause[cause] += size;
		layers[at.layer].wastedBytes += size;
		if (hiddenBy > at.layer) layers[hiddenBy].hiddenBytes += size;
	}
	files.sort((a, b) => b.sizeBytes - a.sizeBytes || a.layerIndex - b.layerIndex || (a.path < b.path ? -1 : 1));

	let fileCount = 0;
	for (let node = 0; node < nodes; node++) if (liveEntry[node] !== NONE && entries.typeCode(liveEntry[node]) !== DIRECTORY) fileCount++;
	versions.trim();
	cuts.seal();

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
	const analysis: Omit<ImageAnalysis, 'tree'> = {
		source: input.source,
		image: {
			...input.image,
			sizeBytes: layers.reduce((sum, layer) => sum + layer.sizeBytes, 0),
			compressedSizeBytes: compressed.every(size => size !== null) && compressed.length > 0 ? compressed.reduce<number>((a, b) => a + (b ?? 0), 0) : null,
			fileCount,
		},
		layers,
		history,
		waste: {totalBytes: wasteTotal, byCause, files},
		efficiency,
	};
	lazyTree(analysis, columnar);
	return analysis as ImageAnalysis;
}

/**
 * `analysis.tree`, made from the columns on first use: only what walks objects asks (the explorer, diff); --json and
 * the CI gate never do. A function of its own: a getter made in analyzeImage would keep that function's scope, and
 * with it the stacking's working columns (3.3 MB on the bench's big image), for as long as the analysis lives.
 */
function lazyTree(analysis: Omit<ImageAnalysis, 'tree'>, columnar: ColumnarTree): void {
	let tree: FsNode | null = null;
	Object.defineProperty(analysis, 'tree', {
		enumerable: false,
		get: () => (tree ??= materializeTree(columnar)),
	});
}

/** `layer.changes`, made from the change versions on first use; and the same one at a time, for the JSON report. */
function lazyChanges(layer: LayerAnalysis, columnar: ColumnarTree, changeVersions: Int32Array, nodes: Int32Array): void {
	let changes: FileChange[] | null = null;
	Object.defineProperty(layer, 'changes', {
		enumerable: true,
		get: () => (changes ??= changeList(columnar, changeVersions, nodes)),
	});
	setChangeRows(layer, () => changeRows(columnar, changeVersions, nodes));
}
