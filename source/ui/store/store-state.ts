// The store view's state and reducer, pure: (state, input, page height) -> state. The list of a StoreSession, its
// layer view, the analyses so far and what is being asked of the session (`request`, which the component carries
// out and answers with a StoreResult, as the explorer does with its effects).
import {messages, type Lang} from '../../i18n/catalogue.js';
import type {AnalyseOutcome} from '../../store/analyse-all.js';
import type {LayerShare, StoreImage, StoreListing} from '../../store/types.js';
import {bindingFor, type ActionName, type StoreScope} from '../bindings.js';
import type {InputEvent} from '../keys.js';
import {cursorStep, keepVisible, LIST_START, moveTo, type ListCursor} from '../list-cursor.js';

/** What the component is asked to do; `id` tells a new request from one already under way. */
export type StoreRequest =
	{kind: 'open'; id: number; image: StoreImage} | {kind: 'layers'; id: number} | {kind: 'analyse'; id: number} | {kind: 'refresh'; id: number; all: boolean};

export interface StoreViewState {
	listing: StoreListing;
	/** The language the list speaks (the run's --lang or locale). */
	lang: Lang;
	/** The image list, or the layer view. */
	mode: 'images' | 'layers';
	images: ListCursor;
	layers: ListCursor;
	/** The layer view, once read for this list. */
	layerShares: LayerShare[] | null;
	/** The list's order (largest first), or most wasted bytes first (images not analysed last). */
	sort: 'size' | 'wasted';
	/** Intermediate images listed (`-a`). */
	all: boolean;
	/** Analyses so far, by image ID (kept across refreshes: an ID names the same content). */
	analysed: ReadonlyMap<string, AnalyseOutcome>;
	analysing: {done: number; total: number} | null;
	help: boolean;
	message: {text: string; tone: 'info' | 'error'} | null;
	request: StoreRequest | null;
	nextId: number;
	quit: boolean;
}

/** What the session answered. */
export type StoreResult =
	| {type: 'listed'; listing: StoreListing}
	| {type: 'layers'; layers: LayerShare[]}
	| {type: 'progress'; done: number; total: number; outcome?: AnalyseOutcome}
	| {type: 'analysed'; outcomes: AnalyseOutcome[]}
	| {type: 'opened'}
	| {type: 'failed'; error: string};

export function initialStoreState(listing: StoreListing, options: {all?: boolean; layers?: boolean; analyse?: boolean; lang?: Lang} = {}): StoreViewState {
	const state: StoreViewState = {
		listing,
		lang: options.lang ?? 'en',
		mode: 'images',
		images: LIST_START,
		layers: LIST_START,
		layerShares: null,
		sort: 'size',
		all: options.all === true,
		analysed: new Map(),
		analysing: null,
		help: false,
		message: listing.images.length === 0 ? {text: messages(options.lang ?? 'en').store.noImages, tone: 'info'} : null,
		request: null,
		nextId: 1,
		quit: false,
	};
	if (options.layers) return ask({...state, mode: 'layers'}, {kind: 'layers'});
	if (options.analyse) return ask({...state, sort: 'wasted', analysing: {done: 0, total: listing.images.length}}, {kind: 'analyse'});
	return state;
}

