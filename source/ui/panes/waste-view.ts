// The image details box: tags, sizes, waste by cause, efficiency, then the wasted-files list (the waste pane).
import type {WasteCause} from '../../model/types.js';
import {formatBytes, formatPercent, shortDigest} from '../../util/format.js';
import {visible} from '../../util/sanitize.js';
import {fitLine, padEnd, padStart, truncateStart, type Line, type Segment} from '../cells.js';
import type {Rect} from '../layout.js';
import {blank, seg, type Theme} from '../segments.js';
import type {Context, ViewState} from '../state.js';

const CAUSE_SHORT: Record<WasteCause, string> = {removed: 'rm', overwritten: 'over', duplicate: 'dup'};

/** The advisor's largest fix, by saving (x on a layer or a wasted file tells the rest). */
function topFix(ctx: Context, theme: Theme, label: (text: string) => Segment): Line {
	const {findings} = ctx.model.advice;
	const top = findings.find(finding => finding.savingBytes > 0);
	if (!top) return [label('Top fix'), seg(theme, findings.length === 0 ? 'none: nothing wasted' : 'none: what is wasted cannot be saved here', {dim: true})];
	const more = findings.filter(finding => finding.savingBytes > 0).length - 1;
	return [
		label('Top fix'),
		seg(theme, `saves ${formatBytes(top.savingBytes)}`, {color: 'green', bold: true}),
		seg(theme, `${more > 0 ? ` (+${more} more, x)` : ''}: ${visible(top.fix.summary)}`),
	];
}

/** The image details box; the wasted-files list in `listRect` when there is room for it. */
export function imageRows(state: ViewState, ctx: Context, theme: Theme, rect: Rect, listRect: Rect | null): Line[] {
	const {image, waste, efficiency, layers} = ctx.model.analysis;
	const width = rect.width;
	const label = (text: string): Segment => seg(theme, padEnd(text, 11), {bold: true});
	const tags = image.tags.length > 0 ? image.tags.map(visible).join(', ') : `(untagged) ${shortDigest(image.id)}`;
	const summary: Line[] = [
		[label('Tags'), seg(theme, tags)],
		[
			label('Size'),
			seg(theme, formatBytes(image.sizeBytes)),
			seg(theme, image.compressedSizeBytes === null ? '' : ` · compressed ${formatBytes(image.compressedSizeBytes)}`),
			seg(theme, ` · ${layers.length} layers · ${image.fileCount} files`),
		],
		[
			label('Wasted'),
			seg(theme, formatBytes(waste.totalBytes), waste.totalBytes ? {color: 'red', bold: true} : {}),
			seg(theme, `: removed ${formatBytes(waste.byCause.removed)} · overwritten ${formatBytes(waste.byCause.overwritten)} · duplicate ${formatBytes(waste.byCause.duplicate)}`),
		],
		[label('Efficiency'), seg(theme, `${formatPercent(efficiency.score)} (dive-compatible) · user wasted ${formatPercent(efficiency.userWastedPercent)}`)],
		topFix(ctx, theme, label),
		[seg(theme, `Wasted files (${waste.files.length}) · size cause stored→hidden path`, {bold: true})],
	];
	const lines: Line[] = summary.slice(0, rect.height - (listRect?.height ?? 0)).map(line => fitLine(line, width));
	if (listRect) {
		const focused = state.pane === 'waste';
		const digits = String(Math.max(0, layers.length - 1)).length;
		for (let r = 0; r < listRect.height; r++) {
			const file = waste.files[state.waste.scroll + r];
			if (!file) {
				lines.push(r === 0 && waste.files.length === 0 ? fitLine([seg(theme, '  none: every stored byte is visible in the final image', {dim: true})], width) : blank(width));
				continue;
			}
			const selected = state.waste.scroll + r === state.waste.cursor;
			const style = selected && focused ? {inverse: true} : {};
			const line: Line = [
				seg(theme, selected && focused ? '›' : ' '),
				seg(theme, padStart(formatBytes(file.sizeBytes), 8) + ' '),
				seg(theme, padEnd(CAUSE_SHORT[file.cause], 5), {color: 'red'}),
				seg(theme, `${padStart(String(file.layerIndex), digits)}→${padEnd(String(file.hiddenByLayerIndex), digits)} `),
				seg(theme, truncateStart(visible(file.path), Math.max(8, width - 17 - 2 * digits))),
			];
			lines.push(fitLine(line.map(s => ({...s, ...style})), width, style));
		}
	}
	while (lines.length < rect.height) lines.push(blank(width));
	return lines;
}
