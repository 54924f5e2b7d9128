// Terminal cells: how wide a string shows, and lines made of styled segments cut to an exact width.
// Every line the explorer draws is built here, so every column lines up whatever the image's names hold.
import stringWidth from 'string-width';
import {ONE_COLUMN} from '../i18n/text-width.js';

/** Colours the explorer uses; `undefined` draws in the terminal's default colour. */
export type Colour = 'green' | 'yellow' | 'red' | 'cyan' | 'magenta' | 'blue' | 'gray';

export interface Segment {
	text: string;
	color?: Colour;
	bold?: boolean;
	dim?: boolean;
	inverse?: boolean;
	underline?: boolean;
}

export type Line = Segment[];

// Widths are measured by grapheme (what a terminal draws as one character: a flag, a family emoji, a letter and its
// accents) with string-width, the library Ink measures with: a cut never falls inside one, and the columns we plan
// are the ones the terminal draws.
const segmenter = new Intl.Segmenter(undefined, {granularity: 'grapheme'});

/** The graphemes of a string (text of one-column characters, the tree's lines and marks included: its characters). */
export function graphemes(text: string): string[] {
	if (ONE_COLUMN.test(text)) return text.split('');
	return Array.from(segmenter.segment(text), part => part.segment);
}

/** Cells one grapheme takes. */
export function charWidth(char: string): number {
	if (char.length === 1 && ONE_COLUMN.test(char)) return 1;
	return stringWidth(char);
}

/** Cells a string takes (fast path: one-column characters only, ASCII and the tree's lines and marks). */
export function textWidth(text: string): number {
	if (ONE_COLUMN.test(text)) return text.length;
	let width = 0;
	for (const char of graphemes(text)) width += charWidth(char);
	return width;
}

/** Cut to at most `width` cells, ending in `…` when something was cut. */
export function truncate(text: string, width: number): string {
	if (width <= 0) return '';
	if (textWidth(text) <= width) return text;
	let out = '';
	let used = 0;
	for (const char of graphemes(text)) {
		const w = charWidth(char);
		if (used + w > width - 1) break;
		out += char;
		used += w;
	}
	return out + '…';
}

/** Keep the end of a string (for paths: the name matters more than the top directories). */
export function truncateStart(text: string, width: number): string {
	if (width <= 0) return '';
	if (textWidth(text) <= width) return text;
	const chars = graphemes(text);
	let out = '';
	let used = 0;
	for (let i = chars.length - 1; i >= 0; i--) {
		const w = charWidth(chars[i]);
		if (used + w > width - 1) break;
		out = chars[i] + out;
		used += w;
	}
	return '…' + out;
}

export function padEnd(text: string, width: number): string {
	const cut = truncate(text, width);
	return cut + ' '.repeat(Math.max(0, width - textWidth(cut)));
}

export function padStart(text: string, width: number): string {
	const cut = truncate(text, width);
	return ' '.repeat(Math.max(0, width - textWidth(cut))) + cut;
}

/** Cut or pad a line to exactly `width` cells; `fill` styles the padding (e.g. an inverse cursor bar). */
export function fitLine(line: Line, width: number, fill: Omit<Segment, 'text'> = {}): Line {
	const out: Line = [];
	let used = 0;
	for (let i = 0; i < line.length; i++) {
		const segment = line[i];
		const w = textWidth(segment.text);
		if (used + w <= width) {
			if (segment.text) out.push(segment);
			used += w;
			continue;
		}
		const cut = truncate(segment.text, width - used);
		if (cut) out.push({...segment, text: cut});
		used += textWidth(cut);
		break;
	}
	if (used < width) out.push({...fill, text: ' '.repeat(width - used)});
	return out;
}

/** Plain text of a line (tests, the plain screen dump). */
export function lineText(line: Line): string {
	return line.map(segment => segment.text).join('');
}

/** Wrap plain text to lines of at most `width` cells, breaking at spaces where it can. */
export function wrapText(text: string, width: number, maxLines = Infinity): string[] {
	if (width <= 0) return [];
	const lines: string[] = [];
	let rest = text;
	while (rest.length > 0 && lines.length < maxLines) {
		if (textWidth(rest) <= width) {
			lines.push(rest);
			rest = '';
			break;
		}
		let cut = '';
		let used = 0;
		let lastSpace = -1;
		const chars = graphemes(rest);
		let i = 0;
		for (; i < chars.length; i++) {
			const w = charWidth(chars[i]);
			if (used + w > width) break;
			if (chars[i] === ' ') lastSpace = i;
			cut += chars[i];
			used += w;
		}
		if (chars[i] === ' ') {
			lines.push(cut);
			rest = chars.slice(i + 1).join('');
		} else if (lastSpace > width / 3 && i < chars.length) {
			lines.push(chars.slice(0, lastSpace).join(''));
			rest = chars.slice(lastSpace + 1).join('');
		} else {
			lines.push(cut);
			rest = chars.slice(i).join('');
		}
	}
	if (rest.length > 0 && lines.length > 0) lines[lines.length - 1] = truncate(lines[lines.length - 1] + ' ' + rest, width);
	return lines;
}

