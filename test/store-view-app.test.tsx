// The store view as the user drives it (Ink, keys on stdin) over a multi-image archive: Enter opens the image in
// the explorer, q comes back to the list with its cursor where it was, Tab shows who shares each layer, a analyses
// every image and sorts by wasted bytes, an image gone from the archive is one line.
import assert from 'node:assert/strict';
import {rmSync} from 'node:fs';
import {after, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import React from 'react';
import {StoreSession} from '../source/store/session.js';
import {StoreApp} from '../source/ui/store/store-app.js';
import {dockerArchive, writeTemp, type FixtureImage} from './helpers/fixtures.js';

const base = {entries: [{name: 'bin/x', content: Buffer.alloc(1000, 1)}]};
const IMAGES: FixtureImage[] = [
	{
		tags: ['app:1'],
		layers: [
			base,
			{
				createdBy: '/bin/sh -c rm /bin/x',
				entries: [
					{name: 'a', content: Buffer.alloc(200, 2)},
					{name: 'bin/x', type: 'whiteout'},
				],
			},
		],
	},
	{tags: ['app:2'], layers: [base, {entries: [{name: 'b', content: Buffer.alloc(300, 3)}]}]},
	{layers: [base, {entries: [{name: 'c', content: Buffer.alloc(50, 4)}]}]},
];

after(() => cleanup());

const tick = (ms = 20): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

async function start(file: string) {
	const session = new StoreSession({archive: file});
	await session.refresh();
	const t = render(<StoreApp session={session} width={100} height={24} color={false} />);
	const frame = (): string => t.lastFrame() ?? '';
	return {
		frame,
		async press(...keys: string[]) {
			for (const key of keys) {
				t.stdin.write(key);
				await tick();
			}
		},
		async until(test: (frame: string) => boolean, what: string): Promise<string> {
			for (let i = 0; i < 250 && !test(frame()); i++) await tick();
			assert.ok(test(frame()), `${what}:\n${frame()}`);
			return frame();
		},
		unmount: () => t.unmount(),
	};
}

const selectedRow = (frame: string): string | undefined => frame.split('\n').find(line => line.startsWith('›'));

test('Enter opens the image in the explorer; q comes back to the list, the same image selected', async () => {
	const file = writeTemp(await dockerArchive(IMAGES), 'store-view.tar');
	const view = await start(file);
	let frame = await view.until(f => /images \(3 images\) · archive/.test(f), 'the list');
	assert.match(selectedRow(frame) ?? '', /^› {2}app:2 /, 'the largest image first');
	await view.press('j');
	await view.until(f => /^› {2}app:1 /m.test(f), 'the cursor on app:1');
	await view.press('\r');
	frame = await view.until(f => /Layers \(1\/2\)/.test(f) && /Tags +app:1/.test(f), 'the explorer on app:1');
	assert.match(frame, /Wasted files \(1\)/);
	await view.press('q');
	frame = await view.until(f => /images \(3 images\)/.test(f), 'back to the list');
	assert.match(selectedRow(frame) ?? '', /^› {2}app:1 /, 'the cursor kept');
	view.unmount();
});

test('Tab: who shares each layer in the archive; a: every image analysed, the most wasted first with its top finding', async () => {
	const file = writeTemp(await dockerArchive(IMAGES), 'store-view-layers.tar');
	const view = await start(file);
	await view.until(f => /images \(3 images\)/.test(f), 'the list');
	await view.press('\t');
	let frame = await view.until(f => /who shares each layer \(4 layers\)/.test(f), 'the layer view');
	assert.match(frame, /^›S +1\.00 kB [0-9a-f]{12} +3 app:1, app:2, <none> \([0-9a-f]{12}\)$/m);
	await view.press('\t', 'a');
	frame = await view.until(f => /analysed 3 of 3 images, most wasted first/.test(f), 'the analysis');
	assert.match(selectedRow(frame) ?? '', /^› {2}app:1 .* 1\.00 kB$/, "app:1 wastes the base's /bin/x");
	assert.match(frame, /top finding: saves 1\.00 kB: merge layers 0–1 into one RUN/);
	view.unmount();
});

test('an image that cannot be opened any more: one line in the status bar, the list kept', async () => {
	const file = writeTemp(await dockerArchive(IMAGES), 'store-view-gone.tar');
	const view = await start(file);
	await view.until(f => /images \(3 images\)/.test(f), 'the list');
	rmSync(file);
	await view.press('\r');
	const frame = await view.until(f => /no such file or directory/.test(f), 'the error line');
	assert.match(frame.split('\n').at(-1) ?? '', /no such file or directory/);
	assert.match(frame, /images \(3 images\)/);
	view.unmount();
});
