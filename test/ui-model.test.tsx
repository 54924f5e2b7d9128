// The explorer's pure parts: key decoding, the bindings table, cell widths, the layer views and rows, the reducer,
// the screen it draws (hostile names included) and the terminal frame writer.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {lookup} from '../source/model/fs-tree.js';
import {colorEnabled} from '../source/ui/App.js';
import {actionFor, BINDINGS, bindingFor, helpLines, helpText, KEY_TABLE, statusItems} from '../source/ui/bindings.js';
import {fitLine, lineText, textWidth, truncate, wrapText} from '../source/ui/cells.js';
import {decodeInput, keyId, keyLabel, labelOf, splitInput} from '../source/ui/keys.js';
import {computeLayout} from '../source/ui/layout.js';
import {renderScreen, screenText} from '../source/ui/render.js';
import {ExplorerModel, initialState, reduceInput, settleState, type Context, type ViewState} from '../source/ui/state.js';
import {FrameWriter, serializeLine} from '../source/ui/terminal.js';
import {buildGlobalTree, statusOf, type LayerView} from '../source/ui/layer-view.js';
import {buildLayerView, ViewCache} from '../source/ui/view-cache.js';
import {findMatch, keepMask, NONE_COLLAPSED, visibleRows, ALL_STATUSES} from '../source/ui/tree-rows.js';
import {syntheticAnalysis} from '../bench/ui-hook.js';
import {EVIL_NAME, uiImage} from './helpers/ui-fixture.js';

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function harness(analysis: Awaited<ReturnType<typeof uiImage>>['analysis'], width = 100, height = 30) {
	const model = new ExplorerModel(analysis);
	const ctx = (s: ViewState): Context => ({model, layout: computeLayout({width, height, layerCount: analysis.layers.length, pane: s.pane})});
	let state = settleState(initialState(analysis), ctx(initialState(analysis)));
	return {
		model,
		get state() {
			return state;
		},
		keys(...names: string[]) {
			for (const name of names) state = reduceInput(state, {kind: 'key', name}, ctx(state));
			return state;
		},
		screen(color = false) {
			return renderScreen(state, ctx(state), {color});
		},
		text() {
			return screenText(renderScreen(state, ctx(state), {color: false}));
		},
	};
}

function selectedPath(h: ReturnType<typeof harness>): string {
	const rows = h.model.rows(h.state);
	const view = rows.view;
	const index = h.state.cursor ? view.indexOf.get(h.state.cursor) : undefined;
	return index === undefined ? '' : view.node[index].path;
}

