// The explorer end to end: the built CLI in a real terminal (tmux), on a real image, keys pressed, the screen read.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {CLI, CORPUS} from './helpers/cli.js';
import {hasTmux, tmuxServer} from './helpers/tmux.js';

const IMAGE = path.join(CORPUS, 'test-docker-image.tar');
const skip = !hasTmux ? 'tmux is not installed' : !existsSync(IMAGE) ? `no ${IMAGE}` : !existsSync(CLI) ? 'dist/cli.js is not built (npm run build)' : false;
// The marker shows the screen is given back as it was when the explorer leaves.
const server = tmuxServer({name: 'e2e', width: 120, height: 40, keyDelayMs: 300, timeoutMs: 30_000, before: "printf 'BEFORE-MARKER\\n'"});
const terminal = server.terminal;
/** The explorer's status bar, always on its last line: ? and q are always shown. */
const STATUS_BAR = /\? Help/;

after(() => server.kill());

describe('explorer in a real terminal (tmux)', {skip}, () => {
	it('opens on the alternate screen, navigates, filters, explains, shows a file and leaves cleanly on q', async () => {
		const term = terminal(`node ${CLI} ${IMAGE}`);
		// The whole first frame: tmux may show it while its lines are still arriving.
		let screen = await term.until(s => /Layers \(1\/14\)/.test(s) && /Wasted files \(5\)/.test(s), 'the explorer');
		assert.ok(term.alternate(), 'on the alternate screen');
		assert.match(screen, /Files · layer 0 of 13/);
		assert.match(screen, /Tags +dive-test:latest/);
		assert.match(screen, /Wasted files \(5\)/);
		assert.equal(screen.split('\n').filter(Boolean).length >= 39, true, 'the whole terminal is used');

		await term.keys('j', 'j', 'j');
		screen = await term.until(s => /Layer 3 details/.test(s), 'layer 3');
		assert.match(screen, /Command +RUN cp \/somefile\.txt/);

		await term.keys('Tab', 'C-u');
		screen = await term.until(s => /hiding unchanged/.test(s), 'the unchanged filter');
		assert.match(screen, /A! .*somefile1\.txt/, 'added by this layer, and wasted');
		assert.doesNotMatch(screen, /busybox/);

		await term.keys('/', 's', 'o', 'm', 'e', 'f', 'i', 'l', 'e', '1', 'Enter', 'x');
		screen = await term.until(s => /Wasted space: \/root\/example\/somefile1\.txt/.test(s), 'the explanation');
		assert.match(screen, /stored by layer 3: RUN cp \/somefile\.txt/);
		assert.match(screen, /hidden by layer 4: RUN chmod 444/);
		assert.match(screen, /1\. merge layers 3–9 into one RUN/);
		assert.match(screen, /RUN cp \/somefile\.txt \/root\/example\/somefile1\.txt && \\\n/);

		await term.keys('Escape', 'v');
		screen = await term.until(
			s => /\/root\/example\/somefile1\.txt · layer 3 · 6\.41 kB · e export/.test(s) && /(text|hex) · the whole file/.test(s),
			'the file content',
		);

		await term.keys('Escape', '?');
		screen = await term.until(s => /Key bindings/.test(s), 'the help');
		assert.match(screen, /Ctrl\+Z +suspend to the shell/);
		await term.keys('NPage');
		screen = await term.until(s => /^m +show or hide modified files/m.test(s), 'the modified filter on a key of its own');

		await term.keys('Escape', 'q');
		screen = await term.until(s => /EXIT=0/.test(s), 'exit');
		assert.ok(!term.alternate(), 'back on the normal screen');
		assert.match(screen, /BEFORE-MARKER/, 'the screen as it was');
		assert.doesNotMatch(screen, /Layers \(/, 'nothing of the explorer left');
		term.kill();
	});

	it('issue #13 at 120x40 and 80x24: the main keys shown, names given the room, Enter collapses, regex filter, wasted files from the last layer', async () => {
		const term = terminal(`node ${CLI} ${IMAGE}`, 120, 40);
		await term.until(s => /Layers \(1\/14\)/.test(s), 'the explorer');
		await term.keys('Tab');
		let screen = await term.until(s => / Files · layer 0/.test(s), 'the files pane');
		const status = screen.trimEnd().split('\n').at(-1)!;
		for (const key of ['x Explain', 'v View', 'w ○Wasted', 'e Export', 'Tab Switch', '/ Search', '^F Filter', 'q Quit', '? Help'])
			assert.ok(status.includes(key), `${key} in: ${status}`);
		screen = await term.resize(
			80,
			24,
			s =>
				/^St +Size {2}Name/m.test(
					s
						.split('\n')
						.map(l => l.slice(l.indexOf('│') + 1))
						.join('\n'),
				),
			'80x24: no attributes column, names get the room',
			STATUS_BAR,
		);
		await term.keys('Home', 'Enter');
		await term.until(s => /[├└]⊕ /.test(s), 'Enter collapses the directory');
		await term.keys('Enter', 'C-f', '^/root/.*1\\.txt$');
		screen = await term.until(s => /Filter paths \(regex\): .* +\d+ paths? match/.test(s), 'the regex filter and its count');
		await term.keys('Escape', 'BTab', 'End', 'Tab', 'w');
		screen = await term.until(s => /wasted only|no wasted bytes in layer 13's tree/.test(s), 'w on the last layer');
		await term.keys('q');
		await term.until(s => /EXIT=0/.test(s), 'exit');
		term.kill();
	});

	it('reads keys from the terminal when the image comes on stdin, and quits on Ctrl+C', async () => {
		const term = terminal(`cat ${IMAGE} | node ${CLI}`, 100, 30);
		await term.until(s => /Layers \(1\/14\)/.test(s), 'the explorer, image from stdin');
		await term.keys('j');
		await term.until(s => /Layer 1 details/.test(s), 'a key from /dev/tty');
		await term.keys('Tab', 'j', 'v');
		await term.until(s => /not available when the image comes on/.test(s), 'contents: unavailable on stdin');
		await term.keys('C-c');
		await term.until(s => /EXIT=0/.test(s), 'exit on Ctrl+C');
		assert.ok(!term.alternate());
		term.kill();
	});

	it('takes mouse reports and keys that arrive together in one read', async () => {
		const term = terminal(`node ${CLI} ${IMAGE}`, 120, 40);
		await term.until(s => /Layers \(1\/14\)/.test(s), 'the explorer');
		// A click on the fourth row (the list starts below the title and the header; the second row is the image's
		// CMD step, which made no layer), press and release in one write.
		await term.keys('-l', '\u001B[<0;6;6M\u001B[<0;6;6m');
		await term.until(s => /Layer 2 details/.test(s), 'a click selects layer 2');
		await term.keys('-l', '\u001B[<65;6;6M');
		await term.until(s => /Layer 5 details/.test(s), 'the wheel moves three layers');
		// Two arrows and a letter in one write: each key whole, in order.
		await term.keys('-l', '\u001B[A\u001B[Ak');
		await term.until(s => /Layer 2 details/.test(s), 'up, up, k');
		assert.match(term.screen(), /^ +- +0 B +CMD \["sh"\]/m, 'the empty-layer step, 0 B');
		await term.keys('q');
		await term.until(s => /EXIT=0/.test(s), 'exit');
		term.kill();
	});

	it('quits at once while the image still loads, with status 0', async () => {
		// The image comes on stdin after 30 s (bash's process substitution: the shell does not wait for it).
		const term = terminal(`bash -c 'node ${CLI} - < <(sleep 30; cat ${IMAGE})'`, 100, 30);
		await term.until(s => /loading stdin/.test(s) && /q quits/.test(s), 'the loading screen');
		await term.keys('q');
		const screen = await term.until(s => /EXIT=0/.test(s), 'exit while loading', 10_000);
		assert.ok(!term.alternate());
		assert.match(screen, /BEFORE-MARKER/);
		term.kill();
	});

	it('re-lays out on resize and fits 80x24', async () => {
		const term = terminal(`node ${CLI} ${IMAGE}`, 120, 40);
		await term.until(s => /Layers \(1\/14\)/.test(s), 'the explorer');
		const screen = await term.resize(
			80,
			24,
			s => s.split('\n').filter(Boolean).length <= 24 && /Layers/.test(s) && /Files · layer 0/.test(s),
			'80x24 layout',
			STATUS_BAR,
		);
		for (const line of screen.split('\n')) assert.ok([...line].length <= 80, `fits 80 columns: ${line}`);
		assert.match(screen, /\? Help/);
		await term.resize(50, 20, s => /Layers/.test(s) && !/Files · layer/.test(s), 'narrow: one pane', STATUS_BAR);
		await term.keys('q');
		await term.until(s => /EXIT=0/.test(s), 'exit');
		term.kill();
	});

	it('draws no colour with NO_COLOR, but keeps the selection visible', async () => {
		const term = terminal(`NO_COLOR=1 node ${CLI} ${IMAGE}`, 100, 30);
		await term.until(s => /Layers \(1\/14\)/.test(s), 'the explorer');
		const raw = term.escapes();
		assert.doesNotMatch(raw, /\u001B\[[0-9;]*3[1-7]m/, 'no foreground colour');
		assert.match(raw, /\u001B\[[0-9;]*7m/, 'inverse for the selection');
		await term.keys('q');
		await term.until(s => /EXIT=0/.test(s), 'exit');
		term.kill();
	});

	it('restores the terminal on SIGTERM', async () => {
		const term = terminal(`node ${CLI} ${IMAGE}`, 100, 30);
		await term.until(s => /Layers \(1\/14\)/.test(s), 'the explorer');
		// The shell's one child is the CLI (its process title is the program's name, not node).
		const node = execFileSync('pgrep', ['-P', String(term.shellPid())], {encoding: 'utf8'})
			.trim()
			.split('\n')[0];
		process.kill(Number(node), 'SIGTERM');
		const screen = await term.until(s => /EXIT=143/.test(s), 'exit on SIGTERM');
		assert.ok(!term.alternate());
		assert.match(screen, /BEFORE-MARKER/);
		term.kill();
	});
});
