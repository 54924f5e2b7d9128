// The default CI output: a summary a person reads in a build log.
import {adviceLines, type Advice} from '../advice/index.js';
import {messages, type CiMessages} from '../i18n/catalogue.js';
import {padDisplay} from '../i18n/text-width.js';
import type {ImageAnalysis} from '../model/types.js';
import {formatBytes, formatPercent} from '../util/format.js';
import {visible} from '../util/sanitize.js';
import type {CiConfig} from './config.js';
import {comparison, failedNames, formatBytesExact, imageLabel, layerNote, statusWord} from './describe.js';
import type {Verdict} from './rules.js';

export const TOP_FILES = 10;
/** Build logs have no terminal width: the "How to fix" section is wrapped to this. */
export const LOG_WIDTH = 100;

function rulesSource(config: CiConfig, c: CiMessages): string {
	const sources = new Set(config.settings.map(setting => setting.source));
	const parts: string[] = [];
	if (config.configFile !== null) parts.push(c.rulesFile(visible(config.configFile)));
	if (sources.has('flag')) parts.push(c.flags);
	if (sources.has('default')) parts.push(c.defaults);
	return parts.join(' + ');
}

export function textOutput(analysis: ImageAnalysis, verdict: Verdict, config: CiConfig, advice: Advice): string {
	const {efficiency, waste, layers} = analysis;
	const m = messages(advice.lang);
	const c = m.ci;
	const lines: string[] = [];
	lines.push(c.textHead(imageLabel(analysis), visible(analysis.source.kind), visible(analysis.source.reference)));
	lines.push(c.textSummary(layers.length, formatBytes(analysis.image.sizeBytes), rulesSource(config, c)));
	lines.push('');
	lines.push(c.analysis);
	const figure = (label: string, value: string): string => `  ${padDisplay(label, 19)}  ${value}`;
	lines.push(figure(c.figures.efficiency, `${formatPercent(efficiency.score)}  ${c.diveCompatible}`));
	lines.push(figure(c.figures.wastedBytes, `${formatBytesExact(efficiency.wastedBytes)}  ${c.diveCompatible}`));
	lines.push(figure(c.figures.userWastedPercent, `${formatPercent(efficiency.userWastedPercent)}  ${c.diveCompatible}`));
	lines.push(
		figure(
			c.figures.layerscopeWasted,
			c.byCause(
				formatBytesExact(waste.totalBytes),
				formatBytes(waste.byCause.removed),
				formatBytes(waste.byCause.overwritten),
				formatBytes(waste.byCause.duplicate),
			),
		),
	);

	const top = waste.files.slice(0, TOP_FILES);
	lines.push('');
	if (top.length === 0) {
		lines.push(c.noWastedFiles);
	} else {
		lines.push(c.wastedFilesHeading(top.length, waste.files.length));
		for (const file of top) {
			lines.push(
				`  ${formatBytes(file.sizeBytes).padStart(9)}  ${padDisplay(m.cause[file.cause], 11)}  ${c.storedHidden(file.layerIndex, file.hiddenByLayerIndex)}  ${visible(file.path)}`,
			);
		}
	}
	if (advice.findings.length > 0 || advice.dockerfile?.note) lines.push('', ...adviceLines(advice, LOG_WIDTH));

	lines.push('');
	lines.push(c.rules);
	const width = Math.max(...verdict.results.map(result => result.setting.rule.name.length));
	for (const result of verdict.results) {
		const {rule, source} = result.setting;
		const from = source === 'default' ? c.defaultSource : source === 'flag' ? rule.flag : visible(config.configFile ?? '');
		lines.push(`  ${statusWord(result)}  ${rule.name.padEnd(width)}  ${comparison(result, c)}  [${from}]`);
		const note = layerNote(result, c);
		if (note !== null && result.status !== 'skip') lines.push(`        ${' '.repeat(width)}  ${note}`);
	}

	lines.push('');
	const {tally} = verdict;
	const counts = `[pass:${tally.pass} fail:${tally.fail} skip:${tally.skip}]`;
	if (verdict.pass) {
		lines.push(`PASS: ${tally.pass === 0 ? c.noRuleEnabled : c.passed(tally.pass, tally.total)} ${counts}`);
	} else {
		lines.push(`FAIL: ${failedNames(verdict.results).join(', ')} ${counts}`);
	}
	return lines.join('\n') + '\n';
}
