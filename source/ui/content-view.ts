// How the explorer shows file bytes: text as numbered lines, anything else as hex, control characters made visible.
import {READ_CAP} from '../content/index.js';
import {describeError} from '../util/errors.js';
import {visible, visibleMultiline} from '../util/sanitize.js';
import type {ContentView} from './state.js';

/** Bytes shown in the viewer at most. */
export const VIEW_CAP = READ_CAP;

/** Text when the bytes decode as UTF-8 without NUL bytes, else a hex dump. Control characters are made visible. */
export function toContentView(bytes: Buffer, size: number): ContentView {
	let text: string | null = null;
	if (!bytes.subarray(0, 8192).includes(0)) {
		try {
			text = new TextDecoder('utf-8', {fatal: true}).decode(bytes, {stream: bytes.length < size});
		} catch {
			text = null;
		}
	}
	if (text !== null) {
		const lines = visibleMultiline(text.replace(/\r\n/g, '\n')).split('\n');
		if (lines.length > 1 && lines[lines.length - 1] === '' && bytes.length === size) lines.pop();
		const digits = String(lines.length).length;
		return {kind: 'text', lines: lines.map((line, i) => `${String(i + 1).padStart(digits)} │ ${line}`), shown: bytes.length, size};
	}
	return {kind: 'hex', bytes, shown: bytes.length, size};
}

export function describeContentError(error: unknown): string {
	return visible(describeError(error));
}
