// The explorer on an archive of several images, end to end: the built CLI in a real terminal (tmux) opens on the
// image list, Enter opens the image under the cursor, q and Esc come back to the list with the cursor kept, q on the
// list quits and gives the terminal back. On the code-built archive of three images always; on a real
// `docker save` of three images when a Docker engine is there (LAYERSCOPE_TEST_DOCKER=1).
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {CLI} from './helpers/cli.js';
import {BASE_IMAGE, dockerBuild, dockerUnavailable} from './helpers/docker.js';
import {tempDir} from './helpers/fixtures.js';
import {threeImageArchive} from './helpers/multi-image.js';
import {hasTmux, killServer, selectedRow, terminal} from './helpers/store-tmux.js';

const skip = !hasTmux ? 'tmux is not installed' : !existsSync(CLI) ? 'dist/cli.js is not built (npm run build)' : false;
const dockerSkip =
	skip ||
	(process.env.LAYERSCOPE_TEST_DOCKER !== '1' ? 'LAYERSCOPE_TEST_DOCKER is not 1: no real docker save of several images' : (dockerUnavailable() ?? false));

after(() => killServer());

describe('the image list in a real terminal (tmux), code-built archive', {skip}, () => {
	let file: string;
	before(async () => {
		file = await threeImageArchive('e2e-three-images.tar');
	});

	for (const [width, height] of [
		[80, 24],
		[120, 40],
	])
		it(`at ${width}x${height}: the list, Enter, q back with the cursor kept, Esc back, q quits`, async () => {
			const term = terminal(`node ${CLI} ${file}`, width, height);
			let screen = await term.until(s => /layerscope · images \(3 images\) · archive /.test(s) && /Enter Open/.test(s), 'the list');
			assert.ok(term.alternate(), 'on the alternate screen');
			assert.match(selectedRow(screen), /^› {2}tools:1 .* 9\.00 kB +0 B +9\.00 kB +0 of 1 +-$/);
			assert.match(screen, /^ {3}web:2 \+1 .* 6\.50 kB +4\.00 kB +2\.50 kB +1 of 2 +-$/m);
			assert.match(screen, /^ {3}web:1 .* 6\.20 kB +4\.00 kB +2\.20 kB +1 of 3 +-$/m);
			assert.match(screen, /^ 3 images · 5 distinct layers, 1 shared · 17\.7 kB of layers, each counted once/m);

			await term.keys('j', 'j');
			await term.until(s => selectedRow(s).startsWith('›  web:1 '), 'the cursor on web:1');
			await term.keys('Enter');
			screen = await term.until(s => /Layers \(1\/3\)/.test(s) && /q List/.test(s), 'the explorer on web:1');
			assert.match(screen, /Tags +web:1/);
			await term.keys('q');
			screen = await term.until(s => /images \(3 images\)/.test(s), 'back to the list');
			assert.match(selectedRow(screen), /^› {2}web:1 /, 'the cursor kept');

			await term.keys('k', 'Enter');
			screen = await term.until(s => /Layers \(1\/2\)/.test(s), 'the explorer on web:2');
			assert.match(screen, /Tags +web:2, web:latest/);
			await term.keys('Escape');
			screen = await term.until(s => /images \(3 images\)/.test(s), 'back by Esc');
			assert.match(selectedRow(screen), /^› {2}web:2 /);

			await term.keys('q');
			await term.until(s => /EXIT=0/.test(s), 'the exit');
			assert.ok(!term.alternate(), 'back on the normal screen');
			term.kill();
		});

	it('--image opens that image at once, as before', async () => {
		const term = terminal(`node ${CLI} ${file} --image tools:1`, 120, 40);
		const screen = await term.until(s => /Layers \(1\/1\)/.test(s), 'the explorer on tools:1');
		assert.match(screen, /Tags +tools:1/);
		assert.match(screen, /q Quit/);
		await term.keys('q');
		await term.until(s => /EXIT=0/.test(s), 'the exit');
		term.kill();
	});
});

describe('the image list in a real terminal (tmux), a real docker save of three images', {skip: dockerSkip}, () => {
	const run = `layerscope-list-e2e-${process.pid}`;
	const tags = [`${run}-a:1`, `${run}-b:1`, `${run}-c:1`];
	let file: string;
	before(() => {
		// a and b share the busybox base and a step; c only the base.
		dockerBuild(tags[0], `FROM ${BASE_IMAGE}\nRUN echo shared > /shared\nRUN dd if=/dev/zero of=/a.bin bs=1000 count=20\n`);
		dockerBuild(tags[1], `FROM ${BASE_IMAGE}\nRUN echo shared > /shared\nRUN dd if=/dev/zero of=/b.bin bs=1000 count=30\n`);
		dockerBuild(tags[2], `FROM ${BASE_IMAGE}\nRUN dd if=/dev/zero of=/c.bin bs=1000 count=5\n`);
		file = path.join(tempDir(), 'three.tar');
		execFileSync('docker', ['save', '-o', file, ...tags], {timeout: 120_000});
	});
	after(() => {
		execFileSync('docker', ['rmi', ...tags], {stdio: 'ignore'});
	});

	it('lists the three images with the layers they share, opens b, comes back to it', async () => {
		const term = terminal(`node ${CLI} ${file}`, 120, 40);
		let screen = await term.until(s => /layerscope · images \(3 images\) · archive /.test(s) && /Enter Open/.test(s), 'the list');
		const row = (tag: string): string => screen.split('\n').find(line => line.includes(` ${tag} `)) ?? '';
		assert.match(row(tags[0]), / 2 of 3 +-$/, 'a shares the base and the shared step with b');
		assert.match(row(tags[1]), / 2 of 3 +-$/);
		assert.match(row(tags[2]), / 1 of 2 +-$/, 'c shares the base only');
		assert.match(screen, /^ 3 images · 5 distinct layers, 2 shared · /m);

		for (let i = 0; i < 3 && !selectedRow(screen).includes(` ${tags[1]} `); i++) {
			await term.keys('j');
			screen = await term.until(s => selectedRow(s) !== '', 'a row');
		}
		assert.ok(selectedRow(screen).includes(` ${tags[1]} `), screen);
		await term.keys('Enter');
		screen = await term.until(s => /Layers \(1\/3\)/.test(s) && /q List/.test(s), 'the explorer on b');
		assert.match(screen, new RegExp(`Tags +${tags[1]}`));
		await term.keys('q');
		screen = await term.until(s => /images \(3 images\)/.test(s), 'back to the list');
		assert.ok(selectedRow(screen).includes(` ${tags[1]} `), `the cursor kept on b:\n${screen}`);
		await term.keys('q');
		await term.until(s => /EXIT=0/.test(s), 'the exit');
		term.kill();
	});
});
