// The language of the advice and how findings read: the locale resolver, double-width wrapping, the text lines
// and markdown every output shares, and image strings kept harmless in both.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {advise, adviceLines, adviceMarkdown, findingLines, findingMarkdown} from '../source/advice/index.js';
import {parseLang, resolveLang} from '../source/i18n/lang.js';
import stringWidth from 'string-width';
import {displayWidth, ONE_COLUMN, truncateDisplay, wrapDisplay} from '../source/i18n/text-width.js';
import {messages} from '../source/i18n/catalogue.js';
import {InputError} from '../source/util/errors.js';
import {analyzeSteps, aptThreeSteps, bytes, debianBase, nop, run} from './helpers/advice-fixtures.js';

test('language: --lang first, then LC_ALL, LC_MESSAGES, LANG; zh_CN, zh_SG and zh-Hans are Simplified Chinese', () => {
	assert.equal(resolveLang(undefined, {LANG: 'zh_CN.UTF-8'}), 'zh');
	assert.equal(resolveLang(undefined, {LC_ALL: 'zh_CN.GB18030', LANG: 'en_US.UTF-8'}), 'zh');
	assert.equal(resolveLang(undefined, {LC_ALL: 'en_US.UTF-8', LANG: 'zh_CN.UTF-8'}), 'en');
	assert.equal(resolveLang(undefined, {LC_ALL: '', LC_MESSAGES: 'zh_SG', LANG: 'C'}), 'zh');
	assert.equal(resolveLang(undefined, {LANG: 'zh_TW.UTF-8'}), 'en');
	assert.equal(resolveLang(undefined, {}), 'en');
	assert.equal(resolveLang('zh', {LANG: 'en_US.UTF-8'}), 'zh');
	assert.equal(resolveLang('en', {LC_ALL: 'zh_CN.UTF-8'}), 'en');
	assert.equal(parseLang('zh-Hans-CN'), 'zh');
	assert.equal(parseLang('POSIX'), 'en');
	assert.throws(
		() => resolveLang('fr'),
		(error: unknown) => error instanceof InputError && error.message === '--lang fr: unknown language (use en or zh)',
	);
});

test('every message exists in both languages', () => {
	const keys = (value: object): string[] => Object.keys(value).sort();
	const en = messages('en');
	const zh = messages('zh');
	assert.deepEqual(keys(zh), keys(en));
	assert.deepEqual(keys(zh.fix), keys(en.fix));
	assert.deepEqual(keys(zh.why), keys(en.why));
	assert.deepEqual(keys(zh.cause), keys(en.cause));
	assert.deepEqual(keys(zh.report), keys(en.report));
	assert.deepEqual(keys(zh.report.columns), keys(en.report.columns));
	assert.equal(zh.report.storedHidden(1, 3), '由第 1 层写入，被第 3 层遮盖');
});

test('double-width wrapping: Chinese counts two columns, breaks between characters, never before closing punctuation', () => {
	assert.equal(displayWidth('第 1 层'), 7);
	assert.deepEqual(wrapDisplay('删除了它们，但后面层中的删除无法缩小前面的层', 12), ['删除了它们，', '但后面层中的', '删除无法缩小', '前面的层']);
	assert.deepEqual(wrapDisplay('  a delete in a later layer cannot shrink', 16, '  '), ['  a delete in a', '  later layer', '  cannot shrink']);
	assert.deepEqual(wrapDisplay('记录（dpkg 状态）', 8), ['记录', '（dpkg', '状态）']);
	assert.equal(truncateDisplay('软件包列表', 7), '软件包…');
});

const APT_ZH = [
	'1. 把第 1–3 层合并成一个 RUN：每一层只保存该步骤结',
	'   束时留下的内容',
	'   可节省 120 kB（占镜像的 66.77 %）',
	'   第 1 层 `RUN apt-get update` 写入了 80.0 kB 的',
	'   软件包列表；第 3 层 `RUN rm -rf',
	'   /var/lib/apt/lists/*` 删除了它们，但后面层中的',
	'   删除无法缩小前面的层；第 1 层 `RUN apt-get',
	'   update` 写入了 40.0 kB 的软件包缓存；第 2 层',
	'   `RUN apt-get install -y jq` 替换了它们，镜像会',
	'   同时保留两个版本',
	'   Dockerfile：',
	'     RUN apt-get update && apt-get install -y --no-install-recommends jq && rm -rf /var/lib/apt/lists/*',
	'   浪费：',
	'     第 1 层 → 第 3 层，已删除：3 个文件，80.0 kB',
	'       /var/lib/apt/lists/ 3 个文件 80.0 kB',
	'     第 1 层 → 第 2 层，被覆盖：2 个文件，40.0 kB',
	'       /var/cache/apt/ 2 个文件 40.0 kB',
];

