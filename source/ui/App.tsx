// The Ink side of the explorer: turn input events into state changes, run the effects (file contents, exports),
// and draw the lines render.ts computes. Everything that decides anything lives in the reducer (state.ts and the
// pane, overlay and prompt parts it routes to) and in the drawing (render.ts and the parts it puts together).
import {Box, Text, useApp, useStdout} from 'ink';
import React, {memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState} from 'react';
import type {Lang} from '../i18n/catalogue.js';
import type {ImageAnalysis} from '../model/types.js';
import type {Progress} from '../sources/blob-store.js';
import {visible} from '../util/sanitize.js';
import type {Line, Segment} from './cells.js';
import {ExistsError, type ContentProvider} from '../content/index.js';
import {describeContentError} from './content-view.js';
import {decodeWindow} from './overlays/content-window.js';
import {bindingFor} from './bindings.js';
import {loadingLines} from './loading-view.js';
import {decodeInput, type InputEvent} from './keys.js';
import {useRawInput} from './raw-input.js';
import {renderScreen, type Theme} from './render.js';
import {reduceEffect} from './effects.js';
import {ExplorerModel, initialState, layoutFor, reduceInput, settleState, type Context, type FileTarget, type ViewState} from './state.js';

/** NO_COLOR (any non-empty value) turns colours off; styles such as inverse and bold stay. */
export function colorEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
	return !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
}

function sameSegments(a: Line, b: Line): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) {
		const x = a[i];
		const y = b[i];
		if (x.text !== y.text || x.color !== y.color || x.bold !== y.bold || x.dim !== y.dim || x.inverse !== y.inverse || x.underline !== y.underline)
			return false;
	}
	return true;
}

/** Adjacent segments with the same style become one: fewer Ink nodes per line. */
function merge(line: Line): Line {
	const out: Segment[] = [];
	for (const s of line) {
		const last = out[out.length - 1];
		if (
			last &&
			last.color === s.color &&
			!!last.bold === !!s.bold &&
			!!last.dim === !!s.dim &&
			!!last.inverse === !!s.inverse &&
			!!last.underline === !!s.underline
		)
			out[out.length - 1] = {...last, text: last.text + s.text};
		else out.push(s);
	}
	return out;
}

/** How long one step of the idle work may hold the thread: a key that comes meanwhile waits at most about this long. */
const IDLE_SLICE_MS = 8;

const ScreenLine = memo(
	function ScreenLine({line}: {line: Line}) {
		return (
			<Text wrap="truncate">
				{line.map((s, i) => (
					<Text key={i} color={s.color} bold={s.bold} dimColor={s.dim} inverse={s.inverse} underline={s.underline}>
						{s.text}
					</Text>
				))}
			</Text>
		);
	},
	(a, b) => sameSegments(a.line, b.line),
);

export function Screen({lines}: {lines: Line[]}) {
	return (
		<Box flexDirection="column">
			{lines.map((line, y) => (
				<ScreenLine key={y} line={merge(line)} />
			))}
		</Box>
	);
}

/** `length` bytes of a version from `offset`: by the provider's readRange, or (a provider without one) its first bytes. */
function readRange(content: ContentProvider, target: FileTarget, offset: number, length: number): Promise<{bytes: Buffer; size: number}> {
	if (content.readRange) return content.readRange(target, offset, length);
	return content.read(target, offset + length).then(({bytes, size}) => ({bytes: bytes.subarray(offset), size}));
}

export interface ExplorerProps {
	analysis: ImageAnalysis;
	/** Terminal columns, and the lines to draw (the terminal's rows less one). */
	width: number;
	height: number;
	content?: ContentProvider;
	color?: boolean;
	/** Called with every state change (tests, benchmarks). */
	onState?: (state: ViewState) => void;
	/** Draw the lines here instead of through Ink's output (a real terminal: see terminal.ts). */
	draw?: (lines: Line[]) => void;
	/** Every image of the archive, when it holds several (image-list.ts). */
	images?: string[] | null;
	/** Suspend the process (Ctrl+Z), the terminal given back meanwhile; none in tests. */
	onSuspend?: () => void;
	/**
	 * What quit does instead of ending Ink: an image opened from an image list (a multi-image archive, the store view)
	 * goes back to it, by q, or Esc once it has nothing left to close; the status bar and help say so.
	 */
	onQuit?: () => void;
}

/** Esc in an image opened from a list goes back to it once there is nothing for Esc to close or clear. */
function escapesToList(state: ViewState, event: InputEvent): boolean {
	// The back keys that quit anyway (q) go back through quit, in any pane or overlay, as they did.
	if (event.kind !== 'key' || bindingFor(event.name, ['storeExplorer'])?.action !== 'back' || bindingFor(event.name, ['global'])?.action === 'quit')
		return false;
	return !state.prompt && !state.overlay && !state.message && !state.search;
}

/** Show lines through Ink, or hand them to `draw` after each render and show nothing through Ink. */
function Output({lines, draw}: {lines: Line[]; draw?: (lines: Line[]) => void}) {
	useLayoutEffect(() => {
		draw?.(lines);
	});
	return draw ? null : <Screen lines={lines} />;
}

