// Draw the explorer into lines of styled segments, exactly the terminal's size. Pure: (state, model, layout) -> lines.
// Only what fits is drawn: the layer list, the wasted list and the file tree render the window of rows on screen.
// Every string from the image goes through visible(): no byte of an image reaches the terminal as a control.
import {versionAt} from '../model/fs-tree.js';
import type {FsNode, ImageAnalysis, LayerAnalysis, LayerEntry, WasteCause, WastedFile} from '../model/types.js';
import {fixFor} from '../report/hints.js';
import {formatBytes, formatPercent, shortDigest, trimCreatedBy} from '../util/format.js';
import {visible} from '../util/sanitize.js';
import {helpLines, statusItems, type StatusView} from './bindings.js';
import {fitLine, padEnd, padStart, textWidth, truncate, truncateStart, wrapText, type Colour, type Line, type Segment} from './cells.js';
import type {Layout, Rect} from './layout.js';
import {contentLine, contentLineCount, cursorPosition, type Context, type ViewState} from './state.js';
import {ROW_STATUS, statusOf, type ViewStatus} from './layer-view.js';
import {isCollapsed, matcher, treeGuide} from './tree-rows.js';

export interface Theme {
	color: boolean;
}

const STATUS_LETTER: Record<ViewStatus, string> = {added: 'A', modified: 'M', rewritten: '=', removed: 'R', unchanged: ' '};
const STATUS_COLOUR: Record<ViewStatus, Colour | undefined> = {added: 'green', modified: 'yellow', rewritten: 'magenta', removed: 'red', unchanged: undefined};
export const STATUS_LEGEND = 'A added  M modified  R removed  = rewritten, same content  ! wasted';

const CAUSE_SHORT: Record<WasteCause, string> = {removed: 'rm', overwritten: 'over', duplicate: 'dup'};
export const CAUSE_TEXT: Record<WasteCause, string> = {
	removed: 'deleted by a later layer; the bytes stay in the layer that stored them',
	overwritten: 'replaced by a later layer with other content; both copies are stored',
	duplicate: 'written again with the same content by a later layer (chmod, chown, touch, a copy); the image stores it twice',
};

function seg(theme: Theme, text: string, style: Omit<Segment, 'text'> = {}): Segment {
	if (!theme.color && style.color) {
		const {color: _color, ...rest} = style;
		return {text, ...rest};
	}
	return {text, ...style};
}

export function commandOf(layer: LayerAnalysis | undefined): string {
	if (!layer) return '';
	return visible(trimCreatedBy(layer.createdBy)) || '(no history)';
}

function title(theme: Theme, text: string, width: number, focused: boolean): Line {
	if (focused) return fitLine([seg(theme, ` ${text} `, {inverse: true, bold: true})], width, {inverse: true});
	const shown = truncate(text, Math.max(0, width - 3));
	return fitLine([seg(theme, '─ ', {dim: true}), seg(theme, shown, {bold: true}), seg(theme, ' ' + '─'.repeat(Math.max(0, width - textWidth(shown) - 3)), {dim: true})], width);
}

function blank(width: number): Line {
	return [{text: ' '.repeat(Math.max(0, width))}];
}

function modeString(entry: LayerEntry | null): string {
	if (!entry) return '----------';
	const type: Record<string, string> = {directory: 'd', symlink: 'l', hardlink: 'h', 'char-device': 'c', 'block-device': 'b', fifo: 'p', file: '-', other: '?'};
	const m = entry.mode;
	const bits = 'rwxrwxrwx'
		.split('')
		.map((ch, i) => (m & (1 << (8 - i)) ? ch : '-'))
		.join('');
	let out = (type[entry.type] ?? '?') + bits;
	if (m & 0o4000) out = out.slice(0, 3) + (out[3] === 'x' ? 's' : 'S') + out.slice(4);
	if (m & 0o2000) out = out.slice(0, 6) + (out[6] === 'x' ? 's' : 'S') + out.slice(7);
	if (m & 0o1000) out = out.slice(0, 9) + (out[9] === 'x' ? 't' : 'T');
	return out;
}

// ---- Layers ---------------------------------------------------------------------------------------------------------

