// Keys in the content viewer: scrolling within the window it holds, and past either end of it reading the next or
// the previous window (so any size pages through, one window held); Home and End read the file's first and last
// window; `:` reads from a typed offset; `w` wraps long lines, ← → scroll them sideways.
import type {ActionName} from '../bindings.js';
import {cursorStep} from '../list-cursor.js';
import {textWidth} from '../cells.js';
import type {Context, ContentOverlay, FileTarget, ViewState} from '../view-state.js';
import {contentLineCount, contentRoom} from './content.js';
import {nextFirstLine, WINDOW_BYTES} from './content-window.js';

/** Columns one ← or → moves. */
const SIDE_STEP = 8;

/** The box the viewer draws in (as render.ts places it). */
export function contentRect(ctx: Context): {width: number; height: number} {
	return ctx.layout.right ?? {width: ctx.layout.width, height: ctx.layout.height - 1};
}

/** The viewer, open on `target`, reading its first window. */
export function openContent(state: ViewState, target: FileTarget): ViewState {
	const overlay: ContentOverlay = {kind: 'content', scroll: 0, target, content: null, request: null, error: null, wrap: false, column: 0};
	return readWindow({...state, overlay}, overlay, 0, WINDOW_BYTES, 1, false);
}

/** Ask for the window at `offset` (App.tsx reads it; effects.ts puts it in place). */
export function readWindow(state: ViewState, overlay: ContentOverlay, offset: number, length: number, firstLine: number | null, toEnd: boolean): ViewState {
	const request = {id: state.nextId, offset: Math.max(0, offset), length: Math.max(1, length), firstLine: offset <= 0 ? 1 : firstLine, toEnd};
	return {...state, overlay: {...overlay, request, error: null}, nextId: state.nextId + 1};
}

/** Read from an offset within the file (clamped to its last window). */
export function jumpTo(state: ViewState, overlay: ContentOverlay, offset: number): ViewState {
	const size = overlay.content?.size ?? overlay.target.size;
	const at = Math.max(0, Math.min(offset, size - 1));
	return readWindow({...state, overlay: {...overlay, column: 0}}, overlay, at, WINDOW_BYTES, null, false);
}

function longestLine(overlay: ContentOverlay): number {
	let widest = 0;
	for (const line of overlay.content?.lines ?? []) widest = Math.max(widest, textWidth(line));
	return widest;
}

/** A key's action in the viewer; null when it is not one of the viewer's. */
export function contentAction(state: ViewState, ctx: Context, overlay: ContentOverlay, action: ActionName): ViewState | null {
	const rect = contentRect(ctx);
	const window = overlay.content;
	switch (action) {
		case 'toggleWrap':
			return {...state, overlay: {...overlay, wrap: !overlay.wrap, column: 0, scroll: 0}};
		case 'left':
		case 'right': {
			if (overlay.wrap) return state;
			const widest = longestLine(overlay);
			const column = Math.max(0, Math.min(overlay.column + (action === 'left' ? -SIDE_STEP : SIDE_STEP), Math.max(0, widest - SIDE_STEP)));
			return {...state, overlay: {...overlay, column}};
		}
		case 'goToOffset':
			return {...state, prompt: {kind: 'offset', text: ''}};
		default:
	}
	const room = contentRoom(overlay, rect, ctx.model.advice.lang);
	const step = cursorStep(action, Math.max(1, room - 1));
	if (!step) return null;
	if (!window || overlay.request) return state;
	const last = Math.max(0, contentLineCount(window, rect.width, overlay.wrap) - room);
	const at = Math.min(overlay.scroll, last);
	const next = step(at);
	if (action === 'top' && window.offset > 0) return readWindow(state, overlay, 0, WINDOW_BYTES, 1, false);
	if (action === 'bottom' && window.end < window.size) return readWindow(state, overlay, Math.max(0, window.size - WINDOW_BYTES), WINDOW_BYTES, null, true);
	// Past the end of the window: the next one; before its start: the previous one, shown from its end.
	if (next > last && at === last && window.end < window.size) return readWindow(state, overlay, window.end, WINDOW_BYTES, nextFirstLine(window), false);
	if (next < 0 && at === 0 && window.offset > 0) {
		const from = Math.max(0, window.offset - WINDOW_BYTES);
		return readWindow(state, overlay, from, window.offset - from, null, true);
	}
	return {...state, overlay: {...overlay, scroll: Math.max(0, Math.min(next, last))}};
}
