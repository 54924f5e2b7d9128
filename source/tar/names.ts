// Tar names are bytes. Valid UTF-8 is decoded as such; each byte that is not part of a valid UTF-8 sequence becomes
// the lone surrogate U+DC80..U+DCFF (Python's "surrogateescape"): names that differ only in such bytes stay apart
// (a replacement character would make them one path), no valid name can decode to the same string, and the display
// (util/sanitize.ts) shows them as `\xff`, the JSON report as `\udcff`.

const strict = new TextDecoder('utf-8', {fatal: true});

/** The name in `bytes[start, end)`. */
export function decodeName(bytes: Uint8Array, start = 0, end = bytes.length): string {
	let ascii = true;
	for (let i = start; i < end; i++) {
		if (bytes[i] >= 0x80) {
			ascii = false;
			break;
		}
	}
	if (ascii) return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
	try {
		return strict.decode(bytes.subarray(start, end));
	} catch {
		return escapeInvalid(bytes, start, end);
	}
}

/** Length of the valid UTF-8 sequence at `i` (1-4), or 0 when the byte there starts none. */
function sequenceLength(bytes: Uint8Array, i: number, end: number): number {
	const b = bytes[i];
	const continuation = (k: number): boolean => i + k < end && (bytes[i + k] & 0xc0) === 0x80;
	if (b < 0x80) return 1;
	if (b >= 0xc2 && b <= 0xdf) return continuation(1) ? 2 : 0;
	if (b >= 0xe0 && b <= 0xef) {
		if (!continuation(1) || !continuation(2)) return 0;
		const second = bytes[i + 1];
		if (b === 0xe0 && second < 0xa0) return 0; // overlong
		if (b === 0xed && second >= 0xa0) return 0; // a surrogate
		return 3;
	}
	if (b >= 0xf0 && b <= 0xf4) {
		if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
		const second = bytes[i + 1];
		if (b === 0xf0 && second < 0x90) return 0; // overlong
		if (b === 0xf4 && second >= 0x90) return 0; // past U+10FFFF
		return 4;
	}
	return 0;
}

function escapeInvalid(bytes: Uint8Array, start: number, end: number): string {
	let out = '';
	let run = start;
	for (let i = start; i < end;) {
		const length = sequenceLength(bytes, i, end);
		if (length > 0) {
			i += length;
			continue;
		}
		out += Buffer.from(bytes.buffer, bytes.byteOffset + run, i - run).toString('utf8') + String.fromCharCode(0xdc00 + bytes[i]);
		i++;
		run = i;
	}
	return out + Buffer.from(bytes.buffer, bytes.byteOffset + run, end - run).toString('utf8');
}
