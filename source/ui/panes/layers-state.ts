// The layers pane's part of the reducer: the selected layer (and so the tree's view), layer or aggregated changes.
import type {ActionName} from '../bindings.js';
import {clamp, cursorStep, follow} from '../list-cursor.js';
import {layerSteps} from './layer-steps.js';
import type {Context, ViewState} from '../view-state.js';
import {settle} from './files-state.js';

export function layersHeight(ctx: Context): number {
	return ctx.layout.layers?.height ?? 1;
}

export function selectLayer(state: ViewState, ctx: Context, layer: number): ViewState {
	const count = ctx.model.analysis.layers.length;
	if (count === 0) return state;
	const steps = layerSteps(ctx.model.analysis);
	const cursor = clamp(layer, 0, count - 1);
	// The scroll is in rows of the pane, empty steps included.
	const layerScroll = follow(steps.rowOf[cursor], state.layerScroll, layersHeight(ctx), steps.rows.length);
	return settle({...state, layer: cursor, layerScroll}, ctx);
}

export function layersAction(state: ViewState, ctx: Context, action: ActionName): ViewState {
	const step = cursorStep(action, Math.max(1, layersHeight(ctx) - 1));
	if (step) return selectLayer(state, ctx, step(state.layer));
	switch (action) {
		case 'layerChanges':
			return settle({...state, aggregated: false}, ctx);
		case 'aggregatedChanges':
			return settle({...state, aggregated: true}, ctx);
		case 'open':
			return settle({...state, pane: 'files'}, ctx);
		default:
			return state;
	}
}
