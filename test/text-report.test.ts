// The plain report and the CI text output keep whole file names and commands when stdout is a pipe or a file (CI logs);
// only on a terminal are they fitted to its width (`COLUMNS` when set, else the terminal's).
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {test} from 'node:test';
import {reportWidth, textReport} from '../source/report/text.js';
import {loadImage} from '../source/sources/load.js';
import {CLI, ROOT, runCli} from './helpers/cli.js';

const DEMO = path.join(ROOT, 'media/demo-image.tar.gz');
const LONG = '/var/lib/apt/lists/security.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages.lz4';
const LONG_LINE = `    40.0 kB  removed      stored by layer 1, hidden by layer 2  ${LONG}`;
const LAYER_1 = '    1     279 kB     224 kB          -  RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates';

test('plain report into a pipe: nothing cut, whatever COLUMNS says', async () => {
	for (const env of [{}, {COLUMNS: '60'}]) {
		const result = await runCli([DEMO, '--plain'], {env});
		assert.equal(result.code, 0, result.stderr);
		const lines = result.stdout.split('\n');
		assert.ok(lines.includes(LONG_LINE), result.stdout);
		assert.ok(lines.includes(LAYER_1), result.stdout);
		assert.doesNotMatch(result.stdout, /…\n/);
	}
});

test('CI text output into a pipe: whole paths', async () => {
	const result = await runCli([DEMO, '--ci', '--lowest-efficiency', '0.5', '--highest-user-wasted-percent', 'disabled'], {env: {COLUMNS: '60'}});
	assert.equal(result.code, 0, result.stderr);
	assert.ok(result.stdout.split('\n').includes(LONG_LINE), result.stdout);
});

test('the width: COLUMNS when set, else the terminal’s; none when not a terminal', () => {
	assert.equal(reportWidth({isTTY: true, columns: 132}, {}), 132);
	assert.equal(reportWidth({isTTY: true, columns: 132}, {COLUMNS: '70'}), 70);
	assert.equal(reportWidth({isTTY: true, columns: 132}, {COLUMNS: 'wide'}), 132);
	assert.equal(reportWidth({isTTY: false, columns: 132}, {COLUMNS: '70'}), undefined);
	assert.equal(reportWidth({}, {}), undefined);
});

test('a width cuts commands and paths with …; none cuts nothing', async () => {
	const analysis = await loadImage(DEMO, {});
	const cut = textReport(analysis, {width: 80}).split('\n');
	assert.ok(cut.includes('    1     279 kB     224 kB          -  RUN apt-get update && apt-get insta…'), cut.join('\n'));
	assert.ok(cut.includes('    40.0 kB  removed      stored by layer 1, hidden by layer 2  /var/lib/apt/lists/…'), cut.join('\n'));
	const whole = textReport(analysis).split('\n');
	assert.ok(whole.includes(LONG_LINE) && whole.includes(LAYER_1));
});

test('the wasted files heading counts the rows listed: all of them, or the top N of how many', async () => {
	const analysis = await loadImage(DEMO, {});
	const all = textReport(analysis).split('\n');
	assert.ok(all.includes('Wasted files (9, largest first)'), all.join('\n'));
	const top = textReport(analysis, {topFiles: 5}).split('\n');
	const heading = top.indexOf('Wasted files (top 5 of 9, largest first)');
	assert.ok(heading > 0, top.join('\n'));
	assert.equal(
		top.slice(heading + 1).findIndex(line => !/^ +\d/.test(line)),
		5,
	);
});

const script = spawnSync('script', ['--version']).status === 0;

test('on a real terminal (a pty from script(1)) the report fits COLUMNS', {skip: script ? false : 'no script(1) (util-linux) for a pty'}, () => {
	const run = spawnSync('script', ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} ${JSON.stringify(DEMO)} --plain`, '/dev/null'], {
		encoding: 'utf8',
		env: {...process.env, COLUMNS: '70', NO_COLOR: '1', CI: ''},
		timeout: 60_000,
	});
	assert.equal(run.status, 0, run.stderr);
	const lines = run.stdout.split(/\r?\n/);
	assert.ok(lines.includes('    40.0 kB  removed      stored by layer 1, hidden by layer 2  /var/lib/apt/lists/…'), run.stdout);
	assert.ok(lines.includes('    1     279 kB     224 kB          -  RUN apt-get update && apt…'), run.stdout);
});
