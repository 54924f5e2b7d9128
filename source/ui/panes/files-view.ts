// The files pane: the tree of the selected layer's view, each row's status letter and colour, waste mark,
// attributes, size, guides and name (search matches underlined), and a footer about the selected path.
import {messages, type UiMessages} from '../../i18n/catalogue.js';
import {versionAt} from '../../model/fs-tree.js';
import type {FsNode, LayerEntry} from '../../model/types.js';
import {formatBytes} from '../../util/format.js';
import {visible} from '../../util/sanitize.js';
import {keyOf} from '../bindings.js';
import {fitLine, padEnd, padStart, textWidth, truncateMiddle, type Colour, type Line, type Segment} from '../cells.js';
import {ROW_STATUS, statusOf, type ViewStatus} from '../layer-view.js';
import {blank, seg, title, type Theme} from '../segments.js';
import type {Context, ViewState} from '../view-state.js';
import {compilePattern, isCollapsed, treeGuide} from '../tree-rows.js';
import {attributesShown, cursorPosition} from './files-state.js';

const STATUS_LETTER: Record<ViewStatus, string> = {added: 'A', modified: 'M', rewritten: '=', removed: 'R', unchanged: ' '};
const STATUS_COLOUR: Record<ViewStatus, Colour | undefined> = {added: 'green', modified: 'yellow', rewritten: 'magenta', removed: 'red', unchanged: undefined};

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

/** A row's name, its search match underlined, then `/`, a link target or a warning; the name gets `room` cells first. */
function nameSegments(
	theme: Theme,
	t: UiMessages,
	node: FsNode,
	entry: LayerEntry | null,
	query: string,
	base: Omit<Segment, 'text'>,
	room: number,
): Segment[] {
	const suffix = entry?.type === 'directory' ? '/' : '';
	// A name cut to its room keeps its end (the extension) and a directory its `…/`.
	const full = visible(node.name);
	const name = textWidth(full) + suffix.length > room ? truncateMiddle(full, Math.max(1, room - suffix.length)) : full;
	const out: Segment[] = [];
	const found = query ? compilePattern(query).find(name) : null;
	if (found) {
		const end = found.at + found.length;
		out.push(
			seg(theme, name.slice(0, found.at), base),
			seg(theme, name.slice(found.at, end), {...base, underline: true, bold: true}),
			seg(theme, name.slice(end), base),
		);
	} else out.push(seg(theme, name, base));
	if (suffix) out.push(seg(theme, suffix, base));
	if (entry?.type === 'symlink') out.push(seg(theme, ` -> ${visible(entry.linkTarget ?? '')}`, {...base, color: base.color ?? 'cyan'}));
	if (entry?.type === 'hardlink') out.push(seg(theme, ` => ${visible(entry.linkTarget ?? '')}`, {...base, color: base.color ?? 'cyan'}));
	if (entry?.unsafePath) out.push(seg(theme, t.unsafeName, {...base, color: 'red'}));
	return out;
}

function treeTitle(state: ViewState, ctx: Context, t: UiMessages): string {
	const count = ctx.model.analysis.layers.length;
	const parts = [t.filesTitle(state.layer, Math.max(0, count - 1), state.aggregated)];
	const hidden = (['added', 'modified', 'removed', 'unchanged'] as const).filter(k => !state.filter[k]);
	if (hidden.length > 0) parts.push(t.hiding(hidden.map(k => t.statusName[k])));
	if (state.wastedOnly) parts.push(t.wastedOnly);
	if (state.pathFilter) parts.push(t.pathFilter(visible(state.pathFilter)));
	if (state.sort === 'size') parts.push(t.bySize);
	return parts.join(' · ');
}

