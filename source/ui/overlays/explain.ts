// The wasted-space explanation of a file, a layer or one wasted copy: who stored the bytes, whose command hid them,
// the cause and the fix. Built as lines of data (a fix is marked as one), wrapped and coloured when drawn.
import type {ImageAnalysis, WasteCause, WastedFile} from '../../model/types.js';
import {fixFor} from '../../report/hints.js';
import {formatBytes} from '../../util/format.js';
import {visible} from '../../util/sanitize.js';
import {wrapText, type Line} from '../cells.js';
import type {Rect} from '../layout.js';
import {commandOf} from '../panes/layers-view.js';
import {seg, type Theme} from '../segments.js';
import type {Context, Subject, ViewState} from '../view-state.js';
import {overlayBox} from './box.js';

export const CAUSE_TEXT: Record<WasteCause, string> = {
	removed: 'deleted by a later layer; the bytes stay in the layer that stored them',
	overwritten: 'replaced by a later layer with other content; both copies are stored',
	duplicate: 'written again with the same content by a later layer (chmod, chown, touch, a copy); the image stores it twice',
};

/** One line of an explanation, before wrapping: its indent, its text, and whether it tells the fix (green). */
interface Said {
	indent: number;
	text: string;
	fix?: boolean;
}

const say = (text: string, indent = 0, fix = false): Said => ({indent, text, fix});
const GAP = say('');

function describeCopy(analysis: ImageAnalysis, file: WastedFile): Said[] {
	return [
		say(`${formatBytes(file.sizeBytes)} of ${visible(file.path)}`),
		say(`stored by layer ${file.layerIndex}: ${commandOf(analysis.layers[file.layerIndex])}`, 2),
		say(`hidden by layer ${file.hiddenByLayerIndex}: ${commandOf(analysis.layers[file.hiddenByLayerIndex])}`, 2),
		say(`cause: ${file.cause}: ${CAUSE_TEXT[file.cause]}`, 2),
		say(`fix: ${fixFor(file.cause, file.path)}`, 2, true),
	];
}

/** The fix for each cause among the copies (the first path of each cause names it). */
function fixes(files: WastedFile[]): Said[] {
	const causes = new Map<WasteCause, string>();
	for (const file of files) if (!causes.has(file.cause)) causes.set(file.cause, file.path);
	if (causes.size === 0) return [];
	return [GAP, say('How to fix:', 0, true), ...[...causes].map(([cause, path]) => say(`${cause}: ${fixFor(cause, path)}`, 2, true))];
}

function explainLayer(analysis: ImageAnalysis, index: number): Said[] {
	const layer = analysis.layers[index];
	if (!layer) return [];
	const stored = analysis.waste.files.filter(f => f.layerIndex === index);
	const hid = analysis.waste.files.filter(f => f.hiddenByLayerIndex === index && f.layerIndex !== index);
	const lines: Said[] = [say(`Layer ${index}: ${commandOf(layer)}`), GAP];
	if (stored.length === 0) lines.push(say('Every byte this layer stored is visible in the final image.'));
	else {
		lines.push(say(`It stored ${formatBytes(layer.wastedBytes)} that the final image does not show:`));
		for (const file of stored.slice(0, 50))
			lines.push(say(`${formatBytes(file.sizeBytes)} ${file.cause} ${visible(file.path)}, hidden by layer ${file.hiddenByLayerIndex}: ${commandOf(analysis.layers[file.hiddenByLayerIndex])}`, 2));
		if (stored.length > 50) lines.push(say(`… and ${stored.length - 50} more`, 2));
	}
	lines.push(GAP);
	if (hid.length === 0) lines.push(say('It hid nothing that lower layers stored.'));
	else {
		lines.push(say(`It hid ${formatBytes(layer.hiddenBytes)} that lower layers stored (they still count in the image):`));
		for (const file of hid.slice(0, 50)) lines.push(say(`${formatBytes(file.sizeBytes)} ${file.cause} ${visible(file.path)}, stored by layer ${file.layerIndex}`, 2));
		if (hid.length > 50) lines.push(say(`… and ${hid.length - 50} more`, 2));
	}
	return [...lines, ...fixes([...stored, ...hid])];
}

function explainPath(analysis: ImageAnalysis, path: string): Said[] {
	const prefix = path === '/' ? '/' : path + '/';
	const exact = analysis.waste.files.filter(f => f.path === path);
	const below = analysis.waste.files.filter(f => f.path.startsWith(prefix));
	const lines: Said[] = [];
	if (exact.length === 0 && below.length === 0) lines.push(say(`No wasted bytes: every copy of ${visible(path)} the image stores is visible in the final image.`));
	for (const file of exact) lines.push(...describeCopy(analysis, file), GAP);
	if (below.length > 0) {
		const total = below.reduce((sum, f) => sum + f.sizeBytes, 0);
		lines.push(say(`${formatBytes(total)} wasted below ${visible(path)} (${below.length} ${below.length === 1 ? 'copy' : 'copies'}, largest first):`));
		for (const file of below.slice(0, 100))
			lines.push(say(`${formatBytes(file.sizeBytes)} ${file.cause} ${visible(file.path)}: stored by layer ${file.layerIndex}, hidden by layer ${file.hiddenByLayerIndex}`, 2));
		lines.push(...fixes(below));
	}
	return lines;
}

/** The explanation of a subject: a title and its lines. */
export function explanation(analysis: ImageAnalysis, subject: Subject): {title: string; lines: Said[]} {
	if (subject.type === 'waste') {
		const file = analysis.waste.files[subject.index];
		if (!file) return {title: 'Wasted space', lines: [say('nothing selected')]};
		return {title: `Wasted space: ${visible(file.path)}`, lines: describeCopy(analysis, file)};
	}
	if (subject.type === 'layer') {
		if (!analysis.layers[subject.layer]) return {title: 'Wasted space', lines: []};
		return {title: `Wasted space: layer ${subject.layer}`, lines: explainLayer(analysis, subject.layer)};
	}
	return {title: `Wasted space: ${visible(subject.node.path)}`, lines: explainPath(analysis, subject.node.path)};
}

/** A line wrapped to the width, its continuation lines indented two more; a fix in green. */
function wrapSaid(theme: Theme, line: Said, width: number): Line[] {
	if (line.text === '') return [[seg(theme, '')]];
	const indent = ' '.repeat(line.indent);
	const style = line.fix ? {color: 'green' as const} : {};
	return wrapText(line.text, Math.max(10, width - line.indent - 2)).map((text, i) => [seg(theme, (i === 0 ? indent : indent + '  ') + text, style)]);
}

/** The explanation's lines, wrapped to the box (however long the text: it scrolls). */
export function explainBody(state: ViewState, ctx: Context, theme: Theme, width: number): Line[] {
	const overlay = state.overlay;
	if (overlay?.kind !== 'explain') return [];
	return explanation(ctx.model.analysis, overlay.subject).lines.flatMap(line => wrapSaid(theme, line, width));
}

export function explainBox(state: ViewState, ctx: Context, theme: Theme, rect: Rect): Line[] {
	const overlay = state.overlay;
	if (overlay?.kind !== 'explain') return [];
	return overlayBox(theme, explanation(ctx.model.analysis, overlay.subject).title, explainBody(state, ctx, theme, rect.width), overlay.scroll, rect);
}

/** Open the explanation of a subject (nothing to explain: the state as it was). */
export function openExplain(state: ViewState, subject: Subject | null): ViewState {
	return subject ? {...state, overlay: {kind: 'explain', scroll: 0, subject}} : state;
}
