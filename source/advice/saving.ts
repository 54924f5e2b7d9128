// What a fix saves, computed on the analysis rather than estimated: apply the change to the waste records and
// count the bytes that are no longer stored.
//   - merging layers a..b into one step: the merged layer holds only what is visible at its end, so every copy
//     stored by a layer in a..b and hidden by a layer in a..b disappears;
//   - keeping a file's mode or owner on its first copy (`COPY --chmod`), moving a delete or a rewrite into the step
//     that made the file, keeping files out of the context: those hidden copies are never stored;
//   - advice that changes nothing (package bookkeeping) saves nothing.
import type {ImageAnalysis, WastedFile} from '../model/types.js';

export type FixEffect = {kind: 'merge'; from: number; to: number} | {kind: 'drop'; files: WastedFile[]} | {kind: 'none'};

export interface Saving {
	/** The waste records the fix removes. */
	files: WastedFile[];
	bytes: number;
	/** Percent of the image's size (bytes of its layers), two decimals. */
	percent: number;
}

export function wasteRemovedBy(analysis: ImageAnalysis, effect: FixEffect): WastedFile[] {
	switch (effect.kind) {
		case 'merge':
			return analysis.waste.files.filter(f => f.layerIndex >= effect.from && f.hiddenByLayerIndex <= effect.to);
		case 'drop':
			return effect.files;
		default:
			return [];
	}
}

export function percentOf(bytes: number, total: number): number {
	return total > 0 ? Math.round((bytes / total) * 10_000) / 100 : 0;
}

export function applyFix(analysis: ImageAnalysis, effect: FixEffect): Saving {
	const files = wasteRemovedBy(analysis, effect);
	const bytes = files.reduce((sum, f) => sum + f.sizeBytes, 0);
	return {files, bytes, percent: percentOf(bytes, analysis.image.sizeBytes)};
}
