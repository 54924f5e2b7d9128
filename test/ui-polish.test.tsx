// Issue #13, the explorer polished: the viewer's windows read on demand, the status bar's order, names given the
// room, paths cut where they differ, the regex filter and the search counter, the counts of the tree's rows, the
// wasted files from any layer and grouped by directory, the one-key overwrite and the frame writer's erasing.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {describe, it} from 'node:test';
import type {ImageAnalysis, WastedFile} from '../source/model/types.js';
import {statusItems} from '../source/ui/bindings.js';
import {distinctFrom, truncateMiddle, wrapSegments} from '../source/ui/cells.js';
import {reduceEffect} from '../source/ui/effects.js';
import {decodeInput} from '../source/ui/keys.js';
import {decodeWindow, nextFirstLine, parseOffset, WINDOW_BYTES} from '../source/ui/overlays/content-window.js';
import {wasteRows} from '../source/ui/panes/waste-rows.js';
import {renderScreen, screenText} from '../source/ui/render.js';
import {ExplorerModel, initialState, layoutFor, reduceInput, settleState, type Context, type ViewState} from '../source/ui/state.js';
import {FrameWriter} from '../source/ui/terminal.js';
import {compilePattern} from '../source/ui/tree-rows.js';
import {withoutFetch} from '../source/ui/without-fetch.js';
import {loadImage} from '../source/sources/load.js';
import {dockerArchive, writeTemp} from './helpers/fixtures.js';
import {uiImage} from './helpers/ui-fixture.js';

function harness(analysis: ImageAnalysis, width = 120, height = 39) {
	const model = new ExplorerModel(analysis);
	const ctx = (s: ViewState): Context => ({model, layout: layoutFor(model, width, height, s.pane)});
	let state = settleState(initialState(analysis), ctx(initialState(analysis)));
	return {
		get state() {
			return state;
		},
		set state(next: ViewState) {
			state = next;
		},
		keys(...keys: string[]) {
			for (const key of keys) for (const event of decodeInput(key)) state = reduceInput(state, event, ctx(state));
			return screenText(renderScreen(state, ctx(state), {color: false}));
		},
		text: () => screenText(renderScreen(state, ctx(state), {color: false})),
	};
}

const statusLine = (text: string): string => text.split('\n').at(-1)!;

describe('the content viewer reads windows on demand', () => {
	const lines = Array.from({length: 30_000}, (_, i) => `line ${i + 1} ${'é'.repeat(i % 7)}`);
	const file = Buffer.from(lines.join('\n') + '\n');

	it('pages through a file of any size one window at a time, joining lines exactly', () => {
		const seen: string[] = [];
		let offset = 0;
		let firstLine: number | null = 1;
		let windows = 0;
		while (offset < file.length) {
			const window = decodeWindow(file.subarray(offset, offset + WINDOW_BYTES), offset, file.length, firstLine);
			assert.equal(window.kind, 'text');
			assert.equal(window.firstLine, seen.length + 1, 'line numbers carry on');
			seen.push(...window.lines);
			assert.ok(window.end > offset && window.end - window.offset <= WINDOW_BYTES, 'never more than a window held');
			offset = window.end;
			firstLine = nextFirstLine(window);
			windows++;
		}
		assert.deepEqual(seen, lines);
		assert.ok(windows > 5, `${windows} windows`);
	});

	it('starts a window at an offset on a whole character, with no line numbers (unknown after a jump)', () => {
		const at = file.indexOf('é') + 1; // inside the two bytes of é
		const window = decodeWindow(file.subarray(at, at + 100), at, file.length, null);
		assert.equal(window.kind, 'text');
		assert.equal(window.offset, at + 1);
		assert.equal(window.firstLine, null);
	});

	it('reads offsets as bytes, hex, units and shares of the file', () => {
		assert.equal(parseOffset('4096', 0), 4096);
		assert.equal(parseOffset('0x1000', 0), 4096);
		assert.equal(parseOffset('64k', 0), 64_000);
		assert.equal(parseOffset('2MiB', 0), 2 * 1024 * 1024);
		assert.equal(parseOffset('50%', 1000), 500);
		assert.equal(parseOffset('soon', 1000), null);
	});

	it('says in its header which bytes show, pages on past the end, and jumps to a typed offset', async () => {
		const {analysis} = await uiImage();
		const ui = harness(analysis, 80, 23);
		ui.keys('\t', ...'/big', '\r', 'v');
		const overlay = () => (ui.state.overlay?.kind === 'content' ? ui.state.overlay : assert.fail('no viewer'));
		const big = Buffer.alloc(200 * 1024, 'x');
		const answer = (): void => {
			const request = overlay().request!;
			ui.state = reduceEffect(ui.state, {
				type: 'content',
				id: request.id,
				content: decodeWindow(big.subarray(request.offset, request.offset + request.length), request.offset, big.length, request.firstLine),
			});
		};
		answer();
		assert.match(ui.text(), /bytes 0–65,536 of 204,800/);
		ui.keys('\u001B[6~');
		assert.equal(overlay().request?.offset, 65_536, 'PgDn past the end of the window reads the next one');
		answer();
		assert.match(ui.text(), /bytes 65,536–131,072 of 204,800/);
		ui.keys(':', '5', '0', '%');
		assert.match(statusLine(ui.text()), /^Read from offset: 50%/);
		ui.keys('\r');
		assert.equal(overlay().request?.offset, 102_400);
		answer();
		ui.keys('\u001B[5~');
		assert.equal(overlay().request?.offset, 102_400 - WINDOW_BYTES, 'PgUp before its start reads the previous one');
		assert.equal(overlay().request?.toEnd, true);
	});
});

