// The CI gate as a pipeline sees it: exit codes, which rules failed, each output format, the .dive-ci file.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {before, describe, test} from 'node:test';
import {parseBytes, parseRatio} from '../source/ci/values.js';
import {CLI, CORPUS, runCli, type CliResult} from './helpers/cli.js';
import {dockerArchive, tempDir, writeTemp, type FixtureImage} from './helpers/fixtures.js';

const DIVE_IMAGE = path.join(CORPUS, 'test-docker-image.tar');

/** Run the built CLI in `cwd` (where a `.dive-ci` may be), stdout a pipe, CI unset unless given. */
function runIn(cwd: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [CLI, ...args], {cwd, env: {...process.env, CI: '', NO_COLOR: '1', ...env}, stdio: ['ignore', 'pipe', 'pipe']});
		const stdout: Buffer[] = [];
		const stderr: Buffer[] = [];
		child.stdout.on('data', chunk => stdout.push(chunk));
		child.stderr.on('data', chunk => stderr.push(chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
		child.on('error', reject);
		child.on('close', code => {
			clearTimeout(timer);
			resolve({code, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString()});
		});
	});
}

/** `STATUS name` for every rule line of the text output. */
function ruleLines(stdout: string): string[] {
	return [...stdout.matchAll(/^ {2}(PASS|FAIL|SKIP) {2}(\w+)/gm)].map(match => `${match[1]} ${match[2]}`);
}

function oneErrorLine(result: CliResult, pattern: RegExp): void {
	assert.equal(result.code, 2, result.stderr);
	assert.equal(result.stdout, '');
	const lines = result.stderr.trim().split('\n');
	assert.equal(lines.length, 1, result.stderr);
	assert.match(lines[0], pattern);
	assert.doesNotMatch(result.stderr, /\n\s+at /);
}

// Known contents: layer 1 stores /app/big.bin (5000 B, removed by layer 2) and /etc/conf (300 B, copied again by
// layer 3's chmod). dive: Σcumulative 6600, Σmin 1300 -> efficiency 13/66; wasted 5000 + 600; user bytes 5600.
const WASTEFUL: FixtureImage = {
	tags: ['ci-fixture:1'],
	layers: [
		{entries: [{name: 'base.txt', content: 'b'.repeat(1000)}], createdBy: '/bin/sh -c #(nop) ADD file:base in /'},
		{
			entries: [
				{name: 'app/', type: 'directory'},
				{name: 'app/big.bin', content: 'x'.repeat(5000)},
				{name: 'etc/', type: 'directory'},
				{name: 'etc/conf', content: 'c'.repeat(300)},
			],
			createdBy: '/bin/sh -c make',
		},
		{entries: [{name: 'app/big.bin', type: 'whiteout'}], createdBy: '/bin/sh -c rm /app/big.bin'},
		{entries: [{name: 'etc/conf', content: 'c'.repeat(300), mode: 0o600}], createdBy: '/bin/sh -c chmod 600 /etc/conf'},
	],
};
const CLEAN: FixtureImage = {
	tags: ['clean:1'],
	layers: [{entries: [{name: 'bin/tool', content: 't'.repeat(2000)}]}, {entries: [{name: 'app/main', content: 'm'.repeat(700)}]}],
};

let wasteful: string;
let clean: string;
before(async () => {
	wasteful = writeTemp(await dockerArchive(WASTEFUL));
	clean = writeTemp(await dockerArchive(CLEAN));
});

