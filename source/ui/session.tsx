// One explorer session in a real terminal: the alternate screen (left on quit, Ctrl+C, SIGTERM and crashes), keys
// from the terminal (from /dev/tty when the image comes on stdin), a progress bar while the image loads, then the
// explorer, re-laid out on every resize. An archive of several images opens on their list (explorer-source.ts).
import {render} from 'ink';
import React, {useCallback, useRef, type JSX} from 'react';
import {contentsOf, type ContentProvider} from '../content/index.js';
import type {Lang} from '../i18n/catalogue.js';
import type {ImageAnalysis} from '../model/types.js';
import type {Progress} from '../sources/blob-store.js';
import type {StoreSession} from '../store/session.js';
import {colorEnabled, Explorer, Loading, useTerminalSize} from './App.js';
import type {Line} from './cells.js';
import type {EarlyLoad} from './early-load.js';
import type {ImageLoader} from './explorer-source.js';
import {StoreApp} from './store/store-app.js';
import {ENTER_SCREEN, FrameWriter, LEAVE_SCREEN} from './terminal.js';

const MOUSE_ON = '\u001B[?1000h\u001B[?1006h';
const MOUSE_OFF = '\u001B[?1000l\u001B[?1006l';

/**
 * Switch to the alternate screen; the returned function switches back, once, whatever ends the session. A signal
 * that would end the process (SIGTERM, SIGHUP, SIGINT) calls `onSignal` with the shell's exit code for it.
 */
export function enterTerminal(stdout: NodeJS.WriteStream, mouse: boolean, onSignal: (code: number) => void, entered = false): () => void {
	let active = true;
	const signals: [NodeJS.Signals, number][] = [
		['SIGTERM', 143],
		['SIGHUP', 129],
		['SIGINT', 130],
	];
	const handlers = signals.map(([signal, code]) => {
		// The session ends as on quit: Ink unmounts, then the screen is switched back. Until then this listener
		// stays, so that Ink's own signal handling (signal-exit) does not raise the signal again.
		const handler = (): void => onSignal(code);
		return [signal, handler] as const;
	});
	function restore(): void {
		if (!active) return;
		active = false;
		try {
			stdout.write((mouse ? MOUSE_OFF : '') + LEAVE_SCREEN);
		} catch {
			// The terminal is gone: nothing to restore.
		}
		process.off('exit', restore);
		process.off('uncaughtException', restore);
		process.off('unhandledRejection', restore);
		for (const [signal, handler] of handlers) process.off(signal, handler);
	}
	// `entered`: run.tsx switched and painted already (switching again would clear its frame).
	stdout.write((entered ? '' : ENTER_SCREEN) + (mouse ? MOUSE_ON : ''));
	process.on('exit', restore);
	// Before the CLI's own handlers print the error: on the normal screen, where it stays readable.
	process.prependListener('uncaughtException', restore);
	process.prependListener('unhandledRejection', restore);
	for (const [signal, handler] of handlers) process.on(signal, handler);
	return restore;
}

interface SessionProps {
	reference: string;
	progress: Progress | null;
	analysis: ImageAnalysis | null;
	content: ContentProvider | undefined;
	onQuit: () => void;
	writer: FrameWriter;
	onSuspend: () => void;
	images: string[] | null;
	/** The archive's image list, when it holds several and none was chosen. */
	list: {session: StoreSession; load: ImageLoader} | null;
	/** The language of the loading screen and the image list (the explorer's is its advice's). */
	lang: Lang;
}

