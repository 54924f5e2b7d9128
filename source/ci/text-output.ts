// The default CI output: a summary a person reads in a build log.
import {adviceLines, type Advice} from '../advice/index.js';
import type {ImageAnalysis} from '../model/types.js';
import {formatBytes, formatPercent} from '../util/format.js';
import {visible} from '../util/sanitize.js';
import type {CiConfig} from './config.js';
import {comparison, failedNames, formatBytesExact, imageLabel, layerNote, statusWord} from './describe.js';
import type {Verdict} from './rules.js';

export const TOP_FILES = 10;
/** Build logs have no terminal width: the "How to fix" section is wrapped to this. */
export const LOG_WIDTH = 100;

function rulesSource(config: CiConfig): string {
	const sources = new Set(config.settings.map(setting => setting.source));
	const parts: string[] = [];
	if (config.configFile !== null) parts.push(`rules file ${visible(config.configFile)}`);
	if (sources.has('flag')) parts.push('flags');
	if (sources.has('default')) parts.push('defaults');
	return parts.join(' + ');
}

export function textOutput(analysis: ImageAnalysis, verdict: Verdict, config: CiConfig, advice: Advice): string {
	const {efficiency, waste, layers} = analysis;
	const lines: string[] = [];
	lines.push(`layerscope CI: ${imageLabel(analysis)}  (${visible(analysis.source.kind)}: ${visible(analysis.source.reference)})`);
	lines.push(`  ${layers.length} layers, ${formatBytes(analysis.image.sizeBytes)}; rules from ${rulesSource(config)}`);
	lines.push('');
	lines.push('Analysis');
	lines.push(`  efficiency           ${formatPercent(efficiency.score)}  (dive-compatible)`);
	lines.push(`  wastedBytes          ${formatBytesExact(efficiency.wastedBytes)}  (dive-compatible)`);
	lines.push(`  userWastedPercent    ${formatPercent(efficiency.userWastedPercent)}  (dive-compatible)`);
	lines.push(
		`  layerscope wasted    ${formatBytesExact(waste.totalBytes)}: removed ${formatBytes(waste.byCause.removed)}, overwritten ${formatBytes(waste.byCause.overwritten)}, duplicate ${formatBytes(waste.byCause.duplicate)}`,
	);

	const top = waste.files.slice(0, TOP_FILES);
	lines.push('');
	if (top.length === 0) {
		lines.push('Wasted files: none');
	} else {
		lines.push(`Wasted files (${top.length === waste.files.length ? waste.files.length : `top ${top.length} of ${waste.files.length}`}, largest first)`);
		for (const file of top) {
			lines.push(
				`  ${formatBytes(file.sizeBytes).padStart(9)}  ${file.cause.padEnd(11)}  stored by layer ${file.layerIndex}, hidden by layer ${file.hiddenByLayerIndex}  ${visible(file.path)}`,
			);
		}
	}
	if (advice.findings.length > 0 || advice.dockerfile?.note) lines.push('', ...adviceLines(advice, LOG_WIDTH));

	lines.push('');
	lines.push('Rules');
	const width = Math.max(...verdict.results.map(result => result.setting.rule.name.length));
	for (const result of verdict.results) {
		const {rule, source} = result.setting;
		const from = source === 'default' ? 'default' : source === 'flag' ? rule.flag : visible(config.configFile ?? 'rules file');
		lines.push(`  ${statusWord(result)}  ${rule.name.padEnd(width)}  ${comparison(result)}  [${from}]`);
		const note = layerNote(result);
		if (note !== null && result.status !== 'skip') lines.push(`        ${' '.repeat(width)}  ${note}`);
	}

	lines.push('');
	const {tally} = verdict;
	const counts = `[pass:${tally.pass} fail:${tally.fail} skip:${tally.skip}]`;
	if (verdict.pass) {
		lines.push(`PASS: ${tally.pass === 0 ? 'no rule enabled' : `${tally.pass} of ${tally.total} rules passed`} ${counts}`);
	} else {
		lines.push(`FAIL: ${failedNames(verdict.results).join(', ')} ${counts}`);
	}
	return lines.join('\n') + '\n';
}
