// The image's load, started before React and Ink are loaded, with the loading screen drawn straight to the terminal.
// Ink and its layout engine (yoga, WebAssembly) take ~0.2 s to load, and while they are in the process a big image's
// walk is a quarter slower (measured on the 1,000,001-entry image: their compilation and heap beside the walk's on two
// cores): the explorer's modules load once the layers are walked, beside the analysis, and the session takes over.
import type {Lang} from '../i18n/catalogue.js';
import type {Progress} from '../sources/blob-store.js';
import type {LoadOptions} from '../sources/load.js';
import {bindingFor} from './bindings.js';
import {openExplorerSource, type ExplorerSource} from './explorer-source.js';
import {decodeInput, splitInput} from './keys.js';
import {loadingLines} from './loading-view.js';
import {openKeys} from './terminal-keys.js';
import type {FrameWriter} from './terminal.js';

/** Phases after the layer walks: the explorer's modules may load then. */
const AFTER_WALK = new Set(['hashing', 'analysing']);
/** The loading screen is redrawn at most this often while bytes are read. */
const DRAW_EVERY_MS = 80;

export interface EarlyLoad {
	/** The load, as openExplorerSource gives it. */
	loading: Promise<ExplorerSource>;
	/** Resolves when the layers are walked, or the load has ended (either way). */
	walked: Promise<void>;
	/** Resolves when the user quits the loading screen (q, Esc, Ctrl+C) before the session takes over. */
	quit: Promise<void>;
	/** Whether they did. */
	quitted(): boolean;
	/** Where keys come from (stdin, or /dev/tty when the image comes on stdin). */
	keys: {stream: NodeJS.ReadStream; close: () => void};
	/** Stop drawing and reading keys; from now on progress goes to `follow` (merged, at most every 80 ms while bytes are read). The progress so far. */
	handOver(follow: (progress: Progress) => void): Progress | null;
}

/** Start loading `reference`, drawing its loading screen with `writer` and taking its quit keys. */
export function startEarlyLoad(reference: string, options: LoadOptions, lang: Lang, writer: FrameWriter): EarlyLoad {
	const out = process.stdout;
	const keys = openKeys(reference);
	let progress: Progress | null = null;
	let follow: ((progress: Progress) => void) | null = null;
	let lastDraw = 0;
	let walkedNow: () => void = () => {};
	const walked = new Promise<void>(resolve => (walkedNow = resolve));
	const draw = (): void => void writer.draw(loadingLines(reference, progress, out.columns || 80, out.rows || 24, lang));
	const loading = openExplorerSource(
		reference,
		{
			...options,
			keepChanges: false,
			onProgress(next) {
				// Keep the byte count across phases (layer walks report 0 bytes), as the plain progress line does.
				progress = {...next, bytes: Math.max(next.bytes, progress?.bytes ?? 0), totalBytes: next.totalBytes ?? progress?.totalBytes ?? null};
				if (AFTER_WALK.has(next.phase)) walkedNow();
				const now = Date.now();
				if (now - lastDraw < DRAW_EVERY_MS && next.phase === 'reading') return;
				lastDraw = now;
				if (follow) follow(progress);
				else draw();
			},
		},
		lang,
	);
	void loading.then(walkedNow, walkedNow);
	loading.catch(() => {}); // the session reports a failed load

	let quitNow: () => void = () => {};
	let quitted = false;
	const quit = new Promise<void>(resolve => (quitNow = resolve)).then(() => void (quitted = true));
	const onData = (chunk: Buffer | string): void => {
		const {sequences, rest} = splitInput(chunk.toString());
		for (const sequence of [...sequences, ...(rest ? [rest] : [])])
			for (const event of decodeInput(sequence)) if (event.kind === 'key' && bindingFor(event.name, ['loading'])?.action === 'quit') quitNow();
	};
	const onResize = (): void => {
		writer.reset();
		draw();
	};
	keys.stream.setRawMode?.(true);
	keys.stream.on('data', onData);
	out.on('resize', onResize);
	return {
		loading,
		walked,
		quit,
		keys,
		quitted: () => quitted,
		handOver(next) {
			keys.stream.off('data', onData);
			out.off('resize', onResize);
			follow = next;
			return progress;
		},
	};
}
