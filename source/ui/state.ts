// The explorer's view state and the top of its reducer, as pure functions: (state, input, context) -> state.
// No Ink here, no I/O: the component feeds input events in and draws what comes out; file contents and exports
// arrive as effect results (effects.ts). Each pane, overlay and prompt has its own part (panes/, overlays/, mouse.ts); this file
// routes an event to the part that has the focus and holds what is everywhere (panes, help, search, explain).
import type {ImageAnalysis} from '../model/types.js';
import {visible} from '../util/sanitize.js';
import {actionFor, type ActionName} from './bindings.js';
import type {InputEvent} from './keys.js';
import type {ExplorerModel} from './explorer-model.js';
import {computeLayout, type Layout} from './layout.js';
import {follow, LIST_START} from './list-cursor.js';
import {mouseInput} from './mouse.js';
import {openExplain} from './overlays/explain.js';
import {overlayInput} from './overlays/overlay-input.js';
import {promptInput} from './overlays/prompt.js';
import {cursorPosition, filesAction, reveal, settle} from './panes/files-state.js';
import {layersAction, layersHeight} from './panes/layers-state.js';
import {wasteAction, wasteHeight, wasteSubject} from './panes/waste-state.js';
import {imageSummary} from './panes/waste-view.js';
import {layerSteps} from './panes/layer-steps.js';
import {ALL_STATUSES, findMatch, matchRank, NONE_COLLAPSED} from './tree-rows.js';
import type {Context, Pane, Subject, ViewState} from './view-state.js';

export {ExplorerModel} from './explorer-model.js';
export type {ContentOverlay, Context, FileTarget, Overlay, Pane, PendingExport, Prompt, Subject, ViewState} from './view-state.js';
export type {ContentView} from './overlays/content.js';

export function initialState(analysis: ImageAnalysis): ViewState {
	return {
		pane: 'layers',
		layer: 0,
		layerScroll: 0,
		aggregated: false,
		sort: 'name',
		filter: ALL_STATUSES,
		wastedOnly: false,
		pathFilter: '',
		search: '',
		collapse: NONE_COLLAPSED,
		cursor: null,
		tree: LIST_START,
		attributes: null,
		waste: LIST_START,
		wasteOpen: new Set(),
		overlay: null,
		prompt: null,
		pendingExport: null,
		message: analysis.layers.length === 0 ? {text: 'the image has no layers', tone: 'info'} : null,
		nextId: 1,
		quit: false,
		suspends: 0,
	};
}

/** The layout of the explorer for a terminal size and the focused pane (the image summary's height as it wraps). */
export function layoutFor(model: ExplorerModel, width: number, height: number, pane: Pane, images?: string[] | null): Layout {
	const summaryLines = (columns: number): number => imageSummary(model.analysis, {color: false}, columns, images, model.advice).length;
	return computeLayout({width, height, layerCount: layerSteps(model.analysis).rows.length, pane, summaryLines});
}

function panes(ctx: Context): Pane[] {
	const list: Pane[] = ['layers', 'files'];
	if (ctx.model.analysis.waste.files.length > 0) list.push('waste');
	return list;
}

function switchPane(state: ViewState, ctx: Context, step: number): ViewState {
	const list = panes(ctx);
	const at = Math.max(0, list.indexOf(state.pane));
	const pane = list[(at + step + list.length) % list.length];
	const next = {...state, pane};
	return pane === 'files' ? settle(next, ctx) : next;
}

/** What `x` explains in the focused pane: the layer, the wasted copy, or the selected path. */
function explainSubject(state: ViewState, ctx: Context): Subject | null {
	if (state.pane === 'layers') return {type: 'layer', layer: state.layer};
	if (state.pane === 'waste') return wasteSubject(state, ctx);
	const rows = ctx.model.rows(state);
	const {index} = cursorPosition(state, rows);
	return index < 0 ? null : {type: 'file', node: rows.view.node[index], layer: state.layer};
}

/** Apply one named action: those that work everywhere here, the rest by the focused pane. */
export function reduceAction(state: ViewState, action: ActionName, ctx: Context): ViewState {
	switch (action) {
		case 'quit':
			return {...state, quit: true};
		case 'suspend':
			return {...state, suspends: state.suspends + 1};
		case 'nextPane':
			return switchPane(state, ctx, 1);
		case 'previousPane':
			return switchPane(state, ctx, -1);
		case 'help':
			return {...state, overlay: {kind: 'help', scroll: 0}};
		case 'imageConfig':
			return {...state, overlay: {kind: 'config', scroll: 0}};
		case 'escape':
			if (state.search) return {...state, search: '', message: null};
			return {...state, message: null};
		case 'filter':
			return {...state, prompt: {kind: 'filter', text: state.pathFilter}};
		case 'search':
			return {...state, prompt: {kind: 'search', text: '', origin: state.cursor}, pane: 'files'};
		case 'searchNext':
		case 'searchPrevious': {
			if (!state.search) return {...state, message: {text: 'no search yet: press / to search', tone: 'info'}};
			const rows = ctx.model.rows(state);
			const {index} = cursorPosition(state, rows);
			const forward = action === 'searchNext';
			const match = findMatch(rows.view, rows.keep, state.search, Math.max(0, index), forward ? 1 : -1);
			if (match < 0) return {...state, message: {text: `no match for ${visible(state.search)}`, tone: 'error'}};
			const {rank, total} = matchRank(rows.view, rows.keep, state.search, match);
			const wrapped = forward ? match <= index : match >= index;
			const text = `${rank} of ${total}${wrapped ? (forward ? ' · search wrapped to the top' : ' · search wrapped to the bottom') : ''}`;
			return reveal({...state, pane: 'files', message: {text, tone: 'info'}}, ctx, match);
		}
		case 'explain':
			return openExplain(state, explainSubject(state, ctx));
		default:
	}
	if (state.pane === 'layers') return layersAction(state, ctx, action);
	if (state.pane === 'waste') return wasteAction(state, ctx, action);
	return filesAction(state, ctx, action);
}

/** One input event (key, text, mouse) -> the next state: to the prompt, else the overlay, else the panes. */
export function reduceInput(state: ViewState, event: InputEvent, ctx: Context): ViewState {
	if (state.prompt) return promptInput(state, ctx, event);
	const base = state.message && event.kind !== 'mouse' ? {...state, message: null} : state;
	if (state.overlay) return overlayInput(base, ctx, event);
	if (event.kind === 'mouse') return mouseInput(base, ctx, event);
	const action = actionFor(event.name, state.pane);
	if (!action) return base;
	return reduceAction(base, action, ctx);
}

/** Ensure every list's cursor is on a row and in view (first show, resize). */
export function settleState(state: ViewState, ctx: Context): ViewState {
	const next = settle(state, ctx);
	return {
		...next,
		layerScroll: follow(layerSteps(ctx.model.analysis).rowOf[next.layer] ?? 0, next.layerScroll, layersHeight(ctx), layerSteps(ctx.model.analysis).rows.length),
		waste: {cursor: next.waste.cursor, scroll: follow(next.waste.cursor, next.waste.scroll, wasteHeight(ctx), ctx.model.wasteRows(next.wasteOpen).length)},
	};
}
