// The Images line of `docker system df`, computed as the docker CLI computes it from the same `/system/df` answer.
import type {ImageSummary} from './engine-answers.js';
import type {StoreTotals} from './types.js';

/**
 * docker/cli cli/command/formatter/disk_usage.go, `diskUsageImagesContext.Reclaimable`: LayersSize minus, for every
 * image a container uses (Containers != 0, so also the engine's -1 "not counted"), its Size − SharedSize; an image
 * whose Size or SharedSize is -1 is skipped. Shared layers are thus always counted as reclaimable, as docker does.
 */
export function reclaimableBytes(layersBytes: number, images: readonly ImageSummary[]): number {
	let used = 0;
	for (const image of images) {
		if (image.containers === 0 || image.sharedBytes === null) continue;
		used += image.sizeBytes - image.sharedBytes;
	}
	return layersBytes - used;
}

export function storeTotals(layersBytes: number, images: readonly ImageSummary[]): StoreTotals {
	return {
		images: images.length,
		active: images.filter(image => (image.containers ?? 0) > 0).length,
		layersBytes,
		reclaimableBytes: reclaimableBytes(layersBytes, images),
	};
}
