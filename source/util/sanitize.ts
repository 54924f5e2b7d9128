// Every string from an image is hostile: control characters are made visible, never sent raw.

const ESCAPES: Record<number, string> = {0x07: '\\a', 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0b: '\\v', 0x0c: '\\f', 0x0d: '\\r', 0x1b: '\\e'};

// Controls (C0, DEL, C1), every format character (category Cf: bidi embeddings, overrides and isolates, zero-width
// spaces and joiners, U+FEFF, the soft hyphen, ...), the line and paragraph separators, and lone surrogates: all
// either invisible or able to reorder or break a line, so all are shown alike, as escapes.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/;

/** Show control and invisible characters as escapes (`\e`, `\x9b`, `\u200b`, `\u202e`). Safe to print to a terminal. */
export function visible(text: string): string {
	// Printable ASCII, most names: nothing to escape, and the Unicode-property scan below costs three times more.
	if (!NOT_PRINTABLE_ASCII.test(text)) return text;
	return text.replace(UNSAFE, ch => {
		const code = ch.codePointAt(0)!;
		if (ESCAPES[code]) return ESCAPES[code];
		if (code <= 0xff) return '\\x' + code.toString(16).padStart(2, '0');
		// A byte of a tar name that was not UTF-8 (tar/names.ts keeps it as U+DC80..U+DCFF): shown as the byte.
		if (code >= 0xdc80 && code <= 0xdcff) return '\\x' + (code - 0xdc00).toString(16);
		return code > 0xffff ? `\\u{${code.toString(16)}}` : '\\u' + code.toString(16).padStart(4, '0');
	});
}

/** Like visible() but keeps newlines and tabs, for multi-line text views. */
export function visibleMultiline(text: string): string {
	return text
		.split('\n')
		.map(line => visible(line.replaceAll('\t', '    ')))
		.join('\n');
}

// JSON.stringify escapes C0 controls and lone surrogates only: DEL, C1 (U+009B is CSI to some terminals), bidi and
// other format characters would pass raw.
const JSON_UNSAFE = /[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}]/gu;

/** JSON text that is safe to print to a terminal and parses back to exactly `value`. */
export function terminalJson(value: unknown, indent = 2): string {
	return terminalSafeJson(JSON.stringify(value, null, indent));
}

/** Every character JSON_UNSAFE can match is at or above U+007F: text below it has nothing to escape. */
const BEYOND_ASCII = /[\u007f-\uffff]/;

/** Whether terminalSafeJson() may change `json` (it has a character beyond ASCII): a cheap test for most of a report. */
export function mayNeedJsonEscapes(json: string): boolean {
	return BEYOND_ASCII.test(json);
}

/** JSON text as terminalJson() makes it safe: DEL, C1 and the invisible characters escaped. */
export function terminalSafeJson(json: string): string {
	// Most of a report is ASCII: a test for anything beyond it is cheaper than the Unicode-property scan.
	if (!BEYOND_ASCII.test(json)) return json;
	return json.replace(JSON_UNSAFE, ch => {
		const code = ch.codePointAt(0)!;
		// Outside the BMP (a few Cf characters, e.g. U+E0001 tags): JSON escapes a code point as its surrogate pair.
		if (code > 0xffff) return [...ch.split('')].map(unit => '\\u' + unit.charCodeAt(0).toString(16).padStart(4, '0')).join('');
		return '\\u' + code.toString(16).padStart(4, '0');
	});
}