describe('keys', () => {
	it('decodes what terminals send into the names the bindings use', () => {
		const names = (data: string): string[] => decodeInput(data).map(e => (e.kind === 'key' ? e.name : e.kind));
		assert.deepEqual(names('\u001B[A'), ['up']);
		assert.deepEqual(names('\u001BOB'), ['down']);
		assert.deepEqual(names('\u001B[5~'), ['pageup']);
		assert.deepEqual(names('\u001B[6~'), ['pagedown']);
		assert.deepEqual(names('\u001B[Z'), ['shift+tab']);
		assert.deepEqual(names('\u001B[1;5A'), ['ctrl+up']);
		assert.deepEqual(names('\t'), ['tab']);
		assert.deepEqual(names('\r'), ['enter']);
		assert.deepEqual(names('\u0000'), ['ctrl+space']);
		assert.deepEqual(names('\u0001\u0012\u0015\u0002\u000F\u0006\u000C'), ['ctrl+a', 'ctrl+r', 'ctrl+u', 'ctrl+b', 'ctrl+o', 'ctrl+f', 'ctrl+l']);
		assert.deepEqual(names(' '), ['space']);
		assert.deepEqual(names('jjk'), ['j', 'j', 'k'], 'keys typed quickly arrive together');
		assert.deepEqual(names('\u001B'), ['escape']);
		assert.deepEqual(names('\u001Bv'), ['escape', 'v'], 'Escape then a key, typed quickly');
		assert.deepEqual(names('\u007F'), ['backspace']);
	});

	it('decodes SGR mouse reports', () => {
		assert.deepEqual(decodeInput('\u001B[<0;11;6M'), [{kind: 'mouse', action: 'press', button: 0, x: 10, y: 5}]);
		assert.deepEqual(decodeInput('\u001B[<65;3;4M'), [{kind: 'mouse', action: 'wheel-down', button: 1, x: 2, y: 3}]);
		assert.deepEqual(decodeInput('\u001B[<64;3;4M'), [{kind: 'mouse', action: 'wheel-up', button: 0, x: 2, y: 3}]);
	});

	it('cuts one read of the terminal into whole sequences, keeping a cut-off one for the next read', () => {
		assert.deepEqual(splitInput('\u001B[B\u001B[Bjk'), {sequences: ['\u001B[B', '\u001B[B', 'jk'], rest: ''});
		assert.deepEqual(splitInput('\u001B[<0;6;6M\u001B[<0;6;6m'), {sequences: ['\u001B[<0;6;6M', '\u001B[<0;6;6m'], rest: ''});
		assert.deepEqual(splitInput('q\u001B[1;5'), {sequences: ['q'], rest: '\u001B[1;5'});
		assert.deepEqual(splitInput('\u001B'), {sequences: [], rest: '\u001B'});
		assert.deepEqual(splitInput('\u001BOA\u001B\u001B'), {sequences: ['\u001BOA', '\u001B'], rest: '\u001B'});
		assert.deepEqual(splitInput('\u001Bv'), {sequences: ['\u001Bv'], rest: ''});
	});

	it('names structured keys as they are decoded, and labels them', () => {
		assert.equal(keyId({ctrl: true, name: 'l'}), 'ctrl+l');
		assert.equal(keyId({name: 'tab', shift: true}), 'shift+tab');
		assert.equal(keyId({name: 'space', ctrl: true}), 'ctrl+space');
		assert.equal(keyId({char: 'G'}), 'G');
		assert.equal(keyId({mouse: 'wheel'}), null);
		assert.equal(labelOf({name: 'pagedown'}), 'PgDn');
		assert.equal(labelOf({mouse: 'click'}), 'click');
	});

	it('labels keys like dive does', () => {
		assert.equal(keyLabel('ctrl+a'), 'Ctrl+A');
		assert.equal(keyLabel('pagedown'), 'PgDn');
		assert.equal(keyLabel('ctrl+space'), 'Ctrl+Space');
	});
});

