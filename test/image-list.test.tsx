// The explorer on an archive of several images (issue #13, item 8): it opens on their list (tags, size, shared and
// unique bytes, how many layers each shares with the others), Enter opens one, q or Esc comes back with the cursor
// kept. Golden screens of the list (test/golden/image-list-*; UPDATE_GOLDEN=1 rewrites them) and of an image opened
// from it (its status bar and help name the way back); the list-then-explorer flow in Ink; what opens when.
import assert from 'node:assert/strict';
import {after, before, describe, it, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import React from 'react';
import type {ImageAnalysis} from '../source/model/types.js';
import {loadImage, openSource} from '../source/sources/load.js';
import {listOpenArchive, type ArchiveListing} from '../source/store/archive-list.js';
import {openExplorerSource} from '../source/ui/explorer-source.js';
import {decodeInput} from '../source/ui/keys.js';
import {renderScreen, screenText} from '../source/ui/render.js';
import {ExplorerModel, initialState, layoutFor, reduceInput, settleState, type Context, type ViewState} from '../source/ui/state.js';
import {StoreApp} from '../source/ui/store/store-app.js';
import {initialStoreState, storeInput} from '../source/ui/store/store-state.js';
import {renderStore, storeListHeight} from '../source/ui/store/store-view.js';
import {threeImageArchive} from './helpers/multi-image.js';
import {compareGolden} from './helpers/golden.js';

const SIZES: [number, number][] = [
	[80, 24],
	[120, 40],
];

let file: string;
let archive: ArchiveListing;
before(async () => {
	file = await threeImageArchive();
	// Named as the user would (a relative path), not by the temporary directory: the title shows it.
	archive = await listOpenArchive(await openSource(file), 'three-images.tar');
});
after(() => cleanup());

describe('the image list, golden', () => {
	for (const [columns, rows] of SIZES) {
		it(`the list at ${columns}x${rows}`, () => {
			const lines = renderStore(initialStoreState(archive.listing), {color: false}, columns, rows);
			assert.equal(lines.length, rows);
			compareGolden(`image-list-${columns}x${rows}.txt`, screenText(lines) + '\n');
		});
		it(`the cursor on the last image at ${columns}x${rows}`, () => {
			const state = [...'jj'].reduce((s, key) => storeInput(s, decodeInput(key)[0], storeListHeight(rows)), initialStoreState(archive.listing));
			compareGolden(`image-list-last-${columns}x${rows}.txt`, screenText(renderStore(state, {color: false}, columns, rows)) + '\n');
		});
	}
});

/** The explorer's frame after the keys, drawn as for an image opened from the list. */
function openedLines(analysis: ImageAnalysis, keys: string, columns: number, rows: number): string {
	const model = new ExplorerModel(analysis);
	const ctxFor = (s: ViewState): Context => ({model, layout: layoutFor(model, columns, rows - 1, s.pane)});
	let state = settleState(initialState(analysis), ctxFor(initialState(analysis)));
	for (const event of decodeInput(keys)) state = reduceInput(state, event, ctxFor(state));
	return screenText(renderScreen(state, ctxFor(state), {color: false}, true)) + '\n';
}

describe('an image opened from the list, golden', () => {
	let web1: ImageAnalysis;
	before(async () => {
		web1 = await loadImage(file, {image: 'web:1', keepChanges: false});
	});
	for (const [columns, rows] of SIZES) {
		it(`its status bar names q List at ${columns}x${rows}`, () =>
			compareGolden(`image-list-opened-${columns}x${rows}.txt`, openedLines(web1, '', columns, rows)));
		it(`its help starts with the way back at ${columns}x${rows}`, () =>
			compareGolden(`image-list-opened-help-${columns}x${rows}.txt`, openedLines(web1, '?', columns, rows)));
	}
});

describe('the list in Ink: Enter, back, the cursor kept', () => {
	const tick = (ms = 20): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));
	const selected = (frame: string): string => frame.split('\n').find(line => line.startsWith('›')) ?? '';

	it('Enter opens the image under the cursor; Esc (once nothing is open) and q come back to it; Ctrl+C quits', async () => {
		const opened = await openExplorerSource(file, {keepChanges: false});
		assert.equal(opened.kind, 'list');
		if (opened.kind !== 'list') return;
		const {session} = opened;
		const states: ViewState[] = [];
		const t = render(<StoreApp session={session} width={100} height={24} color={false} load={opened.load} onExplorerState={s => states.push(s)} />);
		const frame = (): string => t.lastFrame() ?? '';
		const press = async (...keys: string[]): Promise<void> => {
			for (const key of keys) {
				t.stdin.write(key);
				await tick();
			}
		};
		const until = async (ok: (f: string) => boolean, what: string): Promise<string> => {
			for (let i = 0; i < 250 && !ok(frame()); i++) await tick();
			assert.ok(ok(frame()), `${what}:\n${frame()}`);
			// A new page listens for keys from its effects, after its first frame.
			await tick(60);
			return frame();
		};

		let screen = await until(f => /images \(3 images\) · archive/.test(f), 'the list');
		assert.match(selected(screen), /^› {2}tools:1 /, 'the largest image first');
		await press('j', 'j');
		await until(f => /^› {2}web:1 .* 1 of 3 /.test(selected(f)), 'the cursor on web:1, which shares 1 of its 3 layers');
		await press('\r');
		screen = await until(f => /Layers \(1\/3\)/.test(f), 'the explorer on web:1');
		assert.match(screen, /Tags +web:1/);
		assert.match(screen, /Size +6\.20 kB · 3 layers/);
		assert.match(screen.split('\n').at(-1)!, /q List {2}\? Help/);
		// Esc first closes what is open (the help), then goes back.
		await press('?');
		await until(f => /Opened from the image list/.test(f), 'the help');
		await press('\u001B');
		await until(f => /Layers \(1\/3\)/.test(f), 'the help closed, still in the explorer');
		await press('\u001B');
		screen = await until(f => /images \(3 images\)/.test(f), 'back to the list');
		assert.match(selected(screen), /^› {2}web:1 /, 'the cursor kept');

		// Another image, from the same open archive, then q back.
		await press('k', '\r');
		screen = await until(f => /Layers \(1\/2\)/.test(f), 'the explorer on web:2');
		assert.match(screen, /Tags +web:2, web:latest/);
		await press('q');
		screen = await until(f => /images \(3 images\)/.test(f), 'back again');
		assert.match(selected(screen), /^› {2}web:2 \+1 /);
		assert.ok(states.length > 0);

		// a: every image analysed from the same open archive; nothing here wastes a byte.
		await press('a');
		screen = await until(f => /analysed 3 of 3 images, most wasted first/.test(f), 'the analysis');
		assert.equal(screen.split('\n').filter(line => / 0 B$/.test(line)).length, 3);
		t.unmount();
	});
});

