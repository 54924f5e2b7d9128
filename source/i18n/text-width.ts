// Terminal columns of text that may hold Chinese: CJK characters take two columns, and Chinese wraps between any
// two characters (never before closing punctuation), English at spaces.
import {createRequire} from 'node:module';
import process from 'node:process';

type StringWidth = (text: string) => number;

// string-width makes an Intl.Segmenter (ICU's break iterator, ~2 MB and some milliseconds) as it loads, and most text
// here is one column a character: printable ASCII, Latin-1, dashes and quotes, arrows, maths and box drawing. It is
// loaded on the first other text, synchronously where Node can require an ES module (20.19 on), else up front by the
// entry (preloadStringWidth: a top-level await here would keep this module out of the CommonJS report bundle).
const canRequire = (process.features as {require_module?: boolean}).require_module === true;
let stringWidth: StringWidth | null = null;

/** Where Node cannot require an ES module, load string-width now (an entry awaits this before anything measures). */
export async function preloadStringWidth(): Promise<void> {
	if (!canRequire) stringWidth ??= (await import('string-width')).default;
}
/** Characters string-width counts as one column each, alone or side by side (the test checks every one). */
export const ONE_COLUMN = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u00ff\u2010-\u2027\u2030-\u205e\u2190-\u22ff\u2500-\u257f\u25a0-\u25fc]*$/;

export function displayWidth(text: string): number {
	if (ONE_COLUMN.test(text)) return text.length;
	stringWidth ??= (createRequire(import.meta.url)('string-width') as {default: StringWidth}).default;
	return stringWidth(text);
}

/** Pad with spaces to `width` columns (text already wider is returned as is). */
export function padDisplay(text: string, width: number, right = false): string {
	const gap = Math.max(0, width - displayWidth(text));
	return right ? ' '.repeat(gap) + text : text + ' '.repeat(gap);
}

/** Cut to at most `width` columns, ending with `…` when cut. */
export function truncateDisplay(text: string, width: number): string {
	if (displayWidth(text) <= width) return text;
	let out = '';
	let used = 0;
	for (const ch of text) {
		const w = displayWidth(ch);
		if (used + w > width - 1) break;
		out += ch;
		used += w;
	}
	return out + '…';
}

const WIDE = /[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]/u;
// Punctuation that must not start a line (，。、；：！？）」』】〉》”’ and ASCII's), and punctuation that must not end one
// (（「『【〈《“‘). Written as escapes: one character past ASCII in a bundle's text makes V8 hold all of it at two bytes a
// character (esbuild escapes strings, not regular expressions).
const NO_BREAK_BEFORE = /^[\uff0c\u3002\u3001\uff1b\uff1a\uff01\uff1f\uff09\u300d\u300f\u3011\u3009\u300b\u201d\u2019,.;:!?)\]]/u;
const NO_BREAK_AFTER = /[\uff08\u300c\u300e\u3010\u3008\u300a\u201c\u2018]$/u;

/** Break units: a run of non-space, non-CJK characters, or one CJK character; spaces are kept as their own units. */
function units(text: string): string[] {
	const out: string[] = [];
	let word = '';
	for (const ch of text) {
		if (ch === ' ' || WIDE.test(ch)) {
			if (word) out.push(word);
			word = '';
			// Closing punctuation sticks to what it follows, opening punctuation to what follows it.
			if (NO_BREAK_BEFORE.test(ch) && out.length > 0 && out.at(-1) !== ' ') out[out.length - 1] += ch;
			else if (ch !== ' ' && out.length > 0 && NO_BREAK_AFTER.test(out.at(-1)!)) out[out.length - 1] += ch;
			else out.push(ch);
		} else if (word === '' && out.length > 0 && NO_BREAK_AFTER.test(out.at(-1)!)) {
			word = out.pop()! + ch;
		} else word += ch;
	}
	if (word) out.push(word);
	return out;
}

/**
 * Wrap to lines of at most `width` columns; a word longer than a line is cut. The text's leading spaces start the
 * first line, `indent` every line after it.
 */
export function wrapDisplay(text: string, width: number, indent = ''): string[] {
	const lines: string[] = [];
	const limit = Math.max(displayWidth(indent) + 4, width);
	const lead = /^ */.exec(text)![0];
	text = text.slice(lead.length);
	let line = lead;
	const push = (): void => {
		lines.push(line.trimEnd());
		line = indent;
	};
	for (const unit of units(text)) {
		if (unit === ' ') {
			if (line.trim() !== '') line += ' ';
			continue;
		}
		if (displayWidth(line + unit) > limit && line.trim() !== '') push();
		let rest = unit;
		while (displayWidth(line + rest) > limit) {
			// Cut a word longer than the line.
			let head = '';
			for (const ch of rest) {
				if (displayWidth(line + head + ch) > limit) break;
				head += ch;
			}
			if (head === '') break;
			line += head;
			rest = rest.slice(head.length);
			push();
		}
		line += rest;
	}
	if (line.trim() !== '' || lines.length === 0) lines.push(line.trimEnd());
	return lines;
}
