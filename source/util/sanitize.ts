// Every string from an image is hostile: control characters are made visible, never sent raw.

const ESCAPES: Record<number, string> = {0x07: '\\a', 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0b: '\\v', 0x0c: '\\f', 0x0d: '\\r', 0x1b: '\\e'};

// C0 controls, DEL, C1 controls, and the Unicode bidi / line-separator controls that can reorder or break a line.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Show control characters as escapes (`\e`, `\x9b`, `\u202e`). Safe to print to a terminal. */
export function visible(text: string): string {
	return text.replace(UNSAFE, ch => {
		const code = ch.charCodeAt(0);
		if (ESCAPES[code]) return ESCAPES[code];
		if (code <= 0xff) return '\\x' + code.toString(16).padStart(2, '0');
		return '\\u' + code.toString(16).padStart(4, '0');
	});
}

/** Like visible() but keeps newlines and tabs, for multi-line text views. */
export function visibleMultiline(text: string): string {
	return text
		.split('\n')
		.map(line => visible(line.replaceAll('\t', '    ')))
		.join('\n');
}

// JSON.stringify escapes C0 controls only: DEL, C1 (U+009B is CSI to some terminals) and bidi controls would pass raw.
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** JSON text that is safe to print to a terminal and parses back to exactly `value`. */
export function terminalJson(value: unknown, indent = 2): string {
	return JSON.stringify(value, null, indent).replace(JSON_UNSAFE, ch => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'));
}