test('a finding in Chinese, 50 columns wide: exact lines, none wider except the Dockerfile text (kept whole to copy)', async () => {
	const [finding] = advise(await analyzeSteps(aptThreeSteps), {lang: 'zh'}).findings;
	const lines = findingLines(finding, 'zh', 50, {number: 1});
	assert.deepEqual(lines, APT_ZH);
	for (const line of lines) if (!line.includes('RUN apt-get update &&')) assert.ok(displayWidth(line) <= 50, line);
});

test('the How to fix section in English with a Dockerfile: numbered findings, the Dockerfile line, within the width', async () => {
	const analysis = await analyzeSteps(aptThreeSteps);
	const advice = advise(analysis, {
		dockerfile: {path: 'Dockerfile', text: 'FROM debian\nRUN apt-get update\nRUN apt-get install -y jq\nRUN rm -rf /var/lib/apt/lists/*\n'},
	});
	const lines = adviceLines(advice, 100);
	assert.deepEqual(lines.slice(0, 8), [
		'How to fix',
		'  1. merge layers 1–3 into one RUN: a layer stores only what is left at its end',
		'     saves 120 kB (66.77 % of the image)  Dockerfile:2',
		'     layer 1 `RUN apt-get update` stored 80.0 kB of package lists; layer 3 `RUN rm -rf',
		'     /var/lib/apt/lists/*` deleted them, but a delete in a later layer cannot shrink an earlier one;',
		'     layer 1 `RUN apt-get update` stored 40.0 kB of package cache; layer 2 `RUN apt-get install -y',
		'     jq` replaced them, and the image keeps both versions',
		'     Dockerfile:',
	]);
	assert.equal(lines[14], '  2. nothing to change');
	assert.equal(lines[15], '     saves nothing');
	for (const line of lines) if (!line.includes('RUN apt-get update &&')) assert.ok(displayWidth(line) <= 100, line);
	const none = advise(await analyzeSteps([...debianBase, {createdBy: run('true'), entries: [{name: 'a', content: 'a'}]}]), {lang: 'zh'});
	assert.deepEqual(adviceLines(none, 80), ['如何修复', '  没有浪费的字节，无需修复。']);
});

