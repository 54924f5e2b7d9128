// The one tar header decoder, and a lean streaming reader over it: layer walks, archive members (members.ts) and the
// positioned archive index all decode headers here. It follows tar-stream 3's extract state machine and header
// decoding (same headers, same pax / GNU long-name rules, same error messages), but makes no stream object per entry:
// each body is handed over as buffer slices. On a layer of a million tiny files that is most of the walk's time.
import {Writable} from 'node:stream';
import {decodeName} from './names.js';

export interface TarHeader {
	name: string;
	mode: number | null;
	uid: number | null;
	gid: number | null;
	size: number;
	/** The modification time in ms, as `new Date(1000 * seconds).getTime()` gives it (NaN outside a Date's range). */
	mtimeMs: number;
	type: string | null;
	linkname: string | null;
	pax: Record<string, string> | null;
}

/**
 * Where an entry's body goes; `data` may return a promise to make the reader wait (back-pressure), and so may `end`
 * (an archive reader that finishes with one member before it reads the next header).
 */
export interface BodySink {
	data(chunk: Buffer): Promise<void> | undefined;
	end(): Promise<void> | void;
}

/** Called for each entry, in order, with where its body starts in the stream: a sink for the body, or null to skip it. */
export type EntryHandler = (header: TarHeader, bodyOffset: number) => BodySink | null;

const MAX_HEADER_SIZE = 4 * 1024 * 1024;

/** What is wrong with a tar stream: the header block (`format`), its size (`size`), an extended header (`meta`), its end. */
export type TarProblem = 'format' | 'size' | 'meta' | 'truncated';

/** A malformed tar stream. The message is tar-stream's; callers that word it for a user look at `problem`. */
export class TarFormatError extends Error {
	constructor(
		message: string,
		readonly problem: TarProblem,
	) {
		super(message);
		this.name = 'TarFormatError';
	}
}

const EMPTY = Buffer.alloc(0);

function overflow(size: number): number {
	size &= 511;
	return size && 512 - size;
}

function indexOf(block: Buffer, value: number, offset: number, end: number): number {
	for (; offset < end; offset++) if (block[offset] === value) return offset;
	return end;
}

function decodeString(block: Buffer, offset: number, length: number): string {
	return decodeName(block, offset, indexOf(block, 0, offset, offset + length));
}

function parse256(field: Buffer): number | null {
	let positive: boolean;
	if (field[0] === 0x80) positive = true;
	else if (field[0] === 0xff) positive = false;
	else return null;
	let sum = 0;
	for (let i = field.length - 1, power = 0; i > 0; i--, power++) {
		const byte = positive ? field[i] : 0xff - field[i];
		sum += byte * Math.pow(256, power);
	}
	// Two's complement: all 0xff bytes is -1, never -0 (which would pass for a size of 0).
	return positive ? sum : -1 * (sum + 1);
}

function decodeOctal(block: Buffer, offset: number, length: number): number | null {
	// Fast path for the usual field (octal digits, then NUL or space): no slice and no string per field. Anything
	// else takes the general path below, which is tar-stream's.
	const end = offset + length;
	let at = offset;
	while (at < end && block[at] === 32) at++;
	while (at < end && block[at] === 0) at++;
	if (at < end && block[at] >= 48 && block[at] <= 55 && block[offset] < 0x80) {
		let value = 0;
		for (; at < end && block[at] >= 48 && block[at] <= 55; at++) value = value * 8 + (block[at] - 48);
		// A digit run that stops at a space, a NUL or the field's end is what parseInt would read too.
		if (at === end || block[at] === 32 || block[at] === 0) return value;
	}
	return decodeOctalField(block, offset, length);
}

function decodeOctalField(block: Buffer, offset: number, length: number): number | null {
	const field = block.subarray(offset, offset + length);
	if (field[0] & 0x80) return parse256(field);
	let start = 0;
	while (start < field.length && field[start] === 32) start++;
	const end = Math.min(indexOf(field, 32, start, field.length), field.length);
	while (start < end && field[start] === 0) start++;
	if (end === start) return 0;
	return Number.parseInt(field.toString('utf8', start, end), 8);
}

