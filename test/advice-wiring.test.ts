// The advisor wired into every output: --json's findings, the plain report's "How to fix", every CI format, the
// explorer's `x`, --lang and --dockerfile through the command line.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {advise} from '../source/advice/index.js';
import {xmlEscape} from '../source/ci/junit-output.js';
import {textWidth} from '../source/ui/cells.js';
import {computeLayout} from '../source/ui/layout.js';
import {renderScreen, screenText} from '../source/ui/render.js';
import {ExplorerModel, initialState, reduceInput, settleState, type Context, type ViewState} from '../source/ui/state.js';
import {aptThreeSteps, analyzeSteps, stepsArchive} from './helpers/advice-fixtures.js';
import {runCli} from './helpers/cli.js';

const MERGED = 'RUN apt-get update && apt-get install -y --no-install-recommends jq && rm -rf /var/lib/apt/lists/*';
const DOCKERFILE = 'FROM debian:bookworm\nRUN apt-get update\nRUN apt-get install -y jq\nRUN rm -rf /var/lib/apt/lists/*\n';

let dir: string;
let archive: string;
before(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'layerscope-advice-'));
	archive = path.join(dir, 'apt.tar');
	writeFileSync(archive, await stepsArchive({steps: aptThreeSteps}));
	writeFileSync(path.join(dir, 'Dockerfile'), DOCKERFILE);
});
after(() => rmSync(dir, {recursive: true, force: true}));

const env = {LANG: 'C', LC_ALL: undefined, LC_MESSAGES: undefined, COLUMNS: undefined};

describe('--json findings', () => {
	it('lists the findings of the apt three-step image, sorted by saving, with the base boundary', async () => {
		const result = await runCli([archive, '--json'], {env});
		assert.equal(result.code, 0, result.stderr);
		const report = JSON.parse(result.stdout);
		assert.equal(report.schemaVersion, 1);
		assert.equal(report.findings.length, 2);
		const [merge, noise] = report.findings;
		assert.deepEqual(merge.fix, {
			kind: 'merge-runs',
			layers: [1, 2, 3],
			dockerfile: MERGED,
			summary: 'merge layers 1–3 into one RUN: a layer stores only what is left at its end',
		});
		assert.equal(merge.savingBytes, 120_000);
		assert.equal(merge.savingPercent, 66.77);
		assert.equal(merge.inherited, false);
		assert.equal(merge.dockerfileLine, null);
		assert.deepEqual(merge.waste, [
			{storedBy: 1, hiddenBy: 3, cause: 'removed', bytes: 80_000, files: 3, topPaths: [{path: '/var/lib/apt/lists/', files: 3, bytes: 80_000}]},
			{storedBy: 1, hiddenBy: 2, cause: 'overwritten', bytes: 40_000, files: 2, topPaths: [{path: '/var/cache/apt/', files: 2, bytes: 40_000}]},
		]);
		assert.equal(noise.fix.kind, 'none');
		assert.equal(noise.savingBytes, 0);
		assert.deepEqual(report.baseImage, {firstStep: 2, firstLayer: 1, method: 'classic', baseName: null});
		assert.equal(report.dockerfile, undefined);
	});

	it('--dockerfile maps each finding to its line', async () => {
		const result = await runCli([archive, '--json', '--dockerfile', path.join(dir, 'Dockerfile')], {env});
		assert.equal(result.code, 0, result.stderr);
		const report = JSON.parse(result.stdout);
		assert.equal(report.findings[0].dockerfileLine, 2);
		assert.deepEqual(report.dockerfile, {path: path.join(dir, 'Dockerfile'), matched: true, note: null});
		assert.equal(report.baseImage.method, 'dockerfile');
	});

	it('a Dockerfile that does not match the image is said once', async () => {
		const other = path.join(dir, 'Other.Dockerfile');
		writeFileSync(other, 'FROM debian\nRUN make\n');
		const report = JSON.parse((await runCli([archive, '--json', '--dockerfile', other], {env})).stdout);
		assert.equal(report.dockerfile.matched, false);
		assert.equal(typeof report.dockerfile.note, 'string');
		assert.equal(report.findings[0].dockerfileLine, null);
	});
});

