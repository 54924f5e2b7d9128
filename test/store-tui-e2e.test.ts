// The store view end to end: the built CLI in a real terminal (tmux) against the real Docker engine, on the store
// tests' images (a shared base, a dangling image from a rebuild, a container). The list, opening an image and coming
// back with the cursor kept, the layer view, an image removed while listed, `layerscope` with no argument, and no
// engine as one line.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {after, before, describe, it} from 'node:test';
import {CLI} from './helpers/cli.js';
import {BASE_IMAGE, dockerBuild, dockerUnavailable} from './helpers/docker.js';
import {buildStoreFixture, imageId, LABEL, removeStoreFixture, RUN, type StoreFixture} from './helpers/store-docker.js';
import {hasTmux, killServer, selectedRow, selectRow, terminal} from './helpers/store-tmux.js';

const docker = process.env.LAYERSCOPE_TEST_DOCKER === '1' ? null : dockerUnavailable();
const skip = !hasTmux ? 'tmux is not installed' : !existsSync(CLI) ? 'dist/cli.js is not built (npm run build)' : (docker ?? false);

const short = (id: string): string => id.replace('sha256:', '').slice(0, 12);

describe('the store view in a real terminal (tmux, Docker)', {skip}, () => {
	let fixture: StoreFixture;
	before(() => {
		fixture = buildStoreFixture();
	});
	after(() => {
		killServer();
		removeStoreFixture();
	});

	it('lists the images with their figures, opens one in the explorer, comes back to it, shows who shares each layer', async () => {
		const term = terminal(`node ${CLI} images`);
		let screen = await term.until(s => /layerscope · images \(\d+ images\) · Docker engine/.test(s) && s.includes(`${RUN}-b:1`), 'the list');
		assert.ok(term.alternate(), 'on the alternate screen');
		const row = (tag: string): string => screen.split('\n').find(line => line.includes(` ${tag} `)) ?? '';
		// The container created from b counts; the shared base's 40 kB is in every image of the run.
		assert.match(row(`${RUN}-b:1`), new RegExp(`${short(fixture.b.id)} .* 1 +-$`));
		assert.match(row(`${RUN}-a:1`), new RegExp(`${short(fixture.a.id)} .* 0 +-$`));
		const dangling = screen.split('\n').find(line => line.includes(short(fixture.dangling.id))) ?? '';
		assert.match(dangling, /^[ ›]D <none>:<none> \(dangling\) /);
		assert.match(screen, /^ Images \d+, active \d+ · layers on disk .* · reclaimable .*$/m);

		screen = await selectRow(term, line => line.includes(` ${RUN}-b:1 `), 'the b image');
		await term.keys('Enter');
		// Opened by its ID (the tag could move meanwhile): the explorer shows the engine's tags of that ID.
		screen = await term.until(s => /Layers \(1\/3\)/.test(s) && /RUN dd if=\/dev\/zero of=\/b\.bin bs=1000 count=30/.test(s), 'the explorer on b');
		assert.match(screen, new RegExp(`Tags +${RUN}-b:1`));
		await term.keys('q');
		screen = await term.until(s => /layerscope · images/.test(s), 'back to the list');
		assert.ok(selectedRow(screen).includes(` ${RUN}-b:1 `), `the cursor kept on b:\n${screen}`);
		assert.ok(term.alternate(), 'still on the alternate screen');

		// Other test files share the engine and remove their images as they end: a layer view that finds one of them
		// gone says so and stays on the list, and `r` reads the list again, as a user would do.
		const layerView = (s: string): boolean => /who shares each layer \(\d+ layers\)/.test(s) && !/reading the layer sizes/.test(s);
		for (let attempt = 0; ; attempt++) {
			await term.keys('Tab');
			screen = await term.until(s => layerView(s) || /was removed from the Docker engine after the list was read/.test(s), 'the layer view');
			if (layerView(screen) || attempt === 3) break;
			await term.keys('r');
			await term.until(s => /layerscope · images/.test(s) && !/was removed from the Docker engine/.test(s), 'the list read again');
		}
		assert.ok(layerView(screen), screen);
		// The base's 40 kB layer: used by the base, a and b, and no other image.
		const shared = screen.split('\n').find(line => / 40\.0 kB [0-9a-f]{12} +3 /.test(line) && line.includes(`${RUN}-base:1`)) ?? '';
		for (const tag of ['a', 'b', 'base']) assert.ok(shared.includes(`${RUN}-${tag}:1`), `${tag} uses the shared layer:\n${screen}`);
		await term.keys('q');
		screen = await term.until(s => /EXIT=0/.test(s), 'the exit');
		assert.ok(!term.alternate(), 'back on the normal screen');
		term.kill();
	});

	it('an image removed while the list is open: Enter gives one line, r reads the list without it', async () => {
		const gone = dockerBuild(`${RUN}-gone:1`, `FROM ${BASE_IMAGE}\nLABEL ${LABEL}=${RUN}\nRUN echo gone > /gone\n`);
		const id = imageId(gone);
		const term = terminal(`node ${CLI} images`);
		await term.until(s => s.includes(` ${gone} `), 'the list with the image');
		await selectRow(term, line => line.includes(` ${gone} `), 'the image');
		execFileSync('docker', ['rmi', gone], {stdio: 'ignore'});
		await term.keys('Enter');
		let screen = await term.until(s => /was removed/.test(s), 'the error line');
		assert.equal(
			screen.trimEnd().split('\n').at(-1)?.split('  ')[0],
			`image ${gone} (${short(id)}) was removed from the Docker engine after the list was read; refresh the list`,
		);
		await term.keys('r');
		screen = await term.until(s => !s.includes(` ${gone} `), 'the list without it');
		assert.match(screen, /layerscope · images/);
		await term.keys('q');
		await term.until(s => /EXIT=0/.test(s), 'the exit');
		term.kill();
	});

	it('`layerscope` with no argument opens the store view when the engine answers; no engine is one line, exit 2', async () => {
		const term = terminal(`node ${CLI}`);
		await term.until(s => /layerscope · images \(\d+ images\) · Docker engine/.test(s), 'the store view');
		await term.keys('q');
		await term.until(s => /EXIT=0/.test(s), 'the exit');
		term.kill();
		const none = terminal(`DOCKER_HOST=unix:///nonexistent/docker.sock node ${CLI} images`);
		const screen = await none.until(s => /EXIT=2/.test(s), 'the error');
		assert.match(screen, /^layerscope: images: cannot reach the Docker engine at unix:\/\/\/nonexistent\/docker\.sock \(from DOCKER_HOST\): is it running\?$/m);
		none.kill();
	});
});
