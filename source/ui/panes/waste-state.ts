// The wasted-files pane's part of the reducer: the selected wasted copy, and showing it in the tree.
import {lookup} from '../../model/fs-tree.js';
import type {ActionName} from '../bindings.js';
import {cursorStep, moveTo} from '../list-cursor.js';
import type {Context, ViewState} from '../state.js';
import {ALL_STATUSES} from '../tree-rows.js';
import {reveal} from './files-state.js';
import {selectLayer} from './layers-state.js';

export function wasteHeight(ctx: Context): number {
	return ctx.layout.wasteList?.height ?? 1;
}

export function selectWaste(state: ViewState, ctx: Context, index: number): ViewState {
	const count = ctx.model.analysis.waste.files.length;
	if (count === 0) return state;
	return {...state, waste: moveTo(state.waste, index, count, wasteHeight(ctx))};
}

/** Show a wasted copy in the tree: the layer that stored it, the cursor on its path. */
function showWaste(state: ViewState, ctx: Context): ViewState {
	const file = ctx.model.analysis.waste.files[state.waste.cursor];
	if (!file) return state;
	const node = lookup(ctx.model.analysis.tree, file.path);
	let next = selectLayer({...state, pane: 'files', aggregated: false, filter: ALL_STATUSES, wastedOnly: false, pathFilter: ''}, ctx, file.layerIndex);
	const view = ctx.model.view(next);
	const index = node ? view.indexOf.get(node) : undefined;
	if (index !== undefined) next = reveal(next, ctx, index);
	return next;
}

export function wasteAction(state: ViewState, ctx: Context, action: ActionName): ViewState {
	const step = cursorStep(action, Math.max(1, wasteHeight(ctx) - 1));
	if (step) return selectWaste(state, ctx, step(state.waste.cursor));
	switch (action) {
		case 'open':
			return showWaste(state, ctx);
		default:
			return state;
	}
}
