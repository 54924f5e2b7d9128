// Keys and the wheel while an overlay (help, explanation, content viewer) is open: its own bindings, those of every
// overlay (close, quit), then the global movement keys, which scroll it (the viewer: content-input.ts).
import {bindingFor, type ActionName} from '../bindings.js';
import type {InputEvent} from '../keys.js';
import {cursorStep} from '../list-cursor.js';
import {defaultExportName} from '../panes/files-state.js';
import type {Context, ViewState} from '../view-state.js';
import {configBody} from './config.js';
import {contentAction} from './content-input.js';
import {explainBody} from './explain.js';
import {helpBody} from './help.js';

/** Lines an overlay's body shows at once. */
export function overlayHeight(ctx: Context): number {
	const rect = ctx.layout.right ?? ctx.layout.left;
	return Math.max(1, (rect?.height ?? ctx.layout.height) - 2);
}

/** Scroll the help or the explanation by a movement action, within the lines it has. */
function scrollOverlay(state: ViewState, ctx: Context, action: ActionName): ViewState {
	const overlay = state.overlay!;
	const room = overlayHeight(ctx);
	const step = cursorStep(action, room);
	if (!step) return state;
	const full = {width: ctx.layout.width, height: ctx.layout.height - 1};
	const theme = {color: false};
	const width = (ctx.layout.right ?? full).width;
	const lines =
		overlay.kind === 'help'
			? helpBody(theme, {x: 0, y: 0, ...full}, ctx.model.advice.lang).length
			: overlay.kind === 'config'
				? configBody(ctx.model, theme, width).length
				: explainBody(state, ctx, theme, width).length;
	const last = Math.max(0, lines - room);
	return {...state, overlay: {...overlay, scroll: Math.max(0, Math.min(step(Math.min(overlay.scroll, last)), last))}};
}

function act(state: ViewState, ctx: Context, action: ActionName): ViewState {
	const overlay = state.overlay!;
	if (overlay.kind === 'content') return contentAction(state, ctx, overlay, action) ?? state;
	return scrollOverlay(state, ctx, action);
}

export function overlayInput(state: ViewState, ctx: Context, event: InputEvent): ViewState {
	const overlay = state.overlay!;
	if (event.kind === 'mouse') {
		if (event.action === 'wheel-up') return act(state, ctx, 'up');
		if (event.action === 'wheel-down') return act(state, ctx, 'down');
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
			if (own) return act(state, ctx, own.action);
	}
	const action = bindingFor(event.name, ['global'])?.action;
	return action ? act(state, ctx, action) : state;
}
