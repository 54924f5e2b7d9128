// The store view's reducer and frames (plain text) on a fixed listing: the image list at 80x24 and 120x40, the
// layer view, analyse all with its progress bar and the most wasted first, a refresh keeping the selected image, the
// bad states as one line, the help from the bindings table, hostile names escaped.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {AnalyseOutcome} from '../source/store/analyse-all.js';
import type {InputEvent} from '../source/ui/keys.js';
import {initialStoreState, selectedImage, storeInput, storeResult, type StoreViewState} from '../source/ui/store/store-state.js';
import {renderStore, storeHelpLines, storeListHeight} from '../source/ui/store/store-view.js';
import {IMAGES, LAYERS, LISTING} from './helpers/store-listing.js';

/** The frame as text, each line's trailing blanks dropped (every line is checked to be exactly `width` first). */
function frame(state: StoreViewState, width: number, height: number): string {
	const lines = renderStore(state, {color: false}, width, height).map(line => line.map(segment => segment.text).join(''));
	assert.equal(lines.length, height);
	for (const line of lines) assert.equal([...line].length, width, `a line of ${width} cells: ${JSON.stringify(line)}`);
	return lines.map(line => line.trimEnd()).join('\n');
}

const key = (name: string): InputEvent => ({kind: 'key', name});

function press(state: StoreViewState, height: number, ...names: string[]): StoreViewState {
	return names.reduce((next, name) => storeInput(next, key(name), storeListHeight(height)), state);
}

const blank = (count: number): string => '\n'.repeat(count);

test('the image list at 80x24: the columns that fit, dangling and intermediate marked, the totals of docker system df', () => {
	assert.equal(
		frame(initialStoreState(LISTING), 80, 24),
		` layerscope · images (5 images) · Docker engine unix:///var/run/docker.sock
   REPOSITORY:TAG      IMAGE ID          SIZE    SHARED    UNIQUE CTRS    WASTED
›  registry.example:5… aaaaaaaaaaaa   7.50 MB   5.00 MB   2.50 MB    2         -
   web:2               cccccccccccc   5.42 MB   5.00 MB    420 kB    0         -
 D <none>:<none> (dan… eeeeeeeeeeee   5.30 MB   5.00 MB    300 kB    0         -
   base:3.20           ffffffffffff   5.00 MB   5.00 MB       0 B    0         -
 I <none>:<none> (int… 999999999999   5.00 MB   5.00 MB       0 B    0         -` +
			blank(13) +
			`
 Images 4, active 1 · layers on disk 8.22 MB · reclaimable 5.72 MB (69%)
 sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa  regis…
 not analysed yet: a analyses every image
Enter Open  Tab Layers  a Analyse  s Sort  i Intermediates  r Refresh  ? Help`,
	);
});

test("the image list at 120x40: every column; the selected image's names in the detail line", () => {
	const state = press(initialStoreState(LISTING), 40, 'j');
	assert.equal(
		frame(state, 120, 40),
		` layerscope · images (5 images) · Docker engine unix:///var/run/docker.sock
   REPOSITORY:TAG                      IMAGE ID     CREATED               SIZE    SHARED    UNIQUE LAYERS CTRS    WASTED
   registry.example:5000/team/app:1.2… aaaaaaaaaaaa 2026-11-30 09:15   7.50 MB   5.00 MB   2.50 MB      2    2         -
›  web:2                               cccccccccccc 2026-11-29 18:00   5.42 MB   5.00 MB    420 kB      2    0         -
 D <none>:<none> (dangling)            eeeeeeeeeeee 2026-11-28 07:30   5.30 MB   5.00 MB    300 kB      2    0         -
   base:3.20                           ffffffffffff 2026-11-01 00:00   5.00 MB   5.00 MB       0 B      1    0         -
 I <none>:<none> (intermediate)        999999999999 2026-11-01 00:00   5.00 MB   5.00 MB       0 B      1    0         -` +
			blank(29) +
			`
 Images 4, active 1 · layers on disk 8.22 MB · reclaimable 5.72 MB (69%)
 sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc  web:2
 not analysed yet: a analyses every image
Enter Open  Tab Layers  a Analyse  s Sort  i Intermediates  r Refresh  q Quit  ? Help`,
	);
});

