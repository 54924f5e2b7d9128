// The content viewer overlay: one window of a file (content-window.ts) as text or as a hex dump, laid out for the
// pane's width; long lines wrap or scroll sideways. Its header names the file and says which bytes of it show.
import {messages, type Lang, type UiMessages} from '../../i18n/catalogue.js';
import {formatBytes} from '../../util/format.js';
import {visible} from '../../util/sanitize.js';
import {keyOf} from '../bindings.js';
import {padStart, sliceCells, textWidth, truncateMiddle, wrapSegments, wrapText, type Line} from '../cells.js';
import type {Rect} from '../layout.js';
import {seg, type Theme} from '../segments.js';
import type {ContentOverlay, ViewState} from '../view-state.js';
import {overlayBox} from './box.js';
import type {ContentWindow} from './content-window.js';

/** A file's first bytes as toContentView (content.ts) makes them for callers of the provider; the viewer shows windows. */
export type ContentView = ({kind: 'text'; lines: string[]} | {kind: 'hex'; bytes: Buffer}) & {
	/** Bytes shown, and the file's full size. */
	shown: number;
	size: number;
};

/** Bytes per hex dump row for a width: 16 like hexdump -C when it fits, else fewer. */
export function hexPerRow(width: number): number {
	return width >= 78 ? 16 : width >= 44 ? 8 : 4;
}

/** The header under the title: which bytes of the file show and how to read on, on one or two lines. */
export function contentHeader(overlay: ContentOverlay, width: number, lang: Lang): string[] {
	const {target} = overlay;
	const t = messages(lang).ui;
	const link = target.shownPath === target.path ? '' : t.hardLinkTo(visible(target.path));
	const note = overlay.error ? t.cannotShow : !overlay.content ? t.readingLayer : windowNote(overlay, overlay.content, t);
	return wrapSegments(
		(link + note).split(' · ').flatMap((text, i) => (i === 0 ? [{text}] : [{text: ' · '}, {text}])),
		width,
	)
		.slice(0, 2)
		.map(line => line.map(s => s.text).join(''));
}

/** Lines of the body the viewer shows at once in a box of `height` lines: less the title, the header and the footer. */
export function contentRoom(overlay: ContentOverlay, rect: {width: number; height: number}, lang: Lang): number {
	return Math.max(1, rect.height - 2 - contentHeader(overlay, rect.width, lang).length);
}

function gutterOf(window: ContentWindow): {digits: number; width: number} {
	if (window.kind !== 'text' || window.firstLine === null) return {digits: 0, width: 0};
	const digits = String(window.firstLine + Math.max(0, window.lines.length - 1)).length;
	return {digits, width: digits + 3};
}

/** Display rows of a text window when wrapped to `width` cells: the first row of each line, cached per window. */
const wrapCache = new WeakMap<ContentWindow, {width: number; starts: Int32Array; parts: string[][]}>();

function wrapped(window: ContentWindow, width: number): {starts: Int32Array; parts: string[][]} {
	const cached = wrapCache.get(window);
	if (cached && cached.width === width) return cached;
	const starts = new Int32Array(window.lines.length + 1);
	const parts: string[][] = [];
	for (let i = 0; i < window.lines.length; i++) {
		const line = window.lines[i];
		const split = textWidth(line) <= width ? [line] : hardWrap(line, width);
		parts.push(split);
		starts[i + 1] = starts[i] + split.length;
	}
	const entry = {width, starts, parts};
	wrapCache.set(window, entry);
	return entry;
}

/** A line cut into pieces of `width` cells exactly (contents wrap at any character, not at words). */
function hardWrap(line: string, width: number): string[] {
	const out: string[] = [];
	for (let from = 0, total = textWidth(line); from < total;) {
		const piece = sliceCells(line, from, width);
		if (piece === '') break;
		out.push(piece);
		from += textWidth(piece);
	}
	return out.length > 0 ? out : [''];
}

export function contentLineCount(window: ContentWindow, width: number, wrap = false): number {
	if (window.kind === 'hex') return Math.ceil(window.bytes.length / hexPerRow(width));
	if (!wrap) return window.lines.length;
	return wrapped(window, Math.max(1, width - gutterOf(window).width)).starts[window.lines.length];
}

