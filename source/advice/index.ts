// The advisor's front door: `advise(analysis, options)` reads the commands that stored and hid each waste and
// returns the findings, one per fix, in the shape `--json` prints; the render helpers give every output (the
// explorer, the plain report, CI text, junit and markdown) the same findings in the same words.
import {messages, type Lang} from '../i18n/catalogue.js';
import {displayWidth, wrapDisplay} from '../i18n/text-width.js';
import type {ImageAnalysis, WastedFile} from '../model/types.js';
import {formatBytes} from '../util/format.js';
import {visible} from '../util/sanitize.js';
import {findBaseBoundary, type BaseBoundary} from './base-boundary.js';
import {matchDockerfile} from './dockerfile.js';
import {findings, type Finding} from './findings.js';
import {layerSteps} from './layer-steps.js';

export type {Finding, FindingWaste, FixKind} from './findings.js';
export type {BaseBoundary, BoundaryMethod} from './base-boundary.js';
export type {TopPath} from './top-paths.js';
export type {Lang} from '../i18n/catalogue.js';

export interface AdviseOptions {
	lang?: Lang;
	/** The Dockerfile the image was built from: its path as the user gave it, and its text. */
	dockerfile?: {path: string; text: string};
	/** Manifest annotations (`org.opencontainers.image.base.name`), where the source has them. */
	annotations?: Record<string, string>;
}

export interface Advice {
	lang: Lang;
	findings: Finding[];
	base: BaseBoundary;
	/** Set when a Dockerfile was given: whether it matched, and the one note that says where it did not. */
	dockerfile: {path: string; matched: boolean; note: string | null} | null;
}

export function advise(analysis: ImageAnalysis, options: AdviseOptions = {}): Advice {
	const lang = options.lang ?? 'en';
	const m = messages(lang);
	const match = options.dockerfile ? matchDockerfile(analysis.history, options.dockerfile.text) : null;
	const labels = analysis.image.config.Labels;
	const base = findBaseBoundary(analysis.history, analysis.layers.length, {
		annotations: options.annotations,
		labels: labels && typeof labels === 'object' ? (labels as Record<string, string>) : undefined,
		dockerfileStart: match?.start ?? null,
	});
	const {list, byFile} = findings({analysis, steps: layerSteps(analysis), base, dockerfile: match?.start === null ? null : match, messages: m});
	const note = !match?.mismatch ? null : match.stage ? m.mismatch(match.mismatch.line, match.mismatch.text, match.mismatch.image) : m.noStage;
	const advice: Advice = {lang, findings: list, base, dockerfile: options.dockerfile ? {path: options.dockerfile.path, matched: match?.start !== null, note} : null};
	FINDING_OF.set(advice, byFile);
	return advice;
}

// Kept beside the advice rather than in it, so that the advice stays the plain data --json prints.
const FINDING_OF = new WeakMap<Advice, Map<WastedFile, Finding>>();

/** The finding a wasted copy (an entry of `analysis.waste.files`) belongs to: the explorer's `x` on a file. */
export function findingOf(advice: Advice, file: WastedFile): Finding | undefined {
	return FINDING_OF.get(advice)?.get(file);
}

/** The findings that store or hide bytes in `layer`, or whose fix changes it: the explorer's `x` on a layer. */
export function findingsOfLayer(advice: Advice, layer: number): Finding[] {
	return advice.findings.filter(f => f.fix.layers.includes(layer) || f.waste.some(w => w.storedBy === layer || w.hiddenBy === layer));
}

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
		lines.push(...wrapDisplay(`${indent}  ${m.wasteLine(waste.storedBy, waste.hiddenBy, m.cause[waste.cause], waste.files, formatBytes(waste.bytes))}`, width, indent + '    '));
		for (const top of waste.topPaths) lines.push(...wrapDisplay(`${indent}    ${m.topPath(visible(top.path), top.files, formatBytes(top.bytes))}`, width, indent + '      '));
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