/** The header checksum: the sum of its bytes, the checksum field (148–155) counted as spaces. */
function checksum(block: Buffer): number {
	const offset = block.byteOffset;
	if ((offset & 3) !== 0 || block.length < 512) return checksumBytes(block);
	// Four bytes at a time: two bytes of each word into each 16-bit lane of `sum`. A lane gets at most
	// 126 words × 2 × 255 = 64,260, so it never carries into the other, and the total stays below 2^32.
	let w = lastWords?.deref();
	if (w?.buffer !== block.buffer) {
		w = new Uint32Array(block.buffer, 0, block.buffer.byteLength >>> 2);
		lastWords = new WeakRef(w);
	}
	const base = offset >>> 2;
	let sum = 0;
	for (let i = base, end = base + 37; i < end; i++) sum += (w[i] & 0x00ff00ff) + ((w[i] >>> 8) & 0x00ff00ff);
	for (let i = base + 39, end = base + 128; i < end; i++) sum += (w[i] & 0x00ff00ff) + ((w[i] >>> 8) & 0x00ff00ff);
	return 8 * 32 + (sum & 0xffff) + (sum >>> 16);
}

/**
 * The view checksum() last made: blocks of one read come from the same ArrayBuffer. Weak, so that the walk's last
 * read buffer does not stay for the rest of the run.
 */
let lastWords: WeakRef<Uint32Array<ArrayBufferLike>> | undefined;

function checksumBytes(block: Buffer): number {
	let sum = 8 * 32;
	for (let i = 0; i < 148; i++) sum += block[i];
	for (let i = 156; i < 512; i++) sum += block[i];
	return sum;
}

const TYPES: Record<number, string> = {
	0: 'file',
	1: 'link',
	2: 'symlink',
	3: 'character-device',
	4: 'block-device',
	5: 'directory',
	6: 'fifo',
	7: 'contiguous-file',
	72: 'pax-header',
	55: 'pax-global-header',
	27: 'gnu-long-link-path',
	28: 'gnu-long-path',
	30: 'gnu-long-path',
};

function isMagic(block: Buffer, last: number, version?: [number, number]): boolean {
	return (
		block[257] === 0x75 &&
		block[258] === 0x73 &&
		block[259] === 0x74 &&
		block[260] === 0x61 &&
		block[261] === 0x72 &&
		block[262] === last &&
		(!version || (block[263] === version[0] && block[264] === version[1]))
	);
}

/** Date's time value of `seconds` (its TimeClip: NaN past ±8.64e15 ms, integral, never -0), without a Date per entry. */
function timeValue(seconds: number | null): number {
	const ms = 1000 * (seconds ?? 0);
	return Math.abs(ms) <= 8.64e15 ? Math.trunc(ms) + 0 : Number.NaN;
}

/** A 512-byte header block; null for an all-zero block. */
export function decodeHeader(block: Buffer): TarHeader | null {
	const typeflag = block[156] === 0 ? 0 : block[156] - 48;
	const sum = checksum(block);
	if (sum === 8 * 32) return null;
	if (sum !== decodeOctal(block, 148, 8)) throw new TarFormatError('Invalid tar header. Maybe the tar is corrupted or it needs to be gunzipped?', 'format');
	let name = decodeString(block, 0, 100);
	if (isMagic(block, 0)) {
		if (block[345]) name = decodeString(block, 345, 155) + '/' + name;
	} else if (!isMagic(block, 0x20, [0x20, 0])) {
		throw new TarFormatError('Invalid tar header: unknown format.', 'format');
	}
	return {
		name,
		mode: decodeOctal(block, 100, 8),
		uid: decodeOctal(block, 108, 8),
		gid: decodeOctal(block, 116, 8),
		size: decodeOctal(block, 124, 12) as number,
		mtimeMs: timeValue(decodeOctal(block, 136, 12)),
		type: TYPES[typeflag] ?? null,
		linkname: block[157] === 0 ? null : decodeString(block, 157, 100),
		pax: null,
	};
}

