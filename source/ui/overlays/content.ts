// The content viewer overlay: a file's first bytes as text or as a hex dump, laid out for the pane's width.
import {formatBytes} from '../../util/format.js';
import {visible} from '../../util/sanitize.js';
import {keyOf} from '../bindings.js';
import {wrapText, type Line} from '../cells.js';
import type {Rect} from '../layout.js';
import {seg, type Theme} from '../segments.js';
import type {ViewState} from '../state.js';
import {overlayBox} from './box.js';

/** A file's first bytes, as text lines or as bytes for a hex dump (laid out for the pane's width when drawn). */
export type ContentView = ({kind: 'text'; lines: string[]} | {kind: 'hex'; bytes: Buffer}) & {
	/** Bytes shown, and the file's full size. */
	shown: number;
	size: number;
};

/** Bytes per hex dump row for a width: 16 like hexdump -C when it fits, else fewer. */
export function hexPerRow(width: number): number {
	return width >= 78 ? 16 : width >= 44 ? 8 : 4;
}

export function contentLineCount(content: ContentView, width: number): number {
	return content.kind === 'text' ? content.lines.length : Math.ceil(content.bytes.length / hexPerRow(width));
}

export function contentLine(content: ContentView, index: number, width: number): string {
	if (content.kind === 'text') return content.lines[index] ?? '';
	const per = hexPerRow(width);
	const offset = index * per;
	const row = content.bytes.subarray(offset, offset + per);
	const hex = [...row].map(b => b.toString(16).padStart(2, '0'));
	const groups: string[] = [];
	for (let i = 0; i < per; i += 8) groups.push(hex.slice(i, i + 8).join(' ').padEnd(Math.min(8, per) * 3 - 1));
	const ascii = [...row].map(b => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
	return `${offset.toString(16).padStart(8, '0')}  ${groups.join('  ')}  |${ascii}|`;
}

export function contentOverlay(state: ViewState, theme: Theme, rect: Rect): Line[] {
	const overlay = state.overlay;
	if (overlay?.kind !== 'content') return [];
	const {target} = overlay;
	const exportKey = keyOf('content', 'export');
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
		if (content.shown < content.size)
			body.push([seg(theme, `… showing the first ${formatBytes(content.shown)} of ${formatBytes(content.size)}; ${exportKey} exports the whole file`, {dim: true})]);
	}
	return overlayBox(theme, `${heading} · ${exportKey} export`, body, overlay.scroll, rect);
}
