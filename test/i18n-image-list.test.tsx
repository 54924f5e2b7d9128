// The image list, the loading screen and the explorer's effect messages in Simplified Chinese (issue #11): golden
// frames at 80x24 and 120x40 (test/golden/zh-image-list-*, zh-loading-*; `UPDATE_GOLDEN=1` rewrites them) of a
// multi-image archive's list (as `--lang zh ARCHIVE` opens it) and of an engine's list, each line exactly the
// terminal's width with the double-width text, and no English word of the converted labels left on it. Docker's own
// headings (REPOSITORY:TAG, IMAGE ID) and `<none>` stay as Docker prints them (docs/advice.md, Languages).
import assert from 'node:assert/strict';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {before, describe, it} from 'node:test';
import React from 'react';
import {render} from 'ink-testing-library';
import type {Lang} from '../source/i18n/catalogue.js';
import type {Progress} from '../source/sources/blob-store.js';
import {openSource} from '../source/sources/load.js';
import type {AnalyseOutcome} from '../source/store/analyse-all.js';
import {listOpenArchive, type ArchiveListing} from '../source/store/archive-list.js';
import type {StoreListing} from '../source/store/types.js';
import {textWidth} from '../source/ui/cells.js';
import {reduceEffect} from '../source/ui/effects.js';
import {decodeInput} from '../source/ui/keys.js';
import {loadingLines} from '../source/ui/loading-view.js';
import {screenText} from '../source/ui/render.js';
import {initialState, type ViewState} from '../source/ui/state.js';
import {Loading} from '../source/ui/App.js';
import {initialStoreState, storeInput, storeResult, type StoreViewState} from '../source/ui/store/store-state.js';
import {renderStore, storeListHeight} from '../source/ui/store/store-view.js';
import {threeImageArchive} from './helpers/multi-image.js';
import {LAYERS, LISTING} from './helpers/store-listing.js';
import {uiImage} from './helpers/ui-fixture.js';