describe('bindings', () => {
	it("has dive's defaults, pane by pane", () => {
		assert.equal(actionFor('tab', 'layers'), 'nextPane');
		assert.equal(actionFor('ctrl+l', 'layers'), 'layerChanges');
		assert.equal(actionFor('ctrl+a', 'layers'), 'aggregatedChanges');
		assert.equal(actionFor('ctrl+a', 'files'), 'toggleAdded');
		assert.equal(actionFor('ctrl+r', 'files'), 'toggleRemoved');
		assert.equal(actionFor('enter', 'files'), 'toggleCollapse', 'Enter (which is also Ctrl+M) expands and collapses, as in every tree');
		assert.equal(actionFor('m', 'files'), 'toggleModified', 'the modified filter has a key of its own');
		assert.equal(actionFor('ctrl+u', 'files'), 'toggleUnchanged');
		assert.equal(actionFor('ctrl+b', 'files'), 'toggleAttributes');
		assert.equal(actionFor('ctrl+o', 'files'), 'toggleSort');
		assert.equal(actionFor('ctrl+f', 'files'), 'filter');
		assert.equal(actionFor('space', 'files'), 'toggleCollapse');
		assert.equal(actionFor('ctrl+space', 'files'), 'toggleCollapseAll');
		for (const [key, action] of [
			['k', 'up'],
			['j', 'down'],
			['h', 'left'],
			['l', 'right'],
			['pageup', 'pageUp'],
			['pagedown', 'pageDown'],
		] as const)
			assert.equal(actionFor(key, 'files'), action);
		assert.equal(actionFor('q', 'files'), 'quit');
		assert.equal(actionFor('/', 'layers'), 'search');
		assert.equal(actionFor('?', 'waste'), 'help');
	});

	it('holds the overlay, prompt and loading keys too', () => {
		const action = (name: string, ...scopes: Parameters<typeof bindingFor>[1]) => bindingFor(name, scopes)?.action ?? null;
		assert.equal(action('?', 'help', 'overlay'), 'close');
		assert.equal(action('x', 'explain', 'overlay'), 'close');
		assert.equal(action('v', 'content', 'overlay'), 'close');
		assert.equal(action('e', 'content', 'overlay'), 'export');
		assert.equal(action('q', 'help', 'overlay'), 'close');
		assert.equal(action('ctrl+c', 'content', 'overlay'), 'quit');
		assert.equal(action('x', 'help', 'overlay'), null, 'x closes only the explanation');
		assert.equal(action('enter', 'prompt'), 'accept');
		assert.equal(action('escape', 'prompt'), 'cancel');
		assert.equal(action('ctrl+u', 'prompt'), 'clearText');
		assert.equal(action('q', 'prompt'), null, 'q is text in a prompt');
		for (const name of ['q', 'ctrl+c', 'escape']) assert.equal(action(name, 'loading'), 'quit');
		// Every key in the table names a key decodeInput can give (or a mouse action).
		for (const binding of KEY_TABLE) for (const key of binding.keys) assert.ok('mouse' in key || keyId(key) !== null);
	});

	it('feeds the help overlay and the status bar from the same table', () => {
		const help = helpLines();
		for (const binding of BINDINGS)
			assert.ok(
				help.some(line => line.help === helpText(binding, 'en')),
				`help lists "${helpText(binding, 'en')}"`,
			);
		const view = {aggregated: false, sort: 'name' as const, attributes: true, wastedOnly: false, filter: {...ALL_STATUSES, unchanged: false}};
		const items = statusItems('files', view);
		assert.ok(
			items.some(item => item.key === '^U' && item.label === '○Unmodified'),
			'the status bar shows a filter that is off',
		);
		assert.ok(items.some(item => item.key === '?' && item.label === 'Help'));
	});
});

describe('cells', () => {
	it('measures wide characters and cuts lines to an exact width', () => {
		assert.equal(textWidth('abc'), 3);
		assert.equal(textWidth('日本'), 4);
		assert.equal(truncate('abcdef', 4), 'abc…');
		assert.equal(lineText(fitLine([{text: 'ab'}, {text: 'cdef'}], 5)), 'abcd…');
		assert.equal(lineText(fitLine([{text: 'ab'}], 5)), 'ab   ');
		assert.equal(textWidth(lineText(fitLine([{text: '日本語のファイル'}], 7))), 7);
		assert.deepEqual(wrapText('aaa bbb ccc', 7), ['aaa bbb', 'ccc']);
	});
});

