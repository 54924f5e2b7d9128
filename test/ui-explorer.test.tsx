// The explorer in Ink (ink-testing-library): real key sequences in, as a terminal sends them; frames out.
import assert from 'node:assert/strict';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {Readable} from 'node:stream';
import {cleanup, render} from 'ink-testing-library';
import React from 'react';
import {Explorer} from '../source/ui/App.js';
import {contentsOf} from '../source/content/index.js';
import type {ViewState} from '../source/ui/state.js';
import {loadImage} from '../source/sources/load.js';
import {dockerArchive, tempDir} from './helpers/fixtures.js';
import {BINARY, UI_IMAGE, uiImage} from './helpers/ui-fixture.js';

const KEY = {
	up: '\u001B[A',
	down: '\u001B[B',
	right: '\u001B[C',
	left: '\u001B[D',
	pageDown: '\u001B[6~',
	pageUp: '\u001B[5~',
	home: '\u001B[H',
	end: '\u001B[F',
	tab: '\t',
	shiftTab: '\u001B[Z',
	enter: '\r',
	escape: '\u001B',
	space: ' ',
	ctrlSpace: '\u0000',
	backspace: '\u007F',
	ctrl: (letter: string) => String.fromCharCode(letter.charCodeAt(0) - 96),
	click: (x: number, y: number) => `\u001B[<0;${x + 1};${y + 1}M`,
	wheelDown: (x: number, y: number) => `\u001B[<65;${x + 1};${y + 1}M`,
};

const tick = (ms = 15): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

after(() => cleanup());

async function open(options: {width?: number; height?: number; stdin?: boolean} = {}) {
	const {file, analysis} = await uiImage();
	let state: ViewState | null = null;
	let commits = 0;
	const content = contentsOf(options.stdin ? await loadImage('-', {stdin: Readable.from([readFileSync(file)]), keepChanges: false}) : analysis);
	const element = (width: number, height: number) => (
		<Explorer
			analysis={analysis}
			width={width}
			height={height}
			content={content}
			color={false}
			onState={s => {
				state = s;
				commits++;
			}}
		/>
	);
	const t = render(element(options.width ?? 100, options.height ?? 30));
	await tick();
	const frame = (): string => t.lastFrame() ?? '';
	// A key that changes the state commits a new frame (onState runs at commit, after Ink wrote it): wait for that,
	// however loaded the machine; a key that changes nothing commits nothing, and costs the short wait.
	const send = async (key: string, quiet: number): Promise<void> => {
		const before = commits;
		t.stdin.write(key);
		for (let waited = 0; commits === before && waited < quiet; waited += 5) await tick(5);
		await tick(2);
	};
	return {
		frame,
		get state(): ViewState {
			return state!;
		},
		async press(...keys: string[]) {
			for (const key of keys) await send(key, 500);
			return frame();
		},
		async type(text: string) {
			for (const char of text) await send(char, 500);
			return frame();
		},
		async until(test: (frame: string) => boolean, what: string) {
			for (let i = 0; i < 200 && !test(frame()); i++) await tick(20);
			assert.ok(test(frame()), `${what}:\n${frame()}`);
			return frame();
		},
		resize: async (width: number, height: number) => {
			t.rerender(element(width, height));
			await tick();
			return frame();
		},
		unmount: () => t.unmount(),
	};
}

/** The right column (the file tree) of a wide frame. */
const tree = (frame: string): string =>
	frame
		.split('\n')
		.map(line => line.slice(line.indexOf('│') + 1))
		.join('\n');

/** The line of the frame's footer: the selected path. */
const footer = (frame: string): string => tree(frame).split('\n').at(-2) ?? '';