describe('the same fixes in every output', () => {
	it('the plain report and the CI text, junit, markdown and json formats show the fixes --json gives', async () => {
		const json = JSON.parse((await runCli([archive, '--json'], {env})).stdout);
		const outputs: Record<string, string> = {plain: (await runCli([archive, '--plain'], {env})).stdout};
		for (const format of ['text', 'junit', 'markdown', 'json']) {
			const result = await runCli([archive, '--ci', '--format', format], {env});
			assert.equal(result.code, 1, `${format}: the default rules fail on 66 % waste`);
			outputs[format] = result.stdout;
		}
		assert.deepEqual(JSON.parse(outputs.json).findings, json.findings);
		for (const [name, text] of Object.entries(outputs)) {
			for (const finding of json.findings) {
				const fix = name === 'junit' ? xmlEscape(finding.fix.dockerfile ?? '') : finding.fix.dockerfile;
				if (fix) assert.ok(text.includes(fix), `${name} shows the fix ${finding.fix.kind}`);
				if (name !== 'json') assert.ok(text.includes(finding.fix.summary.slice(0, 30)), `${name} names the fix ${finding.fix.kind}`);
			}
			assert.doesNotMatch(text, /cache mount|write the final content in one step/, `${name}: none of the old path-pattern hints`);
		}
		assert.ok(outputs.markdown.includes('```dockerfile\n' + MERGED + '\n```'), 'markdown: the fix as a dockerfile block');
	});

	it("the plain report's section, exact, in English and with --lang zh", async () => {
		const section = (text: string, heading: string): string[] =>
			text
				.slice(text.indexOf(heading + '\n'))
				.split('\n')
				.slice(0, 9);
		const en = (await runCli([archive, '--plain'], {env})).stdout;
		assert.deepEqual(section(en, 'How to fix'), [
			'How to fix',
			'  1. merge layers 1–3 into one RUN: a layer stores only what is left at its end',
			'     saves 120 kB (66.77 % of the image)',
			'     layer 1 `RUN apt-get update` stored 80.0 kB of package lists; layer 3 `RUN rm -rf',
			'     /var/lib/apt/lists/*` deleted them, but a delete in a later layer cannot shrink an earlier one;',
			'     layer 1 `RUN apt-get update` stored 40.0 kB of package cache; layer 2 `RUN apt-get install -y',
			'     jq` replaced them, and the image keeps both versions',
			'     Dockerfile:',
			'       ' + MERGED,
		]);
		const zh = (await runCli([archive, '--plain', '--lang', 'zh'], {env})).stdout;
		const lines = section(zh, '如何修复');
		assert.equal(lines[1], '  1. 把第 1–3 层合并成一个 RUN：每一层只保存该步骤结束时留下的内容');
		assert.ok(zh.includes(MERGED));
		assert.equal((await runCli([archive, '--plain'], {env: {...env, LANG: 'zh_CN.UTF-8'}})).stdout, zh, 'LANG=zh_CN.UTF-8 is --lang zh');
		assert.equal((await runCli([archive, '--plain', '--lang', 'en'], {env: {...env, LC_ALL: 'zh_CN.UTF-8'}})).stdout, en, '--lang wins over the locale');
	});

	it('bad --lang and --dockerfile: one line, exit 2, before the image is read', async () => {
		const missing = path.join(dir, 'nope');
		assert.deepEqual(await runCli([archive, '--dockerfile', missing], {env}), {
			code: 2,
			stdout: '',
			stderr: `layerscope: --dockerfile ${missing}: no such file\n`,
		});
		assert.deepEqual(await runCli([archive, '--lang', 'fr'], {env}), {code: 2, stdout: '', stderr: 'layerscope: --lang fr: unknown language (use en or zh)\n'});
		assert.deepEqual(await runCli([archive, '--dockerfile', dir], {env}), {code: 2, stdout: '', stderr: `layerscope: --dockerfile ${dir}: is a directory\n`});
	});
});

