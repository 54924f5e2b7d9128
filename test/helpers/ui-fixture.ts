// The explorer's test image: every status, every waste cause, a removed directory, links, a binary and a large
// file, and names and commands full of terminal escapes. Built in code, written to a temporary archive.
import {loadImage} from '../../source/sources/load.js';
import type {ImageAnalysis} from '../../source/model/types.js';
import {dockerArchive, writeTemp, type FixtureImage} from './fixtures.js';

export const BINARY = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0xff, 0xfe, 0x41, 0x42]);
export const BIG = Buffer.alloc(200 * 1024, 'x');
/** A name that would clear the screen and set the window title if printed raw. */
export const EVIL_NAME = 'evil\u001B[2J\u001B]0;pwned\u0007name';

export const UI_IMAGE: FixtureImage = {
	tags: ['ui-test:1'],
	layers: [
		{
			createdBy: '/bin/sh -c #(nop) ADD file:0123456789abcdef in / ',
			entries: [
				{name: 'etc/', type: 'directory'},
				{name: 'etc/config.txt', content: 'hello\nworld\n'},
				{name: 'bin/', type: 'directory'},
				{name: 'bin/tool', content: BINARY, mode: 0o755},
				{name: 'bin/tool-link', type: 'symlink', linkname: 'tool'},
				{name: 'bin/tool-hard', type: 'link', linkname: 'bin/tool'},
				{name: 'data/', type: 'directory'},
				{name: 'data/big.bin', content: BIG},
				{name: 'var/lib/apt/lists/', type: 'directory'},
				{name: 'var/lib/apt/lists/pkg.list', content: 'p'.repeat(3000)},
				{name: 'app/', type: 'directory'},
				{name: 'app/script.sh', content: '#!/bin/sh\necho hi\n', mode: 0o644},
			],
		},
		{
			createdBy: '/bin/sh -c chmod +x /app/script.sh && printf "\u001B]0;pwned\u0007"',
			entries: [
				{name: 'app/script.sh', content: '#!/bin/sh\necho hi\n', mode: 0o755},
				{name: 'bin/tool', content: BINARY, mode: 0o755},
				{name: 'etc/config.txt', content: 'hello\nthere\n'},
				{name: 'tmp/', type: 'directory'},
				{name: 'tmp/cache.bin', content: 'c'.repeat(5000)},
				{name: EVIL_NAME, content: 'evil'},
			],
		},
		{
			createdBy: '/bin/sh -c rm -rf /tmp/cache.bin /var/lib/apt/lists',
			entries: [
				{name: 'tmp/cache.bin', type: 'whiteout'},
				{name: 'var/lib/apt/lists', type: 'whiteout'},
				{name: 'etc/new.conf', content: 'new'},
			],
		},
	],
};

let cached: {file: string; analysis: ImageAnalysis} | null = null;

/** The test image as a docker-save archive on disk, and its analysis. */
export async function uiImage(): Promise<{file: string; analysis: ImageAnalysis}> {
	if (cached) return cached;
	const file = writeTemp(await dockerArchive(UI_IMAGE));
	cached = {file, analysis: await loadImage(file, {keepChanges: false})};
	return cached;
}

/** A file's bytes in the fixture: the version `layer` (or the nearest layer below it) stores at `path`. */
export function fixtureBytes(image: FixtureImage, path: string, layer: number): Buffer | null {
	for (let l = layer; l >= 0; l--) {
		const entry = image.layers[l]?.entries?.find(e => '/' + e.name.replace(/\/$/, '') === path);
		if (entry && 'content' in entry && entry.content !== undefined) return Buffer.from(entry.content);
	}
	return null;
}
