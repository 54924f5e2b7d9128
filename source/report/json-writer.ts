// JSON to a stream, piece by piece: the same text as terminalJson(value) (JSON.stringify with an indent of 2, made safe
// for a terminal), without ever holding the whole text. A report of a big image is tens of MB of text, twice over
// (the string, then its escaped copy), and `--files` on a million paths hundreds of MB.
import {mayNeedJsonEscapes, terminalJson, terminalSafeJson} from '../util/sanitize.js';

/** Pieces are gathered up to this size, then written. */
const WRITE_BYTES = 64 * 1024;

type Json = unknown;

/**
 * An array made one item at a time as it is written (a layer's changes under `--files`: a million objects at once were
 * 70 MB of the report's peak). Anything else that turns it into JSON (JSON.stringify, terminalJson) gets the array.
 */
export class JsonRows<T> {
	constructor(
		readonly length: number,
		readonly at: (i: number) => T,
	) {}

	toJSON(): T[] {
		return Array.from({length: this.length}, (_, i) => this.at(i));
	}
}

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
const omitted = (value: Json): boolean => value === undefined || typeof value === 'function' || typeof value === 'symbol';

const isContainer = (value: Json): value is object =>
	typeof value === 'object' && value !== null && (value instanceof JsonRows || typeof (value as {toJSON?: unknown}).toJSON !== 'function');

/** Items by index: an array's, or rows made as they are asked for. */
interface Items {
	readonly length: number;
	at(i: number): Json;
}

/** An array or object being written: its items (or entries), the next one, its nesting. */
interface Frame {
	items: Items | null;
	entries: [string, Json][] | null;
	next: number;
	depth: number;
	first: boolean;
}

/**
 * The text of `value` in pieces: one per leaf or flat record, brackets between. An explicit stack, not a recursive
 * generator: V8 spent ~80 ms and megabytes optimizing that generator on the smallest image, where the report is tiny.
 */
class Pieces {
	private readonly stack: Frame[] = [];
	private started = false;
	constructor(private readonly root: Json) {}

	/** A leaf's text, '[]', or null after pushing the container's frame (its pieces follow). */
	private enter(value: Json, depth: number): string | null {
		// A leaf, an object with its own toJSON, or a record of leaves (one change, one wasted file): the library's text.
		const indexed = Array.isArray(value) || value instanceof JsonRows;
		if (!isContainer(value)) return indentAfterNewlines(terminalJson(value), depth);
		if (!indexed && !Object.values(value).some(isContainer))
			return flatRecord(value as Record<string, Json>, depth) ?? indentAfterNewlines(terminalJson(value), depth);
		if (indexed) {
			const items = value as Items;
			if (items.length === 0) return '[]';
			this.stack.push({items, entries: null, next: 0, depth, first: true});
		} else this.stack.push({items: null, entries: Object.entries(value as Record<string, Json>), next: 0, depth, first: true});
		return null;
	}

	/** The next piece, or null when the text is complete. */
	next(): string | null {
		if (!this.started) {
			this.started = true;
			const text = this.enter(this.root, 0);
			if (text !== null) return text;
		}
		const top = this.stack.at(-1);
		if (!top) return null;
		const inner = indent(top.depth + 1);
		if (top.items) {
			if (top.next < top.items.length) {
				const i = top.next++;
				const item = top.items.at(i);
				const head = (i === 0 ? '[' : ',') + inner;
				return head + (omitted(item) ? 'null' : (this.enter(item, top.depth + 1) ?? ''));
			}
			this.stack.pop();
			return indent(top.depth) + ']';
		}
		const entries = top.entries!;
		while (top.next < entries.length) {
			const [key, item] = entries[top.next++];
			if (omitted(item)) continue;
			const head = (top.first ? '{' : ',') + inner + terminalJson(key) + ': ';
			top.first = false;
			return head + (this.enter(item, top.depth + 1) ?? '');
		}
		this.stack.pop();
		return top.first ? '{}' : indent(top.depth) + '}';
	}
}

/** A newline and the indent of `depth`, made once per depth. */
const indents: string[] = [];
function indent(depth: number): string {
	return (indents[depth] ??= '\n' + '  '.repeat(depth));
}

/**
 * A record of primitives at `depth` (a wasted file, a dive figure: most of a big report), as terminalJson() and the
 * indent would give it, from each value's own JSON: no indented copy of the text to indent again, and no scan for what
 * to escape unless a string may hold some. Null for a value that is not a primitive, for terminalJson() to write.
 */
function flatRecord(record: Record<string, Json>, depth: number): string | null {
	const inner = indent(depth + 1);
	let text = '';
	// Only a string can hold what terminalSafeJson() escapes: the text is scanned only when one does.
	let escapes = false;
	for (const key of Object.keys(record)) {
		const value = record[key];
		let json: string;
		switch (typeof value) {
			case 'string':
				json = JSON.stringify(value);
				escapes ||= mayNeedJsonEscapes(value);
				break;
			case 'number':
				json = Number.isFinite(value) ? String(value) : 'null';
				break;
			case 'boolean':
				json = value ? 'true' : 'false';
				break;
			case 'object':
				if (value !== null) return null;
				json = 'null';
				break;
			case 'undefined':
			case 'function':
			case 'symbol':
				continue;
			default:
				return null;
		}
		escapes ||= mayNeedJsonEscapes(key);
		text += (text === '' ? '{' : ',') + inner + JSON.stringify(key) + ': ' + json;
	}
	if (text === '') return '{}';
	text += indent(depth) + '}';
	return escapes ? terminalSafeJson(text) : text;
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
	const pieces = new Pieces(value);
	for (let piece = pieces.next(); piece !== null; piece = pieces.next()) {
		pending += piece;
		if (pending.length >= WRITE_BYTES) await flush();
	}
	pending += '\n';
	await flush();
}
