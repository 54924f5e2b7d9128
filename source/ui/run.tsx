// The interactive explorer (issue #3), started by the CLI when stdout is a terminal.
import type {LoadOptions} from '../sources/load.js';
import type {ImagesOptions} from '../store/command.js';
import type {StoreSession} from '../store/session.js';

/**
 * React reads NODE_ENV when it loads. Ink draws nothing but the last frame when it believes it runs in CI: it reads CI and CONTINUOUS_INTEGRATION once,
 * when it loads. A terminal was asked for, so those are hidden while Ink loads, then put back as they were.
 */
async function loadSession(): Promise<typeof import('./session.js')> {
	// React's development build checks and warns on every render: several times slower, and for us only.
	process.env.NODE_ENV ??= 'production';
	const saved = {CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION};
	delete process.env.CI;
	delete process.env.CONTINUOUS_INTEGRATION;
	try {
		return await import('./session.js');
	} finally {
		for (const [key, value] of Object.entries(saved)) if (value !== undefined) process.env[key] = value;
	}
}

/** The explorer's session; resolves with the exit code for the caller to exit with. */
export async function runExplorer(reference: string, options: LoadOptions): Promise<number> {
	const {startExplorer} = await loadSession();
	return startExplorer(reference, options);
}

/** The store view (`layerscope images` on a terminal) over a session whose list is read; resolves with the exit code. */
export async function runStoreView(session: StoreSession, options: ImagesOptions): Promise<number> {
	await loadSession();
	const {startStoreView} = await import('./store/store-terminal.js');
	return startStoreView(session, options);
}
