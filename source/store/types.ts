// What the store view shows: every image of a local engine, what they share, what is dangling, the disk totals.
import type {EngineKind} from '../sources/engine-endpoint.js';

export interface StoreImage {
	/** `sha256:…`, as the engine names it. */
	id: string;
	/** `repo:tag`; empty for dangling and intermediate images (the engine's `<none>:<none>` dropped). */
	tags: string[];
	/** `repo@sha256:…` (the engine's `<none>@<none>` dropped). */
	digests: string[];
	/** RFC 3339, from the image inspect. */
	created: string | null;
	/** The engine's Size: every layer of the image, shared or not. */
	sizeBytes: number;
	/** Bytes of layers another listed image uses too (the engine's SharedSize); null where the engine does not say. */
	sharedBytes: number | null;
	/** sizeBytes − sharedBytes: what removing this image alone frees. */
	uniqueBytes: number | null;
	/** The uncompressed layer digests, base first (RootFS.Layers). */
	diffIds: string[];
	/** The layers as the engine stores them on disk (a diffID on top of its parents), base first. */
	chainIds: string[];
	/** Containers created from this image, running or not. */
	containers: number;
	/** No tag and no child image: what `docker image prune` removes. */
	dangling: boolean;
	/** No tag, parent of another image (classic builder steps): listed with `-a` only. */
	intermediate: boolean;
	parentId: string | null;
	/**
	 * What loadImage opens this image by (`docker://sha256:…`, or the archive with `image` to pick it, and `platform`
	 * when the explorer lists the platforms of an index one a row).
	 */
	open: {reference: string; image?: string; platform?: string};
}

export interface StoreTotals {
	/** Images `docker system df` counts (intermediates not included). */
	images: number;
	/** Of those, images at least one container uses. */
	active: number;
	/** Disk the layers of all images take, each layer once (the engine's LayersSize). */
	layersBytes: number;
	/** What removing every image no container uses would free, by the docker CLI's formula. */
	reclaimableBytes: number;
}

export interface StoreContainer {
	id: string;
	names: string[];
	imageId: string;
	state: string;
}

export interface StoreListing {
	/** Where the images are: an engine, or a multi-image archive (or OCI layout) named by `url`. */
	engine: EngineKind | 'archive';
	/** The engine's address as the user would write it, or the archive's path. */
	url: string;
	images: StoreImage[];
	containers: StoreContainer[];
	totals: StoreTotals;
}

/** One layer on disk and the images that use it. */
export interface LayerShare {
	chainId: string;
	diffId: string;
	/** The layer's size on disk as the engine reports it in the image history; null where no history names it. */
	sizeBytes: number | null;
	/** Ids of the listed images that contain this layer. */
	images: string[];
}