describe('what the explorer opens', () => {
	it('an archive of several images: the list, every image as its own load reads it', async () => {
		const opened = await openExplorerSource(file, {keepChanges: false});
		assert.equal(opened.kind, 'list');
		if (opened.kind !== 'list') return;
		assert.deepEqual(
			opened.session.current!.images.map(image => [image.tags, image.sizeBytes, image.sharedBytes, image.diffIds.length]),
			[
				[['tools:1'], 9000, 0, 1],
				[['web:2', 'web:latest'], 6500, 4000, 2],
				[['web:1'], 6200, 4000, 3],
			],
		);
		// Opened twice and in turn from one store: the same figures as a load of that image alone.
		const figures = (a: ImageAnalysis): string =>
			JSON.stringify([a.image, a.layers.map(l => [l.sizeBytes, l.diffId, l.counts, l.wastedBytes, l.hiddenBytes]), a.waste, a.efficiency, a.history]);
		for (const image of ['web:1', 'web:2', 'web:1', 'tools:1']) {
			const fromList = await opened.load({reference: file, image}, {keepChanges: false});
			assert.equal(figures(fromList), figures(await loadImage(file, {image, keepChanges: false})), image);
		}
	});

	it('--image, or a tag in the reference, chooses one: no list, the others named in the image details', async () => {
		for (const [reference, image] of [
			[file, 'web:2'],
			[`docker-archive:${file}:web:2`, undefined],
		] as const) {
			const opened = await openExplorerSource(reference, {image, keepChanges: false});
			assert.equal(opened.kind, 'image');
			if (opened.kind !== 'image') return;
			assert.deepEqual(opened.analysis.image.tags, ['web:2', 'web:latest']);
			assert.deepEqual(opened.images, ['web:1', 'web:2', 'web:latest', 'tools:1']);
		}
	});

	it('an index of two platforms: one row each, opened with its platform; --platform chooses one, no list', async () => {
		const {ociArchive, writeTemp} = await import('./helpers/fixtures.js');
		const img = (size: number, architecture: string) => ({architecture, layers: [{entries: [{name: 'bin/x', content: Buffer.alloc(size, 1)}]}]});
		const platforms = [
			{os: 'linux', architecture: 'amd64', image: img(1000, 'amd64')},
			{os: 'linux', architecture: 'arm64', variant: 'v8', image: img(2000, 'arm64')},
		];
		const index = writeTemp(await ociArchive(null, {platforms, refName: 'multi:1'}), 'platforms.tar');
		const opened = await openExplorerSource(index, {keepChanges: false});
		assert.equal(opened.kind, 'list');
		if (opened.kind !== 'list') return;
		const images = opened.session.current!.images;
		assert.deepEqual(
			images.map(image => [image.tags, image.open.platform, image.sizeBytes]),
			[
				[['multi:1'], 'linux/arm64/v8', 2000],
				[['multi:1'], 'linux/amd64', 1000],
			],
		);
		assert.match(screenText(renderStore(initialStoreState(opened.session.current!), {color: false}, 80, 24)), /^› {2}multi:1 linux\/arm64\/v8 +2\.00 kB /m);
		const arm = await opened.load(images[0].open, {keepChanges: false});
		assert.deepEqual([arm.image.architecture, arm.image.sizeBytes], ['arm64', 2000]);
		assert.equal((await openExplorerSource(index, {platform: 'linux/arm64', keepChanges: false})).kind, 'image');
	});

	it('one image under two tags is one image: no list', async () => {
		const {dockerArchive, writeTemp} = await import('./helpers/fixtures.js');
		const one = writeTemp(await dockerArchive({tags: ['a:1', 'a:2'], layers: [{entries: [{name: 'f', content: Buffer.from('x')}]}]}), 'one-image.tar');
		const opened = await openExplorerSource(one, {keepChanges: false});
		assert.equal(opened.kind, 'image');
	});
});

test('the reports keep the first image (or the one chosen): --json is as before', async () => {
	const {runCli} = await import('./helpers/cli.js');
	const first = JSON.parse((await runCli([file, '--json'])).stdout) as {image: {tags: string[]}};
	assert.deepEqual(first.image.tags, ['web:1']);
	const chosen = JSON.parse((await runCli([file, '--json', '--image', 'tools:1'])).stdout) as {image: {tags: string[]}};
	assert.deepEqual(chosen.image.tags, ['tools:1']);
});
