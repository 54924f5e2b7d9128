// JUnit XML for CI systems (GitLab, Jenkins, GitHub test reporters): one test case per rule.
import {adviceLines, type Advice} from '../advice/index.js';
import {messages} from '../i18n/catalogue.js';
import type {ImageAnalysis} from '../model/types.js';
import {formatBytes, trimCreatedBy} from '../util/format.js';
import {visible} from '../util/sanitize.js';
import {comparison, formatBytesExact, formatRatio, imageLabel, layerNote} from './describe.js';
import type {Verdict} from './rules.js';
import {LOG_WIDTH, TOP_FILES} from './text-output.js';

// Characters XML 1.0 cannot hold at all (visible() already turned the C0/C1 controls into escapes).
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function xmlEscape(text: string): string {
	return text
		.replace(NOT_XML, ch => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;')
		.replaceAll("'", '&apos;');
}

function attributes(values: Record<string, string | number>): string {
	return Object.entries(values)
		.map(([name, value]) => ` ${name}="${xmlEscape(String(value))}"`)
		.join('');
}

export function junitOutput(analysis: ImageAnalysis, verdict: Verdict, advice: Advice): string {
	const {tally} = verdict;
	const m = messages(advice.lang);
	const c = m.ci;
	const suite = `layerscope ${imageLabel(analysis)}`;
	const counts = {tests: tally.total, failures: tally.fail, errors: 0, skipped: tally.skip, time: 0};
	const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
	lines.push(`<testsuites${attributes({name: 'layerscope CI', ...counts})}>`);
	lines.push(`  <testsuite${attributes({name: suite, ...counts})}>`);
	lines.push('    <properties>');
	const properties: Record<string, string> = {
		image: imageLabel(analysis),
		reference: visible(analysis.source.reference),
		efficiency: formatRatio(analysis.efficiency.score),
		wastedBytes: String(analysis.efficiency.wastedBytes),
		userWastedPercent: formatRatio(analysis.efficiency.userWastedPercent),
		layerscopeWastedBytes: String(analysis.waste.totalBytes),
	};
	for (const [name, value] of Object.entries(properties)) lines.push(`      <property${attributes({name, value})}/>`);
	lines.push('    </properties>');
	for (const result of verdict.results) {
		const {rule} = result.setting;
		const head = `    <testcase${attributes({classname: 'layerscope.ci', name: rule.name, time: 0})}`;
		const what = c.outcome(c.measures[rule.name], comparison(result, c));
		if (result.status === 'pass') {
			lines.push(`${head}/>`);
			continue;
		}
		lines.push(`${head}>`);
		if (result.status === 'skip') {
			lines.push(`      <skipped${attributes({message: c.skipped})}/>`);
		} else {
			const details = [what];
			const note = layerNote(result, c);
			if (note !== null) details.push(note);
			for (const layer of result.layersOverLimit ?? []) {
				details.push(c.junitLayer(layer.index, formatBytes(layer.wastedBytes), visible(trimCreatedBy(layer.createdBy))));
			}
			lines.push(`      <failure${attributes({message: what, type: rule.name})}>${xmlEscape(details.join('\n'))}</failure>`);
		}
		lines.push('    </testcase>');
	}
	const top = analysis.waste.files.slice(0, TOP_FILES);
	const out = [c.junitWasted(formatBytesExact(analysis.waste.totalBytes), analysis.waste.files.length)];
	for (const file of top) {
		out.push(`${formatBytes(file.sizeBytes)}  ${m.cause[file.cause]}  ${c.storedHidden(file.layerIndex, file.hiddenByLayerIndex)}  ${visible(file.path)}`);
	}
	if (advice.findings.length > 0 || advice.dockerfile?.note) out.push('', ...adviceLines(advice, LOG_WIDTH));
	lines.push(`    <system-out>${xmlEscape(out.join('\n'))}</system-out>`);
	lines.push('  </testsuite>');
	lines.push('</testsuites>');
	return lines.join('\n') + '\n';
}
