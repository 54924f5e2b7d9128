// The plain report and the CI outputs in Simplified Chinese (`--lang zh`): exact text on the apt three-step image
// built in code, columns aligned by display width at 80 columns, and no English heading or label left in them.
// The "How to fix" section is the advisor's own (test/advice-render.test.ts); here it must be the same as its renderer's.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {adviceLines, adviceMarkdown, advise} from '../source/advice/index.js';
import {loadCiConfig} from '../source/ci/config.js';
import {evaluate} from '../source/ci/rules.js';
import {renderVerdict} from '../source/ci/run.js';
import {displayWidth} from '../source/i18n/text-width.js';
import {textReport} from '../source/report/text.js';
import {analyzeSteps, aptThreeSteps} from './helpers/advice-fixtures.js';
import {runCli, ROOT} from './helpers/cli.js';

const REPORT = `镜像：advice:test  （docker-archive：stdin）
  ID 4cad7b24da936871480  linux/amd64  4 层  7 个文件
  大小 180 kB
  浪费 122 kB：已删除 80.0 kB，被覆盖 41.8 kB，重复副本 0 B
  与 dive 兼容：效率 31.60 %，浪费 165 kB，用户层浪费 98.09 %

层
    #       大小       浪费       遮盖  命令
    0    11.8 kB    1.80 kB          -  ADD file:5f6e0b0c8d in /
    1     120 kB     120 kB          -  RUN apt-get update
    2    47.9 kB          -    41.8 kB  RUN apt-get install -y jq
    3        0 B          -    80.0 kB  RUN rm -rf /var/lib/apt/lists/*

浪费的文件（8 个，从大到小）
    50.0 kB  已删除       由第 1 层写入，被第 3 层遮盖  /var/lib/apt/lists/…
    25.0 kB  被覆盖       由第 1 层写入，被第 2 层遮盖  /var/cache/apt/pkgc…
    20.0 kB  已删除       由第 1 层写入，被第 3 层遮盖  /var/lib/apt/lists/…
    15.0 kB  被覆盖       由第 1 层写入，被第 2 层遮盖  /var/cache/apt/srcp…
    10.0 kB  已删除       由第 1 层写入，被第 3 层遮盖  /var/lib/apt/lists/…
    1.00 kB  被覆盖       由第 0 层写入，被第 2 层遮盖  /var/lib/dpkg/status
      500 B  被覆盖       由第 0 层写入，被第 2 层遮盖  /etc/ld.so.cache
      300 B  被覆盖       由第 0 层写入，被第 2 层遮盖  /var/cache/debconf/…
`;

const MARKDOWN = `### ❌ layerscope CI：FAIL · \`advice:test\`

未通过：**lowestEfficiency**, **highestUserWastedPercent**

| 规则 | 结果 | 数值 | 限制 |
| --- | --- | --- | --- |
| \`lowestEfficiency\` | ❌ FAIL | 0.316 | ≥ 0.9 |
| \`highestWastedBytes\` | ⏭️ SKIP | 164720 B (165 kB) | 已停用 |
| \`highestUserWastedPercent\` | ❌ FAIL | 0.9809 | ≤ 0.1 |
| \`highestLayerscopeWastedBytes\` | ⏭️ SKIP | 121800 B (122 kB) | 已停用 |
| \`highestLayerWastedBytes\` | ⏭️ SKIP | 120000 B (120 kB) | 已停用 |

效率 31.60 % · 与 dive 兼容的浪费 165 kB（占基础层之上字节的 98.09 %）· layerscope 统计的浪费 122 kB · 4 层，180 kB

<details><summary>浪费最多的文件（共 8 个，列出 8 个）</summary>

| 大小 | 原因 | 写入层 | 遮盖层 | 路径 |
| ---: | --- | ---: | ---: | --- |
| 50.0 kB | 已删除 | 1 | 3 | \`/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4\` |
| 25.0 kB | 被覆盖 | 1 | 2 | \`/var/cache/apt/pkgcache.bin\` |
| 20.0 kB | 已删除 | 1 | 3 | \`/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease\` |
| 15.0 kB | 被覆盖 | 1 | 2 | \`/var/cache/apt/srcpkgcache.bin\` |
| 10.0 kB | 已删除 | 1 | 3 | \`/var/lib/apt/lists/deb.debian.org_debian-security_dists_bookworm-security_InRelease\` |
| 1.00 kB | 被覆盖 | 0 | 2 | \`/var/lib/dpkg/status\` |
| 500 B | 被覆盖 | 0 | 2 | \`/etc/ld.so.cache\` |
| 300 B | 被覆盖 | 0 | 2 | \`/var/cache/debconf/config.dat\` |

</details>
`;

/** English words of the report's and the CI outputs' own headings and labels (not the image's text, rule names or PASS/FAIL). */
const ENGLISH = [
	'Image',
	'size',
	'compressed',
	'wasted',
	'removed',
	'overwritten',
	'duplicate',
	'dive-compatible',
	'efficiency',
	'Layers',
	'hidden',
	'command',
	'Wasted files',
	'largest first',
	'stored by layer',
	'hidden by layer',
	'How to fix',
	'Analysis',
	'Rules',
	'rules from',
	'defaults',
	'default',
	'disabled',
	'passed',
	'Failed',
	'Rule',
	'Result',
	'Value',
	'Limit',
	'Efficiency',
	'Top wasted files',
	'Size',
	'Cause',
	'Path',
	'rule disabled',
	'file copies',
	'layers over the limit',
];

