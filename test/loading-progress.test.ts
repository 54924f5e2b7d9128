// What the loading screen is told while a docker save file is read: its layer total from the start (the archive's
// index names every member before a layer is read); a stream on stdin cannot know it until its manifest, which comes last.
import assert from 'node:assert/strict';
import {createReadStream} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import type {Progress} from '../source/sources/blob-store.js';
import {loadImage} from '../source/sources/load.js';
import {ROOT} from './helpers/cli.js';

const DIVE_IMAGE = path.join(ROOT, '../shared/corpus/dive/test-docker-image.tar');

test('a docker save file: every reading step knows the 14 layers it walks', async () => {
	const seen: Progress[] = [];
	const analysis = await loadImage(DIVE_IMAGE, {onProgress: progress => seen.push({...progress})});
	assert.equal(analysis.layers.length, 14);
	const reading = seen.filter(progress => progress.phase === 'reading' && progress.layersDone < 14);
	assert.ok(reading.length > 0);
	assert.deepEqual([...new Set(reading.map(progress => progress.layersTotal))], [14]);
});

test('the same archive streamed: no total while the layers stream', async () => {
	const seen: Progress[] = [];
	const analysis = await loadImage('-', {stdin: createReadStream(DIVE_IMAGE), onProgress: progress => seen.push({...progress})});
	assert.equal(analysis.layers.length, 14);
	assert.ok(seen.some(progress => progress.phase === 'reading' && progress.layersTotal === null));
});
