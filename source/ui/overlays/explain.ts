// The wasted-space explanation of a file, a layer or one wasted copy: who stored the bytes, whose command hid them,
// the cause, then the advisor's findings (diagnosis, fix, saving) in the run's language. Built as lines of data (a
// fix is marked as one), wrapped and coloured when drawn.
import {findingLines, findingOf, findingsOfLayer, type Advice, type Finding} from '../../advice/index.js';
import {messages, type Lang} from '../../i18n/catalogue.js';
import {wrapDisplay} from '../../i18n/text-width.js';
import type {ImageAnalysis, WastedFile} from '../../model/types.js';
import {formatBytes} from '../../util/format.js';
import {visible} from '../../util/sanitize.js';
import {textWidth, wrapText, type Line} from '../cells.js';
import type {Rect} from '../layout.js';
import {commandOf} from '../panes/layers-view.js';
import {seg, type Theme} from '../segments.js';
import type {Context, Subject, ViewState} from '../view-state.js';
import {overlayBox} from './box.js';

/** One line of an explanation, before wrapping: its indent, its text, whether it tells the fix (green), and whether
 * it is wrapped already (the advisor's lines, wrapped with Chinese counted double-width; Dockerfile text never). */
interface Said {
	indent: number;
	text: string;
	fix?: boolean;
	pre?: boolean;
}

const say = (text: string, indent = 0, fix = false): Said => ({indent, text, fix});
const GAP = say('');

/** The findings as lines of `width` cells: the summary and the Dockerfile text marked as the fix. */
function findingSaid(advice: Advice, found: Finding[], width: number): Said[] {
	if (found.length === 0) return [];
	const m = messages(advice.lang);
	const out: Said[] = [GAP, say(m.heading, 0, true)];
	found.forEach((finding, i) => {
		const lines = findingLines(finding, advice.lang, Math.max(20, width - 2), {number: i + 1, dockerfileName: advice.dockerfile?.path});
		let inFix = false;
		lines.forEach((text, at) => {
			if (text.trim() === m.dockerfileLabel.trim() || text.trim() === '.dockerignore:') inFix = true;
			else if (text.trim() === m.wasteLabel.trim()) inFix = false;
			const split = inFix && finding.fix.kind !== 'dockerignore' ? continued(text, Math.max(20, width - 4)) : [text];
			for (const part of split) out.push({indent: 2, text: part, fix: at === 0 || inFix, pre: true});
		});
	});
	return out;
}

/** A Dockerfile line too wide for the box, broken at spaces with ` \\` continuations: still valid to copy. */
function continued(line: string, width: number): string[] {
	if (textWidth(line) <= width) return [line];
	const indent = line.match(/^ */)![0];
	const out: string[] = [];
	let current = '';
	for (const word of line.slice(indent.length).split(' ')) {
		const next = current === '' ? word : `${current} ${word}`;
		if (current !== '' && textWidth(indent + (out.length ? '    ' : '') + next + ' \\') > width) {
			out.push(indent + (out.length ? '    ' : '') + current + ' \\');
			current = word;
		} else current = next;
	}
	out.push(indent + (out.length ? '    ' : '') + current);
	return out;
}

/** The findings of some wasted copies, each once, in the advisor's order. */
function findingsOf(advice: Advice, files: WastedFile[]): Finding[] {
	const found = new Set(files.map(file => findingOf(advice, file)).filter((f): f is Finding => f !== undefined));
	return advice.findings.filter(finding => found.has(finding));
}

function describeCopy(analysis: ImageAnalysis, advice: Advice, file: WastedFile): Said[] {
	const {explain: e, cause} = messages(advice.lang);
	return [
		say(e.copyOf(formatBytes(file.sizeBytes), visible(file.path))),
		say(e.storedBy(file.layerIndex, commandOf(analysis.layers[file.layerIndex], advice.lang)), 2),
		say(e.hiddenBy(file.hiddenByLayerIndex, commandOf(analysis.layers[file.hiddenByLayerIndex], advice.lang)), 2),
		say(e.causeLine(cause[file.cause], e.causeText[file.cause]), 2),
	];
}

function explainLayer(analysis: ImageAnalysis, advice: Advice, index: number, width: number): Said[] {
	const {explain: e, cause} = messages(advice.lang);
	const layer = analysis.layers[index];
	if (!layer) return [];
	const stored = analysis.waste.files.filter(f => f.layerIndex === index);
	const hid = analysis.waste.files.filter(f => f.hiddenByLayerIndex === index && f.layerIndex !== index);
	const lines: Said[] = [say(e.layerHead(index, commandOf(layer, advice.lang))), GAP];
	if (stored.length === 0) lines.push(say(e.allVisible));
	else {
		lines.push(say(e.storedHidden(formatBytes(layer.wastedBytes))));
		for (const file of stored.slice(0, 50))
			lines.push(
				say(
					e.storedItem(
						formatBytes(file.sizeBytes),
						cause[file.cause],
						visible(file.path),
						file.hiddenByLayerIndex,
						commandOf(analysis.layers[file.hiddenByLayerIndex], advice.lang),
					),
					2,
				),
			);
		if (stored.length > 50) lines.push(say(e.more(stored.length - 50), 2));
	}
	lines.push(GAP);
	if (hid.length === 0) lines.push(say(e.hidNothing));
	else {
		lines.push(say(e.hidBytes(formatBytes(layer.hiddenBytes))));
		for (const file of hid.slice(0, 50)) lines.push(say(e.hidItem(formatBytes(file.sizeBytes), cause[file.cause], visible(file.path), file.layerIndex), 2));
		if (hid.length > 50) lines.push(say(e.more(hid.length - 50), 2));
	}
	return [...lines, ...findingSaid(advice, findingsOfLayer(advice, index), width)];
}