export function decodePax(buffer: Buffer): Record<string, string> {
	const result: Record<string, string> = {};
	while (buffer.length) {
		let i = 0;
		while (i < buffer.length && buffer[i] !== 32) i++;
		const length = Number.parseInt(buffer.toString('utf8', 0, i), 10);
		if (!length) return result;
		const record = decodeName(buffer, i + 1, Math.max(i + 1, Math.min(buffer.length, length - 1)));
		const equals = record.indexOf('=');
		if (equals === -1) return result;
		result[record.slice(0, equals)] = record.slice(equals + 1);
		buffer = buffer.subarray(length);
	}
	return result;
}

/**
 * The tar parser, no stream: chunks in, `onEntry` per entry, bodies handed to the sinks as slices. A small layer read
 * in one buffer is parsed by one synchronous write(); TarReader below is the same parser as a pipeline's last stage.
 */
export class TarParser {
	private readonly chunks: Buffer[] = [];
	/** Read offset into chunks[0]. */
	private offset = 0;
	private buffered = 0;
	/** Bytes of the stream handed out so far. */
	private position = 0;
	/** Bytes still to go of the current body (mode 'body'), long header ('long') or skipped part ('skip'). */
	private missing = 0;
	private mode: 'skip' | 'body' | 'long' = 'skip';
	private sink: BodySink | null = null;
	private longType: string | null = null;
	private longSize = 0;
	private bodySize = 0;
	private pax: Record<string, string> | null = null;
	private paxGlobal: Record<string, string> | null = null;
	private gnuLongPath: string | null = null;
	private gnuLongLinkPath: string | null = null;

	/** `stopped`: whether to stop parsing (a destroyed stream). */
	constructor(
		private readonly onEntry: EntryHandler,
		private readonly stopped: () => boolean = () => false,
	) {}

	/**
	 * Parse what `chunk` completes (throws TarFormatError); a promise when a sink asked to wait, which the next write
	 * must await. The parser may keep slices of `chunk` until then, and a header cut by its end (see detach()).
	 */
	write(chunk: Buffer): Promise<void> | undefined {
		if (chunk.length > 0) {
			this.chunks.push(chunk);
			this.buffered += chunk.length;
		}
		return this.update();
	}

	/** The stream's end: throws unless it ended between entries. */
	end(): void {
		if (this.missing !== 0 || this.buffered !== 0) throw new TarFormatError('Unexpected end of data', 'truncated');
	}

	/** Bytes the reader will throw away next, none of them buffered: a reader of a file may seek over them instead. */
	skippable(): number {
		return this.mode === 'skip' && this.buffered === 0 ? this.missing : 0;
	}

	/**
	 * Copy the bytes still held (a header cut by a chunk's end: at most a long header), so that the caller may write
	 * into the chunks it gave again. Only between writes, and not while a body goes to a sink (it may keep slices).
	 */
	detach(): void {
		if (this.buffered === 0) return;
		const held = this.chunks.map((chunk, i) => (i === 0 ? chunk.subarray(this.offset) : chunk));
		this.chunks.length = 0;
		this.chunks.push(Buffer.concat(held, this.buffered));
		this.offset = 0;
	}

	/** The caller seeked over `bytes` of what skippable() offered. */
	skip(bytes: number): void {
		this.missing -= bytes;
		this.position += bytes;
	}

	/** Up to `size` bytes from the first chunk. */
	private next(size: number): Buffer {
		const first = this.chunks[0];
		const left = first.length - this.offset;
		let slice: Buffer;
		if (size >= left) {
			slice = this.offset === 0 ? first : first.subarray(this.offset);
			this.chunks.shift();
			this.offset = 0;
		} else {
			slice = first.subarray(this.offset, this.offset + size);
			this.offset += size;
		}
		this.buffered -= slice.length;
		this.position += slice.length;
		return slice;
	}

	/** Exactly `size` bytes (the caller checked they are buffered). */
	private take(size: number): Buffer {
		if (size === 0) return EMPTY;
		const first = this.next(size);
		if (first.length === size) return first;
		const parts = [first];
		let got = first.length;
		while (got < size) {
			const part = this.next(size - got);
			parts.push(part);
			got += part.length;
		}
		return Buffer.concat(parts, size);
	}

