// Archive members over the one header decoder (tar-reader.ts): streamed, each body handed to its handler as an async
// iterable while the reader waits (a docker-save stream, a compressed archive, a layer blob), or listed by positioned
// reads of a plain file (headers only, bodies skipped).
import type {ReadHandle} from '../util/files.js';
import {pipeline} from 'node:stream/promises';
import {decodeHeader, decodePax, TarFormatError, TarReader, type BodySink, type TarHeader} from './tar-reader.js';
import {readFully} from '../util/read-fully.js';
import {decodeName} from './names.js';

/** Reads one member's body (it need not read all of it, or any); resolves true to stop reading the archive there. */
export type MemberHandler = (body: AsyncIterable<Buffer>) => Promise<boolean | void>;
/** Called for each entry in archive order: a handler for its body, or null to skip the body. */
export type MemberVisitor = (header: TarHeader) => MemberHandler | null;

/** Bytes of a body queued for its handler before the reader waits. */
const QUEUE_BYTES = 256 * 1024;

/** One member's body: the reader pushes slices, the handler iterates them; what the handler leaves is dropped. */
class MemberBody implements BodySink, AsyncIterable<Buffer> {
	/** Settles when the handler does; the reader reads the next header only then (set right after construction). */
	settled: Promise<void> = Promise.resolve();
	private readonly queue: Buffer[] = [];
	private queued = 0;
	private ended = false;
	private dropped = false;
	private failure: unknown = null;
	private wake: (() => void) | null = null;
	private room: (() => void) | null = null;

	data(chunk: Buffer): Promise<void> | undefined {
		if (this.dropped) return undefined;
		this.queue.push(chunk);
		this.queued += chunk.length;
		this.signal();
		if (this.queued < QUEUE_BYTES) return undefined;
		return new Promise(resolve => {
			this.room = resolve;
		});
	}

	end(): Promise<void> {
		this.ended = true;
		this.signal();
		return this.settled;
	}

	/** The archive broke off inside this body: the handler's next read throws `error`. */
	fail(error: unknown): void {
		if (this.ended || this.dropped) return;
		this.failure = error;
		this.signal();
	}

	/** The handler is done with the body: let the reader run on, discarding the rest. */
	drop(): void {
		this.dropped = true;
		this.queue.length = 0;
		this.queued = 0;
		this.free();
	}

	private signal(): void {
		const wake = this.wake;
		this.wake = null;
		wake?.();
	}

	private free(): void {
		const room = this.room;
		this.room = null;
		room?.();
	}

	async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
		try {
			for (;;) {
				const chunk = this.queue.shift();
				if (chunk) {
					this.queued -= chunk.length;
					if (this.queued < QUEUE_BYTES) this.free();
					yield chunk;
					continue;
				}
				if (this.failure !== null) throw this.failure as Error;
				if (this.ended || this.dropped) return;
				await new Promise<void>(resolve => {
					this.wake = resolve;
				});
			}
		} finally {
			this.drop();
		}
	}
}

/**
 * Read a tar stream (`input` through the `through` stages, e.g. a decompressor) and hand each member the visitor
 * takes to its handler, one at a time, in order, until a handler resolves true; then stop reading. A handler that
 * throws stops the read with its error. True when a handler stopped it.
 */
export async function eachMember(
	input: AsyncIterable<Buffer> | NodeJS.ReadableStream,
	visit: MemberVisitor,
	through: NodeJS.ReadWriteStream[] = [],
): Promise<boolean> {
	const controller = new AbortController();
	let stopped = false;
	let failure: unknown = null;
	let current: MemberBody | null = null;
	const reader = new TarReader(header => {
		const handle = visit(header);
		if (!handle) return null;
		const body = new MemberBody();
		current = body;
		body.settled = Promise.resolve()
			.then(() => handle(body))
			.then(
				stop => {
					body.drop();
					if (stop && !stopped && failure === null) {
						stopped = true;
						controller.abort();
					}
				},
				(error: unknown) => {
					body.drop();
					if (failure === null && !stopped) {
						failure = error;
						controller.abort();
					}
				},
			);
		return body;
	});
	try {
		await (pipeline as (...streams: unknown[]) => Promise<void>)(input, ...through, reader, {signal: controller.signal});
	} catch (error) {
		if (!stopped && failure === null) {
			// The archive itself failed (truncated, corrupt): the member being read sees it too, then the read fails.
			const body = current as MemberBody | null;
			body?.fail(error);
			await body?.settled;
			throw error;
		}
	}
	if (failure !== null) throw failure as Error;
	return stopped;
}

