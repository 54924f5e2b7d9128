// The wasted-files pane's part of the reducer: the selected row (a wasted copy, or a directory of them), opening a
// directory to its files, and showing a copy or a directory in the tree of the layer that stored it.
import {lookup} from '../../model/fs-tree.js';
import type {ActionName} from '../bindings.js';
import {cursorStep, moveTo} from '../list-cursor.js';
import type {Context, Subject, ViewState} from '../view-state.js';
import {ALL_STATUSES} from '../tree-rows.js';
import {reveal} from './files-state.js';
import {selectLayer} from './layers-state.js';
import type {WasteRow} from './waste-rows.js';

export function wasteHeight(ctx: Context): number {
	return ctx.layout.wasteList?.height ?? 1;
}

export function selectWaste(state: ViewState, ctx: Context, index: number): ViewState {
	const count = ctx.model.wasteRows(state.wasteOpen).length;
	if (count === 0) return state;
	return {...state, waste: moveTo(state.waste, index, count, wasteHeight(ctx))};
}

function selectedRow(state: ViewState, ctx: Context): WasteRow | undefined {
	return ctx.model.wasteRows(state.wasteOpen)[state.waste.cursor];
}

/** What `x` explains here: the wasted copy, or everything wasted below the directory. */
export function wasteSubject(state: ViewState, ctx: Context): Subject | null {
	const row = selectedRow(state, ctx);
	if (!row) return null;
	if (row.kind === 'file') return {type: 'waste', index: row.index};
	const node = lookup(ctx.model.analysis.tree, row.dir);
	return node ? {type: 'file', node, layer: row.layer} : null;
}

/** Show a wasted copy (or a directory of them) in the tree: the layer that stored it, the cursor on its path. */
function showWaste(state: ViewState, ctx: Context): ViewState {
	const row = selectedRow(state, ctx);
	if (!row) return state;
	const file = row.kind === 'file' ? ctx.model.analysis.waste.files[row.index] : null;
	const path = file ? file.path : row.kind === 'group' ? row.dir : '';
	const layer = file ? file.layerIndex : row.kind === 'group' ? row.layer : 0;
	const node = lookup(ctx.model.analysis.tree, path);
	let next = selectLayer({...state, pane: 'files', aggregated: false, filter: ALL_STATUSES, wastedOnly: false, pathFilter: ''}, ctx, layer);
	const view = ctx.model.view(next);
	const index = node ? view.indexOf.get(node) : undefined;
	if (index !== undefined) next = reveal(next, ctx, index);
	return next;
}

/** Open a directory row to its files, or close it (from one of its files too). */
function toggleGroup(state: ViewState, ctx: Context): ViewState {
	const rows = ctx.model.wasteRows(state.wasteOpen);
	let at = state.waste.cursor;
	while (at > 0 && rows[at]?.kind === 'file' && (rows[at] as {depth: number}).depth > 0) at--;
	const row = rows[at];
	if (row?.kind !== 'group') return state;
	const open = new Set(state.wasteOpen);
	if (open.has(row.dir)) open.delete(row.dir);
	else open.add(row.dir);
	return selectWaste({...state, wasteOpen: open}, ctx, at);
}

export function wasteAction(state: ViewState, ctx: Context, action: ActionName): ViewState {
	const step = cursorStep(action, Math.max(1, wasteHeight(ctx) - 1));
	if (step) return selectWaste(state, ctx, step(state.waste.cursor));
	switch (action) {
		case 'open':
			return showWaste(state, ctx);
		case 'toggleCollapse':
			return toggleGroup(state, ctx);
		default:
			return state;
	}
}
