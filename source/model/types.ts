// The data model shared by the layer walker, the analysis and every consumer (TUI, JSON, CI, text).
// Nothing here knows about Ink or about tar bytes.
import type {EntryType, LayerEntry} from './entry.js';
import type {LayerEntries} from './layer-entries.js';
import type {Whiteouts} from './whiteouts.js';

export type {EntryType, LayerEntry} from './entry.js';

export type Compression = 'none' | 'gzip' | 'zstd';

/** What one pass over a layer blob produced. Entries keep tar order; repeated paths stay (last wins). */
export interface LayerWalk {
	/** In columns, paths as node ids of the image's PathTable (`entries.table`). */
	entries: LayerEntries;
	/** Node ids (in the image's PathTable) of the paths removed, and of the directories opaque whiteouts empty. */
	whiteouts: Whiteouts;
	/**
	 * What Docker counts as the layer's size (`docker history`, image inspect `Size`): the bytes of the regular files
	 * plus the length of each symlink's target, as the overlay2 driver sums the lstat sizes of its diff directory.
	 */
	sizeBytes: number;
	/** dive's rule, for the dive-compatible figures only: the bytes of the regular files. */
	diveSizeBytes: number;
	/** sha256 of the uncompressed tar stream. */
	diffId: string;
	/** sha256 of the blob as stored (equals diffId when uncompressed). */
	blobDigest: string;
	blobSize: number;
	compression: Compression;
	/**
	 * Set when the entries were read before the blob's digests were known (a worker still hashes the blob from its
	 * file): `blobDigest` and `diffId` are filled in when it resolves. walkLayers waits for it before it compares them.
	 */
	settled?: Promise<void>;
}

export type SourceKind = 'docker-archive' | 'oci-archive' | 'oci-layout' | 'dir' | 'docker-engine' | 'podman' | 'registry';

export interface HistoryItem {
	createdBy: string;
	created: string | null;
	emptyLayer: boolean;
	comment?: string;
	/** Index of the layer this history step made, null for empty_layer steps. */
	layerIndex: number | null;
}

/** Descriptor of a layer as the image manifest states it. */
export interface LayerDescriptor {
	index: number;
	/** sha256 of the uncompressed tar, from the config's rootfs.diff_ids. */
	diffId: string | null;
	/** Blob digest from an OCI/distribution manifest (null for classic docker save layers). */
	digest: string | null;
	mediaType: string | null;
	compressedSizeBytes: number | null;
}

export type EntryStatus = 'added' | 'modified' | 'unchanged' | 'removed';

/** A path touched by one layer, compared with the filesystem as it was below that layer. */
export interface FileChange {
	path: string;
	status: EntryStatus;
	type: EntryType;
	sizeBytes: number;
	mode: number;
	uid: number;
	gid: number;
	linkTarget?: string;
	/** For modified/unchanged: whether the bytes (or link target, or type) differ from the lower version. */
	contentChanged?: boolean;
}

export type WasteCause = 'removed' | 'overwritten' | 'duplicate';

export interface WastedFile {
	path: string;
	/** Layer that stored the bytes. */
	layerIndex: number;
	sizeBytes: number;
	cause: WasteCause;
	/** Layer whose change made the copy invisible. */
	hiddenByLayerIndex: number;
}

export interface LayerCounts {
	added: number;
	modified: number;
	unchanged: number;
	removed: number;
}

export interface LayerAnalysis {
	index: number;
	diffId: string;
	digest: string | null;
	mediaType: string | null;
	sizeBytes: number;
	compressedSizeBytes: number | null;
	compression: Compression;
	createdBy: string | null;
	created: string | null;
	comment: string | null;
	counts: LayerCounts;
	/** Bytes this layer stored that the final image does not show. */
	wastedBytes: number;
	/** Bytes of lower layers that this layer hid. */
	hiddenBytes: number;
	changes: FileChange[];
}

export interface DiveEfficiency {
	score: number;
	wastedBytes: number;
	userWastedPercent: number;
	/** Paths dive reports as inefficient, largest cumulative size first. */
	inefficiencies: {path: string; count: number; cumulativeSizeBytes: number}[];
	sizeBytes: number;
	userSizeBytes: number;
}

export interface ImageInfo {
	tags: string[];
	id: string;
	os: string | null;
	architecture: string | null;
	variant: string | null;
	created: string | null;
	config: Record<string, unknown>;
	/** The manifest's `org.opencontainers.image.base.name`/`.digest` annotations, where it has them (the advisor's base boundary). */
	annotations?: Record<string, string>;
	sizeBytes: number;
	compressedSizeBytes: number | null;
	fileCount: number;
}

export interface ImageAnalysis {
	source: {kind: SourceKind; reference: string};
	image: ImageInfo;
	layers: LayerAnalysis[];
	history: HistoryItem[];
	waste: {
		totalBytes: number;
		byCause: Record<WasteCause, number>;
		/** Largest first. */
		files: WastedFile[];
	};
	efficiency: DiveEfficiency;
	/** The merged filesystem with the version history of every path, for the explorer views. */
	tree: FsNode;
}

/** One state of a path: set by a layer entry, or removed by a layer. */
export interface NodeVersion {
	layer: number;
	/** null: removed in this layer (whiteout, opaque whiteout). */
	entry: LayerEntry | null;
	status: EntryStatus;
	/** Set when the bytes this version stored are not visible in the final image. */
	wasted?: {cause: WasteCause; hiddenByLayerIndex: number};
}

/** A node of the merged filesystem; versions are in layer order. */
export interface FsNode {
	name: string;
	path: string;
	parent: FsNode | null;
	children: Map<string, FsNode> | null;
	versions: NodeVersion[];
	/** Layers that cleared everything below this node: a whiteout of it, an opaque whiteout in it, a non-directory over it. */
	cuts?: number[];
}