describe('the status bar and the tree at common sizes', () => {
	it('keeps the keys only layerscope has, and ? and q, at 120 columns', async () => {
		const {analysis} = await uiImage();
		const ui = harness(analysis, 120, 39);
		const line = statusLine(ui.keys('\t'));
		for (const key of ['x Explain', 'v View', 'w ○Wasted', 'e Export', 'Tab Switch', '/ Search', '^F Filter', 'q Quit', '? Help'])
			assert.ok(line.includes(key), `${key} in ${line}`);
		assert.deepEqual(
			statusItems('files', {
				aggregated: false,
				sort: 'name',
				attributes: true,
				wastedOnly: false,
				filter: {added: true, modified: true, removed: true, unchanged: true},
			})
				.slice(0, 4)
				.map(item => item.key),
			['x', 'v', 'w', 'e'],
		);
	});

	it('cuts paths in the middle where they differ, and a directory keeps …/', () => {
		const a = '/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4';
		const b = '/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm-updates_main_binary-amd64_Packages.lz4';
		const cutA = truncateMiddle(a, 40, distinctFrom(a, [a, b]));
		const cutB = truncateMiddle(b, 40, distinctFrom(b, [a, b]));
		assert.notEqual(cutA, cutB);
		assert.ok(cutA.length <= 40 && cutB.length <= 40);
		assert.match(cutB, /-up/);
		assert.match(cutA, /Packages\.lz4$/);
		assert.equal(truncateMiddle('short', 40), 'short');
	});

	it('wraps detail segments whole, dropping the separator at a line start', () => {
		const lines = wrapSegments([{text: '8 added'}, {text: ' · '}, {text: '0 modified'}, {text: ' · '}, {text: '5 removed'}], 20);
		assert.deepEqual(
			lines.map(line => line.map(s => s.text).join('')),
			['8 added · 0 modified', '5 removed'],
		);
	});

	it('filters with a regular expression, smart case, on the whole path; an invalid one is said and matched as text', async () => {
		assert.ok(compilePattern('^/etc/.*\\.txt$').test('/etc/config.txt'));
		assert.ok(compilePattern('CONF').test('/etc/CONF') && !compilePattern('CONF').test('/etc/conf'), 'a capital letter: exact case');
		assert.ok(compilePattern('conf').test('/etc/CONF'));
		const invalid = compilePattern('etc(');
		assert.match(invalid.error ?? '', /Unterminated group/);
		assert.ok(invalid.test('/x/etc(/y'), 'matched as text');
		const {analysis} = await uiImage();
		const ui = harness(analysis);
		const text = ui.keys('\t', '\u0006', ...'^/(etc|app)/');
		assert.match(statusLine(text), /Filter paths \(regex\): \^\/\(etc\|app\)\/ +2 paths match/);
	});

	it('counts search matches (N of M) and says when n wraps', async () => {
		const {analysis} = await uiImage();
		const ui = harness(analysis);
		assert.match(statusLine(ui.keys('/', ...'tool')), /\/tool +1 of 3/);
		ui.keys('\r');
		assert.match(statusLine(ui.keys('n')), /^2 of 3 /);
		ui.keys('n');
		assert.match(statusLine(ui.keys('n')), /^1 of 3 · search wrapped to the top/);
	});
});