function layerRows(state: ViewState, ctx: Context, theme: Theme, rect: Rect): Line[] {
	const {layers} = ctx.model.analysis;
	const width = rect.width;
	const digits = String(Math.max(0, layers.length - 1)).length;
	const showCompressed = width >= 46 && layers.some(l => l.compressedSizeBytes !== null);
	const lines: Line[] = [];
	const header: Line = [seg(theme, ` ${padStart('#', digits)} ${padStart('Size', 8)}${showCompressed ? ' ' + padStart('Comp', 8) : ''}   Command`, {bold: true, dim: true})];
	lines.push(fitLine(header, width));
	const focused = state.pane === 'layers';
	for (let r = 0; r < rect.height; r++) {
		const layer = layers[state.layerScroll + r];
		if (!layer) {
			lines.push(blank(width));
			continue;
		}
		const selected = layer.index === state.layer;
		const wastes = layer.wastedBytes > 0;
		const line: Line = [
			seg(theme, selected ? '›' : ' ', {bold: true}),
			seg(theme, padStart(String(layer.index), digits) + ' '),
			seg(theme, padStart(formatBytes(layer.sizeBytes), 8)),
			...(showCompressed ? [seg(theme, ' ' + padStart(layer.compressedSizeBytes === null ? '-' : formatBytes(layer.compressedSizeBytes), 8), {dim: true})] : []),
			seg(theme, wastes ? ' ! ' : '   ', {color: 'red', bold: true}),
			seg(theme, commandOf(layer)),
		];
		const style = selected && focused ? {inverse: true} : selected ? {bold: true} : {};
		lines.push(fitLine(line.map(s => ({...s, ...style})), width, style));
	}
	return lines;
}

function detailRows(state: ViewState, ctx: Context, theme: Theme, rect: Rect): Line[] {
	const layer = ctx.model.analysis.layers[state.layer];
	const width = rect.width;
	const label = (text: string): Segment => seg(theme, padEnd(text, 9), {bold: true});
	if (!layer) return Array.from({length: rect.height}, () => blank(width));
	const c = layer.counts;
	const fixed: Line[] = [
		[
			label('Changes'),
			seg(theme, `${c.added} added`, {color: 'green'}),
			seg(theme, ' · '),
			seg(theme, `${c.modified} modified`, {color: 'yellow'}),
			seg(theme, ' · '),
			seg(theme, `${c.removed} removed`, {color: 'red'}),
			seg(theme, ' · '),
			seg(theme, `${c.unchanged} rewritten same`, {color: 'magenta'}),
		],
		[
			label('Wasted'),
			seg(theme, layer.wastedBytes ? `${formatBytes(layer.wastedBytes)} stored here, not in the final image` : 'none stored here', layer.wastedBytes ? {color: 'red'} : {}),
			seg(theme, layer.hiddenBytes ? ` · hid ${formatBytes(layer.hiddenBytes)} of lower layers` : ''),
		],
		[label('Size'), seg(theme, formatBytes(layer.sizeBytes)), seg(theme, layer.compressedSizeBytes === null ? '' : ` · compressed ${formatBytes(layer.compressedSizeBytes)} (${layer.compression})`)],
		[label('Digest'), seg(theme, visible(layer.digest ?? layer.diffId))],
		...(layer.digest && layer.digest !== layer.diffId ? [[label('DiffID'), seg(theme, visible(layer.diffId))]] : []),
		[label('Created'), seg(theme, layer.created ? visible(layer.created) : '-')],
		...(layer.comment ? [[label('Comment'), seg(theme, visible(layer.comment))]] : []),
	];
	// The command gets the room the fixed lines leave, at least one line.
	const commandRoom = Math.max(1, rect.height - Math.min(fixed.length, 3));
	const wrapped = wrapText(commandOf(layer), Math.max(1, width - 9), commandRoom);
	const command: Line[] = wrapped.map((text, i) => [i === 0 ? label('Command') : seg(theme, ' '.repeat(9)), seg(theme, text)]);
	const lines = [...command, ...fixed].slice(0, rect.height).map(line => fitLine(line, width));
	while (lines.length < rect.height) lines.push(blank(width));
	return lines;
}