describe("the explorer's x", () => {
	const frame = async (lang: 'en' | 'zh', width: number, keys: string[], side: 'left' | 'right' = 'right'): Promise<string[]> => {
		const analysis = await analyzeSteps(aptThreeSteps);
		const model = new ExplorerModel(analysis, {lang});
		const ctx = (s: ViewState): Context => ({model, layout: computeLayout({width, height: 40, layerCount: analysis.layers.length, pane: s.pane})});
		let state = settleState(initialState(analysis), ctx(initialState(analysis)));
		for (const name of keys) state = reduceInput(state, {kind: 'key', name}, ctx(state));
		// The right-hand box, where the explanation is drawn.
		return screenText(renderScreen(state, ctx(state), {color: false}))
			.split('\n')
			.map(line => (side === 'right' ? line.slice(line.indexOf('│') + 1) : line.slice(0, Math.max(0, line.indexOf('│')))).trimEnd());
	};

	it('the image details name the top fix and its saving', async () => {
		const lines = await frame('en', 160, [], 'left');
		assert.ok(lines.includes('Top fix    saves 120 kB: merge layers 1–3 into one RUN: a layer st…'), lines.join('\n'));
	});

	it("on the apt fixture's layer 1 shows the merged RUN, its saving and its diagnosis", async () => {
		const lines = await frame('en', 120, ['j', 'x']);
		const start = lines.indexOf('How to fix');
		assert.ok(start > 0, lines.join('\n'));
		// The box is narrower than the fix: it is broken with `\` continuations, still a Dockerfile to copy.
		assert.deepEqual(lines.slice(start, start + 18), [
			'How to fix',
			'  1. merge layers 1–3 into one RUN: a layer stores only what is left',
			'     at its end',
			'     saves 120 kB (66.77 % of the image)',
			'     layer 1 `RUN apt-get update` stored 80.0 kB of package lists;',
			'     layer 3 `RUN rm -rf /var/lib/apt/lists/*` deleted them, but a',
			'     delete in a later layer cannot shrink an earlier one; layer 1',
			'     `RUN apt-get update` stored 40.0 kB of package cache; layer 2',
			'     `RUN apt-get install -y jq` replaced them, and the image keeps',
			'     both versions',
			'     Dockerfile:',
			'       RUN apt-get update && apt-get install -y \\',
			'           --no-install-recommends jq && rm -rf \\',
			'           /var/lib/apt/lists/*',
			'     Waste:',
			'       layer 1 → layer 3, removed: 3 files, 80.0 kB',
			'         /var/lib/apt/lists/ 3 files 80.0 kB',
			'       layer 1 → layer 2, overwritten: 2 files, 40.0 kB',
		]);
		assert.equal(advise(await analyzeSteps(aptThreeSteps)).findings[0].fix.dockerfile, MERGED);
	});

	it('in Chinese, lines are cut by display width (a CJK character is two cells)', async () => {
		const lines = await frame('zh', 100, ['j', 'x']);
		const start = lines.indexOf('如何修复');
		assert.ok(start > 0, lines.join('\n'));
		assert.ok(
			lines.some(line => line.trim().startsWith('浪费的空间：第 1 层')),
			'the title in Chinese',
		);
		assert.ok(lines.includes('第 1 层：RUN apt-get update'), lines.join('\n'));
		assert.ok(lines.includes('它写入了 120 kB 最终镜像中看不到的内容：'));
		assert.ok(lines.includes('它没有遮盖下层写入的任何内容。'));
		assert.deepEqual(lines.slice(start, start + 10), [
			'如何修复',
			'  1. 把第 1–3 层合并成一个 RUN：每一层只保存该步骤结束时',
			'     留下的内容',
			'     可节省 120 kB（占镜像的 66.77 %）',
			'     第 1 层 `RUN apt-get update` 写入了 80.0 kB 的软件包',
			'     列表；第 3 层 `RUN rm -rf /var/lib/apt/lists/*` 删除',
			'     了它们，但后面层中的删除无法缩小前面的层；第 1 层',
			'     `RUN apt-get update` 写入了 40.0 kB 的软件包缓存；第',
			'     2 层 `RUN apt-get install -y jq` 替换了它们，镜像会',
			'     同时保留两个版本',
		]);
		const boxWidth = 100 - computeLayout({width: 100, height: 40, layerCount: 4, pane: 'layers'}).right!.x;
		for (const line of lines.slice(start, -1)) assert.ok(textWidth(line) <= boxWidth, `fits: ${line}`);
	});
});