describe('the wasted files from any layer', () => {
	it("w on a layer whose tree holds no wasted bytes opens the image's wasted files", async () => {
		const file = writeTemp(
			await dockerArchive({
				layers: [
					{
						entries: [
							{name: 'a/', type: 'directory'},
							{name: 'a/file', content: 'x'.repeat(1000)},
						],
					},
					{entries: [{name: 'a/file', type: 'whiteout'}]},
					{entries: [{name: 'b', content: 'b'}]},
				],
			}),
		);
		const ui = harness(await loadImage(file, {keepChanges: false}));
		const text = ui.keys('\u001B[F', '\t', 'w');
		assert.equal(ui.state.pane, 'waste');
		assert.match(statusLine(text), /no wasted bytes in layer 2's tree/);
		assert.match(text, /1\.00 kB rm +0→1 \/a\/file/, 'with its storing and hiding layer');
		assert.match(text, / Image details /, 'the wasted files pane has the focus');
	});

	it('groups many wasted copies from one step under their directory, and opens it', () => {
		const files: WastedFile[] = [
			...Array.from({length: 55_722}, (_, i): WastedFile => ({
				path: `/var/lib/apt/lists/list-${i}`,
				layerIndex: 1,
				sizeBytes: 5000 - (i % 100),
				cause: 'removed',
				hiddenByLayerIndex: 2,
			})),
			{path: '/tmp/big', layerIndex: 1, sizeBytes: 1e9, cause: 'removed', hiddenByLayerIndex: 3},
			{path: '/var/lib/apt/other', layerIndex: 0, sizeBytes: 10, cause: 'overwritten', hiddenByLayerIndex: 1},
		];
		const closed = wasteRows(files, new Set());
		assert.equal(closed.length, 3, 'one row for the 55,722 lists, and the two others');
		assert.deepEqual(closed[0], {kind: 'file', index: 55_722, depth: 0}, 'largest first');
		assert.equal(closed[1].kind, 'group');
		assert.ok(
			closed[1].kind === 'group' && closed[1].dir === '/var/lib/apt/lists' && closed[1].count === 55_722 && closed[1].layer === 1 && closed[1].hiddenBy === 2,
		);
		assert.equal(wasteRows(files, new Set(['/var/lib/apt/lists'])).length, 3 + 55_722);
	});
});

describe('prompts and frames', () => {
	it('takes one key at the overwrite prompt', async () => {
		const {analysis} = await uiImage();
		const ui = harness(analysis);
		ui.keys('\t', ...'/config', '\r', 'e', '\r');
		const pending = ui.state.pendingExport!;
		ui.state = reduceEffect(ui.state, {type: 'exportExists', id: pending.id});
		assert.match(statusLine(ui.text()), /exists\. Overwrite it\? \(y\/N\)/);
		ui.keys('y');
		assert.equal(ui.state.prompt, null);
		assert.equal(ui.state.pendingExport?.overwrite, true, 'y alone replaces');
	});

	it('erases each changed row before drawing it (a full-width line keeps its last column), and clears after a resize inside the synchronized update', () => {
		let out = '';
		const writer = new FrameWriter({write: (data: string) => (out += data)}, false);
		writer.draw([[{text: 'a'}], [{text: 'b'}]]);
		assert.equal(out, '\u001B[?2026h\u001B[1;1H\u001B[2Ka\u001B[2;1H\u001B[2Kb\u001B[?2026l');
		out = '';
		writer.reset();
		assert.equal(out, '', 'nothing written until the next frame');
		writer.draw([[{text: 'a'}]]);
		assert.equal(out, '\u001B[?2026h\u001B[H\u001B[2J\u001B[1;1H\u001B[2Ka\u001B[?2026l');
	});
});

describe("keys from a file, with dive's binding names", () => {
	it("reads dive's names and key syntax, and layerscope's own action names", async () => {
		const {parseKey, parseKeysFile} = await import('../source/ui/keys-config.js');
		assert.deepEqual(parseKey('ctrl+slash'), {ctrl: true, name: '/'});
		assert.deepEqual(parseKey('pgdn'), {name: 'pagedown'});
		assert.deepEqual(parseKey('ctrl+space'), {name: 'space', ctrl: true});
		assert.deepEqual(parseKey('x'), {char: 'x'});
		assert.equal(parseKey('hyper+x'), null);
		const set = parseKeysFile('keybinding:\n  filter-files: ctrl+f, ctrl+slash\n  toggle-modified-files: M\nexplain: X\n'.replace('explain: X\n', ''));
		assert.deepEqual(
			set.map(({action, scope, keys}) => [action, scope, keys]),
			[
				[
					'filter',
					'global',
					[
						{ctrl: true, name: 'f'},
						{ctrl: true, name: '/'},
					],
				],
				['toggleModified', 'files', [{char: 'M'}]],
			],
		);
		assert.deepEqual(
			parseKeysFile('explain: X').map(({action, scope}) => `${action}@${scope}`),
			['explain@layers', 'explain@files', 'explain@waste'],
		);
		assert.throws(() => parseKeysFile('no-such-binding: x'), /no binding named no-such-binding/);
		assert.throws(() => parseKeysFile('quit: hyper+q'), /quit: not a key: hyper\+q/);
		assert.throws(() => parseKeysFile('quit: [q'), /not valid YAML/);
	});

	it('a bad keys file is one error line and exit 2, before the image is read', async () => {
		const {mkdirSync, writeFileSync} = await import('node:fs');
		const {spawnSync} = await import('node:child_process');
		const {tempDir} = await import('./helpers/fixtures.js');
		const {CLI} = await import('./helpers/cli.js');
		const home = tempDir();
		mkdirSync(`${home}/layerscope`);
		writeFileSync(`${home}/layerscope/keys.yaml`, 'quit: hyper+q\n');
		// The explorer runs only on a terminal: script(1) gives it one, where it is installed.
		const script = spawnSync('script', ['-qec', `node ${CLI} /nonexistent.tar`, '/dev/null'], {
			env: {...process.env, XDG_CONFIG_HOME: home, CI: ''},
			encoding: 'utf8',
			timeout: 20_000,
		});
		if (script.error) return;
		assert.match(script.stdout, new RegExp(`layerscope: ${home}/layerscope/keys\\.yaml: quit: not a key: hyper\\+q`));
		assert.equal(script.status, 2);
	});
});

describe('widths by grapheme', () => {
	it('measures a family emoji and a flag as the terminal draws them, and never cuts inside one', async () => {
		const {graphemes, textWidth, truncate, fitLine} = await import('../source/ui/cells.js');
		const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';
		const flag = '\u{1F1EF}\u{1F1F5}';
		assert.equal(textWidth(family), 2);
		assert.equal(textWidth(flag), 2);
		assert.equal(textWidth('e\u0301'), 1, 'a letter and its combining accent');
		assert.deepEqual(graphemes(`a${family}b`), ['a', family, 'b']);
		assert.equal(truncate(`${flag}${flag}${flag}`, 5), `${flag}${flag}…`);
		const line = fitLine([{text: `x${family}${flag}y`}], 4);
		assert.equal(line.map(s => s.text).join(''), `x${family}…`);
	});
});

describe('an archive of several images', () => {
	it('--image opens one; the image details say which one shows and how to open another', async () => {
		const {openExplorerSource} = await import('../source/ui/explorer-source.js');
		const file = writeTemp(
			await dockerArchive([
				{tags: ['first:1'], layers: [{entries: [{name: 'a', content: 'a'}]}]},
				{tags: ['second:2'], layers: [{entries: [{name: 'b', content: 'b'}]}]},
			]),
		);
		const opened = await openExplorerSource(file, {image: 'first:1', keepChanges: false});
		assert.equal(opened.kind, 'image');
		if (opened.kind !== 'image') return;
		const {analysis, images} = opened;
		assert.deepEqual(images, ['first:1', 'second:2']);
		// Without --image the explorer opens on the list of both (test/image-list.test.tsx).
		assert.equal((await openExplorerSource(file, {keepChanges: false})).kind, 'list');
		const model = new ExplorerModel(analysis);
		const ctx = (s: ViewState): Context => ({model, layout: layoutFor(model, 120, 39, s.pane, images), images});
		const state = settleState(initialState(analysis), ctx(initialState(analysis)));
		assert.match(
			screenText(renderScreen(state, ctx(state), {color: false})),
			/Tags +first:1 *│[^\n]*\n +image 1 of 2 in the archive; also *│[^\n]*\n +second:2 \(--image NAME opens one\)/,
		);
	});
});

describe("the explorer's start", () => {
	// In a process of its own: Node loads undici once, the first time fetch runs.
	const loads = (script: string): {undici: boolean; fetch: string; ink: boolean} => {
		const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
			encoding: 'utf8',
			cwd: fileURLToPath(new URL('..', import.meta.url)),
		});
		assert.equal(run.status, 0, run.stderr);
		return JSON.parse(run.stdout) as {undici: boolean; fetch: string; ink: boolean};
	};
	const report = `process.stdout.write(JSON.stringify({undici: process.moduleLoadList.some(m => m.includes('undici')), fetch: typeof globalThis.fetch, ink: typeof ink.render === 'function'}));`;

	it('loads Ink and its layout engine without undici, and gives fetch back after', () => {
		const hidden = loads(`import {withoutFetch} from './source/ui/without-fetch.ts'; const ink = await withoutFetch(() => import('ink')); ${report}`);
		assert.deepEqual(hidden, {undici: false, fetch: 'function', ink: true});
		// What it spares: yoga fetches its binary when fetch is there.
		assert.deepEqual(loads(`const ink = await import('ink'); ${report}`), {undici: true, fetch: 'function', ink: true});
	});

	it('puts fetch back when the load fails, and the failure through', async () => {
		const before = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
		let seen: unknown = 'not run';
		await assert.rejects(
			withoutFetch(async () => {
				seen = typeof globalThis.fetch;
				throw new Error('no such module');
			}),
			/no such module/,
		);
		assert.equal(seen, 'undefined');
		assert.deepEqual(Object.getOwnPropertyDescriptor(globalThis, 'fetch'), before);
	});
});
