// Keys and the wheel while an overlay (help, explanation, content viewer) is open: its own bindings, those of every
// overlay (close, quit), then the global movement keys, which scroll it.
import {bindingFor, type ActionName} from '../bindings.js';
import type {InputEvent} from '../keys.js';
import {cursorStep} from '../list-cursor.js';
import {defaultExportName} from '../panes/files-state.js';
import type {Context, ViewState} from '../state.js';
import {contentLineCount} from './content.js';

/** Lines an overlay's body shows at once. */
export function overlayHeight(ctx: Context): number {
	const rect = ctx.layout.right ?? ctx.layout.left;
	return Math.max(1, (rect?.height ?? ctx.layout.height) - 2);
}

/** Scroll by a movement action; keys keep the content viewer within its lines (the wheel leaves that to drawing). */
function scrollOverlay(state: ViewState, ctx: Context, action: ActionName, byKey: boolean): ViewState {
	const overlay = state.overlay!;
	const step = cursorStep(action, overlayHeight(ctx));
	if (!step) return state;
	const next = Math.max(0, step(overlay.scroll));
	// To the end: the drawing clamps it to the body it has.
	let scroll = Number.isFinite(next) ? next : 1e9;
	if (byKey && overlay.kind === 'content') {
		const lines = overlay.content ? contentLineCount(overlay.content, (ctx.layout.right ?? ctx.layout.left)?.width ?? ctx.layout.width) : 0;
		scroll = Math.min(scroll, Math.max(0, lines - overlayHeight(ctx)));
	}
	return {...state, overlay: {...overlay, scroll}};
}

export function overlayInput(state: ViewState, ctx: Context, event: InputEvent): ViewState {
	const overlay = state.overlay!;
	if (event.kind === 'mouse') {
		if (event.action === 'wheel-up') return scrollOverlay(state, ctx, 'up', false);
		if (event.action === 'wheel-down') return scrollOverlay(state, ctx, 'down', false);
		return state;
	}
	const own = bindingFor(event.name, [overlay.kind, 'overlay']);
	switch (own?.action) {
		case 'quit':
			return {...state, quit: true};
		case 'close':
			return {...state, overlay: null};
		case 'export':
			if (overlay.kind !== 'content') return state;
			return {...state, overlay: null, prompt: {kind: 'export', text: defaultExportName(overlay.target.shownPath), target: overlay.target}};
		default:
	}
	const action = bindingFor(event.name, ['global'])?.action;
	return action ? scrollOverlay(state, ctx, action, true) : state;
}
