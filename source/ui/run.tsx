// The interactive explorer (issue #3), started by the CLI when stdout is a terminal.
import type * as Session from './session.js';
import type {Lang} from '../i18n/catalogue.js';
import type {LoadOptions} from '../sources/load.js';
import type {ImagesOptions} from '../store/command.js';
import type {StoreSession} from '../store/session.js';
import {CommandFailure} from '../util/error-line.js';
import {applyKeysFile, keysFile} from './keys-config.js';
import {startEarlyLoad, type EarlyLoad} from './early-load.js';
import {loadingLines} from './loading-view.js';
import {ENTER_SCREEN, FrameWriter, LEAVE_SCREEN} from './terminal.js';
import {withoutFetch} from './without-fetch.js';

/**
 * React reads NODE_ENV when it loads. Ink draws nothing but the last frame when it believes it runs in CI: it reads CI and CONTINUOUS_INTEGRATION once,
 * when it loads. A terminal was asked for, so those are hidden while Ink loads, then put back as they were; so is
 * `fetch`, which Ink's layout engine would use to read its own binary (without-fetch.ts).
 */
async function loadSession(): Promise<typeof Session> {
	// React's development build checks and warns on every render: several times slower, and for us only.
	process.env.NODE_ENV ??= 'production';
	const saved = {CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION};
	delete process.env.CI;
	delete process.env.CONTINUOUS_INTEGRATION;
	try {
		return await withoutFetch(() => import('./session.js'));
	} finally {
		for (const [key, value] of Object.entries(saved)) if (value !== undefined) process.env[key] = value;
	}
}

/**
 * The alternate screen and the loading screen, written at once: React and Ink take a second or more to load on a
 * busy machine, and the screen must not stay blank meanwhile. A signal before the session takes over restores the
 * screen and exits as the shell would. Returns the function that hands over to the session.
 */
function paintAtOnce(reference: string, lang: Lang, writer: FrameWriter): () => void {
	const out = process.stdout;
	out.write(ENTER_SCREEN);
	writer.draw(loadingLines(reference, null, out.columns || 80, (out.rows || 24) - 1, lang));
	const signals: [NodeJS.Signals, number][] = [
		['SIGINT', 130],
		['SIGTERM', 143],
		['SIGHUP', 129],
	];
	const handlers = signals.map(([signal, code]) => {
		const handler = (): void => {
			out.write(LEAVE_SCREEN);
			process.exit(code);
		};
		process.once(signal, handler);
		return [signal, handler] as const;
	});
	return () => {
		for (const [signal, handler] of handlers) process.off(signal, handler);
	};
}

/** The explorer's session, its loading screen and image list in `lang`; resolves with the exit code for the caller to exit with. */
export async function runExplorer(reference: string, options: LoadOptions, lang: Lang = 'en'): Promise<number> {
	// The user's keys first: a bad keys file is one error line on the normal screen, before anything is read.
	const keys = keysFile();
	try {
		applyKeysFile(keys);
	} catch (error) {
		throw new CommandFailure(keys, error);
	}
	const writer = new FrameWriter(process.stdout, false);
	const handOver = paintAtOnce(reference, lang, writer);
	const leave = (): void => {
		process.stdout.write(LEAVE_SCREEN);
		handOver();
	};
	let early: EarlyLoad;
	try {
		early = startEarlyLoad(reference, options, lang, writer);
	} catch (error) {
		leave();
		throw error;
	}
	// The explorer's modules load once the layers are walked (see early-load.ts), unless the user quits first.
	await Promise.race([early.walked, early.quit]);
	let startExplorer: Awaited<ReturnType<typeof loadSession>>['startExplorer'] | null = null;
	try {
		if (!early.quitted()) ({startExplorer} = await loadSession());
	} catch (error) {
		early.keys.close();
		leave();
		throw error;
	}
	if (!startExplorer || early.quitted()) {
		// Quit while the image was still loading: the caller's exit stops reading it.
		early.keys.stream.setRawMode?.(false);
		early.keys.close();
		leave();
		return 0;
	}
	handOver();
	return startExplorer(reference, early, lang);
}

/** The store view (`layerscope images` on a terminal) over a session whose list is read; resolves with the exit code. */
export async function runStoreView(session: StoreSession, options: ImagesOptions, lang: Lang = 'en'): Promise<number> {
	await loadSession();
	const {startStoreView} = await import('./store/store-terminal.js');
	return startStoreView(session, options, lang);
}
