// Markdown for a pull-request comment: the verdict, a table of rules, the top wasted files.
import {adviceMarkdown, type Advice} from '../advice/index.js';
import {messages} from '../i18n/catalogue.js';
import type {ImageAnalysis} from '../model/types.js';
import {formatBytes, formatPercent} from '../util/format.js';
import {visible} from '../util/sanitize.js';
import {failedNames, formatFigure, formatLimit, imageLabel, layerNote, statusWord} from './describe.js';
import type {Verdict} from './rules.js';
import {TOP_FILES} from './text-output.js';

/**
 * Image text as an inline code span: no markup, links, HTML or @mentions inside. The fence is longer than any run of
 * backticks in the text, and `|` is escaped, which GitHub's tables require even inside code spans.
 */
export function code(text: string): string {
	const safe = visible(text).replaceAll('|', '\\|');
	const longest = Math.max(0, ...(safe.match(/`+/g) ?? []).map(run => run.length));
	const fence = '`'.repeat(longest + 1);
	const pad = safe.startsWith('`') || safe.endsWith('`') || safe === '' ? ' ' : '';
	return `${fence}${pad}${safe}${pad}${fence}`;
}

const ICON = {PASS: '✅', FAIL: '❌', SKIP: '⏭️'} as const;

export function markdownOutput(analysis: ImageAnalysis, verdict: Verdict, advice: Advice): string {
	const {efficiency, waste} = analysis;
	const m = messages(advice.lang);
	const c = m.ci;
	const lines: string[] = [];
	const names = analysis.image.tags.length > 0 ? analysis.image.tags.map(code).join(', ') : code(imageLabel(analysis));
	const failed = failedNames(verdict.results);
	lines.push(verdict.pass ? c.markdownHead('✅', 'PASS', names) : c.markdownHead('❌', 'FAIL', names));
	lines.push('');
	if (!verdict.pass) lines.push(c.failed(failed.map(name => `**${name}**`).join(', ')), '');
	const t = c.ruleTable;
	lines.push(`| ${t.rule} | ${t.result} | ${t.value} | ${t.limit} |`);
	lines.push('| --- | --- | --- | --- |');
	for (const result of verdict.results) {
		const word = statusWord(result);
		const {rule, limit} = result.setting;
		let value = formatFigure(rule.unit, result.value, limit);
		const note = result.status === 'fail' ? layerNote(result, c) : null;
		if (note !== null) value += ` (${note})`;
		const bound = limit === null ? '' : rule.bound === 'min' ? '≥ ' : '≤ ';
		lines.push(`| \`${rule.name}\` | ${ICON[word]} ${word} | ${value} | ${bound}${formatLimit(result, c)} |`);
	}
	lines.push('');
	lines.push(
		c.markdownSummary(
			formatPercent(efficiency.score),
			formatBytes(efficiency.wastedBytes),
			formatPercent(efficiency.userWastedPercent),
			formatBytes(waste.totalBytes),
			analysis.layers.length,
			formatBytes(analysis.image.sizeBytes),
		),
	);
	const top = waste.files.slice(0, TOP_FILES);
	if (top.length > 0) {
		lines.push('');
		lines.push(`<details><summary>${c.topWastedFiles(top.length, waste.files.length)}</summary>`);
		lines.push('');
		const f = c.fileTable;
		lines.push(`| ${f.size} | ${f.cause} | ${f.stored} | ${f.hidden} | ${f.path} |`);
		lines.push('| ---: | --- | ---: | ---: | --- |');
		for (const file of top) {
			lines.push(`| ${formatBytes(file.sizeBytes)} | ${m.cause[file.cause]} | ${file.layerIndex} | ${file.hiddenByLayerIndex} | ${code(file.path)} |`);
		}
		lines.push('');
		lines.push('</details>');
	}
	// The fixes outside the folded table: each as a ```dockerfile block, ready to apply from the comment.
	if (advice.findings.length > 0 || advice.dockerfile?.note) lines.push('', adviceMarkdown(advice).trimEnd());
	return lines.join('\n') + '\n';
}