describe('dive corpus image (efficiency 0.9844, wasted 32025 B, user wasted 0.4835)', () => {
	test("dive's defaults: lowestEfficiency 0.9 passes, highestWastedBytes is disabled, highestUserWastedPercent 0.1 fails", async () => {
		const result = await runCli([DIVE_IMAGE, '--ci']);
		assert.equal(result.code, 1, result.stderr);
		assert.deepEqual(ruleLines(result.stdout), [
			'PASS lowestEfficiency',
			'SKIP highestWastedBytes',
			'FAIL highestUserWastedPercent',
			'SKIP highestLayerscopeWastedBytes',
			'SKIP highestLayerWastedBytes',
		]);
		assert.match(result.stdout, /^layerscope CI: dive-test:latest /);
		assert.match(result.stdout, /efficiency {11}98\.44 %/);
		assert.match(result.stdout, /wastedBytes {10}32025 B \(32\.0 kB\)/);
		assert.match(result.stdout, /userWastedPercent {4}48\.35 %/);
		assert.match(result.stdout, /layerscope wasted {4}32025 B \(32\.0 kB\): removed 19\.2 kB, overwritten 0 B, duplicate 12\.8 kB/);
		assert.match(result.stdout, /highestUserWastedPercent {6}0\.4835 > 0\.1 {2}\[default\]/);
		assert.match(result.stdout, /6\.41 kB {2}duplicate {4}stored by layer 3, hidden by layer 4 {2}\/root\/example\/somefile1\.txt/);
		assert.match(result.stdout, /6\.41 kB {2}removed {6}stored by layer 5, hidden by layer 9 {2}\/root\/example\/somefile2\.txt/);
		assert.match(result.stdout, /\nFAIL: highestUserWastedPercent \[pass:1 fail:1 skip:3\]\n$/);
	});

	test('limits met exactly pass (value == limit), one byte less fails; flags in dive spelling work too', async () => {
		const pass = await runCli([
			DIVE_IMAGE,
			'--ci',
			'--highest-user-wasted-percent',
			'0.5',
			'--highest-wasted-bytes',
			'32025',
			'--highest-layerscope-wasted-bytes',
			'32.025kB',
			'--highest-layer-wasted-bytes',
			'6405',
		]);
		assert.equal(pass.code, 0, pass.stdout + pass.stderr);
		assert.deepEqual(ruleLines(pass.stdout), [
			'PASS lowestEfficiency',
			'PASS highestWastedBytes',
			'PASS highestUserWastedPercent',
			'PASS highestLayerscopeWastedBytes',
			'PASS highestLayerWastedBytes',
		]);
		assert.match(pass.stdout, /\nPASS: 5 of 5 rules passed \[pass:5 fail:0 skip:0\]\n$/);

		const fail = await runCli([
			DIVE_IMAGE,
			'--ci',
			'--highestUserWastedPercent',
			'0.5',
			'--highestWastedBytes',
			'32024',
			'--lowestEfficiency',
			'0.99',
			'--highest-layer-wasted-bytes',
			'6404',
		]);
		assert.equal(fail.code, 1);
		assert.deepEqual(ruleLines(fail.stdout), [
			'FAIL lowestEfficiency',
			'FAIL highestWastedBytes',
			'PASS highestUserWastedPercent',
			'SKIP highestLayerscopeWastedBytes',
			'FAIL highestLayerWastedBytes',
		]);
		assert.match(fail.stdout, /lowestEfficiency {14}0\.9844 < 0\.99 {2}\[--lowest-efficiency\]/);
		assert.match(fail.stdout, /highestWastedBytes {12}32025 B \(32\.0 kB\) > 32024 B \(32\.0 kB\)/);
		assert.match(fail.stdout, /layers over the limit: 3 \(6\.41 kB\), 4 \(6\.41 kB\), 5 \(6\.41 kB\), 6 \(6\.41 kB\), 7 \(6\.41 kB\)/);
		assert.match(fail.stdout, /\nFAIL: lowestEfficiency, highestWastedBytes, highestLayerWastedBytes \[pass:1 fail:3 skip:1\]\n$/);
	});

	test('CI=true with stdout not a terminal starts CI mode; --json and --plain still win', async () => {
		const ci = await runCli([DIVE_IMAGE], {env: {CI: 'true'}});
		assert.equal(ci.code, 1);
		assert.match(ci.stdout, /^layerscope CI: /);
		const json = await runCli([DIVE_IMAGE, '--json'], {env: {CI: 'true'}});
		assert.equal(json.code, 0);
		assert.equal(JSON.parse(json.stdout).schemaVersion, 1);
		const plain = await runCli([DIVE_IMAGE, '--plain'], {env: {CI: 'true'}});
		assert.equal(plain.code, 0);
		assert.match(plain.stdout, /^Image: dive-test:latest/);
		const off = await runCli([DIVE_IMAGE]);
		assert.equal(off.code, 0);
		assert.doesNotMatch(off.stdout, /layerscope CI/);
	});
});