function englishLeft(text: string): string[] {
	// Commands, paths and code spans are the image's: only the rest is checked.
	const ours = text
		.replace(/`[^`\n]*`/g, '')
		.replace(/(RUN|ADD|COPY) [^\n]*/g, '')
		.replace(/\/[\w./*-]+/g, '');
	return ENGLISH.filter(word => new RegExp(`(^|[^A-Za-z-])${word}([^A-Za-z-]|$)`, 'm').test(ours));
}

test('the plain report in Chinese: exact headings, labels and columns at 80 columns; the advice as the advisor renders it', async () => {
	const analysis = await analyzeSteps(aptThreeSteps);
	const advice = advise(analysis, {lang: 'zh'});
	const report = textReport(analysis, {width: 80, advice});
	assert.equal(report, REPORT + '\n' + adviceLines(advice, 80).join('\n') + '\n');
	// Our lines fit 80 columns (a Dockerfile line of the advice is never cut, by design).
	for (const line of REPORT.split('\n')) assert.ok(displayWidth(line) <= 80, `wider than 80 columns: ${line}`);
	// The double-width headings are padded by display width: the header's columns end where the rows' do.
	const [header, row] = REPORT.split('\n').slice(7, 9);
	assert.equal(displayWidth(header.slice(0, header.indexOf('命令'))), row.indexOf('ADD'));
	const [cause, wasted] = [REPORT.split('\n')[14], REPORT.split('\n')[15]];
	assert.equal(displayWidth(cause.slice(0, cause.indexOf('由'))), displayWidth(wasted.slice(0, wasted.indexOf('由'))));
	assert.deepEqual(englishLeft(report), []);
});

test('the CI markdown in Chinese: exact verdict, tables and summary; the fixes as the advisor renders them', async () => {
	const analysis = await analyzeSteps(aptThreeSteps);
	const advice = advise(analysis, {lang: 'zh'});
	const config = loadCiConfig({format: 'markdown'}, ROOT + '/test');
	const markdown = renderVerdict(analysis, evaluate(config.settings, analysis), config, advice);
	assert.equal(markdown, MARKDOWN + '\n' + adviceMarkdown(advice).trimEnd() + '\n');
	assert.deepEqual(englishLeft(markdown), []);
});

test('CI text and junit in Chinese: no English heading left; the English outputs keep theirs', async () => {
	const analysis = await analyzeSteps(aptThreeSteps);
	for (const format of ['text', 'junit'] as const) {
		const config = {...loadCiConfig({format}, ROOT + '/test'), configFile: null};
		const zh = renderVerdict(analysis, evaluate(config.settings, analysis), config, advise(analysis, {lang: 'zh'}));
		assert.deepEqual(englishLeft(zh.replace(/<\/?\w+|\w+="[^"]*"/g, '')), [], zh);
		const en = renderVerdict(analysis, evaluate(config.settings, analysis), config, advise(analysis));
		assert.match(en, format === 'text' ? /^Analysis$/m : /file copies/);
	}
	const text = renderVerdict(
		analysis,
		evaluate(loadCiConfig({}, ROOT + '/test').settings, analysis),
		{...loadCiConfig({}, ROOT + '/test'), configFile: null},
		advise(analysis, {lang: 'zh'}),
	);
	assert.ok(text.includes('\n分析\n  效率                 31.60 %  （与 dive 兼容）\n'), text);
	assert.ok(text.includes('\n规则\n  FAIL  lowestEfficiency'), text);
});

test('--lang zh on the command line: the plain report and the CI text speak Chinese, the JSON stays English', async () => {
	const demo = ROOT + '/media/demo-image.tar.gz';
	const plain = await runCli([demo, '--plain', '--lang', 'zh']);
	assert.equal(plain.code, 0, plain.stderr);
	assert.match(plain.stdout, /^镜像：demo\/shop-api:1\.4\.2 {2}（docker-archive：/);
	const ci = await runCli([demo, '--ci', '--lang', 'zh', '--lowest-efficiency', '0.5', '--highest-user-wasted-percent', 'disabled'], {env: {LANG: 'C'}});
	assert.equal(ci.code, 0, ci.stderr);
	assert.match(ci.stdout, /^layerscope CI：demo\/shop-api:1\.4\.2/);
	assert.match(ci.stdout, /\nPASS: 5 条规则中通过 1 条 \[pass:1 fail:0 skip:4\]\n$/);
	const json = await runCli([demo, '--json', '--lang', 'zh']);
	const report = JSON.parse(json.stdout);
	assert.equal(typeof report.findings[0].diagnosis, 'string');
	assert.match(report.findings[0].diagnosis, /第 1 层/);
	assert.ok(Object.keys(report).every(key => /^[A-Za-z]+$/.test(key)));
});