/**
 * The body of the first member `pick` takes, as a stream of its own, with the archive read on in the background up
 * to its end and no further; null when no member was taken. Errors of the archive after that reach the body's reader.
 */
export function openMember(
	input: AsyncIterable<Buffer> | NodeJS.ReadableStream,
	pick: (header: TarHeader) => boolean,
	through: NodeJS.ReadWriteStream[] = [],
): Promise<AsyncIterable<Buffer> | null> {
	return new Promise((resolve, reject) => {
		let taken = false;
		eachMember(
			input,
			header => {
				if (taken || !pick(header)) return null;
				return body => {
					taken = true;
					let finish: () => void = () => {};
					const finished = new Promise<boolean>(done => {
						finish = () => done(true);
					});
					resolve(
						(async function* () {
							try {
								yield* body;
							} finally {
								finish();
							}
						})(),
					);
					return finished;
				};
			},
			through,
		).then(
			() => {
				if (!taken) resolve(null);
			},
			(error: unknown) => {
				if (!taken) reject(error);
			},
		);
	});
}

/** An entry of a plain tar file: its header (long names and pax records applied) and where its body starts. */
export interface PositionedMember {
	header: TarHeader;
	offset: number;
}

function overflow(size: number): number {
	const rest = size % 512;
	return rest && 512 - rest;
}

async function readAt(handle: ReadHandle, offset: number, length: number): Promise<Buffer> {
	const buffer = Buffer.alloc(length);
	if ((await readFully(handle, buffer, length, offset)) !== length) throw new TarFormatError('Unexpected end of data', 'truncated');
	return buffer;
}

/**
 * The entries of a plain tar file, by positioned reads: only headers and long-name / pax bodies (at most `maxMeta`
 * bytes each) are read. Ends at the first zero block. Throws what TarReader would on a malformed header, and on a
 * body that runs past the end of the file.
 */
export async function* positionedMembers(handle: ReadHandle, maxMeta: number): AsyncGenerator<PositionedMember> {
	const {size: fileSize} = await handle.stat();
	let offset = 0;
	let pax: Record<string, string> | null = null;
	let paxGlobal: Record<string, string> | null = null;
	let longPath: string | null = null;
	let longLinkPath: string | null = null;
	for (;;) {
		const header = decodeHeader(await readAt(handle, offset, 512));
		if (!header) return;
		const body = offset + 512;
		if (header.type === 'gnu-long-path' || header.type === 'gnu-long-link-path' || header.type === 'pax-header' || header.type === 'pax-global-header') {
			if (header.size > maxMeta) throw new TarFormatError('Header exceeds max size', 'meta');
			const meta = await readAt(handle, body, header.size);
			const text = (): string => {
				const end = meta.indexOf(0);
				return decodeName(meta, 0, end === -1 ? meta.length : end);
			};
			if (header.type === 'gnu-long-path') longPath = text();
			else if (header.type === 'gnu-long-link-path') longLinkPath = text();
			else if (header.type === 'pax-global-header') paxGlobal = decodePax(meta);
			else pax = paxGlobal === null ? decodePax(meta) : Object.assign({}, paxGlobal, decodePax(meta));
			offset = body + header.size + overflow(header.size);
			continue;
		}
		// The same rules as TarReader.header().
		if (longPath) header.name = longPath;
		if (longLinkPath) header.linkname = longLinkPath;
		longPath = longLinkPath = null;
		if (pax) {
			if (pax.path) header.name = pax.path;
			if (pax.linkpath) header.linkname = pax.linkpath;
			if (pax.size) header.size = Number.parseInt(pax.size, 10);
			header.pax = pax;
			pax = null;
		}
		if (!(header.size >= 0)) throw new TarFormatError('Invalid header', 'size');
		// As tar-stream: a directory's size is not skipped, whatever it says.
		const size = header.type === 'directory' ? 0 : header.size;
		if (body + size > fileSize) throw new TarFormatError('Unexpected end of data', 'truncated');
		yield {header, offset: body};
		offset = body + size + overflow(size);
	}
}