test('Enter asks to open the selected image; the list and its cursor stay as they were', () => {
	const state = press(initialStoreState(LISTING), 24, 'j', 'j', 'enter');
	assert.deepEqual(state.request, {kind: 'open', id: 1, image: IMAGES[2]});
	const back = storeResult(state, {type: 'opened'}, storeListHeight(24));
	assert.equal(selectedImage(back)?.id, IMAGES[2].id);
	assert.equal(back.images.cursor, 2);
	// An image removed since the list was read: the one line, in the status bar.
	const removed = storeResult(
		state,
		{type: 'failed', error: 'image web:2 (cccccccccccc) was removed from the Docker engine after the list was read; refresh the list'},
		18,
	);
	assert.equal(
		frame(removed, 120, 40).split('\n').at(-1),
		'image web:2 (cccccccccccc) was removed from the Docker engine after the list was read; refresh the list  s Sort  ? Help',
	);
	// The next key clears it.
	assert.equal(press(removed, 40, 'k').message, null);
});

test('the layer view: Tab reads it once per list, largest first, shared layers marked, who uses each; Esc goes back', () => {
	let state = press(initialStoreState(LISTING), 24, 'j', 'tab');
	assert.deepEqual([state.mode, state.request], ['layers', {kind: 'layers', id: 1}]);
	assert.match(frame(state, 80, 24), /reading the layer sizes from the image histories…/);
	state = storeResult(state, {type: 'layers', layers: LAYERS}, storeListHeight(24));
	state = press(state, 24, 'j');
	assert.equal(
		frame(state, 80, 24),
		` layerscope · who shares each layer (4 layers) · Docker engine unix:///var/run/…
        SIZE LAYER        IMAGES USED BY
 S   5.00 MB bbbbbbbbbbbb      5 registry.example:5000/team/app:1.2.3, web:2, <…
›    2.50 MB 111111111111      1 registry.example:5000/team/app:1.2.3
      420 kB 222222222222      1 web:2
      300 kB 333333333333      1 <none> (eeeeeeeeeeee)` +
			blank(14) +
			`
 4 layers, 1 shared: 5.00 MB on disk that would be 25.0 MB unshared
 diffID sha256:1111111111111111111111111111111111111111111111111111111111111111…
 used by registry.example:5000/team/app:1.2.3
Tab Images  q Quit  ? Help`,
	);
	state = press(state, 24, 'escape');
	assert.deepEqual([state.mode, selectedImage(state)?.tags[0]], ['images', 'web:2']);
	// Read once: a second Tab shows the same layers without asking again.
	const again = press(state, 24, 'tab');
	assert.deepEqual([again.mode, again.request, again.layers.cursor], ['layers', null, 1]);
});

