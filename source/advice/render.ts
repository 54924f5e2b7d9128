// The findings as text and markdown, the same for every output: text lines wrapped to a width with Chinese counted
// double-width (the explorer, the plain report, CI text and junit), markdown for a pull-request comment. Every
// string from the image is made visible here, never printed raw.
import {messages, type Lang} from '../i18n/catalogue.js';
import {displayWidth, wrapDisplay} from '../i18n/text-width.js';
import {formatBytes} from '../util/format.js';
import {visible} from '../util/sanitize.js';
import type {Finding} from './findings.js';
import type {Advice} from './advice.js';

export interface RenderOptions {
	/** 1-based position shown before the finding. */
	number?: number;
	/** How the Dockerfile is named beside its line (default `Dockerfile`). */
	dockerfileName?: string;
}

const percent = (value: number): string => `${value.toFixed(2)} %`;

function savingText(finding: Finding, lang: Lang): string {
	const m = messages(lang);
	return finding.savingBytes > 0 ? m.saving(formatBytes(finding.savingBytes), percent(finding.savingPercent)) : m.noSaving;
}

/** The finding as text lines of at most `width` columns (Chinese counted double-width); image text made safe. */
export function findingLines(finding: Finding, lang: Lang, width: number, options: RenderOptions = {}): string[] {
	const m = messages(lang);
	const lines: string[] = [];
	const head = options.number === undefined ? '' : `${options.number}. `;
	const indent = ' '.repeat(displayWidth(head) || 2);
	lines.push(...wrapDisplay(head + visible(finding.fix.summary), width, indent));
	const where = finding.dockerfileLine === null ? '' : `  ${visible(options.dockerfileName ?? 'Dockerfile')}:${finding.dockerfileLine}`;
	lines.push(...wrapDisplay(indent + savingText(finding, lang) + where, width, indent));
	lines.push(...wrapDisplay(indent + visible(finding.diagnosis), width, indent));
	if (finding.fix.dockerfile !== null) {
		lines.push(indent + (finding.fix.kind === 'dockerignore' ? '.dockerignore:' : m.dockerfileLabel));
		for (const line of finding.fix.dockerfile.split('\n')) lines.push(indent + '  ' + visible(line));
	}
	lines.push(indent + m.wasteLabel);
	for (const waste of finding.waste) {
		lines.push(
			...wrapDisplay(
				`${indent}  ${m.wasteLine(waste.storedBy, waste.hiddenBy, m.cause[waste.cause], waste.files, formatBytes(waste.bytes))}`,
				width,
				indent + '    ',
			),
		);
		for (const top of waste.topPaths)
			lines.push(...wrapDisplay(`${indent}    ${m.topPath(visible(top.path), top.files, formatBytes(top.bytes))}`, width, indent + '      '));
	}
	return lines;
}

/**
 * Text that cannot break out of markdown: image strings made visible; outside code spans, HTML and the characters
 * that format (`*`, `_`, `[`, `|`, …) escaped. Inside a code span everything is literal already.
 */
function markdownText(text: string): string {
	return visible(text)
		.split(/(`[^`]*`)/)
		.map((part, i) => (i % 2 === 1 ? part : part.replace(/[\\*_[\]|#~]/g, '\\$&').replace(/[<>&]/g, ch => ({'<': '&lt;', '>': '&gt;', '&': '&amp;'})[ch]!)))
		.join('');
}

function fence(text: string): string {
	const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map(run => run[0].length));
	return '`'.repeat(longest + 1);
}

/** The finding as markdown for a pull-request comment: the fix as a ```dockerfile block. */
export function findingMarkdown(finding: Finding, lang: Lang, options: RenderOptions = {}): string {
	const m = messages(lang);
	const out: string[] = [];
	const head = options.number === undefined ? '' : `${options.number}. `;
	out.push(`#### ${head}${markdownText(finding.fix.summary)}`, '');
	const where = finding.dockerfileLine === null ? '' : ` · \`${markdownText(options.dockerfileName ?? 'Dockerfile')}:${finding.dockerfileLine}\``;
	out.push(`**${savingText(finding, lang)}**${where}`, '', markdownText(finding.diagnosis), '');
	if (finding.fix.dockerfile !== null) {
		const code = finding.fix.dockerfile.split('\n').map(visible).join('\n');
		const f = fence(code);
		out.push(`${f}${finding.fix.kind === 'dockerignore' ? 'gitignore' : 'dockerfile'}`, code, f, '');
	}
	for (const waste of finding.waste) {
		const paths = waste.topPaths.map(top => `\`${visible(top.path).replaceAll('`', "'")}\` (${top.files}, ${formatBytes(top.bytes)})`).join(', ');
		out.push(`- ${m.wasteLine(waste.storedBy, waste.hiddenBy, m.cause[waste.cause], waste.files, formatBytes(waste.bytes))}${paths ? ` — ${paths}` : ''}`);
	}
	return out.join('\n') + '\n';
}

/** The whole "How to fix" section as text lines: the Dockerfile note first (once), then every finding. */
export function adviceLines(advice: Advice, width: number): string[] {
	const m = messages(advice.lang);
	const lines = [m.heading];
	if (advice.dockerfile?.note) lines.push(...wrapDisplay('  ' + visible(advice.dockerfile.note), width, '  '));
	if (advice.findings.length === 0) lines.push('  ' + m.nothingToFix);
	advice.findings.forEach((finding, i) => {
		lines.push(...findingLines(finding, advice.lang, width - 2, {number: i + 1, dockerfileName: advice.dockerfile?.path}).map(line => '  ' + line));
	});
	return lines;
}

/** The whole section as markdown. */
export function adviceMarkdown(advice: Advice): string {
	const m = messages(advice.lang);
	const parts = [`### ${m.heading}`, ''];
	if (advice.dockerfile?.note) parts.push(`> ${markdownText(advice.dockerfile.note)}`, '');
	if (advice.findings.length === 0) parts.push(m.nothingToFix, '');
	advice.findings.forEach((finding, i) => parts.push(findingMarkdown(finding, advice.lang, {number: i + 1, dockerfileName: advice.dockerfile?.path})));
	return parts.join('\n');
}