describe('fixture images with known waste', () => {
	test("a clean image passes dive's defaults: exit 0", async () => {
		const result = await runCli([clean, '--ci', '--highest-layerscope-wasted-bytes', '0', '--highest-layer-wasted-bytes', '0']);
		assert.equal(result.code, 0, result.stdout + result.stderr);
		assert.match(result.stdout, /efficiency {11}100\.00 %/);
		assert.match(result.stdout, /Wasted files: none/);
		assert.deepEqual(ruleLines(result.stdout), [
			'PASS lowestEfficiency',
			'SKIP highestWastedBytes',
			'PASS highestUserWastedPercent',
			'PASS highestLayerscopeWastedBytes',
			'PASS highestLayerWastedBytes',
		]);
	});

	test('every figure the rules judge, exactly (json format)', async () => {
		const result = await runCli([wasteful, '--ci', '--format', 'json', '--highest-layerscope-wasted-bytes', '5300', '--highest-layer-wasted-bytes', '5299']);
		assert.equal(result.code, 1);
		const report = JSON.parse(result.stdout);
		assert.equal(report.schemaVersion, 1);
		assert.equal(report.result, 'fail');
		assert.equal(report.exitCode, 1);
		assert.equal(report.image.name, 'ci-fixture:1');
		assert.equal(report.configFile, null);
		assert.deepEqual(report.figures, {
			efficiency: 1300 / 6600,
			wastedBytes: 5600,
			userWastedPercent: 1,
			layerscopeWastedBytes: 5300,
			layerscopeWasteByCause: {removed: 5000, overwritten: 0, duplicate: 300},
			layerWastedBytes: [0, 5300, 0, 0],
		});
		assert.deepEqual(
			report.rules.map((rule: {name: string; status: string; value: number; limit: number | null; source: string}) => [
				rule.name,
				rule.status,
				rule.value,
				rule.limit,
				rule.source,
			]),
			[
				['lowestEfficiency', 'fail', 1300 / 6600, 0.9, 'default'],
				['highestWastedBytes', 'skip', 5600, null, 'default'],
				['highestUserWastedPercent', 'fail', 1, 0.1, 'default'],
				['highestLayerscopeWastedBytes', 'pass', 5300, 5300, 'flag'],
				['highestLayerWastedBytes', 'fail', 5300, 5299, 'flag'],
			],
		);
		assert.deepEqual(report.rules[4].layersOverLimit, [{index: 1, wastedBytes: 5300}]);
		assert.equal(report.rules[4].layerIndex, 1);
		assert.deepEqual(report.tally, {total: 5, pass: 1, fail: 3, skip: 1});
		assert.deepEqual(report.wastedFiles, [
			{path: '/app/big.bin', layerIndex: 1, sizeBytes: 5000, cause: 'removed', hiddenByLayerIndex: 2},
			{path: '/etc/conf', layerIndex: 1, sizeBytes: 300, cause: 'duplicate', hiddenByLayerIndex: 3},
		]);
	});

	test('junit: one test case per rule, failures and skips, counts on the suite, well-formed', async () => {
		const result = await runCli([wasteful, '--ci', '--format', 'junit', '--highest-layer-wasted-bytes', '1kB']);
		assert.equal(result.code, 1);
		const xml = result.stdout;
		assertWellFormedXml(xml);
		assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="layerscope CI" tests="5" failures="3" errors="0" skipped="2" time="0">/);
		assert.match(xml, /<testsuite name="layerscope ci-fixture:1" tests="5" failures="3" errors="0" skipped="2"/);
		const cases = [...xml.matchAll(/<testcase classname="layerscope\.ci" name="(\w+)" time="0"(\/>|>\s*<(failure|skipped))/g)].map(
			m => `${m[1]} ${m[3] ?? 'pass'}`,
		);
		assert.deepEqual(cases, [
			'lowestEfficiency failure',
			'highestWastedBytes skipped',
			'highestUserWastedPercent failure',
			'highestLayerscopeWastedBytes skipped',
			'highestLayerWastedBytes failure',
		]);
		assert.match(xml, /<failure message="dive-compatible efficiency: 0\.197 &lt; 0\.9" type="lowestEfficiency">/);
		assert.match(xml, /layer 1: 5\.30 kB {2}RUN make<\/failure>/);
		assert.match(xml, /<property name="layerscopeWastedBytes" value="5300"\/>/);
		assert.match(
			xml,
			/<system-out>wasted 5300 B \(5\.30 kB\) in 2 file copies\n5\.00 kB {2}removed {2}stored by layer 1, hidden by layer 2 {2}\/app\/big\.bin/,
		);
	});

	test('markdown: a verdict heading and a rules table for a pull-request comment', async () => {
		const result = await runCli([wasteful, '--ci', '--format', 'markdown', '--lowest-efficiency', '0.1', '--highest-user-wasted-percent', 'disabled']);
		assert.equal(result.code, 0, result.stdout);
		const lines = result.stdout.split('\n');
		assert.equal(lines[0], '### ✅ layerscope CI: PASS for `ci-fixture:1`');
		const header = lines.indexOf('| Rule | Result | Value | Limit |');
		assert.ok(header > 0, result.stdout);
		assert.equal(lines[header + 1], '| --- | --- | --- | --- |');
		assert.deepEqual(lines.slice(header + 2, header + 7), [
			'| `lowestEfficiency` | ✅ PASS | 0.197 | ≥ 0.1 |',
			'| `highestWastedBytes` | ⏭️ SKIP | 5600 B (5.60 kB) | disabled |',
			'| `highestUserWastedPercent` | ⏭️ SKIP | 1 | disabled |',
			'| `highestLayerscopeWastedBytes` | ⏭️ SKIP | 5300 B (5.30 kB) | disabled |',
			'| `highestLayerWastedBytes` | ⏭️ SKIP | 5300 B (5.30 kB) | disabled |',
		]);
		assert.ok(lines.includes('| 5.00 kB | removed | 1 | 2 | `/app/big.bin` |'), result.stdout);
	});

	test('bad values are refused before the image is read (the image here does not even exist)', async () => {
		const missing = path.join(tempDir(), 'no-such-image.tar');
		oneErrorLine(
			await runCli([missing, '--ci', '--lowest-efficiency', 'abc']),
			/^layerscope: --lowest-efficiency: invalid value 'abc': not a number \(expected a ratio between 0 and 1, or 'disabled'\)$/,
		);
		oneErrorLine(
			await runCli([missing, '--ci', '--highest-user-wasted-percent', '1.5']),
			/^layerscope: --highest-user-wasted-percent: invalid value '1\.5': outside the allowed range 0-1/,
		);
		oneErrorLine(
			await runCli([missing, '--ci', '--highest-wasted-bytes', '20 parsecs']),
			/^layerscope: --highest-wasted-bytes: invalid value '20 parsecs': unknown unit 'parsecs'/,
		);
		oneErrorLine(
			await runCli([missing, '--ci', '--highest-layer-wasted-bytes', '-1']),
			/^layerscope: --highest-layer-wasted-bytes: invalid value '-1': not a byte count/,
		);
		oneErrorLine(
			await runCli([missing, '--ci', '--format', 'xml']),
			/^layerscope: --format: unknown format 'xml' \(expected one of: text, junit, markdown, json\)$/,
		);
		oneErrorLine(await runCli([missing, '--ci', '--ci-config', path.join(tempDir(), 'rules.yaml')]), /^layerscope: --ci-config \S+rules\.yaml: no such file$/);
		// With good rules, the same missing image is the error.
		oneErrorLine(await runCli([missing, '--ci']), /^layerscope: \S+no-such-image\.tar: no such file or directory$/);
	});
});