/** The files pane, as tall as the right column. */
export function filesPane(state: ViewState, ctx: Context, theme: Theme): Line[] {
	const right = ctx.layout.right!;
	const treeRect = ctx.layout.tree!;
	const width = right.width;
	const rows = ctx.model.rows(state);
	const {view} = rows;
	const t = messages(ctx.model.advice.lang).ui;
	const col = t.fileColumns;
	const lines: Line[] = [];
	lines.push(title(theme, treeTitle(state, ctx, t), width, state.pane === 'files'));
	const attrs = attributesShown(state, width);
	// The header's cells as wide as the columns below them: status 3, mode 11, uid:gid 12, size 10.
	const header = `${padEnd(col.status, 3)}${attrs ? `${padEnd(col.permission, 11)}${padStart(col.owner, 11)} ` : ''}${padStart(col.size, 8)}  ${col.name}`;
	lines.push(fitLine([seg(theme, header, {bold: true, dim: true})], width));
	const {row: cursorRow} = cursorPosition(state, rows);
	const focused = state.pane === 'files';
	const query = state.prompt?.kind === 'search' ? state.prompt.text : state.search;
	const fixed = 3 + (attrs ? 23 : 0) + 10;
	// Guides take at most half of what is left: names first.
	const maxGuideDepth = Math.max(1, Math.floor((width - fixed) / 2 / 3));
	for (let r = 0; r < treeRect.height; r++) {
		const rowIndex = state.tree.scroll + r;
		if (rowIndex >= rows.rows.length) {
			lines.push(r === 0 ? fitLine([seg(theme, view.count === 0 ? t.emptyView : t.noMatch, {dim: true})], width) : blank(width));
			continue;
		}
		const i = rows.rows[rowIndex];
		const status = statusOf(view, i);
		const entry = view.entry[i];
		const selected = rowIndex === cursorRow;
		const colour = STATUS_COLOUR[status];
		const base: Omit<Segment, 'text'> = colour ? {color: colour} : {};
		const collapsed = view.isDir[i] === 1 && isCollapsed(state.collapse, view.node[i]) && view.end[i] > i + 1;
		const line: Segment[] = [
			seg(theme, STATUS_LETTER[status], {...base, bold: true}),
			seg(theme, view.wasted[i] ? '!' : ' ', {color: 'red', bold: true}),
			seg(theme, ' '),
			...(attrs
				? [seg(theme, modeString(entry) + ' ', {dim: !colour}), seg(theme, padStart(entry ? `${entry.uid}:${entry.gid}` : '', 11) + ' ', {dim: !colour})]
				: []),
			seg(theme, padStart(view.isDir[i] || entry?.type === 'file' ? formatBytes(view.size[i]) : '', 8) + '  '),
		];
		const guide = treeGuide(rows, i, collapsed, maxGuideDepth);
		line.push(seg(theme, guide, {dim: true}), ...nameSegments(theme, t, view.node[i], entry, query, base, width - fixed - textWidth(guide)));
		const style = selected && focused ? {inverse: true} : selected ? {underline: true} : {};
		lines.push(
			fitLine(
				line.map(s => ({...s, ...style})),
				width,
				style,
			),
		);
	}
	lines.push(fitLine(footer(state, ctx, theme, t, rows.rows.length > 0 ? rows.rows[cursorRow] : -1), width));
	return lines;
}

function footer(state: ViewState, ctx: Context, theme: Theme, t: UiMessages, index: number): Line {
	const {view} = ctx.model.rows(state);
	if (index < 0) return [seg(theme, t.statusLegend, {dim: true})];
	const node = view.node[index];
	const version = view.status[index] === ROW_STATUS.removed ? versionAt(node, state.layer - 1) : versionAt(node, state.layer);
	const parts: Segment[] = [seg(theme, visible(node.path), {bold: true})];
	if (version && !view.isDir[index]) parts.push(seg(theme, t.fromLayer(version.layer)));
	const explains = t.explains(keyOf('files', 'explain'));
	if (view.wasted[index] && version?.wasted) {
		parts.push(
			seg(theme, t.fileWasted(messages(ctx.model.advice.lang).cause[version.wasted.cause], version.wasted.hiddenByLayerIndex, explains), {color: 'red'}),
		);
	} else if (view.isDir[index]) {
		const wasted = ctx.model.wastedUnder(node.path);
		if (wasted > 0) parts.push(seg(theme, t.wastedBelow(formatBytes(wasted), explains), {color: 'red'}));
	}
	return parts;
}
