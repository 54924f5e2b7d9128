// What an analysis needs to open its layer blobs again (file contents), kept beside it: loadImage returns the analysis
// alone (pure data, written out as the JSON report), so this is looked up by the analysis object. It holds the layer
// names and digests and the store's opener, never the store (its walks would stay in memory as long as the analysis).
import type {ImageAnalysis, SourceKind} from '../model/types.js';
import type {LayerBlobOpener, LayerBlobRef} from './blob-store.js';
import type {ResolvedImage} from './resolve.js';

export interface LayerBlobs {
	kind: SourceKind;
	/** Why the blobs cannot be opened again at all, or null (see BlobStore.blobsUnavailable). */
	unavailable: string | null;
	/** Per layer, in order. */
	layers: readonly LayerBlobRef[];
	open: LayerBlobOpener;
}

const remembered = new WeakMap<ImageAnalysis, LayerBlobs>();

export function rememberLayerBlobs(
	analysis: ImageAnalysis,
	store: {kind: SourceKind; openLayerBlob: LayerBlobOpener; blobsUnavailable: string | null},
	resolved: ResolvedImage,
): void {
	const layers = analysis.layers.map((layer, i) => ({
		index: layer.index,
		name: resolved.layers[i].name,
		digest: layer.digest,
		diffId: layer.diffId,
		compressedSizeBytes: layer.compressedSizeBytes,
	}));
	remembered.set(analysis, {kind: store.kind, unavailable: store.blobsUnavailable, layers, open: store.openLayerBlob});
}

/** The layer blobs of an analysis loadImage (or analyzeStore) made; undefined for any other object. */
export function layerBlobsOf(analysis: ImageAnalysis): LayerBlobs | undefined {
	return remembered.get(analysis);
}