function imageRows(state: ViewState, ctx: Context, theme: Theme, rect: Rect, listRect: Rect | null): Line[] {
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
		[seg(theme, `Wasted files (${waste.files.length}) · size cause stored→hidden path`, {bold: true})],
	];
	const lines: Line[] = summary.slice(0, rect.height - (listRect?.height ?? 0)).map(line => fitLine(line, width));
	if (listRect) {
		const focused = state.pane === 'waste';
		const digits = String(Math.max(0, layers.length - 1)).length;
		for (let r = 0; r < listRect.height; r++) {
			const file = waste.files[state.wasteScroll + r];
			if (!file) {
				lines.push(r === 0 && waste.files.length === 0 ? fitLine([seg(theme, '  none: every stored byte is visible in the final image', {dim: true})], width) : blank(width));
				continue;
			}
			const selected = state.wasteScroll + r === state.wasteCursor;
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

function leftColumn(state: ViewState, ctx: Context, theme: Theme): Line[] {
	const {layout} = ctx;
	const left = layout.left!;
	const width = left.width;
	const {layers} = ctx.model.analysis;
	const lines: Line[] = [];
	lines.push(title(theme, `Layers (${layers.length === 0 ? 0 : state.layer + 1}/${layers.length})`, width, state.pane === 'layers'));
	lines.push(...layerRows(state, ctx, theme, layout.layers!));
	lines.push(title(theme, `Layer ${state.layer} details`, width, false));
	lines.push(...detailRows(state, ctx, theme, layout.details!));
	lines.push(title(theme, 'Image details', width, state.pane === 'waste'));
	lines.push(...imageRows(state, ctx, theme, layout.image!, layout.wasteList && layout.wasteList.height > 0 ? layout.wasteList : null));
	while (lines.length < left.height) lines.push(blank(width));
	return lines.slice(0, left.height);
}

// ---- Files ----------------------------------------------------------------------------------------------------------

function nameSegments(theme: Theme, node: FsNode, entry: LayerEntry | null, query: string, base: Omit<Segment, 'text'>): Segment[] {
	const name = visible(node.name);
	const out: Segment[] = [];
	if (query) {
		const test = matcher(query);
		if (test(node.name)) {
			const hay = /[A-Z]/.test(query) ? name : name.toLowerCase();
			const at = hay.indexOf(/[A-Z]/.test(query) ? visible(query) : visible(query).toLowerCase());
			if (at >= 0) {
				const end = at + visible(query).length;
				out.push(seg(theme, name.slice(0, at), base), seg(theme, name.slice(at, end), {...base, underline: true, bold: true}), seg(theme, name.slice(end), base));
			}
		}
	}
	if (out.length === 0) out.push(seg(theme, name, base));
	if (entry?.type === 'directory') out.push(seg(theme, '/', base));
	if (entry?.type === 'symlink') out.push(seg(theme, ` -> ${visible(entry.linkTarget ?? '')}`, {...base, color: base.color ?? 'cyan'}));
	if (entry?.type === 'hardlink') out.push(seg(theme, ` => ${visible(entry.linkTarget ?? '')}`, {...base, color: base.color ?? 'cyan'}));
	if (entry?.unsafePath) out.push(seg(theme, ' (name climbs out of the root)', {...base, color: 'red'}));
	return out;
}

function treeTitle(state: ViewState, ctx: Context): string {
	const count = ctx.model.analysis.layers.length;
	const parts = [`Files · layer ${state.layer} of ${Math.max(0, count - 1)} · ${state.aggregated ? 'aggregated changes' : 'layer changes'}`];
	const hidden = (['added', 'modified', 'removed', 'unchanged'] as const).filter(k => !state.filter[k]);
	if (hidden.length > 0) parts.push(`hiding ${hidden.join(', ')}`);
	if (state.wastedOnly) parts.push('wasted only');
	if (state.pathFilter) parts.push(`filter "${visible(state.pathFilter)}"`);
	if (state.sort === 'size') parts.push('by size');
	return parts.join(' · ');
}

function rightColumn(state: ViewState, ctx: Context, theme: Theme): Line[] {
	const right = ctx.layout.right!;
	const treeRect = ctx.layout.tree!;
	const width = right.width;
	const rows = ctx.model.rows(state);
	const {view} = rows;
	const lines: Line[] = [];
	lines.push(title(theme, treeTitle(state, ctx), width, state.pane === 'files'));
	const attrs = state.attributes && width >= 44;
	lines.push(fitLine([seg(theme, `St ${attrs ? 'Permission     UID:GID ' : ''}    Size  Name`, {bold: true, dim: true})], width));
	const {row: cursorRow} = cursorPosition(state, rows);
	const focused = state.pane === 'files';
	const query = state.prompt?.kind === 'search' ? state.prompt.text : state.search;
	const fixed = 3 + (attrs ? 23 : 0) + 10;
	const maxGuideDepth = Math.max(1, Math.floor((width - fixed) / 2 / 3));
	for (let r = 0; r < treeRect.height; r++) {
		const rowIndex = state.scroll + r;
		if (rowIndex >= rows.rows.length) {
			lines.push(r === 0 ? fitLine([seg(theme, view.count === 0 ? '  (this layer view is empty)' : '  no files match the filters', {dim: true})], width) : blank(width));
			continue;
		}
		const i = rows.rows[rowIndex];
		const status = statusOf(view, i);
		const entry = view.entry[i];
		const selected = rowIndex === cursorRow;
		const colour = STATUS_COLOUR[status];
		const base: Omit<Segment, 'text'> = colour ? {color: colour} : {};
		const collapsed = view.isDir[i] === 1 && isCollapsed(state.collapse, view.node[i]) && view.end[i] > i + 1;
		const line: Line = [
			seg(theme, STATUS_LETTER[status], {...base, bold: true}),
			seg(theme, view.wasted[i] ? '!' : ' ', {color: 'red', bold: true}),
			seg(theme, ' '),
			...(attrs ? [seg(theme, modeString(entry) + ' ', {dim: !colour}), seg(theme, padStart(entry ? `${entry.uid}:${entry.gid}` : '', 11) + ' ', {dim: !colour})] : []),
			seg(theme, padStart(view.isDir[i] || entry?.type === 'file' ? formatBytes(view.size[i]) : '', 8) + '  '),
			seg(theme, treeGuide(rows, i, collapsed, maxGuideDepth), {dim: true}),
			...nameSegments(theme, view.node[i], entry, query, base),
		];
		const style = selected && focused ? {inverse: true} : selected ? {underline: true} : {};
		lines.push(fitLine(line.map(s => ({...s, ...style})), width, style));
	}
	lines.push(fitLine(footer(state, ctx, theme, rows.rows.length > 0 ? rows.rows[cursorRow] : -1), width));
	return lines;
}

function footer(state: ViewState, ctx: Context, theme: Theme, index: number): Line {
	const {view} = ctx.model.rows(state);
	if (index < 0) return [seg(theme, STATUS_LEGEND, {dim: true})];
	const node = view.node[index];
	const version = view.status[index] === ROW_STATUS.removed ? versionAt(node, state.layer - 1) : versionAt(node, state.layer);
	const parts: Segment[] = [seg(theme, visible(node.path), {bold: true})];
	if (version && !view.isDir[index]) parts.push(seg(theme, ` · from layer ${version.layer}`));
	if (view.wasted[index] && version?.wasted) {
		parts.push(seg(theme, ` · wasted (${version.wasted.cause}, hidden by layer ${version.wasted.hiddenByLayerIndex}) · x explains`, {color: 'red'}));
	} else if (view.isDir[index]) {
		const wasted = wastedUnder(ctx.model.analysis, node.path);
		if (wasted > 0) parts.push(seg(theme, ` · ${formatBytes(wasted)} wasted below · x explains`, {color: 'red'}));
	}
	return parts;
}

function wastedUnder(analysis: ImageAnalysis, path: string): number {
	const prefix = path === '/' ? '/' : path + '/';
	let total = 0;
	for (const file of analysis.waste.files) if (file.path.startsWith(prefix)) total += file.sizeBytes;
	return total;
}

// ---- Overlays -------------------------------------------------------------------------------------------------------

function describeCopy(analysis: ImageAnalysis, file: WastedFile): string[] {
	const stored = analysis.layers[file.layerIndex];
	const hider = analysis.layers[file.hiddenByLayerIndex];
	return [
		`${formatBytes(file.sizeBytes)} of ${visible(file.path)}`,
		`  stored by layer ${file.layerIndex}: ${commandOf(stored)}`,
		`  hidden by layer ${file.hiddenByLayerIndex}: ${commandOf(hider)}`,
		`  cause: ${file.cause}: ${CAUSE_TEXT[file.cause]}`,
		`  fix: ${fixFor(file.cause, file.path)}`,
	];
}

function wrapIndented(text: string, width: number): string[] {
	const indent = /^\s*/.exec(text)![0];
	const wrapped = wrapText(text.trimStart(), Math.max(10, width - indent.length - 2));
	return wrapped.map((line, i) => (i === 0 ? indent : indent + '  ') + line);
}

/** The wasted-space explanation for a file, a layer or one wasted copy. */
export function explainLines(state: ViewState, ctx: Context, width: number): {title: string; lines: string[]} {
	const overlay = state.overlay;
	if (overlay?.kind !== 'explain') return {title: '', lines: []};
	const analysis = ctx.model.analysis;
	const subject = overlay.subject;
	const wrapAll = (lines: string[]): string[] => lines.flatMap(line => (line === '' ? [''] : wrapIndented(line, width)));
	if (subject.type === 'waste') {
		const file = analysis.waste.files[subject.index];
		if (!file) return {title: 'Wasted space', lines: ['nothing selected']};
		return {title: `Wasted space: ${visible(file.path)}`, lines: wrapAll(describeCopy(analysis, file))};
	}
	if (subject.type === 'layer') {
		const layer = analysis.layers[subject.layer];
		if (!layer) return {title: 'Wasted space', lines: []};
		const stored = analysis.waste.files.filter(f => f.layerIndex === subject.layer);
		const hid = analysis.waste.files.filter(f => f.hiddenByLayerIndex === subject.layer && f.layerIndex !== subject.layer);
		const lines: string[] = [`Layer ${subject.layer}: ${commandOf(layer)}`, ''];
		if (stored.length === 0) lines.push('Every byte this layer stored is visible in the final image.');
		else {
			lines.push(`It stored ${formatBytes(layer.wastedBytes)} that the final image does not show:`);
			for (const file of stored.slice(0, 50))
				lines.push(`  ${formatBytes(file.sizeBytes)} ${file.cause} ${visible(file.path)}, hidden by layer ${file.hiddenByLayerIndex}: ${commandOf(analysis.layers[file.hiddenByLayerIndex])}`);
			if (stored.length > 50) lines.push(`  … and ${stored.length - 50} more`);
		}
		lines.push('');
		if (hid.length === 0) lines.push('It hid nothing that lower layers stored.');
		else {
			lines.push(`It hid ${formatBytes(layer.hiddenBytes)} that lower layers stored (they still count in the image):`);
			for (const file of hid.slice(0, 50)) lines.push(`  ${formatBytes(file.sizeBytes)} ${file.cause} ${visible(file.path)}, stored by layer ${file.layerIndex}`);
			if (hid.length > 50) lines.push(`  … and ${hid.length - 50} more`);
		}
		const causes = new Map<WasteCause, string>();
		for (const file of [...stored, ...hid]) if (!causes.has(file.cause)) causes.set(file.cause, file.path);
		if (causes.size > 0) {
			lines.push('', 'How to fix:');
			for (const [cause, path] of causes) lines.push(`  ${cause}: ${fixFor(cause, path)}`);
		}
		return {title: `Wasted space: layer ${subject.layer}`, lines: wrapAll(lines)};
	}
	const node = subject.node;
	const prefix = node.path === '/' ? '/' : node.path + '/';
	const exact = analysis.waste.files.filter(f => f.path === node.path);
	const below = analysis.waste.files.filter(f => f.path.startsWith(prefix));
	const lines: string[] = [];
	if (exact.length === 0 && below.length === 0) {
		lines.push(`No wasted bytes: every copy of ${visible(node.path)} the image stores is visible in the final image.`);
	}
	for (const file of exact) lines.push(...describeCopy(analysis, file), '');
	if (below.length > 0) {
		const total = below.reduce((sum, f) => sum + f.sizeBytes, 0);
		lines.push(`${formatBytes(total)} wasted below ${visible(node.path)} (${below.length} ${below.length === 1 ? 'copy' : 'copies'}, largest first):`);
		for (const file of below.slice(0, 100))
			lines.push(`  ${formatBytes(file.sizeBytes)} ${file.cause} ${visible(file.path)}: stored by layer ${file.layerIndex}, hidden by layer ${file.hiddenByLayerIndex}`);
		const causes = new Map<WasteCause, string>();
		for (const file of below) if (!causes.has(file.cause)) causes.set(file.cause, file.path);
		lines.push('', 'How to fix:');
		for (const [cause, path] of causes) lines.push(`  ${cause}: ${fixFor(cause, path)}`);
	}
	return {title: `Wasted space: ${visible(node.path)}`, lines: wrapAll(lines)};
}

function overlayBox(theme: Theme, heading: string, body: Line[], scroll: number, rect: Rect): Line[] {
	const lines: Line[] = [title(theme, heading, rect.width, true)];
	const room = rect.height - 2;
	const top = Math.min(scroll, Math.max(0, body.length - room));
	for (let r = 0; r < room; r++) lines.push(fitLine(body[top + r] ?? [], rect.width));
	const more = body.length > room ? `${top + 1}-${Math.min(body.length, top + room)} of ${body.length} · ↑↓ PgUp PgDn scroll · ` : '';
	lines.push(fitLine([seg(theme, `${more}Esc closes`, {dim: true})], rect.width));
	return lines;
}

function helpOverlay(state: ViewState, theme: Theme, rect: Rect): Line[] {
	const body: Line[] = [[seg(theme, 'Status: ' + STATUS_LEGEND)], [seg(theme, 'Colours: added green, modified yellow, removed red, rewritten magenta (NO_COLOR: the letters)')], []];
	const keyWidth = Math.min(28, Math.max(12, Math.floor(rect.width * 0.3)));
	for (const item of helpLines()) {
		if (item.heading) body.push([], [seg(theme, item.heading, {bold: true, underline: true})]);
		else body.push([seg(theme, padEnd(item.keys!, keyWidth) + '  ', {bold: true}), seg(theme, item.help!)]);
	}
	return overlayBox(theme, 'Key bindings (? or Esc closes)', body, state.overlay?.scroll ?? 0, rect);
}

function contentOverlay(state: ViewState, theme: Theme, rect: Rect): Line[] {
	const overlay = state.overlay;
	if (overlay?.kind !== 'content') return [];
	const {target} = overlay;
	const from = target.layer === target.viewLayer ? '' : `, stored by layer ${target.layer}`;
	const name = target.shownPath === target.path ? visible(target.path) : `${visible(target.shownPath)} (hard link to ${visible(target.path)})`;
	let heading = `${name} · layer ${target.viewLayer}${from} · ${formatBytes(target.size)}`;
	let body: Line[];
	if (overlay.error) body = wrapText(overlay.error, rect.width).map(text => [seg(theme, text, {color: 'red'})]);
	else if (!overlay.content) body = [[seg(theme, 'reading the layer…', {dim: true})]];
	else {
		const {content} = overlay;
		heading += ` · ${content.kind}`;
		const count = contentLineCount(content, rect.width);
		// Only the rows on screen are laid out (a hex dump of 64 KiB is 4096 rows).
		const room = rect.height - 2;
		const top = Math.min(overlay.scroll, Math.max(0, count + 1 - room));
		body = new Array(count);
		for (let i = top; i < Math.min(count, top + room); i++) body[i] = [seg(theme, contentLine(content, i, rect.width))];
		if (content.shown < content.size) body.push([seg(theme, `… showing the first ${formatBytes(content.shown)} of ${formatBytes(content.size)}; e exports the whole file`, {dim: true})]);
	}
	return overlayBox(theme, heading + ' · e export', body, overlay.scroll, rect);
}

// ---- Status bar and the screen ---------------------------------------------------------------------------------------

function promptLine(state: ViewState, theme: Theme, width: number): Line {
	const line = promptText(state, theme, width);
	if (!state.message) return line;
	// A message while typing (no match): it takes the end of the line.
	const note = truncate(state.message.text, Math.max(10, Math.floor(width / 2)));
	const room = width - textWidth(note) - 2;
	return fitLine([...fitLine(line, room), seg(theme, '  ' + note, {color: 'red', bold: true})], width);
}

function promptText(state: ViewState, theme: Theme, width: number): Line {
	const prompt = state.prompt!;
	const cursor = seg(theme, ' ', {inverse: true});
	const text = visible(prompt.text);
	switch (prompt.kind) {
		case 'filter':
			return fitLine([seg(theme, 'Filter paths: ', {bold: true}), seg(theme, truncateStart(text, width - 30)), cursor, seg(theme, '  Enter keep · Esc clear', {dim: true})], width);
		case 'search':
			return fitLine([seg(theme, '/', {bold: true}), seg(theme, truncateStart(text, width - 30)), cursor, seg(theme, '  Enter keep · Esc back · n/N next', {dim: true})], width);
		case 'export': {
			const what = `Export ${truncateStart(visible(prompt.target.shownPath), Math.floor(width / 3))} (layer ${prompt.target.viewLayer}) to: `;
			return fitLine([seg(theme, what, {bold: true}), seg(theme, truncateStart(text, Math.max(5, width - textWidth(what) - 2))), cursor], width);
		}
		case 'overwrite':
			return fitLine([seg(theme, `${truncateStart(visible(prompt.path), Math.floor(width / 2))} exists. Overwrite it? (y/N) `, {bold: true, color: 'yellow'}), seg(theme, text), cursor], width);
		default:
			return blank(width);
	}
}

function statusBar(state: ViewState, theme: Theme, width: number): Line {
	if (state.prompt) return promptLine(state, theme, width);
	const out: Segment[] = [];
	if (state.message) out.push(seg(theme, state.message.text + '  ', {color: state.message.tone === 'error' ? 'red' : 'cyan', bold: true}));
	const statusView: StatusView = {aggregated: state.aggregated, sort: state.sort, attributes: state.attributes, wastedOnly: state.wastedOnly, filter: state.filter};
	const items = statusItems(state.pane, statusView);
	const help = items.find(item => item.label === 'Help');
	let used = out.reduce((sum, s) => sum + textWidth(s.text), 0) + (help ? textWidth(`${help.key} ${help.label}`) : 0);
	for (const item of items) {
		if (item === help) continue;
		const text = `${item.key} ${item.label}  `;
		if (used + textWidth(text) > width) continue;
		out.push(seg(theme, item.key, {bold: true}), seg(theme, ` ${item.label}  `));
		used += textWidth(text);
	}
	if (help) out.push(seg(theme, help.key, {bold: true}), seg(theme, ` ${help.label}`));
	return fitLine(out, width);
}

/** The whole screen: `layout.height` lines of `layout.width` cells. */
export function renderScreen(state: ViewState, ctx: Context, theme: Theme): Line[] {
	const {layout} = ctx;
	const {width, height} = layout;
	if (layout.tooSmall) {
		const lines: Line[] = [fitLine([seg(theme, truncate(`too small (${width}x${height}) · q quits`, width), {bold: true})], width)];
		while (lines.length < height) lines.push(blank(width));
		return lines.slice(0, height);
	}
	const content = height - 1;
	let left = layout.left ? leftColumn(state, ctx, theme) : null;
	let right = layout.right ? rightColumn(state, ctx, theme) : null;
	const overlay = state.overlay;
	if (overlay) {
		const full: Rect = {x: 0, y: 0, width, height: content};
		if (overlay.kind === 'help') {
			left = null;
			right = helpOverlay(state, theme, full);
		} else {
			const rect = layout.right ?? full;
			const box = overlay.kind === 'content' ? contentOverlay(state, theme, rect) : explainBox(state, ctx, theme, rect);
			if (layout.right) right = box;
			else {
				left = null;
				right = box;
			}
		}
	}
	const lines: Line[] = [];
	for (let y = 0; y < content; y++) {
		if (left && right) lines.push([...(left[y] ?? blank(layout.left!.width)), seg(theme, '│', {dim: true}), ...(right[y] ?? blank(layout.right!.width))]);
		else lines.push((left ?? right)![y] ?? blank(width));
	}
	lines.push(statusBar(state, theme, width));
	return lines;
}

function explainBox(state: ViewState, ctx: Context, theme: Theme, rect: Rect): Line[] {
	const {title: heading, lines} = explainLines(state, ctx, rect.width);
	// A fix, with the lines it wraps onto, in green.
	let fixIndent = -1;
	const body = lines.map(text => {
		const indent = /^\s*/.exec(text)![0].length;
		if (/^\s*fix:|^\s{2}(removed|overwritten|duplicate): /.test(text)) fixIndent = indent;
		else if (fixIndent >= 0 && (text === '' || indent <= fixIndent)) fixIndent = -1;
		return [seg(theme, text, fixIndent >= 0 || /^How to fix/.test(text) ? {color: 'green'} : {})];
	});
	return overlayBox(theme, heading, body, state.overlay?.scroll ?? 0, rect);
}

/** The screen as plain text (tests, debugging). */
export function screenText(lines: Line[]): string {
	return lines.map(line => line.map(s => s.text).join('')).join('\n');
}
