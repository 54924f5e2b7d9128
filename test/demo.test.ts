// The bundled demo image (media/demo-image.tar.gz, made by scripts/make-demo-image.ts) and the README's commands.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {ROOT, runCli} from './helpers/cli.js';

const DEMO = path.join(ROOT, 'media/demo-image.tar.gz');

test('the demo image: exact sizes, waste by cause and layer, dive-compatible figures', async () => {
	const result = await runCli([DEMO, '--json']);
	assert.equal(result.code, 0, result.stderr);
	const report = JSON.parse(result.stdout);
	assert.deepEqual(report.image.tags, ['demo/shop-api:1.4.2']);
	assert.equal(report.image.sizeBytes, 944465); // its symlinks' targets: 14 bytes
	assert.equal(report.efficiency.sizeBytes, 944451);
	assert.equal(report.image.fileCount, 19);
	assert.deepEqual(report.waste.byCause, {removed: 408000, overwritten: 800, duplicate: 135000});
	assert.equal(report.waste.totalBytes, 543800);
	assert.deepEqual(
		report.layers.map((l: {sizeBytes: number; wastedBytes: number; hiddenBytes: number}) => [l.sizeBytes, l.wastedBytes, l.hiddenBytes]),
		[
			[155664, 0, 0],
			[279000, 224000, 0],
			[0, 0, 224000],
			[182000, 135800, 0],
			[135000, 0, 135000],
			[192000, 184000, 0],
			[0, 0, 184000],
			[801, 0, 800],
		],
	);
	assert.equal(report.efficiency.score, 0.6811549637511952);
	assert.equal(report.efficiency.wastedBytes, 495601);
	assert.equal(report.history.length, 12);
	assert.deepEqual(report.history.filter((h: {emptyLayer: boolean}) => h.emptyLayer).length, 4);
});

test('the plain report names the fix for each kind of waste and escapes the hostile file name', async () => {
	const result = await runCli([DEMO, '--plain']);
	assert.equal(result.code, 0, result.stderr);
	// The advisor's findings: the apt lists and the pip cache deleted in the RUN that made them, the COPYed files fixed in the context.
	assert.match(result.stdout, /1\. merge layers 1–2 into one RUN[^]*\n {11}rm -rf \/var\/lib\/apt\/lists\/\*\n/);
	assert.match(result.stdout, /\n {7}RUN pip install --target \/app\/lib -r requirements\.txt && rm -rf \/root\/\.cache\n/);
	assert.match(result.stdout, /3\. change the file in the build context instead of rewriting the copy/);
	assert.doesNotMatch(result.stdout, /\u001b/);
	const files = await runCli([DEMO, '--json', '--files']);
	const names = JSON.parse(files.stdout).layers[3].changes.map((c: {path: string}) => c.path);
	assert.ok(names.includes('/app/static/\u001b[31mred.css'), 'JSON keeps the real name, escaped by JSON itself');
	assert.doesNotMatch(files.stdout, /\u001b/);
});

test('the README keeps the two commands: the demo and the tests', () => {
	const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
	assert.match(readme, /npm ci && npm run demo/);
	assert.match(readme, /npm ci && npm test/);
	const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	assert.match(pkg.scripts.demo, /media\/demo-image\.tar\.gz/);
});