test('markdown: the fix as a ```dockerfile block ready for a pull-request comment', async () => {
	const analysis = await analyzeSteps([
		...debianBase,
		{createdBy: nop('COPY file:0123abcd in /opt/ '), entries: [{name: 'opt/blob.bin', content: bytes(64_000), mode: 0o644}]},
		{createdBy: run('chmod 600 /opt/blob.bin'), entries: [{name: 'opt/blob.bin', content: bytes(64_000), mode: 0o600}]},
	]);
	assert.equal(
		findingMarkdown(advise(analysis).findings[0], 'en', {number: 1}),
		[
			'#### 1. set the mode as the file is copied (`COPY --chmod`, BuildKit) instead of a later chmod',
			'',
			'**saves 64.0 kB (45.78 % of the image)**',
			'',
			'layer 1 `COPY file:0123abcd in /opt/` stored /opt/blob.bin (64.0 kB); layer 2 `RUN chmod 600 /opt/blob.bin` rewrote it with the same content (a mode, owner or time change), which stores a second full copy',
			'',
			'```dockerfile',
			'COPY --chmod=0600 blob.bin /opt/',
			'```',
			'',
			'- layer 1 → layer 2, duplicate: 1 file, 64.0 kB — `/opt/blob.bin` (1, 64.0 kB)',
			'',
		].join('\n'),
	);
	assert.match(adviceMarkdown(advise(analysis, {lang: 'zh'})), /^### 如何修复\n\n#### 1\. 复制时直接设置权限/);
});

test('hostile image strings: escapes made visible in text and markdown, markdown outside code spans escaped', async () => {
	const advice = advise(
		await analyzeSteps([
			...debianBase,
			{createdBy: run('dd of=/x\x1b[31m <b>`'), entries: [{name: 'x_\x1b[2J', content: bytes(1000)}]},
			{createdBy: run('rm /x*'), entries: [{name: 'x_\x1b[2J', type: 'whiteout'}]},
		]),
	);
	const text = adviceLines(advice, 80).join('\n');
	assert.ok(!text.includes('\x1b'));
	assert.match(text, /`RUN dd of=\/x\\e\[31m <b>'` stored \/x_\\e\[2J \(1\.00 kB\)/);
	const markdown = adviceMarkdown(advice);
	assert.ok(!markdown.includes('\x1b'));
	assert.match(markdown, /`RUN dd of=\/x\\e\[31m <b>'` stored \/x\\_\\\\e\\\[2J \(1\.00 kB\)/);
});

test('the finding of a wasted file and the findings of a layer, for the explorer', async () => {
	const {findingOf, findingsOfLayer} = await import('../source/advice/index.js');
	const analysis = await analyzeSteps(aptThreeSteps);
	const advice = advise(analysis);
	const byPath = (path: string): string | undefined =>
		findingOf(
			advice,
			analysis.waste.files.find(f => f.path === path)!,
		)?.fix.kind;
	assert.equal(byPath('/var/cache/apt/pkgcache.bin'), 'merge-runs');
	assert.equal(byPath('/var/lib/dpkg/status'), 'none');
	assert.deepEqual(
		findingsOfLayer(advice, 0).map(f => f.fix.kind),
		['none'],
	);
	assert.deepEqual(
		findingsOfLayer(advice, 2).map(f => f.fix.kind),
		['merge-runs', 'none'],
	);
	assert.deepEqual(JSON.parse(JSON.stringify(advice.findings)), advice.findings);
});

test('every finding of every fixture, in both languages and at several widths, fits its width (Dockerfile text aside)', async () => {
	const images = [
		aptThreeSteps,
		[
			...debianBase,
			{createdBy: nop('COPY file:0123abcd in /opt/ '), entries: [{name: 'opt/blob.bin', content: bytes(64_000), mode: 0o644}]},
			{createdBy: run('chmod 600 /opt/blob.bin'), entries: [{name: 'opt/blob.bin', content: bytes(64_000), mode: 0o600}]},
		],
		[
			{createdBy: nop('ADD file:aa in / '), entries: [{name: 'usr/share/doc/very-long-package-name-for-wrapping/changelog.Debian.gz', content: bytes(30_000)}]},
			{
				createdBy: run('rm -rf /usr/share/doc/very-long-package-name-for-wrapping'),
				entries: [{name: 'usr/share/doc/very-long-package-name-for-wrapping', type: 'whiteout' as const}],
			},
			{createdBy: nop(' CMD ["sh"]')},
			{createdBy: run('echo hi > /hello'), entries: [{name: 'hello', content: 'hi\n'}]},
		],
	];
	for (const steps of images) {
		const analysis = await analyzeSteps(steps);
		for (const lang of ['en', 'zh'] as const) {
			const advice = advise(analysis, {lang});
			const code = new Set(advice.findings.flatMap(f => f.fix.dockerfile?.split('\n') ?? []));
			for (const width of [40, 60, 80])
				for (const line of adviceLines(advice, width)) if (!code.has(line.trim())) assert.ok(displayWidth(line) <= width, `${lang} ${width}: ${line}`);
		}
	}
});

test('text widths: the characters counted without string-width are one column each, as string-width says', () => {
	const ranges = [...ONE_COLUMN.source.matchAll(/\\u([0-9a-f]{4})-\\u([0-9a-f]{4})|\\x([0-9a-f]{2})-\\x([0-9a-f]{2})/g)].map(m => [
		Number.parseInt(m[1] ?? m[3], 16),
		Number.parseInt(m[2] ?? m[4], 16),
	]);
	assert.equal(ranges.length, 8);
	let all = '';
	for (const [from, to] of ranges)
		for (let code = from; code <= to; code++) {
			const text = String.fromCodePoint(code);
			assert.equal(stringWidth(text), 1, `U+${code.toString(16)}`);
			assert.equal(displayWidth(text), 1);
			all += text;
		}
	assert.equal(stringWidth(all), all.length);
	assert.equal(displayWidth('\u00ad'), 0); // the soft hyphen is left to string-width
	assert.equal(displayWidth('中文…'), 5);
});