describe('layer views', () => {
	it('gives each path its status in the layer, with directory totals', async () => {
		const {analysis} = await uiImage();
		const global = buildGlobalTree(analysis.tree);
		const at = (layer: number, path: string) => {
			const view = buildLayerView(global, {layer, aggregated: false, sort: 'name'});
			const i = view.indexOf.get(lookup(analysis.tree, path)!);
			assert.notEqual(i, undefined, `${path} in layer ${layer}`);
			return {status: statusOf(view, i!), size: view.size[i!], wasted: view.wasted[i!] === 1};
		};
		assert.equal(at(0, '/etc/config.txt').status, 'added');
		assert.equal(at(1, '/etc/config.txt').status, 'modified');
		assert.equal(at(1, '/bin/tool').status, 'rewritten');
		assert.equal(at(1, '/app/script.sh').status, 'modified');
		assert.equal(at(2, '/etc/config.txt').status, 'unchanged');
		assert.equal(at(2, '/tmp/cache.bin').status, 'removed');
		assert.equal(at(2, '/tmp/cache.bin').wasted, true);
		// A removed directory shows what it held, in red, with its size.
		assert.equal(at(2, '/var/lib/apt/lists').status, 'removed');
		assert.equal(at(2, '/var/lib/apt/lists/pkg.list').status, 'removed');
		assert.equal(at(2, '/var/lib/apt/lists').size, 3000);
		assert.equal(at(0, '/data').size, 200 * 1024);
		assert.equal(at(0, '/app/script.sh').wasted, true, 'the copy chmod made again');
		// Aggregated: changes since the base layer.
		const aggregated = buildLayerView(global, {layer: 2, aggregated: true, sort: 'name'});
		assert.equal(statusOf(aggregated, aggregated.indexOf.get(lookup(analysis.tree, '/etc/config.txt')!)!), 'modified');
		assert.equal(statusOf(aggregated, aggregated.indexOf.get(lookup(analysis.tree, '/etc/new.conf')!)!), 'added');
		assert.equal(statusOf(aggregated, aggregated.indexOf.get(lookup(analysis.tree, '/data/big.bin')!)!), 'unchanged');
	});

	it('a view built a slice at a time, as idle work builds it, is the view built at once; a get during the build finishes it', () => {
		const analysis = syntheticAnalysis({files: 40_000, perDirectory: 50, layers: 3});
		const global = buildGlobalTree(analysis.tree);
		const columns = (view: LayerView) => [
			view.count,
			view.totalSize,
			...[view.id, view.shown, view.depth, view.parent, view.end, view.size, view.status, view.wasted, view.isDir, view.at].map(c => [...c]),
		];
		for (const aggregated of [false, true])
			for (const sort of ['name', 'size'] as const)
				for (let layer = 0; layer < analysis.layers.length; layer++) {
					const key = {layer, aggregated, sort};
					const whole = columns(buildLayerView(global, key));
					const sliced = new ViewCache(analysis.tree);
					let slices = 1;
					while (!sliced.advance(key, 0)) slices++;
					assert.ok(slices > 2, `${slices} slices`);
					assert.deepEqual(columns(sliced.get(key)), whole, `${layer} ${aggregated} ${sort}`);
					const interrupted = new ViewCache(analysis.tree);
					assert.equal(interrupted.advance(key, 0), false);
					assert.equal(interrupted.has(key), false);
					assert.deepEqual(columns(interrupted.get(key)), whole);
					assert.equal(interrupted.advance(key, 0), true, 'made by the get');
				}
	});

	it('sorts by size, filters by status, path and waste, and collapses', async () => {
		const {analysis} = await uiImage();
		const global = buildGlobalTree(analysis.tree);
		const bySize = buildLayerView(global, {layer: 0, aggregated: false, sort: 'size'});
		assert.equal(bySize.node[0].path, '/data', 'the largest directory first');
		const view = buildLayerView(global, {layer: 2, aggregated: false, sort: 'name'});
		const paths = (keep: Uint8Array | null, collapse = NONE_COLLAPSED) => [...visibleRows(view, keep, collapse).rows].map(i => view.node[i].path);
		const removedOnly = paths(keepMask(view, {status: {added: false, modified: false, removed: true, unchanged: false}, wastedOnly: false, path: ''}));
		assert.deepEqual(removedOnly, ['/tmp', '/tmp/cache.bin', '/var', '/var/lib', '/var/lib/apt', '/var/lib/apt/lists', '/var/lib/apt/lists/pkg.list']);
		assert.deepEqual(paths(keepMask(view, {status: ALL_STATUSES, wastedOnly: false, path: 'CONF'})), [], 'smartcase: a capital letter is exact');
		assert.deepEqual(paths(keepMask(view, {status: ALL_STATUSES, wastedOnly: false, path: 'conf'})), ['/etc', '/etc/config.txt', '/etc/new.conf']);
		assert.ok(paths(keepMask(view, {status: ALL_STATUSES, wastedOnly: true, path: ''})).includes('/tmp/cache.bin'));
		const etc = lookup(analysis.tree, '/etc')!;
		assert.ok(!paths(null, {all: false, toggled: new Set([etc])}).includes('/etc/config.txt'));
		assert.deepEqual(paths(null, {all: true, toggled: new Set()}).length, view.node.filter(n => n.parent === analysis.tree).length);
		const match = findMatch(view, null, 'new', 0, 1, true);
		assert.equal(view.node[match].path, '/etc/new.conf');
		// All collapsed but /etc (toggled open): /etc's own entries show, and nothing below the other directories.
		const top = view.node.filter(n => n.parent === analysis.tree).length;
		const etcOpen = paths(null, {all: true, toggled: new Set([etc])});
		assert.equal(etcOpen.length, top + view.node.filter(n => n.parent === etc).length);
		assert.ok(etcOpen.includes('/etc/config.txt') && !etcOpen.includes('/var/lib'));
		// A toggled path that is not a directory shown (/tmp/cache.bin: a file removed in layer 2, not yet there in layer 0)
		// changes nothing.
		const gone = lookup(analysis.tree, '/tmp/cache.bin')!;
		assert.equal(statusOf(view, view.indexOf.get(gone)!), 'removed');
		const layer0 = buildLayerView(global, {layer: 0, aggregated: false, sort: 'name'});
		assert.equal(layer0.indexOf.get(gone), undefined);
		for (const v of [view, layer0]) {
			const rowsOf = (collapse: Parameters<typeof visibleRows>[2]) => [...visibleRows(v, null, collapse).rows];
			assert.deepEqual(rowsOf({all: false, toggled: new Set([etc, gone])}), rowsOf({all: false, toggled: new Set([etc])}), `layer ${v.layer}`);
			assert.deepEqual(rowsOf({all: true, toggled: new Set([etc, gone])}), rowsOf({all: true, toggled: new Set([etc])}), `layer ${v.layer}`);
		}
	});

	it("counts each view's rows by status as it builds it, and each layer's own changes from its view by name", async () => {
		const {analysis} = await uiImage();
		const global = buildGlobalTree(analysis.tree);
		const model = new ExplorerModel(analysis);
		for (let layer = 0; layer < analysis.layers.length; layer++) {
			for (const aggregated of [false, true])
				for (const sort of ['name', 'size'] as const) {
					const view = buildLayerView(global, {layer, aggregated, sort});
					const counted = new Int32Array(view.statusCounts.length);
					for (let i = 0; i < view.count; i++) counted[view.status[i]]++;
					assert.deepEqual([...view.statusCounts], [...counted], `${layer} ${aggregated} ${sort}`);
				}
			const own = buildLayerView(global, {layer, aggregated: false, sort: 'name'});
			const expected = {added: 0, modified: 0, rewritten: 0, removed: 0};
			for (let i = 0; i < own.count; i++) {
				const status = statusOf(own, i);
				if (status !== 'unchanged') expected[status]++;
			}
			assert.deepEqual(model.changeCounts(layer), expected, `layer ${layer}`);
		}
		// Layer 2 adds /etc/new.conf and removes /tmp/cache.bin and the apt lists (a directory and its file), as its details say.
		assert.deepEqual(model.changeCounts(2), {added: 1, modified: 0, rewritten: 0, removed: 3});
	});

	it("makes ahead, while idle, the next layers, this one in the other mode, the next layers' change counts and the layers further on", async () => {
		const {analysis} = await uiImage();
		const model = new ExplorerModel(analysis);
		const state = {...initialState(analysis), layer: 1, aggregated: true};
		const conf = keepMask(model.view({layer: 1, aggregated: true, sort: 'name'}), {status: ALL_STATUSES, wastedOnly: false, path: 'conf'});
		let steps = 0;
		while (model.prefetch(state, Infinity)) assert.ok(++steps < 100, 'the idle work ends');
		for (const key of [
			{layer: 0, aggregated: true, sort: 'name'},
			{layer: 2, aggregated: true, sort: 'name'},
			{layer: 1, aggregated: false, sort: 'name'},
			{layer: 0, aggregated: false, sort: 'name'},
			{layer: 2, aggregated: false, sort: 'name'},
		] as const)
			assert.ok(model.views.has(key), JSON.stringify(key));
		// The filter's warm-up run leaves the matches as they were.
		assert.deepEqual(keepMask(model.view({layer: 1, aggregated: true, sort: 'name'}), {status: ALL_STATUSES, wastedOnly: false, path: 'conf'}), conf);
		// And the layers further on, as shown now: on 6 layers of 2,000 files each, all of them (far below FAR_ROWS).
		const six = new ExplorerModel(syntheticAnalysis({files: 2000, layers: 5}));
		const bySize = {...initialState(six.analysis), sort: 'size' as const};
		steps = 0;
		while (six.prefetch(bySize, Infinity)) assert.ok(++steps < 200, 'the idle work ends');
		for (let layer = 2; layer < 6; layer++) assert.ok(six.views.has({layer, aggregated: false, sort: 'size'}), `layer ${layer}`);
	});

	it('sums the wasted bytes below each directory once, as the wasted files say', async () => {
		const {analysis} = await uiImage();
		const model = new ExplorerModel(analysis);
		// /var/lib/apt/lists/pkg.list (3000 B, removed) and /tmp/cache.bin (5000 B, removed) are among the copies.
		assert.equal(model.wastedUnder('/var/lib'), 3000);
		assert.equal(model.wastedUnder('/tmp'), 5000);
		assert.equal(model.wastedUnder('/'), analysis.waste.totalBytes);
		assert.equal(model.wastedUnder('/etc/new.conf'), 0, 'a file has nothing below it');
	});

	it('keeps a 100,000-file view cheap to rebuild and to page through', () => {
		const analysis = syntheticAnalysis({files: 100_000, layers: 2});
		const global = buildGlobalTree(analysis.tree);
		const view = buildLayerView(global, {layer: 1, aggregated: false, sort: 'name'});
		assert.ok(view.count > 100_000);
		const rows = visibleRows(view, null, NONE_COLLAPSED);
		assert.equal(rows.rows.length, view.count);
	});
});

