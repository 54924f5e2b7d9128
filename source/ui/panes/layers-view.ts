// The layers pane and the selected layer's details: each layer's size, compressed size, waste mark and command;
// then the layer's command, counts, waste, size, digest and dates.
import {messages, type Lang} from '../../i18n/catalogue.js';
import type {LayerAnalysis} from '../../model/types.js';
import {formatBytes, trimCreatedBy} from '../../util/format.js';
import {visible} from '../../util/sanitize.js';
import {fitLine, padEnd, padStart, wrapSegments, wrapText, type Line, type Segment} from '../cells.js';
import type {Rect} from '../layout.js';
import {blank, seg, type Theme} from '../segments.js';
import type {Context, ViewState} from '../view-state.js';
import {layerSteps} from './layer-steps.js';

export function commandOf(layer: LayerAnalysis | undefined, lang: Lang): string {
	if (!layer) return '';
	return visible(trimCreatedBy(layer.createdBy)) || messages(lang).ui.noHistory;
}

export function layerRows(state: ViewState, ctx: Context, theme: Theme, rect: Rect): Line[] {
	const {layers} = ctx.model.analysis;
	const lang = ctx.model.advice.lang;
	const t = messages(lang).ui;
	const col = t.layerColumns;
	const width = rect.width;
	const digits = String(Math.max(0, layers.length - 1)).length;
	const showCompressed = width >= 46 && layers.some(l => l.compressedSizeBytes !== null);
	const lines: Line[] = [];
	const header: Line = [
		seg(theme, ` ${padStart(col.index, digits)} ${padStart(col.size, 8)}${showCompressed ? ' ' + padStart(col.compressed, 8) : ''}   ${col.command}`, {
			bold: true,
			dim: true,
		}),
	];
	lines.push(fitLine(header, width));
	const focused = state.pane === 'layers';
	const steps = layerSteps(ctx.model.analysis);
	for (let r = 0; r < rect.height; r++) {
		const row = steps.rows[state.layerScroll + r];
		if (!row) {
			lines.push(blank(width));
			continue;
		}
		const layer = row.layer === null ? null : layers[row.layer];
		if (!layer) {
			// A step that made no layer (ENV, CMD, LABEL, …): 0 B, dimmed, as docker history shows it.
			const command = visible(trimCreatedBy(row.step?.createdBy ?? '')) || t.noHistory;
			lines.push(
				fitLine([seg(theme, ` ${padStart('-', digits)} ${padStart('0 B', 8)}${showCompressed ? ' '.repeat(9) : ''}   ${command}`, {dim: true})], width),
			);
			continue;
		}
		const selected = layer.index === state.layer;
		const wastes = layer.wastedBytes > 0;
		const line: Line = [
			seg(theme, selected ? '›' : ' ', {bold: true}),
			seg(theme, padStart(String(layer.index), digits) + ' '),
			seg(theme, padStart(formatBytes(layer.sizeBytes), 8)),
			...(showCompressed
				? [seg(theme, ' ' + padStart(layer.compressedSizeBytes === null ? '-' : formatBytes(layer.compressedSizeBytes), 8), {dim: true})]
				: []),
			seg(theme, wastes ? ' ! ' : '   ', {color: 'red', bold: true}),
			seg(theme, commandOf(layer, lang)),
		];
		const style = selected && focused ? {inverse: true} : selected ? {bold: true} : {};
		lines.push(
			fitLine(
				line.map(s => ({...s, ...style})),
				width,
				style,
			),
		);
	}
	return lines;
}

export function detailRows(state: ViewState, ctx: Context, theme: Theme, rect: Rect): Line[] {
	const layer = ctx.model.analysis.layers[state.layer];
	const lang = ctx.model.advice.lang;
	const t = messages(lang).ui;
	const names = t.layerLabels;
	const width = rect.width;
	const label = (text: string): Segment => seg(theme, padEnd(text, 9), {bold: true});
	if (!layer) return Array.from({length: rect.height}, () => blank(width));
	// Counted as the tree shows them: a removed directory with its contents, the parents a layer's files imply.
	const c = ctx.model.changeCounts(layer.index);
	const sep = seg(theme, ' · ');
	const room = Math.max(1, width - 9);
	const labelled = (name: string, segments: Segment[]): Line[] =>
		wrapSegments(segments, room).map((line, i) => [i === 0 ? label(name) : seg(theme, ' '.repeat(9)), ...line]);
	const fixed: Line[] = [
		...labelled(names.changes, [
			seg(theme, t.changeCounts.added(c.added), {color: 'green'}),
			sep,
			seg(theme, t.changeCounts.modified(c.modified), {color: 'yellow'}),
			sep,
			seg(theme, t.changeCounts.removed(c.removed), {color: 'red'}),
			sep,
			seg(theme, t.changeCounts.rewritten(c.rewritten), {color: 'magenta'}),
		]),
		...labelled(names.wasted, [
			seg(theme, layer.wastedBytes ? t.layerWasted(formatBytes(layer.wastedBytes)) : t.layerNoneWasted, layer.wastedBytes ? {color: 'red'} : {}),
			...(layer.hiddenBytes ? [sep, seg(theme, t.layerHid(formatBytes(layer.hiddenBytes)))] : []),
		]),
		...labelled(names.size, [
			seg(theme, formatBytes(layer.sizeBytes)),
			...(layer.compressedSizeBytes === null ? [] : [sep, seg(theme, t.compressedWith(formatBytes(layer.compressedSizeBytes), layer.compression))]),
		]),
		[label(names.digest), seg(theme, visible(layer.digest ?? layer.diffId))],
		...(layer.digest && layer.digest !== layer.diffId ? [[label(names.diffId), seg(theme, visible(layer.diffId))]] : []),
		[label(names.created), seg(theme, layer.created ? visible(layer.created) : '-')],
		...(layer.comment ? labelled(names.comment, [seg(theme, visible(layer.comment))]) : []),
	];
	// The command gets the room the fixed lines leave, at least one line.
	const commandRoom = Math.max(1, rect.height - Math.min(fixed.length, 3));
	const wrapped = wrapText(commandOf(layer, lang), Math.max(1, width - 9), commandRoom);
	const command: Line[] = wrapped.map((text, i) => [i === 0 ? label(names.command) : seg(theme, ' '.repeat(9)), seg(theme, text)]);
	const lines = [...command, ...fixed].slice(0, rect.height).map(line => fitLine(line, width));
	while (lines.length < rect.height) lines.push(blank(width));
	return lines;
}
