// The rows of the layers pane: every step of the image's history, as `docker history` lists them. A step that made
// no layer (ENV, CMD, LABEL, ENTRYPOINT, …) is a dimmed row of 0 B that the cursor passes over; each layer is the row
// of the step that made it. Without a history that accounts for every layer, the rows are the layers alone.
import type {HistoryItem, ImageAnalysis} from '../../model/types.js';

export interface LayerSteps {
	/** Per row: the layer it shows, or null for an empty step, and the step. */
	rows: {layer: number | null; step: HistoryItem | null}[];
	/** Per layer: its row. */
	rowOf: number[];
}

const cache = new WeakMap<ImageAnalysis, LayerSteps>();

export function layerSteps(analysis: ImageAnalysis): LayerSteps {
	const cached = cache.get(analysis);
	if (cached) return cached;
	const made = analysis.history.filter(step => step.layerIndex !== null).map(step => step.layerIndex);
	const complete = made.length === analysis.layers.length && made.every((layer, i) => layer === i);
	const rows = complete ? analysis.history.map(step => ({layer: step.layerIndex, step})) : analysis.layers.map(layer => ({layer: layer.index, step: null}));
	const rowOf: number[] = [];
	rows.forEach((row, i) => {
		if (row.layer !== null) rowOf[row.layer] = i;
	});
	const steps = {rows, rowOf};
	cache.set(analysis, steps);
	return steps;
}

/** The layer a row shows, or (an empty step) the layer after it, else the one before. */
export function layerAtRow(steps: LayerSteps, row: number): number | null {
	for (let r = row; r < steps.rows.length; r++) if (steps.rows[r].layer !== null) return steps.rows[r].layer;
	for (let r = row - 1; r >= 0; r--) if (steps.rows[r].layer !== null) return steps.rows[r].layer;
	return null;
}
