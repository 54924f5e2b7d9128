// What the component's effects bring back (a file's contents, an export's outcome) and how each changes the state.
// A result for a request the user has since left (another file opened, the viewer closed) changes nothing.
import type {ContentWindow} from './overlays/content-window.js';
import type {ViewState} from './view-state.js';

/** Results of the component's effects. */
export type EffectResult =
	| {type: 'content'; id: number; content: ContentWindow}
	| {type: 'contentError'; id: number; error: string}
	| {type: 'exported'; id: number; message: string}
	| {type: 'exportExists'; id: number}
	| {type: 'exportError'; id: number; error: string};

export function reduceEffect(state: ViewState, result: EffectResult): ViewState {
	switch (result.type) {
		case 'content':
		case 'contentError': {
			const overlay = state.overlay;
			const request = overlay?.kind === 'content' ? overlay.request : null;
			if (overlay?.kind !== 'content' || !request || request.id !== result.id) return state;
			if (result.type === 'contentError') return {...state, overlay: {...overlay, request: null, error: result.error}};
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
			return {...state, pendingExport: null, message: result.type === 'exported' ? {text: result.message, tone: 'info'} : {text: result.error, tone: 'error'}};
		}
		default:
			return state;
	}
}