describe('explorer: layers', () => {
	it('shows the layers, the layer details and the image details, like dive', async () => {
		const ui = await open();
		const frame = ui.frame();
		assert.match(frame, /Layers \(1\/3\)/);
		assert.match(frame, /›0 +208 kB ! ADD file:0123456789abcdef/, 'index, size, a waste mark, the command without /bin/sh -c #(nop)');
		assert.match(frame, /Command +ADD file:0123456789abcdef in \//);
		assert.match(frame, /Layer 0 details/);
		assert.match(frame, /Changes +15 added · 0 modified · 0 removed/, 'counted as the tree shows them: 15 A rows, the implied /var/lib/apt too');
		assert.match(frame, /Tags +ui-test:1/);
		assert.match(frame, /Wasted +8\.03 kB · rm 8\.00 kB/);
		assert.match(frame, /Efficiency \d+\.\d+ % \(dive\)/, 'short words in a narrow column');
		assert.match(frame, /5\.00 kB rm +1→2 \/tmp\/cache\.bin/, 'wasted files, largest first, stored and hidden by');
		ui.unmount();
	});

	it('moves with arrows, hjkl, PgUp/PgDn, Home/End, and updates the details', async () => {
		const ui = await open();
		let frame = await ui.press(KEY.down);
		assert.match(frame, /Layers \(2\/3\)/);
		assert.match(frame, /Command +RUN chmod \+x \/app\/script\.sh/);
		assert.match(frame, /Changes +3 added · 2 modified · 0 removed/);
		assert.match(frame, /Wasted +5\.00 kB stored here/);
		frame = await ui.press('j');
		assert.match(frame, /Layer 2 details/);
		assert.match(frame, /none stored here[^\n]*\n +hid 8\.00 kB of lower layers/, 'wrapped, not cut');
		assert.match(frame, /Changes +1 added · 0 modified · 3 removed/, 'the removed directory and what it held: three R rows');
		frame = await ui.press('k', KEY.home);
		assert.match(frame, /Layer 0 details/);
		frame = await ui.press(KEY.end);
		assert.match(frame, /Layer 2 details/);
		frame = await ui.press(KEY.pageUp);
		assert.match(frame, /Layer 0 details/);
		frame = await ui.press(KEY.pageDown);
		assert.match(frame, /Layer 2 details/);
		ui.unmount();
	});

	it('takes keys and escape sequences that arrive together in one read, each whole and in order', async () => {
		const ui = await open();
		await ui.press(KEY.down + KEY.down);
		assert.equal(ui.state.layer, 2);
		await ui.press(KEY.up + 'k' + KEY.tab);
		assert.equal(ui.state.layer, 0);
		assert.equal(ui.state.pane, 'files');
		// A lone Esc, which could start a sequence, is Esc once nothing follows it: the help closes.
		assert.match(await ui.press('?'), /Key bindings/);
		assert.doesNotMatch(await ui.press(KEY.escape), /Key bindings/);
		ui.unmount();
	});

	it("shows one layer's changes (Ctrl+L) or all changes since the base (Ctrl+A)", async () => {
		const ui = await open();
		let frame = await ui.press(KEY.end, KEY.ctrl('a'), KEY.tab, 'b', KEY.shiftTab);
		assert.match(frame, /layer 2 of 2 · aggregated changes/);
		assert.match(tree(frame), /M {2}.*config\.txt/, 'changed since the base');
		frame = await ui.press(KEY.ctrl('l'));
		assert.match(frame, /layer 2 of 2 · layer changes/);
		assert.match(tree(frame), /\n {3}-rw-r--r-- .*config\.txt/, 'not changed by this layer');
		ui.unmount();
	});

	it("explains a layer's waste (x): what it stored that is hidden, what it hid, and the fix", async () => {
		const ui = await open();
		const frame = await ui.press(KEY.down, 'x');
		assert.match(frame, /Wasted space: layer 1/);
		assert.match(frame, /It stored 5\.00 kB that the final image does not show/);
		assert.match(frame, /5\.00 kB removed \/tmp\/cache\.bin, hidden by layer 2:/);
		assert.match(frame, /It hid 30 B that lower layers stored/);
		assert.match(frame, /18 B duplicate \/app\/script\.sh, stored by layer 0/);
		assert.match(frame, /│How to fix\n/);
		assert.match(frame, /│ {2}1\. merge layers 1–2 into one RUN: a layer stores only\n/);
		assert.match(frame, /│ {5}saves 5\.00 kB \(2\.35 % of the image\)\n/);
		assert.doesNotMatch(await ui.press(KEY.escape), /Wasted space: layer 1/);
		ui.unmount();
	});
});

describe('explorer: file tree', () => {
	it('shows the filesystem as of the layer, its changes coloured and lettered, attributes, sizes, links', async () => {
		const ui = await open();
		const narrow = tree(await ui.press(KEY.down, KEY.tab));
		assert.match(narrow, /^St +Size {2}Name/m, 'a 57-column files pane gives the names the room: no attributes');
		assert.match(narrow, /^M +18 B {2}│ {2}└─ script\.sh/m);
		const frame = tree(await ui.press('b'));
		assert.match(frame, /Files · layer 1 of 2 · layer changes/);
		assert.match(frame, /St Permission +UID:GID +Size +Name/);
		assert.match(frame, /M {2}-rwxr-xr-x +0:0 +18 B {2}│ {2}└─ script\.sh/);
		assert.match(frame, /= {2}-rwxr-xr-x +0:0 +12 B {2}│ {2}├─ tool\s/, 'rewritten with the same content');
		assert.match(frame, /lrwxrwxrwx .*tool-link -> t/, 'a symlink shows its target');
		assert.match(frame, /hrwxrwxrwx .*tool-hard => \//, 'a hard link shows its target');
		assert.match(frame, /drwxr-xr-x +0:0 +205 kB {2}├─ data\//, 'a directory shows its total size');
		assert.match(frame, /A! -rw-r--r-- .*cache\.bin/, 'added here, and wasted');
		ui.unmount();
	});

	it('filters by status with Ctrl+A/R/U and m (Enter is Ctrl+M: it collapses) and says what it hides', async () => {
		const ui = await open();
		let frame = await ui.press(KEY.end, KEY.tab, KEY.ctrl('u'));
		assert.match(frame, /hiding unchanged/);
		assert.match(tree(frame), /A {2}.*new\.conf/);
		assert.match(tree(frame), /R! .*cache\.bin/, 'removed, and the bytes it stored are wasted');
		assert.match(tree(frame), /R {2}.*lists\/\n.*R! .*pkg\.list/, 'a removed directory shows what it held');
		assert.doesNotMatch(tree(frame), /big\.bin/);
		frame = await ui.press(KEY.ctrl('r'));
		assert.match(frame, /hiding removed, /);
		assert.doesNotMatch(tree(frame), /cache\.bin/);
		frame = await ui.press(KEY.ctrl('a'));
		assert.match(tree(frame), /no files match the filters/);
		frame = await ui.press(KEY.ctrl('a'), KEY.ctrl('r'), KEY.ctrl('u'), KEY.tab, KEY.tab, KEY.up, KEY.tab, 'm');
		assert.match(frame, /hiding modified/);
		assert.doesNotMatch(tree(frame), /config\.txt/);
		frame = await ui.press('m', KEY.home, KEY.enter);
		assert.doesNotMatch(frame, /hiding modified/, 'Enter filters nothing');
		assert.match(tree(frame), /├⊕ app\//, 'Enter collapses the directory');
		ui.unmount();
	});

	it('collapses and expands with Space, Ctrl+Space, h/l and arrows', async () => {
		const ui = await open();
		let frame = await ui.press(KEY.tab);
		assert.match(footer(frame), /\/app/);
		frame = await ui.press(KEY.space);
		assert.match(tree(frame), /├⊕ app\//);
		assert.doesNotMatch(tree(frame), /script\.sh/);
		frame = await ui.press('l');
		assert.match(tree(frame), /script\.sh/);
		frame = await ui.press(KEY.right);
		assert.match(footer(frame), /\/app\/script\.sh/, 'right on an open directory goes into it');
		frame = await ui.press('h');
		assert.match(footer(frame), /^\/app /, 'left on a file goes to its parent');
		frame = await ui.press(KEY.left);
		assert.match(tree(frame), /├⊕ app\//, 'left on an open directory collapses it');
		frame = await ui.press(KEY.ctrlSpace);
		assert.match(tree(frame), /├⊕ bin\//);
		assert.match(tree(frame), /├⊕ etc\//);
		frame = await ui.press(KEY.ctrlSpace);
		assert.match(tree(frame), /config\.txt/, 'Ctrl+Space again opens everything');
		ui.unmount();
	});

	it('toggles attributes (Ctrl+B) and sorts by size (Ctrl+O)', async () => {
		const ui = await open();
		let frame = await ui.press(KEY.tab, KEY.ctrl('b'));
		assert.match(frame, /Permission/, 'shown on demand in a narrow pane');
		frame = await ui.press(KEY.ctrl('b'));
		assert.doesNotMatch(frame, /Permission/);
		frame = await ui.press(KEY.ctrl('b'), KEY.ctrl('o'));
		assert.match(frame, /Permission/);
		assert.match(frame, /· by size/);
		assert.match(tree(frame).split('\n')[2], /data\//, 'the largest directory first');
		ui.unmount();
	});

	it('filters paths live (Ctrl+F), keeps the filter on Enter, clears it on Esc', async () => {
		const ui = await open();
		await ui.press(KEY.tab, KEY.ctrl('f'));
		let frame = await ui.type('conf');
		assert.match(frame, /Filter paths \(regex\): conf +1 path matches/, 'on layer 0 only config.txt: new.conf comes in layer 2');
		assert.match(tree(frame), /config\.txt/);
		assert.doesNotMatch(tree(frame), /script\.sh/);
		frame = await ui.press(KEY.enter);
		assert.match(frame, /filter "conf"/);
		frame = await ui.press(KEY.ctrl('f'), KEY.escape);
		assert.doesNotMatch(frame, /filter "conf"/);
		assert.match(tree(frame), /script\.sh/);
		ui.unmount();
	});

	it('searches names as you type (/), with n and N for the next and previous match', async () => {
		const ui = await open();
		await ui.press('/');
		let frame = await ui.type('tool');
		assert.match(frame, /\/tool/);
		assert.match(footer(frame), /^\/bin\/tool /);
		frame = await ui.press(KEY.enter, 'n');
		assert.match(footer(frame), /^\/bin\/tool-hard /);
		frame = await ui.press('n');
		assert.match(footer(frame), /^\/bin\/tool-link /);
		frame = await ui.press('N', 'N');
		assert.match(footer(frame), /^\/bin\/tool /);
		await ui.press('/');
		frame = await ui.type('nothing-like-this');
		assert.match(frame, /no match for nothing-like-this/);
		ui.unmount();
	});

	it('shows only wasted files (w) and explains the selected one (x) with the fix in Dockerfile terms', async () => {
		const ui = await open();
		let frame = await ui.press(KEY.tab, 'w');
		assert.match(frame, /wasted only/);
		assert.match(tree(frame), /script\.sh/);
		assert.match(tree(frame), /pkg\.list/);
		assert.doesNotMatch(tree(frame), /big\.bin/);
		await ui.press('/');
		await ui.type('script');
		frame = await ui.press(KEY.enter);
		assert.match(footer(frame), /wasted \(duplicate/);
		frame = await ui.press('x');
		assert.match(frame, /Wasted space: \/app\/script\.sh/);
		assert.match(frame, /stored by layer 0: ADD file:0123456789abcdef/);
		assert.match(frame, /hidden by layer 1: RUN chmod \+x \/app\/script\.sh/);
		assert.match(frame, /cause: duplicate/);
		assert.match(frame, /│ {2}1\. change only the files this build adds \(`COPY\n/);
		assert.match(frame, /│ {5}saves 30 B \(0\.01 % of the image\)\n/);
		await ui.press(KEY.escape, '/');
		await ui.type('pkg');
		frame = await ui.press(KEY.enter, 'x');
		assert.match(frame, /│ {2}1\. use a slimmer base image, or copy only what you need\n/);
		assert.match(frame, /│ {5}saves 3\.00 kB \(1\.41 % of the image\)\n/);
		ui.unmount();
	});
});

describe('explorer: wasted files pane', () => {
	it('walks the wasted files, explains one, and shows it in the layer that stored it', async () => {
		const ui = await open();
		let frame = await ui.press(KEY.tab, KEY.tab);
		assert.match(frame, / Image details /, 'focused');
		frame = await ui.press(KEY.down, KEY.enter);
		assert.match(frame, /Wasted space: \/var\/lib\/apt\/lists\/pkg\.list/);
		assert.match(frame, /3\.00 kB of \/var\/lib\/apt\/lists\/pkg\.list/);
		frame = await ui.press(KEY.escape, KEY.right);
		assert.match(frame, /Files · layer 0 of 2/);
		assert.match(footer(frame), /^\/var\/lib\/apt\/lists\/pkg\.list/);
		ui.unmount();
	});
});

describe('explorer: contents', () => {
	it('views a file version as text, in the layer selected', async () => {
		const ui = await open();
		await ui.press('/');
		await ui.type('config');
		await ui.press(KEY.enter, 'v');
		let frame = await ui.until(f => /1 │ hello/.test(f), 'layer 0 content');
		assert.match(frame, /\/etc\/config\.txt · layer 0 · 12 B · e export/);
		assert.match(frame, /text · the whole file/);
		assert.match(frame, /2 │ world/);
		frame = await ui.press(KEY.escape, KEY.tab, KEY.tab, KEY.down, KEY.tab, 'v');
		frame = await ui.until(f => /2 │ there/.test(f), 'layer 1 content');
		frame = await ui.press(KEY.escape, KEY.shiftTab, KEY.down, KEY.tab, 'v');
		frame = await ui.until(f => /2 │ there/.test(f), 'layer 2 shows the version stored by layer 1');
		assert.match(frame, /layer 2, stored by layer 1/);
		ui.unmount();
	});

	it('views binary files as hex, follows hard links, and caps what it shows', async () => {
		const ui = await open();
		await ui.press('/');
		await ui.type('tool-hard');
		let frame = await ui.press(KEY.enter, 'v');
		frame = await ui.until(f => /7f 45 4c 46/.test(f), 'hex dump');
		assert.match(frame, /hard link to \/bin\/tool/);
		assert.match(frame, /\|\.ELF\.\.\.\.\|\n.*ff fe 41 42 +\|\.\.AB\|/, '8 bytes a row in a 57-column pane');
		assert.equal(BINARY.length, 12);
		await ui.press(KEY.escape, '/');
		await ui.type('big');
		frame = await ui.press(KEY.enter, 'v');
		frame = await ui.until(f => /xxxxxxxx/.test(f), 'big file');
		assert.match(frame, /text · bytes 0–65,536 of 204,800[^\n]*\n[^\n]*PgDn\/PgUp read on, : jumps/, 'the header says which bytes show, and how to read on');
		frame = await ui.press(KEY.end);
		frame = await ui.until(f => /bytes 139,264–204,800 of 204,800/.test(f), 'End reads the last window');
		frame = await ui.press(KEY.home);
		frame = await ui.until(f => /bytes 0–65,536 of/.test(f), 'Home reads the first again');
		ui.unmount();
	});

	it('explains what it cannot show', async () => {
		const ui = await open();
		let frame = await ui.press(KEY.tab, 'v');
		assert.match(frame, /\/app is a directory/);
		await ui.press('/');
		await ui.type('tool-link');
		frame = await ui.press(KEY.enter, 'v');
		assert.match(frame, /is a symbolic link to tool/);
		ui.unmount();
		const piped = await open({stdin: true});
		await piped.press('/');
		await piped.type('config');
		frame = await piped.press(KEY.enter, 'v');
		frame = await piped.until(f => /not available when the image comes on/.test(f), 'stdin');
		piped.unmount();
	});

	it('exports a file version to the path typed, and asks before replacing a file', async () => {
		const dir = tempDir();
		const target = path.join(dir, 'out.txt');
		const ui = await open();
		await ui.press('/');
		await ui.type('config');
		let frame = await ui.press(KEY.enter, 'e');
		assert.match(frame, /Export \/etc\/config\.txt \(layer 0\) to: config\.txt/, "the file's own name is offered");
		for (let i = 0; i < 'config.txt'.length; i++) await ui.press(KEY.backspace);
		await ui.type(target);
		frame = await ui.press(KEY.enter);
		frame = await ui.until(f => /exported 12 bytes to/.test(f), 'exported');
		assert.equal(readFileSync(target, 'utf8'), 'hello\nworld\n');
		writeFileSync(target, 'mine');
		await ui.press('e', KEY.ctrl('u'));
		await ui.type(target);
		frame = await ui.press(KEY.enter);
		frame = await ui.until(f => /exists\. Overwrite it\? \(y\/N\)/.test(f), 'asks');
		frame = await ui.press(KEY.enter);
		assert.match(frame, /export cancelled: the file was left as it was/);
		assert.equal(readFileSync(target, 'utf8'), 'mine');
		await ui.press('e', KEY.ctrl('u'));
		await ui.type(target);
		await ui.press(KEY.enter);
		await ui.until(f => /Overwrite it\?/.test(f), 'asks again');
		await ui.press('y', KEY.enter);
		await ui.until(f => /exported 12 bytes/.test(f), 'replaced');
		assert.equal(readFileSync(target, 'utf8'), 'hello\nworld\n');
		assert.ok(!existsSync(path.join(dir, 'etc')), "nothing named after the image's paths");
		ui.unmount();
	});
});

describe('explorer: help, quit, mouse, sizes', () => {
	it('lists every binding in the help overlay (?), and closes it', async () => {
		const ui = await open({height: 40});
		let frame = await ui.press('?');
		assert.match(frame, /Key bindings/);
		assert.match(frame, /Ctrl\+A +show the changes since the base layer/);
		assert.match(frame, /Ctrl\+Space\/C +collapse or expand all directories/);
		frame = await ui.press(KEY.pageDown, KEY.pageDown);
		assert.match(frame, /Mouse|Prompts|export/);
		frame = await ui.press('?');
		assert.doesNotMatch(frame, /Key bindings/);
		ui.unmount();
	});

	it('quits on q and on Ctrl+C', async () => {
		for (const key of ['q', KEY.ctrl('c')]) {
			const ui = await open();
			await ui.press(key);
			assert.equal(ui.state.quit, true);
			ui.unmount();
		}
	});

	it('selects with a click and scrolls with the wheel', async () => {
		const ui = await open();
		let frame = await ui.press(KEY.click(5, 4));
		assert.match(frame, /Layer 2 details/, 'a click on the third layer row');
		frame = await ui.press(KEY.click(70, 5));
		assert.equal(ui.state.pane, 'files');
		assert.match(footer(frame), /^\/app\/script\.sh|^\/bin/);
		frame = await ui.press(KEY.wheelDown(70, 10));
		assert.equal(ui.state.pane, 'files');
		ui.unmount();
	});

	it('fits 80x24, degrades narrower, and re-lays out on resize', async () => {
		const ui = await open({width: 80, height: 23});
		let frame = ui.frame();
		assert.equal(frame.split('\n').length, 23);
		assert.match(frame, /Layers/);
		assert.match(frame, /Files · layer 0/);
		frame = await ui.resize(50, 20);
		assert.equal(frame.split('\n').length, 20);
		assert.doesNotMatch(frame, /Files · layer/, 'narrow: one pane at a time');
		frame = await ui.press(KEY.tab);
		assert.match(frame, /Files · layer 0/);
		frame = await ui.resize(100, 30);
		assert.match(frame, /Layers/);
		assert.match(frame, /Files · layer 0/);
		ui.unmount();
	});
});

describe('explorer: hostile images', () => {
	it('shows every name, tag and command with its control characters visible', async () => {
		const evil = {...UI_IMAGE, tags: ['evil\u001B[31m:tag']};
		const dir = tempDir();
		const file = path.join(dir, 'evil.tar');
		writeFileSync(file, await dockerArchive(evil));
		const analysis = await loadImage(file, {keepChanges: false});
		const t = render(<Explorer analysis={analysis} width={100} height={30} color={false} />);
		await tick();
		t.stdin.write(KEY.down);
		await tick();
		t.stdin.write(KEY.tab);
		await tick();
		const frames = t.frames.join('\n');
		assert.ok(!frames.includes('\u0007'), 'no bell (it ends a title sequence)');
		assert.ok(!/\u001B\]/.test(frames), 'no OSC (window title)');
		assert.ok(!/\u001B\[2J/.test(frames), 'no screen clear');
		assert.ok(!/\u001B\[31m/.test(frames), 'no colour from the tag');
		assert.match(frames, /evil\\e\[31m:tag/);
		assert.match(frames, /evil\\e\[2J\\e\]0;pwn/);
		t.unmount();
	});
});
