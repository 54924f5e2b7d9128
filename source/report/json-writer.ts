// JSON to a stream, piece by piece: the same text as terminalJson(value) (JSON.stringify with an indent of 2, made safe
// for a terminal), without ever holding the whole text. A report of a big image is tens of MB of text, twice over
// (the string, then its escaped copy), and `--files` on a million paths hundreds of MB.
import {terminalJson} from '../util/sanitize.js';

/** Pieces are gathered up to this size, then written. */
const WRITE_BYTES = 64 * 1024;

type Json = unknown;

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
const omitted = (value: Json): boolean => value === undefined || typeof value === 'function' || typeof value === 'symbol';

const isContainer = (value: Json): value is object => typeof value === 'object' && value !== null && typeof (value as {toJSON?: unknown}).toJSON !== 'function';

/** The text of `value` (not omitted) at nesting `depth`, in pieces: one per leaf or flat record, brackets between. */
function* pieces(value: Json, depth: number): Generator<string, void, undefined> {
	// A leaf, an object with its own toJSON, or a record of leaves (one change, one wasted file): the library's text.
	if (!isContainer(value) || (!Array.isArray(value) && !Object.values(value).some(isContainer))) {
		yield indentAfterNewlines(terminalJson(value), depth);
		return;
	}
	const inner = '\n' + '  '.repeat(depth + 1);
	const outer = '\n' + '  '.repeat(depth);
	if (Array.isArray(value)) {
		if (value.length === 0) {
			yield '[]';
			return;
		}
		for (let i = 0; i < value.length; i++) {
			yield (i === 0 ? '[' : ',') + inner;
			const item: Json = value[i];
			if (omitted(item)) yield 'null';
			else yield* pieces(item, depth + 1);
		}
		yield outer + ']';
		return;
	}
	let first = true;
	for (const [key, item] of Object.entries(value as Record<string, Json>)) {
		if (omitted(item)) continue;
		yield (first ? '{' : ',') + inner + terminalJson(key) + ': ';
		first = false;
		yield* pieces(item, depth + 1);
	}
	yield first ? '{}' : outer + '}';
}

/** JSON strings hold no raw newline: every newline of JSON.stringify's text starts a line, to be indented. */
function indentAfterNewlines(text: string, depth: number): string {
	return depth === 0 || !text.includes('\n') ? text : text.replaceAll('\n', '\n' + '  '.repeat(depth));
}

/** Write terminalJson(value) and a newline to `out`, waiting for it to drain when it asks. */
export async function writeJson(value: Json, out: NodeJS.WritableStream): Promise<void> {
	let pending = '';
	const flush = async (): Promise<void> => {
		const text = pending;
		pending = '';
		if (!out.write(text)) await new Promise<void>(resolve => out.once('drain', resolve));
	};
	for (const piece of pieces(value, 0)) {
		pending += piece;
		if (pending.length >= WRITE_BYTES) await flush();
	}
	pending += '\n';
	await flush();
}