test('analyse all: a progress bar, then the most wasted first with the top finding; a failure named in its row', () => {
	let state = press(initialStoreState(LISTING), 40, 'a');
	assert.deepEqual(
		[state.request, state.analysing],
		[
			{kind: 'analyse', id: 1},
			{done: 0, total: 5},
		],
	);
	const web: AnalyseOutcome = {
		id: IMAGES[1].id,
		waste: {
			id: IMAGES[1].id,
			wastedBytes: 400_000,
			byCause: {removed: 400_000, overwritten: 0, duplicate: 0},
			topFinding: '/tmp/cache.tgz: 400 kB removed (stored by layer 1, hidden by layer 2)',
		},
	};
	const base: AnalyseOutcome = {
		id: IMAGES[3].id,
		waste: {id: IMAGES[3].id, wastedBytes: 0, byCause: {removed: 0, overwritten: 0, duplicate: 0}, topFinding: null},
	};
	const failed: AnalyseOutcome = {
		id: IMAGES[0].id,
		error: 'image registry.example:5000/team/app:1.2.3 (aaaaaaaaaaaa) was removed from the Docker engine after the list was read; refresh the list',
	};
	state = storeResult(state, {type: 'progress', done: 2, total: 5, outcome: web}, 18);
	assert.equal(frame(state, 80, 24).split('\n')[22], ' analysing [################........................] 2/5 images');
	assert.match(frame(state, 80, 24).split('\n')[3], /^ {3}web:2 .* 400 kB$/, 'each result shows as it comes');
	// Pressing a again while it runs changes nothing but says so.
	assert.equal(press(state, 24, 'a').message?.text, 'already analysing');
	state = storeResult(state, {type: 'analysed', outcomes: [failed, web, base]}, 18);
	const lines = frame(state, 120, 40).split('\n');
	assert.deepEqual(lines.slice(2, 7), [
		'›  web:2                               cccccccccccc 2026-11-29 18:00   5.42 MB   5.00 MB    420 kB      2    0    400 kB',
		'   base:3.20                           ffffffffffff 2026-11-01 00:00   5.00 MB   5.00 MB       0 B      1    0       0 B',
		'   registry.example:5000/team/app:1.2… aaaaaaaaaaaa 2026-11-30 09:15   7.50 MB   5.00 MB   2.50 MB      2    2     error',
		' D <none>:<none> (dangling)            eeeeeeeeeeee 2026-11-28 07:30   5.30 MB   5.00 MB    300 kB      2    0         -',
		' I <none>:<none> (intermediate)        999999999999 2026-11-01 00:00   5.00 MB   5.00 MB       0 B      1    0         -',
	]);
	assert.deepEqual(lines.slice(37), [
		' sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc  web:2',
		' top finding: /tmp/cache.tgz: 400 kB removed (stored by layer 1, hidden by layer 2)',
		'analysed 2 of 3 images, most wasted first; 1 could not be read (see the detail line)  Enter Open  Tab Layers  ? Help',
	]);
	state = press(state, 40, 'j', 'j');
	assert.equal(
		frame(state, 120, 40).split('\n')[38],
		' could not analyse: image registry.example:5000/team/app:1.2.3 (aaaaaaaaaaaa) was removed from the Docker engine after …',
	);
	// s goes back to largest first; the results stay.
	state = press(state, 40, 's');
	assert.deepEqual([state.sort, selectedImage(state)?.id, state.analysed.size], ['size', IMAGES[0].id, 3]);
});

test('a refresh keeps the selected image where it is still listed; i lists intermediates again (-a)', () => {
	let state = press(initialStoreState(LISTING, {all: true}), 24, 'j', 'j', 'j');
	assert.equal(selectedImage(state)?.tags[0], 'base:3.20');
	state = press(state, 24, 'r');
	assert.deepEqual(state.request, {kind: 'refresh', id: 1, all: true});
	const fewer = {...LISTING, images: IMAGES.filter(image => !image.dangling && !image.intermediate)};
	state = storeResult(state, {type: 'listed', listing: fewer}, storeListHeight(24));
	assert.deepEqual([state.images.cursor, selectedImage(state)?.tags[0]], [2, 'base:3.20']);
	state = press(state, 24, 'i');
	assert.deepEqual([state.all, state.request], [false, {kind: 'refresh', id: 2, all: false}]);
	// The engine went away meanwhile: one line, the list kept.
	state = storeResult(state, {type: 'failed', error: 'cannot reach the Docker engine at unix:///var/run/docker.sock: is it running?'}, 18);
	assert.equal(frame(state, 80, 24).split('\n').at(-1), 'cannot reach the Docker engine at unix:///var/run/docker.sock: is it running?');
	assert.equal(state.listing, fewer);
});

test('? shows every store binding from the bindings table; any key closes it; q and Ctrl+C quit', () => {
	const help = press(initialStoreState(LISTING), 40, '?');
	const text = frame(help, 120, 40);
	for (const line of storeHelpLines()) assert.ok(text.includes(line.trimEnd()), line);
	assert.match(text, /q\/Esc {8}back to the list, its cursor kept \(Esc once nothing is open\)/);
	assert.equal(press(help, 40, 'x').help, false);
	assert.equal(press(initialStoreState(LISTING), 40, 'q').quit, true);
	assert.equal(press(help, 40, 'ctrl+c').quit, true);
});

test('names from the engine are shown escaped', () => {
	const evil = {...IMAGES[1], tags: ['evil\u001B[2J\u001B]0;pwned\u0007:1']};
	const text = frame(initialStoreState({...LISTING, images: [evil]}), 120, 40);
	assert.doesNotMatch(text, /\u001B|\u0007/);
	assert.match(text, /evil\\e\[2J/);
});
