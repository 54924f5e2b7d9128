// Three images in one archive for the explorer's image list: web:1 and web:2 share a base layer (one file of 4000
// bytes), tools:1 has its own. Built in code, as `docker save web:1 web:2 tools:1` writes it.
import {dockerArchive, writeTemp, type FixtureImage} from './fixtures.js';

const base = {entries: [{name: 'etc/os-release', content: Buffer.alloc(4000, 'b')}], createdBy: '/bin/sh -c #(nop) ADD file:base in /'};

export const THREE_IMAGES: FixtureImage[] = [
	{
		tags: ['web:1'],
		layers: [
			base,
			{entries: [{name: 'srv/index.html', content: Buffer.alloc(1500, 'w')}], createdBy: '/bin/sh -c echo one > /srv/index.html'},
			{entries: [{name: 'srv/app.js', content: Buffer.alloc(700, 'j')}], createdBy: '/bin/sh -c echo app > /srv/app.js'},
		],
	},
	{tags: ['web:2', 'web:latest'], layers: [base, {entries: [{name: 'srv/index.html', content: Buffer.alloc(2500, 'v')}], createdBy: '/bin/sh -c echo two'}]},
	{tags: ['tools:1'], layers: [{entries: [{name: 'usr/bin/tool', content: Buffer.alloc(9000, 't')}], createdBy: '/bin/sh -c #(nop) ADD file:tools in /'}]},
];

/** The archive as a file; its path. */
export async function threeImageArchive(name = 'three-images.tar'): Promise<string> {
	return writeTemp(await dockerArchive(THREE_IMAGES), name);
}