/** How many of `chars` from the start fit in `room` cells. */
function fitFromStart(chars: string[], room: number): number {
	let used = 0;
	let n = 0;
	while (n < chars.length && used + charWidth(chars[n]) <= room) used += charWidth(chars[n++]);
	return n;
}

/** How many of `chars` from the end fit in `room` cells. */
function fitFromEnd(chars: string[], room: number): number {
	let used = 0;
	let n = 0;
	while (n < chars.length && used + charWidth(chars[chars.length - 1 - n]) <= room) used += charWidth(chars[chars.length - 1 - n++]);
	return n;
}

/**
 * Cut the middle out of a string (a path): its start and, with more room, its end stay. `keepFrom` (a character
 * index: where the string stops being like its neighbours) stays in view too, with a second `…` when it falls in the
 * cut, so two long paths that differ in the middle never read the same.
 */
export function truncateMiddle(text: string, width: number, keepFrom = -1): string {
	if (width <= 0) return '';
	if (textWidth(text) <= width) return text;
	if (width < 6) return truncateStart(text, width);
	const chars = graphemes(text);
	const headRoom = Math.floor((width - 1) / 3);
	const head = fitFromStart(chars, headRoom);
	const tail = fitFromEnd(chars, width - 1 - textWidth(chars.slice(0, head).join('')));
	const tailStart = chars.length - tail;
	if (keepFrom < head || keepFrom >= tailStart) return chars.slice(0, head).join('') + '…' + chars.slice(tailStart).join('');
	// The part that tells it apart is in the cut: the tail from a little before it, if that fits beside the head.
	const from = Math.max(head, keepFrom - 2);
	const headText = chars.slice(0, head).join('');
	if (textWidth(chars.slice(from).join('')) <= width - 1 - textWidth(headText)) return headText + '…' + chars.slice(from).join('');
	// Else head … middle … tail, a third of the room each.
	const shortHead = fitFromStart(chars, Math.floor((width - 2) / 4));
	const endRoom = Math.floor((width - 2) / 3);
	const end = fitFromEnd(chars, endRoom);
	const midRoom = width - 2 - textWidth(chars.slice(0, shortHead).join('')) - textWidth(chars.slice(chars.length - end).join(''));
	const mid = chars.slice(from, chars.length - end);
	const midCount = fitFromStart(mid, midRoom);
	return chars.slice(0, shortHead).join('') + '…' + mid.slice(0, midCount).join('') + '…' + chars.slice(chars.length - end).join('');
}

/** Where `text` stops being like the closest of `others`: the longest prefix it shares with one of them, in characters. */
export function distinctFrom(text: string, others: readonly string[]): number {
	let best = 0;
	for (const other of others) {
		if (other === text) continue;
		let n = 0;
		const limit = Math.min(text.length, other.length);
		while (n < limit && text.charCodeAt(n) === other.charCodeAt(n)) n++;
		best = Math.max(best, n);
	}
	// A UTF-16 index to a grapheme index.
	return graphemes(text.slice(0, best)).length;
}

/** The cells `from` to `from + width` of a string (horizontal scroll): a wide character cut at either edge is left out. */
export function sliceCells(text: string, from: number, width: number): string {
	if (from <= 0) return truncateEnd(text, width);
	let skipped = 0;
	let i = 0;
	const chars = graphemes(text);
	while (i < chars.length && skipped < from) skipped += charWidth(chars[i++]);
	return truncateEnd(chars.slice(i).join(''), width);
}

/** At most `width` cells of the start of a string, with no `…`. */
function truncateEnd(text: string, width: number): string {
	const chars = graphemes(text);
	return chars.slice(0, fitFromStart(chars, width)).join('');
}

/**
 * Lay segments out on lines of `width` cells. A separator (` · `, or spaces alone) and the segment after it go to the
 * next line together, and the separator is dropped there; a segment longer than a line is wrapped as text.
 */
export function wrapSegments(segments: Line, width: number): Line[] {
	const lines: Line[] = [[]];
	let used = 0;
	let pending: Segment[] = [];
	const isSeparator = (text: string): boolean => /^\s*·?\s*$/.test(text);
	for (const segment of segments) {
		if (isSeparator(segment.text)) {
			pending.push(segment);
			continue;
		}
		const lead = used === 0 ? 0 : pending.reduce((sum, p) => sum + textWidth(p.text), 0);
		const w = textWidth(segment.text);
		if (used + lead + w <= width) {
			if (used > 0) lines[lines.length - 1].push(...pending);
			lines[lines.length - 1].push(segment);
			used += lead + w;
		} else {
			for (const piece of w <= width ? [segment.text] : wrapText(segment.text, width)) {
				if (used > 0) lines.push([]);
				lines[lines.length - 1].push({...segment, text: piece});
				used = textWidth(piece);
			}
		}
		pending = [];
	}
	return lines;
}
