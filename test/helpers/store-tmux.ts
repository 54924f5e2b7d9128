// The store view's terminal for its end-to-end tests: helpers/tmux.ts at 160x60 (the list's columns all shown), with
// the cursor's row found on the screen. The names here are the ones store-tui-e2e.test.ts and others import.
import assert from 'node:assert/strict';
import {hasTmux, tmuxServer, type Terminal} from './tmux.js';

export {hasTmux, type Terminal};

const server = tmuxServer({name: 'store-e2e', width: 160, height: 60, keyDelayMs: 200, timeoutMs: 60_000});

/** Run a shell command in a new tmux session of the given size. */
export const terminal = server.terminal;

export function killServer(): void {
	server.kill();
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
