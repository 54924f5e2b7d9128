// Golden screens: the exact frames of every pane, overlay and prompt at 80x24 and 120x40, on the explorer's test
// image (test/helpers/ui-fixture.ts), compared with the files in test/golden/. The frames come from the reducer
// and the renderer (the same lines the terminal writer gets), keys fed as a terminal sends them; a file read is
// answered from the fixture's own bytes. `UPDATE_GOLDEN=1` rewrites the files on purpose: review the diff.
import assert from 'node:assert/strict';
import {before, describe, it} from 'node:test';
import type {ImageAnalysis} from '../source/model/types.js';
import {reduceEffect} from '../source/ui/effects.js';
import {decodeInput} from '../source/ui/keys.js';

import {decodeWindow} from '../source/ui/overlays/content-window.js';
import {renderScreen, screenText} from '../source/ui/render.js';
import {ExplorerModel, initialState, layoutFor, reduceInput, settleState, type Context, type ViewState} from '../source/ui/state.js';
import {serializeLine} from '../source/ui/terminal.js';
import {fixtureBytes, UI_IMAGE, uiImage} from './helpers/ui-fixture.js';
import {compareGolden} from './helpers/golden.js';

const ESC = '\u001B';
const KEY = {down: `${ESC}[B`, right: `${ESC}[C`, end: `${ESC}[F`, tab: '\t', enter: '\r', escape: ESC, pageDown: `${ESC}[6~`};
const ctrl = (letter: string): string => String.fromCharCode(letter.charCodeAt(0) - 96);

/** A scene: the keys from the first frame, and whether to keep a copy with colour codes too. */
interface Scene {
	name: string;
	keys: string[];
	color?: boolean;
}

const SCENES: Scene[] = [
	{name: 'layers', keys: [], color: true},
	{name: 'layers-last', keys: [KEY.down, KEY.down]},
	{name: 'files', keys: [KEY.down, KEY.tab], color: true},
	{name: 'files-aggregated', keys: [KEY.down, KEY.down, ctrl('a'), KEY.tab]},
	{name: 'files-collapsed', keys: [KEY.tab, KEY.down, KEY.enter]},
	{name: 'files-no-attributes', keys: [KEY.tab, 'b']},
	{name: 'files-wasted-only', keys: [KEY.down, KEY.tab, 'w']},
	{name: 'waste', keys: [KEY.tab, KEY.tab, KEY.down]},
	{name: 'waste-focused', keys: [KEY.tab, KEY.tab]},
	{name: 'viewer-wrapped', keys: [KEY.tab, ...'/big'.split(''), KEY.enter, 'v', 'w']},
	{name: 'viewer-side-scrolled', keys: [KEY.tab, ...'/big'.split(''), KEY.enter, 'v', KEY.right, KEY.right]},
	{name: 'help', keys: ['?']},
	{name: 'help-end', keys: ['?', KEY.end]},
	{name: 'explain-layer', keys: ['x']},
	{name: 'config', keys: ['i']},
	{name: 'explain-waste', keys: [KEY.tab, KEY.tab, KEY.enter]},
	{name: 'viewer-text', keys: [KEY.down, KEY.tab, ...'/config'.split(''), KEY.enter, 'v']},
	{name: 'viewer-hex', keys: [KEY.tab, ...'/tool'.split(''), KEY.enter, 'v']},
	{name: 'viewer-window', keys: [KEY.tab, ...'/big'.split(''), KEY.enter, 'v'], color: true},
	{name: 'viewer-window-next', keys: [KEY.tab, ...'/big'.split(''), KEY.enter, 'v', KEY.end]},
	{name: 'prompt-filter', keys: [KEY.tab, ctrl('f'), ...'^/etc'.split('')]},
	{name: 'prompt-filter-invalid', keys: [KEY.tab, ctrl('f'), ...'etc('.split('')]},
	{name: 'prompt-search', keys: [KEY.tab, '/', 't', 'o']},
	{name: 'prompt-export', keys: [KEY.tab, ...'/config'.split(''), KEY.enter, 'e']},
	{name: 'prompt-offset', keys: [KEY.tab, ...'/big'.split(''), KEY.enter, 'v', ':', '5', '0', '%']},
];

const SIZES: [number, number][] = [
	[80, 24],
	[120, 40],
];

/** Scenes also drawn at a size of their own (the smallest two-pane terminal the issue names). */
const EXTRA: {scene: string; size: [number, number]}[] = [{scene: 'waste-focused', size: [60, 20]}];

let analysis: ImageAnalysis;
before(async () => {
	analysis = (await uiImage()).analysis;
});

/** Answer the viewer's pending read from the fixture's bytes, as App.tsx does from the provider. */
function answerReads(state: ViewState): ViewState {
	const overlay = state.overlay;
	if (overlay?.kind !== 'content' || !overlay.request) return state;
	const {id, offset, length, firstLine} = overlay.request;
	const bytes = fixtureBytes(UI_IMAGE, overlay.target.path, overlay.target.layer);
	if (!bytes) return reduceEffect(state, {type: 'contentError', id, error: `no bytes for ${overlay.target.path}`});
	return reduceEffect(state, {type: 'content', id, content: decodeWindow(bytes.subarray(offset, offset + length), offset, bytes.length, firstLine)});
}

/** The frame after the keys, at a terminal of `columns` x `rows` (the explorer draws rows - 1 lines). */
export function sceneLines(scene: Scene, columns: number, rows: number) {
	const model = new ExplorerModel(analysis);
	const height = rows - 1;
	const ctxFor = (s: ViewState): Context => ({model, layout: layoutFor(model, columns, height, s.pane)});
	let state = settleState(initialState(analysis), ctxFor(initialState(analysis)));
	for (const key of scene.keys) {
		for (const event of decodeInput(key)) state = reduceInput(state, event, ctxFor(state));
		state = answerReads(state);
	}
	return renderScreen(state, ctxFor(state), {color: !!scene.color});
}

describe('golden screens', () => {
	const runs: {scene: Scene; size: [number, number]}[] = [
		...SIZES.flatMap(size => SCENES.map(scene => ({scene, size}))),
		...EXTRA.map(({scene, size}) => ({scene: SCENES.find(s => s.name === scene)!, size})),
	];
	for (const {
		scene,
		size: [columns, rows],
	} of runs) {
		{
			it(`${scene.name} at ${columns}x${rows}`, () => {
				const lines = sceneLines(scene, columns, rows);
				assert.equal(lines.length, rows - 1);
				compareGolden(`${scene.name}-${columns}x${rows}.txt`, screenText(lines) + '\n');
				if (scene.color) compareGolden(`${scene.name}-${columns}x${rows}.ansi`, lines.map(line => serializeLine(line, true)).join('\n') + '\n');
			});
		}
	}
});
