// A real terminal for end-to-end tests: a tmux server of the test file's own (never the user's sessions), kept up by a
// keeper session, a session per command, keys sent, the screen read. The explorer's tests (tui-e2e) and the store
// view's (store-tui-e2e, through store-tmux.ts) drive the built CLI with it.
import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {ROOT} from './cli.js';

export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

export interface TmuxOptions {
	/** Names the server's socket (with the process id). */
	name: string;
	/** The size a terminal opens at unless told. */
	width: number;
	height: number;
	/** How long keys() waits after sending, for the program to take them. */
	keyDelayMs: number;
	/** How long until() waits for a screen unless told. */
	timeoutMs: number;
	/** A shell command run before the program (e.g. a marker to find on the screen after it leaves). */
	before?: string;
}

export type Terminal = ReturnType<TmuxServer['terminal']>;
export type TmuxServer = ReturnType<typeof tmuxServer>;

export function tmuxServer(options: TmuxOptions) {
	const socket = `layerscope-${options.name}-${process.pid}`;
	const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
	let sessions = 0;

	/** Run a shell command in a new tmux session of the given size; `EXIT=<status>` shows when it ends. */
	function terminal(command: string, width = options.width, height = options.height) {
		// The server exits when its last session ends, and a session started meanwhile fails ("server exited
		// unexpectedly"): a session that lives as long as the file keeps it up.
		if (sessions === 0) tmux('new-session', '-d', '-s', 'keeper', 'sleep 86400');
		const name = `${options.name}${sessions++}`;
		const before = options.before ? `${options.before}; ` : '';
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
			`${before}env -u CI -u CONTINUOUS_INTEGRATION ${command}; echo EXIT=$?; sleep 600`,
		);
		const screen = (): string => tmux('capture-pane', '-p', '-t', name);
		const until = async (test: (screen: string) => boolean, what: string, timeoutMs = options.timeoutMs): Promise<string> => {
			const end = Date.now() + timeoutMs;
			// A frame may be captured while its lines are still arriving: accept a screen only once it passes the test
			// on two captures in a row that are the same.
			let last = '';
			while (Date.now() < end) {
				const text = screen();
				if (test(text) && text === last) return text;
				last = text;
				await sleep(100);
			}
			assert.fail(`${what}: not on screen after ${timeoutMs} ms:\n${screen()}`);
		};
		return {
			name,
			screen,
			/** The screen with its escape sequences (colours, inverse). */
			escapes: (): string => tmux('capture-pane', '-p', '-e', '-t', name),
			alternate: (): boolean => tmux('display-message', '-p', '-t', name, '#{alternate_on}').trim() === '1',
			/** The pid of the session's shell (the program runs as its child). */
			shellPid: (): number => Number(tmux('display-message', '-p', '-t', name, '#{pane_pid}').trim()),
			keys: async (...keys: string[]): Promise<void> => {
				tmux('send-keys', '-t', name, ...keys);
				await sleep(options.keyDelayMs);
			},
			until,
			/**
			 * Resize the terminal, then wait for a screen that passes `test` and still shows the status bar (its last
			 * line, `statusBar`): a frame drawn for the old size can pass a loose test while the new one is arriving.
			 */
			async resize(width: number, height: number, test: (screen: string) => boolean, what: string, statusBar: RegExp): Promise<string> {
				tmux('resize-window', '-t', name, '-x', String(width), '-y', String(height));
				return until(s => test(s) && statusBar.test(s.trimEnd().split('\n').at(-1) ?? ''), what);
			},
			kill: (): void => void tmux('kill-session', '-t', name),
		};
	}

	return {
		terminal,
		/** Stop the server and every session in it (in the test file's after()). */
		kill(): void {
			if (hasTmux && sessions > 0) spawnSync('tmux', ['-L', socket, 'kill-server']);
		},
	};
}