	private update(): Promise<void> | undefined {
		while (this.buffered > 0 && !this.stopped()) {
			if (this.missing > 0) {
				if (this.mode === 'body') {
					const slice = this.next(this.missing);
					this.missing -= slice.length;
					const wait = this.sink!.data(slice);
					const ended = this.missing === 0 ? this.endBody() : undefined;
					if (wait || ended) return Promise.all([wait, ended]).then(() => this.update());
					continue;
				}
				if (this.mode === 'long') {
					if (this.missing > this.buffered) break;
					this.decodeLong(this.take(this.missing));
					continue;
				}
				this.missing -= this.next(this.missing).length;
				continue;
			}
			if (this.buffered < 512) break;
			const wait = this.header(this.take(512));
			if (wait) return wait.then(() => this.update());
		}
		return undefined;
	}

	private endBody(): Promise<void> | void {
		const sink = this.sink!;
		this.sink = null;
		this.mode = 'skip';
		this.missing = overflow(this.bodySize);
		return sink.end();
	}

	private decodeLong(buffer: Buffer): void {
		switch (this.longType) {
			case 'gnu-long-path':
				this.gnuLongPath = decodeString(buffer, 0, buffer.length);
				break;
			case 'gnu-long-link-path':
				this.gnuLongLinkPath = decodeString(buffer, 0, buffer.length);
				break;
			case 'pax-global-header':
				this.paxGlobal = decodePax(buffer);
				break;
			default:
				this.pax = this.paxGlobal === null ? decodePax(buffer) : Object.assign({}, this.paxGlobal, decodePax(buffer));
		}
		this.mode = 'skip';
		this.missing = overflow(this.longSize);
	}

	/** Decode one header block; a promise when the entry's sink asks the reader to wait. */
	private header(block: Buffer): Promise<void> | void {
		const header = decodeHeader(block);
		if (!header) return;
		switch (header.type) {
			case 'gnu-long-path':
			case 'gnu-long-link-path':
			case 'pax-global-header':
			case 'pax-header':
				if (header.size > MAX_HEADER_SIZE) throw new TarFormatError('Header exceeds max size', 'meta');
				this.longType = header.type;
				this.longSize = header.size;
				this.mode = 'long';
				this.missing = header.size;
				if (!(header.size > 0)) this.decodeLong(EMPTY);
				return;
		}
		if (this.gnuLongPath) {
			header.name = this.gnuLongPath;
			this.gnuLongPath = null;
		}
		if (this.gnuLongLinkPath) {
			header.linkname = this.gnuLongLinkPath;
			this.gnuLongLinkPath = null;
		}
		if (this.pax) {
			if (this.pax.path) header.name = this.pax.path;
			if (this.pax.linkpath) header.linkname = this.pax.linkpath;
			if (this.pax.size) header.size = Number.parseInt(this.pax.size, 10);
			header.pax = this.pax;
			this.pax = null;
		}
		if (!(header.size >= 0)) throw new TarFormatError('Invalid header', 'size');
		const sink = this.onEntry(header, this.position);
		// As tar-stream: a directory's size is not skipped, whatever it says.
		if (header.size === 0 || header.type === 'directory') return sink?.end();
		this.bodySize = header.size;
		if (sink) {
			this.sink = sink;
			this.mode = 'body';
			this.missing = header.size;
		} else {
			this.mode = 'skip';
			this.missing = header.size + overflow(header.size);
		}
	}
}

/** The last stage of a pipeline: parses tar and calls `onEntry` per entry. */
export class TarReader extends Writable {
	private readonly parser: TarParser;

	constructor(onEntry: EntryHandler) {
		super({highWaterMark: 1024 * 1024});
		this.parser = new TarParser(onEntry, () => this.destroyed);
	}

	override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
		let wait: Promise<void> | undefined;
		try {
			wait = this.parser.write(chunk);
		} catch (error) {
			callback(error as Error);
			return;
		}
		if (wait) wait.then(() => callback(), callback);
		else callback();
	}

	override _final(callback: (error?: Error | null) => void): void {
		try {
			this.parser.end();
			callback();
		} catch (error) {
			callback(error as Error);
		}
	}
}