describe('the .dive-ci rules file', () => {
	test("read from the current directory with dive's format; flags override it", async () => {
		const dir = tempDir();
		writeFileSync(
			path.join(dir, '.dive-ci'),
			[
				'rules:',
				'  # dive’s example',
				'  lowestEfficiency: 0.95',
				'  highestWastedBytes: 20MB',
				'  highestUserWastedPercent: 0.60',
				'  highestLayerWastedBytes: 6kB',
				'',
			].join('\n'),
		);
		const result = await runIn(dir, [DIVE_IMAGE, '--ci']);
		assert.equal(result.code, 1, result.stderr);
		assert.match(result.stdout, /rules from rules file \.dive-ci \+ defaults/);
		assert.deepEqual(ruleLines(result.stdout), [
			'PASS lowestEfficiency',
			'PASS highestWastedBytes',
			'PASS highestUserWastedPercent',
			'SKIP highestLayerscopeWastedBytes',
			'FAIL highestLayerWastedBytes',
		]);
		assert.match(result.stdout, /highestWastedBytes {12}32025 B \(32\.0 kB\) <= 20000000 B \(20\.0 MB\) {2}\[\.dive-ci\]/);

		const overridden = await runIn(dir, [DIVE_IMAGE, '--ci', '--highest-layer-wasted-bytes', 'off', '--lowest-efficiency', '0.99']);
		assert.equal(overridden.code, 1);
		assert.deepEqual(ruleLines(overridden.stdout), [
			'FAIL lowestEfficiency',
			'PASS highestWastedBytes',
			'PASS highestUserWastedPercent',
			'SKIP highestLayerscopeWastedBytes',
			'SKIP highestLayerWastedBytes',
		]);
		assert.match(overridden.stdout, /rules from rules file \.dive-ci \+ flags \+ defaults/);

		const passing = await runIn(dir, [DIVE_IMAGE, '--ci', '--highest-layer-wasted-bytes', 'disabled']);
		assert.equal(passing.code, 0, passing.stdout);
	});

	test("a rule left out keeps its default; 'disabled', 'off', 'false' and an empty string turn it off; kebab names work", async () => {
		const dir = tempDir();
		writeFileSync(path.join(dir, '.dive-ci'), 'rules:\n  lowest-efficiency: off\n  highestWastedBytes: ""\n  highestLayerscopeWastedBytes: false\n');
		const result = await runIn(dir, [wasteful, '--ci']);
		assert.equal(result.code, 1);
		assert.deepEqual(ruleLines(result.stdout), [
			'SKIP lowestEfficiency',
			'SKIP highestWastedBytes',
			'FAIL highestUserWastedPercent',
			'SKIP highestLayerscopeWastedBytes',
			'SKIP highestLayerWastedBytes',
		]);
		assert.match(result.stdout, /highestUserWastedPercent {6}1 > 0\.1 {2}\[default\]/);
	});

	test('--ci-config names another file; an empty file means the defaults', async () => {
		const dir = tempDir();
		const rules = path.join(dir, 'gate.yaml');
		writeFileSync(rules, 'rules:\n  lowestEfficiency: 0.1\n  highestUserWastedPercent: 1\n');
		const result = await runIn(tempDir(), [wasteful, '--ci', '--ci-config', rules]);
		assert.equal(result.code, 0, result.stdout + result.stderr);
		const empty = path.join(dir, 'empty.yaml');
		writeFileSync(empty, '');
		const defaults = await runIn(dir, [wasteful, '--ci', '--ci-config', 'empty.yaml']);
		assert.equal(defaults.code, 1);
		assert.deepEqual(
			ruleLines(defaults.stdout).filter(line => line.startsWith('FAIL')),
			['FAIL lowestEfficiency', 'FAIL highestUserWastedPercent'],
		);
	});

	test('a malformed file, an unknown rule, a rule outside rules:, a bad value: exit 2 with the file named', async () => {
		const cases: [string, RegExp][] = [
			['rules:\n  lowestEfficiency: [0.95\n', /^layerscope: \.dive-ci: not valid YAML: .+ at line \d+, column \d+$/],
			[
				'rules:\n  lowestEfficency: 0.95\n',
				/^layerscope: \.dive-ci: rules\.lowestEfficency: unknown rule \(known rules: lowestEfficiency, highestWastedBytes, highestUserWastedPercent, highestLayerscopeWastedBytes, highestLayerWastedBytes\)$/,
			],
			['lowestEfficiency: 0.95\n', /^layerscope: \.dive-ci: unknown key 'lowestEfficiency' \(put it under 'rules:'\); expected 'rules:'$/],
			['rules:\n  highestWastedBytes: lots\n', /^layerscope: \.dive-ci: rules\.highestWastedBytes: invalid value 'lots': not a byte count/],
			['rules:\n  lowestEfficiency: 2\n', /^layerscope: \.dive-ci: rules\.lowestEfficiency: invalid value '2': outside the allowed range 0-1/],
			['rules:\n  lowestEfficiency: [0.9]\n', /^layerscope: \.dive-ci: rules\.lowestEfficiency: expected a single value, not a list$/],
			['rules: 0.9\n', /^layerscope: \.dive-ci: 'rules' must be a map of rule names to limits$/],
			['rules:\n  lowestEfficiency: 0.9\n  lowestEfficiency: 0.8\n', /^layerscope: \.dive-ci: not valid YAML: Map keys must be unique/],
		];
		for (const [content, pattern] of cases) {
			const dir = tempDir();
			writeFileSync(path.join(dir, '.dive-ci'), content);
			// The image does not exist: the file is checked first.
			oneErrorLine(await runIn(dir, ['missing.tar', '--ci']), pattern);
		}
	});
});

