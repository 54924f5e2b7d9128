// What the component's effects bring back (a file's contents, an export's outcome) and how each changes the state.
// A result for a request the user has since left (another file opened, the viewer closed) changes nothing.
import type {ContentView} from './overlays/content.js';
import type {ViewState} from './state.js';

/** Results of the component's effects. */
export type EffectResult =
	| {type: 'content'; id: number; content: ContentView}
	| {type: 'contentError'; id: number; error: string}
	| {type: 'exported'; id: number; message: string}
	| {type: 'exportExists'; id: number}
	| {type: 'exportError'; id: number; error: string};

export function reduceEffect(state: ViewState, result: EffectResult): ViewState {
	switch (result.type) {
		case 'content':
		case 'contentError': {
			const overlay = state.overlay;
			if (overlay?.kind !== 'content' || overlay.id !== result.id) return state;
			return result.type === 'content' ? {...state, overlay: {...overlay, content: result.content}} : {...state, overlay: {...overlay, error: result.error}};
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