const DIR = path.join(import.meta.dirname, 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const SIZES: [number, number][] = [
	[80, 24],
	[120, 40],
];

/** Words of the English headings, totals, messages and key labels these screens must not show in Chinese. */
const ENGLISH = [
	'images',
	'Images',
	'IMAGES',
	'CREATED',
	'SIZE',
	'SHARED',
	'UNIQUE',
	'LAYERS',
	'LAYER',
	'CTRS',
	'WASTED',
	'USED BY',
	'layers',
	'layer',
	'shared',
	'distinct',
	'counted',
	'active',
	'reclaimable',
	'on disk',
	'archive',
	'engine',
	'dangling',
	'intermediate',
	'who shares',
	'analysing',
	'analysed',
	'analyse',
	'not analysed',
	'wasted',
	'error',
	'used by',
	'of',
	'Open',
	'Analyse',
	'Sort',
	'Intermediates',
	'Refresh',
	'Help',
	'Quit',
	'List',
	'quit',
	'quits',
	'help',
	'Image list',
	'Layer view',
	'opened',
	'Any key',
	'loading',
	'opening',
	'reading',
	'checking',
	'hashing',
	'done',
	'stdin',
];

function check(name: string, lines: string[], columns: number): void {
	// Double-width text never breaks the grid: every line is exactly the terminal's width.
	for (const [i, line] of lines.entries()) assert.equal(textWidth(line), columns, `line ${i + 1} is ${textWidth(line)} cells wide: ${line}`);
	for (const word of ENGLISH) {
		const found = lines.find(line => new RegExp(`(^|[^A-Za-z])${word}([^A-Za-z]|$)`).test(line));
		assert.equal(found, undefined, `English "${word}" left on the frame: ${found}`);
	}
	const file = path.join(DIR, `${name}.txt`);
	const actual = lines.join('\n') + '\n';
	if (UPDATE || !existsSync(file)) {
		writeFileSync(file, actual);
		if (!UPDATE) assert.fail(`${path.basename(file)} did not exist: written; check it and commit it`);
		return;
	}
	assert.equal(actual, readFileSync(file, 'utf8'), `${path.basename(file)} differs (UPDATE_GOLDEN=1 rewrites it)`);
}

const storeFrame = (state: StoreViewState, columns: number, rows: number): string[] =>
	screenText(renderStore(state, {color: false}, columns, rows)).split('\n');

const press = (state: StoreViewState, keys: string, rows: number): StoreViewState =>
	decodeInput(keys).reduce((s, event) => storeInput(s, event, storeListHeight(rows)), state);

/** Every image analysed: the first listed (tools:1) wastes 700 bytes, the others nothing; no top finding (see the report). */
function analysed(listing: StoreListing): AnalyseOutcome[] {
	return listing.images.map((image, i) => ({
		id: image.id,
		waste: {id: image.id, wastedBytes: i === 0 ? 700 : 0, byCause: {removed: i === 0 ? 700 : 0, overwritten: 0, duplicate: 0}, topFinding: null},
	}));
}

let archive: ArchiveListing;
before(async () => {
	// Named as the user would, and not `*images*`: the title shows it.
	archive = await listOpenArchive(await openSource(await threeImageArchive()), 'demo.tar');
});

describe('the image list in Chinese, golden', () => {
	const zh = (listing: StoreListing, options: {all?: boolean} = {}): StoreViewState => initialStoreState(listing, {...options, lang: 'zh'});
	const scenes: {name: string; state: (rows: number) => StoreViewState}[] = [
		{name: 'zh-image-list', state: () => zh(archive.listing)},
		{name: 'zh-image-list-last', state: rows => press(zh(archive.listing), 'jj', rows)},
		{name: 'zh-image-list-help', state: rows => press(zh(archive.listing), '?', rows)},
		{
			name: 'zh-image-list-layers',
			state: rows => storeResult(press(zh(archive.listing), '\t', rows), {type: 'layers', layers: archive.layers}, storeListHeight(rows)),
		},
		{
			name: 'zh-image-list-analysing',
			state: rows => storeResult(press(zh(archive.listing), 'a', rows), {type: 'progress', done: 1, total: 3}, storeListHeight(rows)),
		},
		{
			name: 'zh-image-list-analysed',
			state: rows => storeResult(zh(archive.listing), {type: 'analysed', outcomes: analysed(archive.listing)}, storeListHeight(rows)),
		},
		{name: 'zh-image-list-engine', state: () => zh(LISTING, {all: true})},
		{name: 'zh-image-list-engine-layers', state: rows => storeResult(press(zh(LISTING), '\t', rows), {type: 'layers', layers: LAYERS}, storeListHeight(rows))},
	];
	for (const [columns, rows] of SIZES)
		for (const scene of scenes)
			it(`${scene.name} at ${columns}x${rows}`, () => {
				const lines = storeFrame(scene.state(rows), columns, rows);
				assert.equal(lines.length, rows);
				check(`${scene.name}-${columns}x${rows}`, lines, columns);
			});

	it('says the list messages in Chinese: no images, already analysing, the analysis done with a failure', () => {
		assert.deepEqual(initialStoreState({...LISTING, images: []}, {lang: 'zh'}).message, {text: '这里没有镜像', tone: 'info'});
		const busy = press(press(zh(archive.listing), 'a', 24), 'a', 24);
		assert.deepEqual(busy.message, {text: '正在分析中', tone: 'info'});
		const outcomes: AnalyseOutcome[] = [...analysed(archive.listing).slice(0, 2), {id: archive.listing.images[2].id, error: 'unreadable'}];
		const done = storeResult(busy, {type: 'analysed', outcomes}, 20);
		assert.deepEqual(done.message, {text: '已分析 2/3 个镜像，按浪费从多到少排序；1 个无法读取（见详情行）', tone: 'error'});
	});

	it('keeps the English list byte-identical when no language is given', () => {
		const lines = storeFrame(initialStoreState(archive.listing), 80, 24);
		assert.match(lines[0], /^ layerscope · images \(3 images\) · archive demo\.tar/);
		assert.match(lines[1], /^ {3}REPOSITORY:TAG +SIZE +SHARED +UNIQUE +SHARED LAYERS +WASTED$/);
	});
});

describe('the loading screen in Chinese', () => {
	const progress: Progress = {bytes: 1_500_000, totalBytes: 3_000_000, layersDone: 1, layersTotal: 3, phase: 'reading'};
	for (const [columns, rows] of SIZES) {
		it(`opening, then reading at ${columns}x${rows}`, () => {
			check(`zh-loading-opening-${columns}x${rows}`, screenText(loadingLines('web:1', null, columns, rows, 'zh')).split('\n'), columns);
			check(`zh-loading-${columns}x${rows}`, screenText(loadingLines('web:1', progress, columns, rows, 'zh')).split('\n'), columns);
		});
	}

	it('names each phase and stdin in Chinese; English stays as it was', () => {
		const line = (lang: Lang, p: Progress | null, reference = 'web:1'): string[] =>
			screenText(loadingLines(reference, p, 100, 6, lang))
				.split('\n')
				.map(s => s.trimEnd());
		assert.deepEqual(line('zh', {...progress, phase: 'hashing', totalBytes: null, layersTotal: null}, '-').slice(1, 5), [
			' layerscope · 正在加载 标准输入',
			' 1.50 MB · 已完成 1 层',
			' 正在计算被后续层重写的文件的哈希…',
			' q 退出',
		]);
		assert.deepEqual(line('en', progress).slice(1, 5), [
			' layerscope · loading web:1',
			` [${'#'.repeat(25)}${'.'.repeat(25)}] 1.50 MB / 3.00 MB · layer 1 of 3 done`,
			' reading the layers and checking their digests…',
			' q quits',
		]);
	});

	it('is what the Loading component draws in its language', () => {
		const drawn: string[] = [];
		const app = render(
			<Loading reference="web:1" progress={progress} width={80} height={24} lang="zh" onQuit={() => {}} draw={lines => drawn.push(screenText(lines))} />,
		);
		app.unmount();
		assert.equal(drawn.at(-1), screenText(loadingLines('web:1', progress, 80, 24, 'zh')));
	});
});

describe("the explorer's effect messages in Chinese", () => {
	let state: ViewState;
	before(async () => {
		const {analysis} = await uiImage();
		const target = {layer: 0, path: '/etc/os-release'} as unknown as NonNullable<ViewState['pendingExport']>['target'];
		state = {...initialState(analysis), pendingExport: {id: 7, target, path: '/tmp/out', overwrite: false}};
	});
	const message = (result: Parameters<typeof reduceEffect>[1], lang: Lang): ViewState['message'] => reduceEffect(state, result, lang).message;

	it('says an export done, failed or not available here, in the language given (English by default)', () => {
		assert.deepEqual(message({type: 'exported', id: 7, bytes: 12, path: '/tmp/out'}, 'zh'), {text: '已导出 12 字节到 /tmp/out', tone: 'info'});
		assert.deepEqual(message({type: 'exportError', id: 7, error: 'EACCES: permission denied', failed: true}, 'zh'), {
			text: '导出失败：EACCES: permission denied',
			tone: 'error',
		});
		assert.deepEqual(message({type: 'exportError', id: 7, error: null}, 'zh'), {text: '此处无法导出', tone: 'error'});
		assert.deepEqual(reduceEffect(state, {type: 'exported', id: 7, bytes: 12, path: '/tmp/out'}).message, {
			text: 'exported 12 bytes to /tmp/out',
			tone: 'info',
		});
		assert.deepEqual(message({type: 'exportError', id: 7, error: 'EACCES', failed: true}, 'en'), {text: 'export failed: EACCES', tone: 'error'});
		assert.deepEqual(message({type: 'exportError', id: 7, error: null}, 'en'), {text: 'export is not available here', tone: 'error'});
	});
});
