// Where an image's manifests, config and layer blobs come from, whatever the source.
import type {PathTable} from '../model/path-table.js';
import type {LayerWalk, SourceKind} from '../model/types.js';

export interface Progress {
	/** Raw bytes consumed so far, and the total when known. */
	bytes: number;
	totalBytes: number | null;
	layersDone: number;
	layersTotal: number | null;
	phase: string;
}

export type ProgressListener = (progress: Progress) => void;

/** What names one layer's blob in its source: the manifest's name for it, and the digests the analysis read. */
export interface LayerBlobRef {
	index: number;
	/** The layer as the manifest names it: an archive member, a layout blob path, a registry digest. */
	name: string;
	digest: string | null;
	diffId: string;
	compressedSizeBytes: number | null;
}

/**
 * Re-open one layer's blob as it is stored (compressed or not), for reading file bytes again. It must not keep the
 * store alive (the walks it holds): make it in a scope of its own.
 */
export type LayerBlobOpener = (layer: LayerBlobRef) => Promise<AsyncIterable<Buffer>>;

export interface BlobStore {
	kind: SourceKind;
	/** What the user named (a path, `-` for stdin, an image reference). */
	reference: string;
	/** The table every layer walk of this source names its paths in. */
	paths: PathTable;
	/** Raw bytes of a small file (manifest, index, config), or undefined when it is not there. */
	read(name: string): Promise<Buffer | undefined>;
	/** Walk a layer blob (or return the walk already done while streaming). Throws when the blob is not there. */
	walk(name: string, layerIndex: number): Promise<LayerWalk>;
	/** Names present, for error messages. */
	has(name: string): Promise<boolean>;
	/** Digest-addressed stores (registries) name blobs by digest rather than by path. */
	blobName(digest: string): string;
	/**
	 * One layer's blob again (the analysis keeps no bytes). Throws InputError `missing` when the source no longer holds
	 * it, `unavailable` when the source cannot be read twice (see blobsUnavailable).
	 */
	openLayerBlob: LayerBlobOpener;
	/** Why openLayerBlob cannot work for this source at all (stdin: a pipe is read once), or null. */
	blobsUnavailable: string | null;
}

/** `sha256:abc` -> `blobs/sha256/abc`, the OCI layout path. */
export function ociBlobPath(digest: string): string {
	const [algorithm, hex] = digest.split(':');
	return `blobs/${algorithm}/${hex ?? ''}`;
}