describe('hostile names stay inert in every format', () => {
	const HOSTILE: FixtureImage = {
		tags: ['evil\u001b]0;owned\u0007:1'],
		layers: [
			{entries: [{name: 'base', content: 'b'}]},
			{entries: [{name: 'a|b`c<d>&"e\u001b[31m/f', content: 'w'.repeat(100)}], createdBy: '/bin/sh -c echo </failure> \u001b[2J'},
			{entries: [{name: 'a|b`c<d>&"e\u001b[31m/f', type: 'whiteout'}]},
		],
	};
	let hostile: string;
	before(async () => {
		hostile = writeTemp(await dockerArchive(HOSTILE));
	});

	test('no raw control characters; XML escaped; markdown code spans with | escaped', async () => {
		for (const format of ['text', 'junit', 'markdown', 'json']) {
			const result = await runCli([hostile, '--ci', '--format', format, '--highest-layer-wasted-bytes', '10']);
			assert.equal(result.code, 1, `${format}: ${result.stderr}`);

			assert.doesNotMatch(result.stdout, /[\u0000-\u0008\u000b-\u001f\u007f]/, format);
			if (format === 'junit') {
				assertWellFormedXml(result.stdout);
				assert.match(result.stdout, /name="layerscope evil\\e\]0;owned\\a:1"/);
				assert.match(result.stdout, /\/a\|b`c&lt;d&gt;&amp;&quot;e\\e\[31m\/f/);
				assert.match(result.stdout, /layer 1: 100 B {2}RUN echo &lt;\/failure&gt; \\e\[2J<\/failure>/);
			}
			if (format === 'markdown') assert.ok(result.stdout.includes('| ``/a\\|b`c<d>&"e\\e[31m/f`` |'), result.stdout);
			if (format === 'json') assert.equal(JSON.parse(result.stdout).wastedFiles[0].path, '/a|b`c<d>&"e\\e[31m/f');
			if (format === 'text') assert.match(result.stdout, /^layerscope CI: evil\\e\]0;owned\\a:1 /);
		}
	});
});

test('byte counts read like dive (go-humanize ParseBytes); ratios like strconv.ParseFloat in 0-1', () => {
	assert.equal(parseBytes('20MB'), 20_000_000);
	assert.equal(parseBytes('20mb'), 20_000_000);
	assert.equal(parseBytes('1.5 GiB'), 1_610_612_736);
	assert.equal(parseBytes('512k'), 512_000);
	assert.equal(parseBytes('512Ki'), 524_288);
	assert.equal(parseBytes('1,000,000'), 1_000_000);
	assert.equal(parseBytes('1.5 B'), 1);
	assert.equal(parseBytes('32025'), 32_025);
	assert.equal(parseBytes('0'), 0);
	assert.equal(typeof parseBytes('-1'), 'string');
	assert.equal(typeof parseBytes('MB'), 'string');
	assert.equal(typeof parseBytes('1..2MB'), 'string');
	assert.equal(typeof parseBytes('20 parsecs'), 'string');
	assert.equal(typeof parseBytes('99999999EB'), 'string');
	assert.equal(parseRatio('0.95'), 0.95);
	assert.equal(parseRatio('.5'), 0.5);
	assert.equal(parseRatio('1'), 1);
	assert.equal(parseRatio('0'), 0);
	assert.equal(parseRatio('5e-1'), 0.5);
	assert.equal(typeof parseRatio('1.01'), 'string');
	assert.equal(typeof parseRatio('-0.1'), 'string');
	assert.equal(typeof parseRatio('NaN'), 'string');
	assert.equal(typeof parseRatio('50%'), 'string');
});

/** A strict-enough well-formedness check: one root, tags nest, attributes quoted, no raw `<` or bare `&` in text. */
function assertWellFormedXml(xml: string): void {
	const body = xml.replace(/^<\?xml [^?]*\?>\n/, '');
	const stack: string[] = [];
	let roots = 0;
	const token = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
	for (const match of body.matchAll(token)) {
		const [, closing, name, , selfClosing, text, stray] = match;
		assert.equal(stray, undefined, `stray < at ${match.index}`);
		if (text !== undefined) {
			assert.doesNotMatch(text, /&(?!(amp|lt|gt|quot|apos|#\d+|#x[\da-f]+);)/i, `bare & in ${text}`);
			if (stack.length === 0) assert.match(text, /^\s*$/, 'text outside the root');
			continue;
		}
		if (closing) {
			assert.equal(stack.pop(), name, `mismatched </${name}>`);
		} else {
			if (stack.length === 0) roots++;
			if (!selfClosing) stack.push(name);
		}
	}
	assert.deepEqual(stack, [], 'unclosed tags');
	assert.equal(roots, 1);
	for (const match of body.matchAll(/\s[\w:.-]+="([^"]*)"/g)) assert.doesNotMatch(match[1], /&(?!(amp|lt|gt|quot|apos);)/);
}
