// The Ink side of the store view: keys into the reducer (store-state.ts), its requests carried out on the
// StoreSession (refresh, layer view, analyse all, open), and the page shown: the list, the loading bar of an image
// being opened, or the explorer on it. The list's state lives here, so coming back from an image finds it as it was.
import {useApp} from 'ink';
import React, {useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState} from 'react';
import {contentsOf, type ContentProvider} from '../../content/index.js';
import {messages, type Lang} from '../../i18n/catalogue.js';
import type {ImageAnalysis} from '../../model/types.js';
import type {Progress} from '../../sources/blob-store.js';
import {loadImage} from '../../sources/load.js';
import type {AnalyseOutcome} from '../../store/analyse-all.js';
import type {StoreSession} from '../../store/session.js';
import {describeError} from '../../util/errors.js';
import {shortDigest} from '../../util/format.js';
import {colorEnabled, Explorer, Loading, Screen} from '../App.js';
import {bindingFor} from '../bindings.js';
import type {Line} from '../cells.js';
import {decodeInput} from '../keys.js';
import type {ImageLoader} from '../explorer-source.js';
import {useRawInput} from '../raw-input.js';
import type {ViewState} from '../view-state.js';
import {initialStoreState, storeInput, storeResult, type StoreResult, type StoreViewState} from './store-state.js';
import {renderStore, storeListHeight} from './store-view.js';

type Page = {kind: 'list'} | {kind: 'loading'; name: string; progress: Progress | null} | {kind: 'explorer'; analysis: ImageAnalysis; content: ContentProvider};

export interface StoreAppProps {
	session: StoreSession;
	options?: {all?: boolean; layers?: boolean; analyse?: boolean};
	width: number;
	height: number;
	/** The language of the list and of the loading page (English by default). */
	lang?: Lang;
	color?: boolean;
	draw?: (lines: Line[]) => void;
	/** Called with every state change of the list (tests). */
	onState?: (state: StoreViewState) => void;
	/** How an image of the list is opened: loaded by its reference (the default), or from a store already open. */
	load?: ImageLoader;
	/** Suspend the process (Ctrl+Z) from an opened image; none in tests. */
	onSuspend?: () => void;
	/** Called with every state change of an opened image (tests). */
	onExplorerState?: (state: ViewState) => void;
}

/** An image by its reference, read afresh (an engine's image, or one of an archive listed by `layerscope images`). */
const loadByReference: ImageLoader = (open, options) =>
	loadImage(open.reference, {...options, image: open.image, ...(open.platform ? {platform: open.platform} : {})});

function Output({lines, draw}: {lines: Line[]; draw?: (lines: Line[]) => void}) {
	useLayoutEffect(() => {
		draw?.(lines);
	});
	return draw ? null : <Screen lines={lines} />;
}

/** Ctrl+C ends layerscope from any page (in an opened image `q` only goes back to the list). */
function useQuitKey(onQuit: () => void): void {
	const onInput = useCallback(
		(data: string) => {
			for (const event of decodeInput(data)) if (event.kind === 'key' && bindingFor(event.name, ['storeExplorer'])?.action === 'quit') onQuit();
		},
		[onQuit],
	);
	useRawInput(onInput);
}

function StoreList({
	state,
	onInput,
	width,
	height,
	color,
	draw,
}: {
	state: StoreViewState;
	onInput: (data: string) => void;
	width: number;
	height: number;
	color: boolean;
	draw?: (lines: Line[]) => void;
}) {
	useRawInput(onInput);
	const theme = useMemo(() => ({color}), [color]);
	return <Output lines={renderStore(state, theme, width, height)} draw={draw} />;
}

export function StoreApp({
	session,
	options = {},
	width,
	height,
	lang = 'en',
	color = colorEnabled(),
	draw,
	onState,
	load = loadByReference,
	onSuspend,
	onExplorerState,
}: StoreAppProps) {
	const {exit} = useApp();
	const [state, setState] = useState<StoreViewState>(() => initialStoreState(session.current!, {...options, lang}));
	const [page, setPage] = useState<Page>({kind: 'list'});
	const rows = storeListHeight(height);
	const rowsRef = useRef(rows);
	rowsRef.current = rows;
	const dispatch = useCallback((result: StoreResult) => setState(s => storeResult(s, result, rowsRef.current)), []);
	// Which open the loading page belongs to: a back from it (or a second open) makes a late result stale.
	const opening = useRef(0);
	const abort = useRef(new AbortController());
	useEffect(() => () => abort.current.abort(), []);

	const onInput = useCallback((data: string) => {
		const events = decodeInput(data);
		if (events.length > 0) setState(s => events.reduce((next, event) => storeInput(next, event, rowsRef.current), s));
	}, []);
	const back = useCallback(() => {
		opening.current++;
		setPage({kind: 'list'});
	}, []);
	useQuitKey(exit);

	useLayoutEffect(() => {
		onState?.(state);
		if (state.quit) exit();
	}, [state, exit, onState]);

	const request = state.request;
	useEffect(() => {
		if (!request) return;
		const failed = (error: unknown): void => dispatch({type: 'failed', error: describeError(error)});
		switch (request.kind) {
			case 'refresh':
				session.refresh(request.all).then(listing => dispatch({type: 'listed', listing}), failed);
				return;
			case 'layers':
				session.layerView().then(layers => dispatch({type: 'layers', layers}), failed);
				return;
			case 'analyse':
				session
					.analyseAll({
						signal: abort.current.signal,
						onProgress(progress) {
							if (progress.loading) return;
							const waste = session.analyser.cached(progress.id);
							const outcome: AnalyseOutcome | undefined = waste ? {id: progress.id, waste} : undefined;
							dispatch({type: 'progress', done: progress.done, total: progress.total, outcome});
						},
					})
					.then(outcomes => dispatch({type: 'analysed', outcomes}), failed);
				return;
			case 'open': {
				const ticket = ++opening.current;
				session
					.open(request.image)
					.then(open => {
						if (ticket !== opening.current) return;
						dispatch({type: 'opened'});
						setPage({kind: 'loading', name: request.image.tags[0] ?? messages(lang).store.imageById(shortDigest(request.image.id)), progress: null});
						let last = 0;
						return load(open, {
							keepChanges: false,
							onProgress(progress) {
								if (Date.now() - last < 80 && progress.phase === 'reading') return;
								last = Date.now();
								if (ticket === opening.current) setPage(p => (p.kind === 'loading' ? {...p, progress} : p));
							},
						}).then(analysis => {
							if (ticket === opening.current) setPage({kind: 'explorer', analysis, content: contentsOf(analysis)});
						});
					})
					.catch((error: unknown) => {
						if (ticket !== opening.current) return;
						setPage({kind: 'list'});
						failed(error);
					});
			}
		}
		// eslint-disable-next-line react-hooks/exhaustive-deps -- one load per request (its id)
	}, [request?.id]);

	if (page.kind === 'loading')
		return <Loading reference={page.name} progress={page.progress} width={width} height={height} lang={lang} onQuit={back} draw={draw} />;
	if (page.kind === 'explorer')
		return (
			<Explorer
				analysis={page.analysis}
				width={width}
				height={height}
				content={page.content}
				color={color}
				draw={draw}
				onQuit={back}
				onSuspend={onSuspend}
				onState={onExplorerState}
			/>
		);
	return <StoreList state={state} onInput={onInput} width={width} height={height} color={color} draw={draw} />;
}