function hexLine(window: ContentWindow, index: number, width: number): string {
	const per = hexPerRow(width);
	const at = index * per;
	const row = window.bytes.subarray(at, at + per);
	const hex = [...row].map(b => b.toString(16).padStart(2, '0'));
	const groups: string[] = [];
	for (let i = 0; i < per; i += 8)
		groups.push(
			hex
				.slice(i, i + 8)
				.join(' ')
				.padEnd(Math.min(8, per) * 3 - 1),
		);
	const ascii = [...row].map(b => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
	return `${(window.offset + at).toString(16).padStart(8, '0')}  ${groups.join('  ')}  |${ascii}|`;
}

/** Display row `index` of a window: the line number gutter, then the text from `column` (or the wrapped piece). */
export function contentLine(window: ContentWindow, index: number, width: number, wrap = false, column = 0): string {
	if (window.kind === 'hex') return hexLine(window, index, width);
	const gutter = gutterOf(window);
	const room = Math.max(1, width - gutter.width);
	const number = (line: number, first: boolean): string =>
		gutter.width === 0 ? '' : `${first ? padStart(String(window.firstLine! + line), gutter.digits) : ' '.repeat(gutter.digits)} │ `;
	if (!wrap) return number(index, true) + sliceCells(window.lines[index] ?? '', column, room);
	const {starts, parts} = wrapped(window, room);
	// The line holding display row `index`: the last start at or before it.
	let lo = 0;
	let hi = window.lines.length - 1;
	while (lo < hi) {
		const mid = (lo + hi + 1) >> 1;
		if (starts[mid] <= index) lo = mid;
		else hi = mid - 1;
	}
	const piece = index - starts[lo];
	return number(lo, piece === 0) + (parts[lo]?.[piece] ?? '');
}

/** What the header says of the window: which bytes of the file show, and how to read on. */
function windowNote(overlay: ContentOverlay, window: ContentWindow, t: UiMessages): string {
	const parts: string[] = [t.windowKind[window.kind]];
	if (window.offset === 0 && window.end >= window.size) parts.push(t.wholeFile);
	else {
		parts.push(t.byteRange(window.offset.toLocaleString('en-US'), window.end.toLocaleString('en-US'), window.size.toLocaleString('en-US')));
		parts.push(t.readOn(keyOf('global', 'pageDown'), keyOf('global', 'pageUp'), keyOf('content', 'goToOffset')));
	}
	const wrapKey = keyOf('content', 'toggleWrap');
	if (window.kind === 'text') parts.push(overlay.wrap ? t.wrapOn(wrapKey) : t.wrapOff(wrapKey, overlay.column > 0 ? overlay.column + 1 : null));
	if (overlay.request) parts.push(t.reading);
	return parts.join(' · ');
}

export function contentOverlay(state: ViewState, theme: Theme, rect: Rect, lang: Lang): Line[] {
	const overlay = state.overlay;
	if (overlay?.kind !== 'content') return [];
	const {target} = overlay;
	const t = messages(lang).ui;
	const about = t.viewerTitle(target.viewLayer, target.layer === target.viewLayer ? null : target.layer, formatBytes(target.size), keyOf('content', 'export'));
	// The name first: the rest of the title gives way to it.
	const shown = visible(target.shownPath);
	const nameRoom = Math.max(Math.min(textWidth(shown), 12), rect.width - 2 - textWidth(about));
	const heading = truncateMiddle(shown, nameRoom) + about;
	const room = contentRoom(overlay, rect, lang);
	let body: Line[];
	if (overlay.error) {
		body = wrapText(overlay.error, rect.width).map(text => [seg(theme, text, {color: 'red'})]);
	} else if (!overlay.content) {
		body = [];
	} else {
		const window = overlay.content;
		const count = contentLineCount(window, rect.width, overlay.wrap);
		// Only the rows on screen are laid out (a hex dump of a window is 4096 rows).
		const top = Math.min(overlay.scroll, Math.max(0, count - room));
		body = new Array<Line>(count);
		for (let i = top; i < Math.min(count, top + room); i++) body[i] = [seg(theme, contentLine(window, i, rect.width, overlay.wrap, overlay.column))];
	}
	const style = {dim: !overlay.error, color: overlay.error ? ('red' as const) : undefined};
	return overlayBox(
		theme,
		t,
		heading,
		body,
		overlay.scroll,
		rect,
		contentHeader(overlay, rect.width, lang).map(text => [seg(theme, text, style)]),
	);
}
