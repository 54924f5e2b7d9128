// The image details box: tags, sizes, waste by cause, efficiency, then the wasted-files list (the waste pane).
import {messages, type UiMessages} from '../../i18n/catalogue.js';
import type {ImageAnalysis} from '../../model/types.js';
import type {Advice} from '../../advice/index.js';
import {formatBytes, formatPercent, shortDigest} from '../../util/format.js';
import {visible} from '../../util/sanitize.js';
import {keyOf} from '../bindings.js';
import {distinctFrom, fitLine, textWidth, padEnd, padStart, truncateMiddle, wrapSegments, type Line, type Segment} from '../cells.js';
import type {Rect} from '../layout.js';
import {blank, seg, type Theme} from '../segments.js';
import type {Context, ViewState} from '../view-state.js';
import type {WasteRow} from './waste-rows.js';

/** The advisor's largest fix, by saving (x on a layer or a wasted file tells the rest). */
function topFix(advice: Advice, theme: Theme, t: UiMessages): Segment[] {
	const {findings} = advice;
	const top = findings.find(finding => finding.savingBytes > 0);
	if (!top) return [seg(theme, findings.length === 0 ? t.topFixNone : t.topFixUnsavable, {dim: true})];
	const more = findings.filter(finding => finding.savingBytes > 0).length - 1;
	return [
		seg(theme, t.saves(formatBytes(top.savingBytes)), {color: 'green', bold: true}),
		seg(theme, `${more > 0 ? t.moreFixes(more, keyOf('layers', 'explain')) : ''}${t.fixSummary(visible(top.fix.summary))}`),
	];
}

/** Which of the archive's images this is, and how to open the others. */
function otherImages(images: string[], tags: string[], t: UiMessages): string {
	const at = images.findIndex(name => tags.includes(name));
	const others = images.filter((_, i) => i !== at).map(visible);
	return t.otherImages(at + 1 || 1, images.length, others.join(', '));
}

/** The image details' summary above the wasted-files list: tags, sizes, waste by cause, efficiency, wrapped to the width. */
export function imageSummary(analysis: ImageAnalysis, theme: Theme, width: number, images?: string[] | null, advice?: Advice): Line[] {
	const {image, waste, efficiency, layers} = analysis;
	const m = messages(advice?.lang ?? 'en');
	const t = m.ui;
	const names = t.imageLabels;
	const label = (text: string): Segment => seg(theme, padEnd(text, 11), {bold: true});
	const sep = seg(theme, ' · ');
	const labelled = (name: string, segments: Segment[]): Line[] =>
		wrapSegments(segments, Math.max(1, width - 11)).map((line, i) => [i === 0 ? label(name) : seg(theme, ' '.repeat(11)), ...line]);
	const tags = image.tags.length > 0 ? image.tags.map(visible).join(', ') : `${t.untagged} ${shortDigest(image.id)}`;
	const narrow = width < 50;
	return [
		...labelled(names.tags, [
			seg(theme, tags),
			...(images && images.length > 1 ? [seg(theme, ' · '), seg(theme, otherImages(images, image.tags, t), {color: 'yellow', bold: true})] : []),
		]),
		...labelled(names.size, [
			seg(theme, formatBytes(image.sizeBytes)),
			...(image.compressedSizeBytes === null ? [] : [sep, seg(theme, t.compressed(formatBytes(image.compressedSizeBytes)))]),
			sep,
			seg(theme, t.layerCount(layers.length)),
			sep,
			seg(theme, t.fileCount(image.fileCount)),
		]),
		// Narrow: the causes and the efficiency in short words, so the list below keeps its rows.
		...labelled(names.wasted, [
			seg(theme, formatBytes(waste.totalBytes), waste.totalBytes ? {color: 'red', bold: true} : {}),
			...(['removed', 'overwritten', 'duplicate'] as const).flatMap(cause => [
				sep,
				seg(theme, `${narrow ? t.causeShort[cause] : m.cause[cause]} ${formatBytes(waste.byCause[cause])}`),
			]),
		]),
		...labelled(names.efficiency, [
			seg(theme, formatPercent(efficiency.score)),
			seg(theme, ' '),
			seg(theme, narrow ? t.dive.short : t.dive.long),
			sep,
			seg(theme, `${narrow ? t.userWasted.short : t.userWasted.long} ${formatPercent(efficiency.userWastedPercent)}`),
		]),
		// One line: the saving first, the fix cut at the width (x tells it whole).
		...(advice ? [[label(names.topFix), ...topFix(advice, theme, t)]] : []),
		[seg(theme, t.wastedFilesHeading(waste.files.length), {bold: true})],
	];
}

/** The image details box; the wasted-files list in `listRect` when there is room for it. */
export function imageRows(state: ViewState, ctx: Context, theme: Theme, rect: Rect, listRect: Rect | null): Line[] {
	const {waste, layers} = ctx.model.analysis;
	const width = rect.width;
	const t = messages(ctx.model.advice.lang).ui;
	const summary = imageSummary(ctx.model.analysis, theme, width, ctx.images, ctx.model.advice);
	const lines: Line[] = summary.slice(0, rect.height - (listRect?.height ?? 0)).map(line => fitLine(line, width));
	if (listRect) {
		const focused = state.pane === 'waste';
		const digits = String(Math.max(0, layers.length - 1)).length;
		const rows = ctx.model.wasteRows(state.wasteOpen);
		const window = rows.slice(state.waste.scroll, state.waste.scroll + listRect.height);
		// Paths cut in the middle, keeping where each differs from the others shown (two long apt lists never read the same).
		const pathOf = (row: WasteRow): string => (row.kind === 'group' ? visible(row.dir) + '/' : visible(waste.files[row.index].path));
		const shown = window.map(pathOf);
		for (let r = 0; r < listRect.height; r++) {
			const row = window[r];
			if (!row) {
				lines.push(r === 0 && rows.length === 0 ? fitLine([seg(theme, t.noWastedFiles, {dim: true})], width) : blank(width));
				continue;
			}
			const selected = state.waste.scroll + r === state.waste.cursor;
			const style = selected && focused ? {inverse: true} : {};
			const [bytes, cause, stored, hidden] =
				row.kind === 'group'
					? [row.bytes, row.cause, row.layer, row.hiddenBy]
					: [waste.files[row.index].sizeBytes, waste.files[row.index].cause, waste.files[row.index].layerIndex, waste.files[row.index].hiddenByLayerIndex];
			const mark = row.kind === 'group' ? (row.open ? '⊖ ' : '⊕ ') : row.depth > 0 ? '  ' : '';
			const count = row.kind === 'group' ? t.groupFiles(row.count.toLocaleString('en-US'), width < 50) : '';
			const room = Math.max(8, width - 17 - 2 * digits - mark.length - textWidth(count));
			const line: Line = [
				seg(theme, selected && focused ? '›' : ' '),
				seg(theme, padStart(formatBytes(bytes), 8) + ' '),
				seg(theme, padEnd(t.causeShort[cause], 5), {color: 'red'}),
				seg(theme, `${padStart(String(stored), digits)}→${padEnd(String(hidden), digits)} `),
				seg(theme, mark + truncateMiddle(shown[r], room, distinctFrom(shown[r], shown)), row.kind === 'group' ? {bold: true} : {}),
				seg(theme, count, {dim: true}),
			];
			lines.push(
				fitLine(
					line.map(s => ({...s, ...style})),
					width,
					style,
				),
			);
		}
	}
	while (lines.length < rect.height) lines.push(blank(width));
	return lines;
}