describe('reducer and screen', () => {
	it('moves through layers and files, switches panes and modes', async () => {
		const h = harness((await uiImage()).analysis);
		assert.equal(h.state.pane, 'layers');
		h.keys('down');
		assert.equal(h.state.layer, 1);
		h.keys('ctrl+a');
		assert.equal(h.state.aggregated, true);
		h.keys('ctrl+l', 'tab');
		assert.equal(h.state.pane, 'files');
		h.keys('down', 'down');
		assert.ok(selectedPath(h).startsWith('/'));
		h.keys('tab', 'tab');
		assert.equal(h.state.pane, 'layers');
	});

	it('searches names incrementally, with next and previous', async () => {
		const h = harness((await uiImage()).analysis);
		h.keys('/', 'p', 'k', 'g');
		assert.equal(selectedPath(h), '/var/lib/apt/lists/pkg.list');
		h.keys('enter');
		assert.equal(h.state.search, 'pkg');
		h.keys('tab', 'tab', 'tab', 'escape', '/', 't', 'o', 'o', 'l', 'enter');
		assert.equal(selectedPath(h), '/bin/tool');
		h.keys('n');
		assert.equal(selectedPath(h), '/bin/tool-hard');
		h.keys('N');
		assert.equal(selectedPath(h), '/bin/tool');
	});

	it('draws names, tags and commands with control characters made visible', async () => {
		const h = harness((await uiImage()).analysis, 140, 40);
		h.keys('down', 'tab', '/', 'e', 'v', 'i', 'l', 'enter', 'x');
		for (const color of [false, true]) {
			const lines = h.screen(color);
			for (const line of lines) for (const segment of line) assert.ok(!CONTROL.test(segment.text), `no control character in ${JSON.stringify(segment.text)}`);
			for (const line of lines) assert.ok(!CONTROL.test(serializeLine(line, color).replace(/\u001B\[[0-9;]*m/g, '')));
		}
		const text = h.text();
		assert.ok(text.includes('"\\e]0;pwned\\a"'), 'the command, escapes shown');
		h.keys('escape');
		assert.ok(h.text().includes('evil\\e[2J\\e]0;pwned\\aname'), 'the file name, escapes shown');
		assert.ok(EVIL_NAME.includes('\u001B'));
	});

	it('colours the fix of an explanation green, and only the fix', async () => {
		const {analysis} = await uiImage();
		const h = harness(analysis, 140, 40);
		h.keys('j', 'j', 'x');
		const segments = h.screen(true).flat();
		const colourOf = (text: string) => segments.find(segment => segment.text.includes(text))?.color ?? 'none';
		assert.match(h.text(), /Wasted space: layer 2/);
		assert.equal(colourOf('How to fix'), 'green');
		assert.equal(colourOf('1. merge layers 1–2 into one RUN'), 'green');
		assert.equal(colourOf('Dockerfile:'), 'green');
		assert.equal(colourOf('Waste:'), 'none');
		assert.equal(colourOf('It hid '), 'none');
		assert.equal(colourOf('Layer 2: RUN rm -rf'), 'none');
	});

	it('has every status letter, so it reads without colour', async () => {
		const h = harness((await uiImage()).analysis, 120, 40);
		h.keys('down', 'tab');
		const text = h.text();
		assert.match(text, /│M {2}.*config\.txt/);
		assert.match(text, /│= {2}.* tool\s/, 'rewritten, same content (the hard link keeps the old copy shown)');
		assert.match(text, /│A! .*cache\.bin/, 'added here, wasted: a later layer removes it');
		const lines = h.screen(false);
		for (const line of lines) for (const segment of line) assert.equal(segment.color, undefined, 'NO_COLOR: no colours');
		assert.ok(h.screen(true).some(line => line.some(segment => segment.color === 'green')));
		assert.equal(colorEnabled({NO_COLOR: '1'}), false);
		assert.equal(colorEnabled({NO_COLOR: ''}), true);
		assert.equal(colorEnabled({}), true);
	});

	it('lays out 80x24, narrow terminals and tiny ones', async () => {
		const {analysis} = await uiImage();
		for (const [width, height] of [
			[80, 23],
			[60, 20],
			[40, 12],
			[15, 4],
		]) {
			const h = harness(analysis, width, height);
			const lines = h.screen();
			assert.equal(lines.length, height, `${width}x${height}: one line per row`);
			for (const line of lines) assert.equal(textWidth(lineText(line)), width, `${width}x${height}: every line fills the width`);
		}
		const narrow = harness(analysis, 60, 20);
		assert.match(narrow.text(), /Layers/);
		narrow.keys('tab');
		assert.match(narrow.text(), /Files · layer 0/);
		assert.doesNotMatch(narrow.text(), /Image details/, 'one pane at a time');
		assert.match(harness(analysis, 15, 4).text(), /too small/);
	});
});

describe('terminal frame writer', () => {
	it('writes only the lines that changed, at their rows, in one synchronized update', () => {
		const out: string[] = [];
		const writer = new FrameWriter({write: (data: string) => out.push(data)}, true);
		writer.draw([[{text: 'one'}], [{text: 'two', color: 'red', bold: true}]]);
		assert.equal(out.length, 1);
		assert.ok(out[0].startsWith('\u001B[?2026h'));
		assert.ok(out[0].includes('\u001B[1;1H\u001B[2Kone'));
		assert.ok(out[0].includes('\u001B[2;1H\u001B[2K\u001B[1;31mtwo\u001B[0m'));
		assert.equal(writer.draw([[{text: 'one'}], [{text: 'two', color: 'red', bold: true}]]), 0, 'nothing changed, nothing written');
		writer.draw([[{text: 'one'}], [{text: 'TWO'}]]);
		assert.ok(!out[1].includes('one') && out[1].includes('\u001B[2;1H\u001B[2KTWO'));
		const plain = new FrameWriter({write: (data: string) => out.push(data)}, false);
		plain.draw([[{text: 'x', color: 'green', inverse: true}]]);
		assert.ok(out[2].includes('\u001B[7mx'), 'NO_COLOR keeps inverse, drops the colour');
		assert.equal(serializeLine([{text: 'a\u001B[2Jb'}], false), 'a\\e[2Jb', 'the last guard: no raw escape reaches the terminal');
	});
});
