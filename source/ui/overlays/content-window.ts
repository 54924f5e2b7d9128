// The content viewer reads a file in windows of bytes, on demand: only one window is held, whatever the file's size.
// A text window starts and ends on whole lines (and whole UTF-8 characters) so that paging on joins them exactly;
// its line numbers are known while the window was reached from the start by paging, not after a jump to an offset.
import {visibleMultiline} from '../../util/sanitize.js';

/** Bytes read and held per window. */
export const WINDOW_BYTES = 64 * 1024;

/** One window of a file version: its bytes `offset` to `end` of `size`, as text lines or as bytes for a hex dump. */
export interface ContentWindow {
	kind: 'text' | 'hex';
	offset: number;
	end: number;
	size: number;
	/** Text: the lines (control characters visible), and the number of the first one when known. */
	lines: string[];
	firstLine: number | null;
	/** Text: the last line goes on in the next window (a line longer than a window). */
	openEnd: boolean;
	/** Hex: the bytes. */
	bytes: Buffer;
}

/** A window to read: where, how many bytes, and what the first line's number is (when known). */
export interface WindowRequest {
	id: number;
	offset: number;
	length: number;
	firstLine: number | null;
	/** Show the window's end (paging back), not its start. */
	toEnd: boolean;
}

const isContinuation = (byte: number): boolean => (byte & 0xc0) === 0x80;

/** Bytes a UTF-8 sequence starting with `lead` takes. */
function sequenceLength(lead: number): number {
	if (lead < 0x80) return 1;
	if (lead >= 0xf0) return 4;
	if (lead >= 0xe0) return 3;
	if (lead >= 0xc0) return 2;
	return 1;
}

/** Where to stop a text window that does not reach the end of the file: after its last newline, else before a cut character. */
function textCut(bytes: Buffer): number {
	const newline = bytes.lastIndexOf(0x0a);
	if (newline >= 0) return newline + 1;
	let at = bytes.length;
	for (let back = 1; back <= 3 && bytes.length - back >= 0; back++) {
		const byte = bytes[bytes.length - back];
		if (isContinuation(byte)) continue;
		if (sequenceLength(byte) > back) at = bytes.length - back;
		break;
	}
	return at;
}

function decodeText(bytes: Buffer): string | null {
	if (bytes.subarray(0, 8192).includes(0)) return null;
	try {
		return new TextDecoder('utf-8', {fatal: true}).decode(bytes);
	} catch {
		return null;
	}
}

/** The window that `bytes` (read at `offset` of a file of `size`) shows. */
export function decodeWindow(read: Buffer, offset: number, size: number, firstLine: number | null): ContentWindow {
	let bytes = read;
	let start = offset;
	// A window that starts inside a character (a jump to an offset) starts at the next one.
	if (offset > 0) {
		let skip = 0;
		while (skip < 3 && skip < bytes.length && isContinuation(bytes[skip])) skip++;
		bytes = bytes.subarray(skip);
		start += skip;
	}
	const atEnd = start + bytes.length >= size;
	const cut = atEnd ? bytes.length : textCut(bytes);
	const text = cut > 0 ? decodeText(bytes.subarray(0, cut)) : bytes.length === 0 ? '' : null;
	if (text === null) return {kind: 'hex', offset, end: offset + read.length, size, lines: [], firstLine: null, openEnd: false, bytes: read};
	const lines = visibleMultiline(text.replace(/\r\n/g, '\n')).split('\n');
	const openEnd = !atEnd && !text.endsWith('\n');
	if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
	return {kind: 'text', offset: start, end: start + cut, size, lines, firstLine, openEnd, bytes: Buffer.alloc(0)};
}

/** The number of the first line after a text window (when this one's is known). */
export function nextFirstLine(window: ContentWindow): number | null {
	return window.kind === 'text' && window.firstLine !== null ? window.firstLine + window.lines.length - (window.openEnd ? 1 : 0) : null;
}

/**
 * An offset as typed: bytes (`4096`, `0x1000`), with a unit (`64k`, `1.5M`, `2MiB`: k and M are 1000s, KiB and MiB
 * 1024s) or a share of the file (`50%`). Null when it does not read as one.
 */
export function parseOffset(typed: string, size: number): number | null {
	const text = typed.trim();
	if (/^0x[0-9a-f]+$/i.test(text)) return Number.parseInt(text.slice(2), 16);
	const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
	if (percent) return Math.floor((size * Math.min(100, Number(percent[1]))) / 100);
	const match = /^(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?$/i.exec(text);
	if (!match) return null;
	const unit = (match[2] ?? '').toLowerCase().replace(/b$/, '');
	const scale: Record<string, number> = {'': 1, k: 1e3, m: 1e6, g: 1e9, ki: 1024, mi: 1024 ** 2, gi: 1024 ** 3};
	return Math.floor(Number(match[1]) * scale[unit]);
}
