// What the component's effects bring back (a file's contents, an export's outcome) and how each changes the state.
// A result for a request the user has since left (another file opened, the viewer closed) changes nothing.
import {messages, type Lang} from '../i18n/catalogue.js';
import type {ContentWindow} from './overlays/content-window.js';
import type {ViewState} from './view-state.js';

/**
 * Results of the component's effects. An error is the reason a read or an export could not be done (`unavailable`:
 * none given, the catalogue says it), or why it failed (`failed`: the message says "export failed").
 */
export type EffectResult =
	| {type: 'content'; id: number; content: ContentWindow}
	| {type: 'contentError'; id: number; error: string | null}
	| {type: 'exported'; id: number; bytes: number; path: string}
	| {type: 'exportExists'; id: number}
	| {type: 'exportError'; id: number; error: string | null; failed?: boolean};

/** How an effect's result changes the state; the messages it leaves are in `lang`. */
export function reduceEffect(state: ViewState, result: EffectResult, lang: Lang = 'en'): ViewState {
	const t = messages(lang).store;
	switch (result.type) {
		case 'content':
		case 'contentError': {
			const overlay = state.overlay;
			const request = overlay?.kind === 'content' ? overlay.request : null;
			if (overlay?.kind !== 'content' || !request || request.id !== result.id) return state;
			if (result.type === 'contentError') return {...state, overlay: {...overlay, request: null, error: result.error ?? t.contentUnavailable}};
			// Paging back shows the window's end: the drawing and the keys clamp the scroll to its last page.
			return {...state, overlay: {...overlay, request: null, error: null, content: result.content, scroll: request.toEnd ? Number.MAX_SAFE_INTEGER : 0}};
		}
		case 'exported':
		case 'exportError':
		case 'exportExists': {
			const pending = state.pendingExport;
			if (!pending || pending.id !== result.id) return state;
			if (result.type === 'exportExists')
				return {...state, pendingExport: null, message: null, prompt: {kind: 'overwrite', text: '', target: pending.target, path: pending.path}};
			if (result.type === 'exported') return {...state, pendingExport: null, message: {text: t.exported(result.bytes, result.path), tone: 'info'}};
			const error = result.error ?? t.exportUnavailable;
			return {...state, pendingExport: null, message: {text: result.failed ? t.exportFailed(error) : error, tone: 'error'}};
		}
		default:
			return state;
	}
}