function Session({reference, progress, analysis, content, onQuit, writer, onSuspend, images, list, lang}: SessionProps) {
	const {columns, rows} = useTerminalSize();
	const size = useRef('');
	// A new size: clear the screen and draw the next frame whole.
	if (size.current !== `${columns}x${rows}`) {
		if (size.current) writer.reset();
		size.current = `${columns}x${rows}`;
	}
	const draw = useCallback((lines: Line[]) => writer.draw(lines), [writer]);
	if (list) return <StoreApp session={list.session} width={columns} height={rows} lang={lang} draw={draw} load={list.load} onSuspend={onSuspend} />;
	if (!analysis) return <Loading reference={reference} progress={progress} width={columns} height={rows} lang={lang} onQuit={onQuit} draw={draw} />;
	return <Explorer analysis={analysis} width={columns} height={rows} content={content} draw={draw} onSuspend={onSuspend} images={images} />;
}

/**
 * Run the explorer over the load run.tsx started before Ink was (`early`: its keys, its progress so far, its outcome),
 * on the screen run.tsx switched to, until the user quits or a signal ends it; resolves with the process's exit code
 * (the caller exits: a quit while the image still loads must not wait for the load). Load errors reject.
 */
export async function startExplorer(reference: string, early: EarlyLoad, lang: Lang = 'en'): Promise<number> {
	const keys = early.keys;
	const mouse = process.env.LAYERSCOPE_MOUSE !== '0';
	let exitCode = 0;
	// eslint-disable-next-line prefer-const -- set once Ink renders; the handlers made before that read it
	let instance: ReturnType<typeof render> | undefined;
	const restore = enterTerminal(
		process.stdout,
		mouse,
		code => {
			exitCode = code;
			instance?.unmount();
		},
		true,
	);
	const writer = new FrameWriter(process.stdout, colorEnabled());
	let progress: Progress | null = null;
	let analysis: ImageAnalysis | null = null;
	let content: ContentProvider | undefined;
	let images: string[] | null = null;
	let list: SessionProps['list'] = null;
	let loadError: unknown = null;

	const quit = (): void => instance?.unmount();
	// Ctrl+Z: the terminal as it was, the process stopped as a shell stops it; on `fg` the screen comes back whole.
	const suspend = (): void => {
		process.stdout.write((mouse ? MOUSE_OFF : '') + LEAVE_SCREEN);
		keys.stream.setRawMode?.(false);
		process.once('SIGCONT', () => {
			keys.stream.setRawMode?.(true);
			process.stdout.write(ENTER_SCREEN + (mouse ? MOUSE_ON : ''));
			writer.reset();
			draw();
		});
		process.kill(process.pid, 'SIGTSTP');
	};
	// The session as it now stands (every value starts empty: the first render is the loading screen).
	const session = (): JSX.Element => (
		<Session
			reference={reference}
			progress={progress}
			analysis={analysis}
			content={content}
			onQuit={quit}
			writer={writer}
			onSuspend={suspend}
			images={images}
			list={list}
			lang={lang}
		/>
	);
	const draw = (): void => {
		instance?.rerender(session());
	};
	// Before Ink reads the keys: the early loading screen stops taking them, and its progress comes here.
	progress = early.handOver(next => {
		progress = next;
		draw();
	});
	const ink = render(session(), {
		stdout: process.stdout,
		stdin: keys.stream,
		exitOnCtrlC: false,
		patchConsole: false,
		maxFps: 60,
	});
	instance = ink;
	// A signal came before Ink was up.
	if (exitCode !== 0) ink.unmount();

	const loading = early.loading.then(
		opened => {
			if (opened.kind === 'list') list = {session: opened.session, load: opened.load};
			else {
				analysis = opened.analysis;
				content = contentsOf(opened.analysis);
				// An image chosen (--image) from several: the image details name the others.
				images = opened.images;
			}
			draw();
		},
		(error: unknown) => {
			loadError = error;
			ink.unmount();
		},
	);

	try {
		await ink.waitUntilExit();
	} finally {
		ink.cleanup();
		keys.close();
		restore();
	}
	if (loadError) throw loadError as Error;
	// Quit (or a signal) while the image was still loading: the caller's exit stops reading it.
	if ((!analysis && !list) || exitCode !== 0) return exitCode;
	await loading;
	return exitCode;
}
