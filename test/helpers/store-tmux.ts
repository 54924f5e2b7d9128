// A real terminal for the store view's end-to-end tests: one tmux server per test file (kept up by a keeper
// session), a window per command, keys sent, the screen read. The same way test/tui-e2e.test.ts drives the explorer
// (whose helper is local to that file; the two could share one helper).
import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {ROOT} from './cli.js';

export const hasTmux = spawnSync('tmux', ['-V']).status === 0;
// A tmux server of our own: never the user's sessions.
const SOCKET = `layerscope-store-e2e-${process.pid}`;

function tmux(...args: string[]): string {
	return execFileSync('tmux', ['-L', SOCKET, ...args], {encoding: 'utf8'});
}

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

let sessions = 0;

export type Terminal = ReturnType<typeof terminal>;

/** Run a shell command in a new tmux window of the given size. */
export function terminal(command: string, width = 160, height = 60) {
	// The server exits when its last session ends, and a session started meanwhile fails: a keeper holds it up.
	if (sessions === 0) tmux('new-session', '-d', '-s', 'keeper', 'sleep 86400');
	const name = `store${sessions++}`;
	// CI=true would make Ink think it runs in CI; a user's terminal has no CI variable.
	tmux(
		'new-session',
		'-d',
		'-s',
		name,
		'-x',
		String(width),
		'-y',
		String(height),
		'-c',
		ROOT,
		`env -u CI -u CONTINUOUS_INTEGRATION ${command}; echo EXIT=$?; sleep 600`,
	);
	const screen = (): string => tmux('capture-pane', '-p', '-t', name);
	return {
		screen,
		alternate: (): boolean => tmux('display-message', '-p', '-t', name, '#{alternate_on}').trim() === '1',
		keys: async (...keys: string[]) => {
			tmux('send-keys', '-t', name, ...keys);
			await sleep(200);
		},
		/** A screen that passes `test` on two captures in a row that are the same (a frame may still be arriving). */
		async until(test: (screen: string) => boolean, what: string, timeoutMs = 60_000): Promise<string> {
			const end = Date.now() + timeoutMs;
			let last = '';
			while (Date.now() < end) {
				const text = screen();
				if (test(text) && text === last) return text;
				last = text;
				await sleep(100);
			}
			assert.fail(`${what}: not on screen after ${timeoutMs} ms:\n${screen()}`);
		},
		kill: () => tmux('kill-session', '-t', name),
	};
}

export function killServer(): void {
	if (hasTmux && sessions > 0) spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
}

/** The row under the cursor (the list marks it with ›). */
export function selectedRow(screen: string): string {
	return screen.split('\n').find(line => line.startsWith('›')) ?? '';
}

/** Press j until the selected row passes `test` (other runs' images share the engine: the row is found, not counted). */
export async function selectRow(term: Terminal, test: (row: string) => boolean, what: string): Promise<string> {
	for (let i = 0; i < 200; i++) {
		const screen = await term.until(s => selectedRow(s) !== '', 'a selected row');
		if (test(selectedRow(screen))) return screen;
		await term.keys('j');
	}
	assert.fail(`${what}: no such row:\n${term.screen()}`);
}