function explainPath(analysis: ImageAnalysis, advice: Advice, path: string, width: number): Said[] {
	const {explain: e, cause} = messages(advice.lang);
	const prefix = path === '/' ? '/' : path + '/';
	const exact = analysis.waste.files.filter(f => f.path === path);
	const below = analysis.waste.files.filter(f => f.path.startsWith(prefix));
	const lines: Said[] = [];
	if (exact.length === 0 && below.length === 0) lines.push(say(e.pathClean(visible(path))));
	for (const file of exact) lines.push(...describeCopy(analysis, advice, file), GAP);
	if (below.length === 0) lines.push(...findingSaid(advice, findingsOf(advice, exact), width));
	if (below.length > 0) {
		const total = below.reduce((sum, f) => sum + f.sizeBytes, 0);
		lines.push(say(e.below(formatBytes(total), visible(path), below.length)));
		for (const file of below.slice(0, 100))
			lines.push(say(e.belowItem(formatBytes(file.sizeBytes), cause[file.cause], visible(file.path), file.layerIndex, file.hiddenByLayerIndex), 2));
		lines.push(...findingSaid(advice, findingsOf(advice, [...exact, ...below]), width));
	}
	return lines;
}

/** The explanation of a subject for a box `width` cells wide: a title and its lines, in the advice's language. */
export function explanation(analysis: ImageAnalysis, advice: Advice, subject: Subject, width = 80): {title: string; lines: Said[]} {
	const e = messages(advice.lang).explain;
	if (subject.type === 'waste') {
		const file = analysis.waste.files[subject.index];
		if (!file) return {title: e.title, lines: [say(e.nothingSelected)]};
		const finding = findingOf(advice, file);
		return {title: e.titleOf(visible(file.path)), lines: [...describeCopy(analysis, advice, file), ...findingSaid(advice, finding ? [finding] : [], width)]};
	}
	if (subject.type === 'layer') {
		if (!analysis.layers[subject.layer]) return {title: e.title, lines: []};
		return {title: e.titleOf(e.layerSubject(subject.layer)), lines: explainLayer(analysis, advice, subject.layer, width)};
	}
	return {title: e.titleOf(visible(subject.node.path)), lines: explainPath(analysis, advice, subject.node.path, width)};
}

/** A line wrapped to the width, its continuation lines indented two more; a fix in green. */
function wrapSaid(theme: Theme, line: Said, width: number, lang: Lang): Line[] {
	if (line.text === '') return [[seg(theme, '')]];
	const indent = ' '.repeat(line.indent);
	const style = line.fix ? {color: 'green' as const} : {};
	if (line.pre) return [[seg(theme, indent + line.text, style)]];
	// Chinese breaks between characters, never before closing punctuation (wrapDisplay); English at spaces.
	const room = Math.max(10, width - line.indent - 2);
	return (lang === 'en' ? wrapText(line.text, room) : wrapDisplay(line.text, room)).map((text, i) => [
		seg(theme, (i === 0 ? indent : indent + '  ') + text, style),
	]);
}

/** The explanation's lines, wrapped to the box (however long the text: it scrolls). */
export function explainBody(state: ViewState, ctx: Context, theme: Theme, width: number): Line[] {
	const overlay = state.overlay;
	if (overlay?.kind !== 'explain') return [];
	return explanation(ctx.model.analysis, ctx.model.advice, overlay.subject, width).lines.flatMap(line => wrapSaid(theme, line, width, ctx.model.advice.lang));
}

export function explainBox(state: ViewState, ctx: Context, theme: Theme, rect: Rect): Line[] {
	const overlay = state.overlay;
	if (overlay?.kind !== 'explain') return [];
	return overlayBox(
		theme,
		messages(ctx.model.advice.lang).ui,
		explanation(ctx.model.analysis, ctx.model.advice, overlay.subject, rect.width).title,
		explainBody(state, ctx, theme, rect.width),
		overlay.scroll,
		rect,
	);
}

/** Open the explanation of a subject (nothing to explain: the state as it was). */
export function openExplain(state: ViewState, subject: Subject | null): ViewState {
	return subject ? {...state, overlay: {kind: 'explain', scroll: 0, subject}} : state;
}