function ask(state: StoreViewState, request: DistributiveOmit<StoreRequest, 'id'>): StoreViewState {
	return {...state, request: {...request, id: state.nextId}, nextId: state.nextId + 1};
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

function wastedBytes(state: StoreViewState, id: string): number {
	return state.analysed.get(id)?.waste?.wastedBytes ?? -1;
}

/** The image rows in the order shown. */
export function imageRows(state: StoreViewState): StoreImage[] {
	const images = state.listing.images;
	if (state.sort === 'size') return images;
	// Array.prototype.sort is stable: images with equal waste stay largest first.
	return [...images].sort((a, b) => wastedBytes(state, b.id) - wastedBytes(state, a.id));
}

export function selectedImage(state: StoreViewState): StoreImage | null {
	return imageRows(state)[state.images.cursor] ?? null;
}

function scopeOf(state: StoreViewState): StoreScope {
	return state.mode === 'images' ? 'store' : 'storeLayers';
}

const MOVES: ReadonlySet<ActionName> = new Set(['up', 'down', 'pageUp', 'pageDown', 'top', 'bottom']);

/** The action of a key here: the view's own bindings, then the global movement keys. */
export function storeActionFor(state: StoreViewState, name: string): ActionName | null {
	const own = bindingFor(name, [scopeOf(state)]);
	if (own) return own.action;
	const global = bindingFor(name, ['global']);
	return global && MOVES.has(global.action) ? global.action : null;
}

function move(state: StoreViewState, action: ActionName, height: number): StoreViewState {
	const step = cursorStep(action, Math.max(1, height - 1));
	if (!step) return state;
	if (state.mode === 'images') return {...state, images: moveTo(state.images, step(state.images.cursor), state.listing.images.length, height)};
	return {...state, layers: moveTo(state.layers, step(state.layers.cursor), state.layerShares?.length ?? 0, height)};
}

/** One action; `height` is the number of list rows shown (a page). */
export function storeAction(state: StoreViewState, action: ActionName, height: number): StoreViewState {
	switch (action) {
		case 'quit':
			return {...state, quit: true};
		case 'help':
			return {...state, help: true};
		case 'open': {
			const image = selectedImage(state);
			return image ? ask(state, {kind: 'open', image}) : state;
		}
		case 'switchList':
			if (state.mode === 'layers') return {...state, mode: 'images'};
			return state.layerShares ? {...state, mode: 'layers'} : ask({...state, mode: 'layers'}, {kind: 'layers'});
		case 'analyseAll':
			if (state.analysing) return {...state, message: {text: messages(state.lang).store.alreadyAnalysing, tone: 'info'}};
			return ask({...state, analysing: {done: 0, total: state.listing.images.length}}, {kind: 'analyse'});
		case 'sortWasted':
			return {...state, sort: state.sort === 'size' ? 'wasted' : 'size', images: {...state.images, cursor: 0, scroll: 0}};
		case 'toggleIntermediates':
			if (state.listing.engine === 'archive') return state;
			return ask({...state, all: !state.all}, {kind: 'refresh', all: !state.all});
		case 'refresh':
			return ask(state, {kind: 'refresh', all: state.all});
		default:
			return move(state, action, height);
	}
}

/** One input event: the help closes on any key; mouse events are not used here. */
export function storeInput(state: StoreViewState, event: InputEvent, height: number): StoreViewState {
	if (event.kind !== 'key') return state;
	const base = state.message ? {...state, message: null} : state;
	if (state.help) return event.name === 'ctrl+c' ? {...base, quit: true} : {...base, help: false};
	const action = storeActionFor(state, event.name);
	return action ? storeAction(base, action, height) : base;
}

/** What the session answered to the current request. */
export function storeResult(state: StoreViewState, result: StoreResult, height: number): StoreViewState {
	switch (result.type) {
		case 'listed': {
			// The same image stays selected where it is still listed.
			const selected = selectedImage(state)?.id;
			const next = {...state, listing: result.listing, layerShares: null, request: null};
			const at = imageRows(next).findIndex(image => image.id === selected);
			const images = keepVisible(
				{cursor: Math.max(0, Math.min(at < 0 ? state.images.cursor : at, result.listing.images.length - 1)), scroll: state.images.scroll},
				result.listing.images.length,
				height,
			);
			const refreshed = {...next, images, layers: LIST_START};
			return state.mode === 'layers' ? ask(refreshed, {kind: 'layers'}) : refreshed;
		}
		case 'layers':
			return {...state, layerShares: result.layers, layers: keepVisible(state.layers, result.layers.length, height), request: null};
		case 'progress': {
			const analysed = result.outcome ? new Map(state.analysed).set(result.outcome.id, result.outcome) : state.analysed;
			return {...state, analysed, analysing: {done: result.done, total: result.total}};
		}
		case 'analysed': {
			const analysed = new Map(state.analysed);
			for (const outcome of result.outcomes) analysed.set(outcome.id, outcome);
			const failed = result.outcomes.filter(outcome => outcome.error !== undefined).length;
			const text = messages(state.lang).store.analysedAll(result.outcomes.length - failed, result.outcomes.length, failed);
			return {...state, analysed, analysing: null, sort: 'wasted', images: LIST_START, message: {text, tone: failed ? 'error' : 'info'}};
		}
		case 'opened':
			return {...state, request: null};
		case 'failed':
			return {
				...state,
				request: null,
				analysing: null,
				message: {text: result.error, tone: 'error'},
				mode: state.mode === 'layers' && !state.layerShares ? 'images' : state.mode,
			};
	}
}
