// The mouse in the panes (the bindings table's `mouse` scope): the wheel scrolls the list under the pointer,
// a click selects a layer, a file or a wasted file, and a click on the selected directory collapses or expands it.
import {mouseActionFor} from './bindings.js';
import type {InputEvent} from './keys.js';
import {inside} from './layout.js';
import {rowAt} from './list-cursor.js';
import {cursorPosition, filesAction, moveTree} from './panes/files-state.js';
import {layerAtRow, layerSteps} from './panes/layer-steps.js';
import {selectLayer} from './panes/layers-state.js';
import {selectWaste} from './panes/waste-state.js';
import type {Context, ViewState} from './view-state.js';

/** Rows one notch of the wheel moves. */
const WHEEL_ROWS = 3;

export function mouseInput(state: ViewState, ctx: Context, event: Extract<InputEvent, {kind: 'mouse'}>): ViewState {
	const {layout} = ctx;
	const {x, y} = event;
	const kind = event.action === 'press' ? 'click' : event.action === 'wheel-up' || event.action === 'wheel-down' ? 'wheel' : null;
	const action = kind ? mouseActionFor(kind) : null;
	if (action !== 'scroll' && action !== 'select') return state;
	const wheel = action === 'scroll' ? (event.action === 'wheel-up' ? -WHEEL_ROWS : WHEEL_ROWS) : 0;
	if (inside(layout.layers, x, y)) {
		if (wheel) return selectLayer({...state, pane: 'layers'}, ctx, state.layer + wheel);
		const layer = layerAtRow(layerSteps(ctx.model.analysis), rowAt({cursor: state.layer, scroll: state.layerScroll}, y - layout.layers.y));
		return layer === null ? state : selectLayer({...state, pane: 'layers'}, ctx, layer);
	}
	if (inside(layout.wasteList, x, y) && ctx.model.wasteRows(state.wasteOpen).length > 0) {
		if (wheel) return selectWaste({...state, pane: 'waste'}, ctx, state.waste.cursor + wheel);
		return selectWaste({...state, pane: 'waste'}, ctx, rowAt(state.waste, y - layout.wasteList.y));
	}
	if (inside(layout.tree, x, y)) {
		const focused = {...state, pane: 'files' as const};
		if (wheel) return moveTree(focused, ctx, r => r + wheel);
		const rows = ctx.model.rows(state);
		const row = rowAt(state.tree, y - layout.tree.y);
		if (row >= rows.rows.length) return focused;
		const index = rows.rows[row];
		const already = cursorPosition(state, rows).index === index && state.pane === 'files';
		const selected = moveTree(focused, ctx, () => row);
		if (already && rows.view.isDir[index]) return filesAction(selected, ctx, 'toggleCollapse');
		return selected;
	}
	return state;
}
