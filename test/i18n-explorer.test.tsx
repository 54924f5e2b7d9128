// The explorer in Simplified Chinese: golden screens at 80x24 and 120x40 (main view, files, layer details,
// the explanation, the help, a prompt), on the explorer's test image, beside the English ones in test/golden/
// (`UPDATE_GOLDEN=1` rewrites them). Every frame keeps its exact width with the double-width text, and no English
// word of the converted labels is left on it.
import assert from 'node:assert/strict';
import {before, describe, it} from 'node:test';
import type {ImageAnalysis} from '../source/model/types.js';
import {textWidth} from '../source/ui/cells.js';
import {decodeInput} from '../source/ui/keys.js';
import {renderScreen, screenText} from '../source/ui/render.js';
import {ExplorerModel, initialState, layoutFor, reduceInput, settleState, type Context, type ViewState} from '../source/ui/state.js';
import {uiImage} from './helpers/ui-fixture.js';
import {compareGolden} from './helpers/golden.js';

const ESC = '\u001B';
const KEY = {down: `${ESC}[B`, end: `${ESC}[F`, tab: '\t', enter: '\r'};
const ctrl = (letter: string): string => String.fromCharCode(letter.charCodeAt(0) - 96);

const SCENES: {name: string; keys: string[]}[] = [
	{name: 'layers', keys: []},
	{name: 'layers-last', keys: [KEY.down, KEY.down]},
	{name: 'files', keys: [KEY.down, KEY.tab]},
	{name: 'waste-focused', keys: [KEY.tab, KEY.tab]},
	{name: 'explain-layer', keys: ['x']},
	{name: 'explain-waste', keys: [KEY.tab, KEY.tab, KEY.enter]},
	{name: 'help', keys: ['?']},
	{name: 'help-end', keys: ['?', KEY.end]},
	{name: 'config', keys: ['i']},
	{name: 'prompt-filter', keys: [KEY.tab, ctrl('f'), ...'^/etc'.split('')]},
];
const SIZES: [number, number][] = [
	[80, 24],
	[120, 40],
];

/**
 * Words of the English labels, titles and hints this language must not show (the image's own text and the technical
 * names kept as they are — Dockerfile instructions, DiffID, UID:GID, Entrypoint and the like — are not in the list).
 */
const ENGLISH = [
	'Layers',
	'Layer',
	'details',
	'Image details',
	'Command',
	'Changes',
	'Wasted',
	'Size',
	'Digest',
	'Created',
	'Tags',
	'Efficiency',
	'Top fix',
	'saves',
	'added',
	'modified',
	'removed',
	'rewritten',
	'compressed',
	'Files',
	'layer changes',
	'Permission',
	'Name',
	'explains',
	'Explain',
	'Switch',
	'Filter',
	'Search',
	'Help',
	'Quit',
	'Close',
	'closes',
	'scroll',
	'Key bindings',
	'Everywhere',
	'pane',
	'Mouse',
	'Status',
	'Colours',
	'quit',
	'move up',
	'Wasted space',
	'stored by',
	'hidden by',
	'cause',
	'How to fix',
	'History',
	'Platform',
	'Image config',
	'keep',
	'clear',
	'paths match',
	'none',
];

let analysis: ImageAnalysis;
before(async () => {
	analysis = (await uiImage()).analysis;
});

function frame(keys: string[], columns: number, rows: number): string[] {
	const model = new ExplorerModel(analysis, {lang: 'zh'});
	const ctxFor = (s: ViewState): Context => ({model, layout: layoutFor(model, columns, rows - 1, s.pane)});
	let state = settleState(initialState(analysis), ctxFor(initialState(analysis)));
	for (const key of keys) for (const event of decodeInput(key)) state = reduceInput(state, event, ctxFor(state));
	return screenText(renderScreen(state, ctxFor(state), {color: false})).split('\n');
}

describe('the explorer in Chinese', () => {
	for (const [columns, rows] of SIZES) {
		for (const scene of SCENES) {
			it(`${scene.name} at ${columns}x${rows}`, () => {
				const lines = frame(scene.keys, columns, rows);
				assert.equal(lines.length, rows - 1);
				// Double-width text never breaks the grid: every line is exactly the terminal's width.
				for (const [i, line] of lines.entries()) assert.equal(textWidth(line), columns, `line ${i + 1} is ${textWidth(line)} cells wide: ${line}`);
				for (const word of ENGLISH) {
					const found = lines.find(line => new RegExp(`(^|[^A-Za-z])${word}([^A-Za-z]|$)`).test(line));
					assert.equal(found, undefined, `English "${word}" left on the frame: ${found}`);
				}
				compareGolden(`zh-${scene.name}-${columns}x${rows}.txt`, lines.join('\n') + '\n');
			});
		}
	}
});