export function Explorer({analysis, width, height, content, color = colorEnabled(), onState, draw, onSuspend, images, onQuit}: ExplorerProps) {
	const {exit} = useApp();
	const model = useMemo(() => new ExplorerModel(analysis), [analysis]);
	const ctxFor = useCallback(
		(s: ViewState): Context => ({
			model,
			layout: layoutFor(model, width, height, s.pane, images),
			contentUnavailable: content ? content.unavailable() : 'file contents are not available here',
			images,
		}),
		[model, width, height, content, images],
	);
	const ctxRef = useRef(ctxFor);
	ctxRef.current = ctxFor;
	const [state, setState] = useState<ViewState>(() => settleState(initialState(analysis), ctxFor(initialState(analysis))));

	useEffect(() => {
		setState(s => settleState(s, ctxRef.current(s)));
	}, [width, height]);

	const back = onQuit !== undefined;
	const onInput = useCallback(
		(data: string) => {
			const events = decodeInput(data);
			if (events.length === 0) return;
			setState(s => {
				let next = s;
				for (const event of events) next = back && escapesToList(next, event) ? {...next, quit: true} : reduceInput(next, event, ctxRef.current(next));
				return next;
			});
		},
		[back],
	);
	useRawInput(onInput);

	// At commit, not later: quitting must not wait for the next idle moment.
	useLayoutEffect(() => {
		onState?.(state);
		if (state.quit) (onQuit ?? exit)();
	}, [state, exit, onState, onQuit]);

	useEffect(() => {
		if (state.suspends > 0) onSuspend?.();
	}, [state.suspends, onSuspend]);

	// When idle, build the views of the layers next to the selected one (one per tick, never in a key's way).
	useEffect(() => {
		let timer: NodeJS.Timeout | undefined;
		const step = (): void => {
			if (model.prefetch(state, performance.now() + IDLE_SLICE_MS)) timer = setTimeout(step, 0);
		};
		timer = setTimeout(step, 0);
		return () => clearTimeout(timer);
		// eslint-disable-next-line react-hooks/exhaustive-deps -- again when what the views depend on changes, not on every state change
	}, [model, state.layer, state.aggregated, state.sort, state.filter, state.wastedOnly, state.pathFilter]);

	// File contents for the viewer: the window it asks for.
	const windowRequest = state.overlay?.kind === 'content' ? state.overlay.request : null;
	const windowTarget = state.overlay?.kind === 'content' ? state.overlay.target : null;
	useEffect(() => {
		if (!windowRequest || !windowTarget) return;
		const {id, offset, length, firstLine} = windowRequest;
		// The advice is made by the first frame already (the screen speaks its language).
		const lang = model.advice.lang;
		const reason = content ? content.unavailable() : null;
		if (reason || !content) {
			setState(s => reduceEffect(s, {type: 'contentError', id, error: reason}, lang));
			return;
		}
		readRange(content, windowTarget, offset, length).then(
			({bytes, size}) => setState(s => reduceEffect(s, {type: 'content', id, content: decodeWindow(bytes, offset, size, firstLine)}, lang)),
			(error: unknown) => setState(s => reduceEffect(s, {type: 'contentError', id, error: describeContentError(error)}, lang)),
		);
		// eslint-disable-next-line react-hooks/exhaustive-deps -- one read per window request (its id); the rest is read with it
	}, [windowRequest?.id]);

	// Exports.
	const pending = state.pendingExport;
	useEffect(() => {
		if (!pending) return;
		const {id, target, path, overwrite} = pending;
		const lang = model.advice.lang;
		const reason = content ? content.unavailable() : null;
		if (reason || !content) {
			setState(s => reduceEffect(s, {type: 'exportError', id, error: reason}, lang));
			return;
		}
		content.exportTo(target, path, overwrite).then(
			result => setState(s => reduceEffect(s, {type: 'exported', id, bytes: result.bytes, path: visible(result.path)}, lang)),
			(error: unknown) =>
				setState(s =>
					reduceEffect(
						s,
						error instanceof ExistsError ? {type: 'exportExists', id} : {type: 'exportError', id, error: describeContentError(error), failed: true},
						lang,
					),
				),
		);
		// eslint-disable-next-line react-hooks/exhaustive-deps -- one export per request (its id)
	}, [pending?.id]);

	const theme: Theme = useMemo(() => ({color}), [color]);
	const lines = renderScreen(state, ctxFor(state), theme, back);
	return <Output lines={lines} draw={draw} />;
}

export interface LoadingProps {
	reference: string;
	progress: Progress | null;
	width: number;
	height: number;
	/** The screen's language (English by default). */
	lang?: Lang;
	onQuit: () => void;
	draw?: (lines: Line[]) => void;
}

/** While the image loads: its phase, bytes and layers (loading-view.ts); the `loading` keys (q, Ctrl+C, Esc) quit. */
export function Loading({reference, progress, width, height, lang = 'en', onQuit, draw}: LoadingProps) {
	const onInput = useCallback(
		(data: string) => {
			for (const event of decodeInput(data)) if (event.kind === 'key' && bindingFor(event.name, ['loading'])?.action === 'quit') onQuit();
		},
		[onQuit],
	);
	useRawInput(onInput);
	return <Output lines={loadingLines(reference, progress, width, height, lang)} draw={draw} />;
}

/** The terminal's size, following resizes. */
export function useTerminalSize(): {columns: number; rows: number} {
	const {stdout} = useStdout();
	const read = (): {columns: number; rows: number} => ({columns: stdout.columns || 80, rows: stdout.rows || 24});
	const [size, setSize] = useState(read);
	useEffect(() => {
		const onResize = (): void => setSize(read());
		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
		// eslint-disable-next-line react-hooks/exhaustive-deps -- `read` only reads stdout
	}, [stdout]);
	return size;
}
