// Reading a registry's answer, bounded in bytes and in time: never more than the descriptor states (or a cap where
// none does), a Content-Length that contradicts the descriptor refused before any byte is read, and a read that
// waits `timeout` seconds with no data — or gets less than 1 KiB in that time, a drip — fails with one line naming
// the host. Time only counts while layerscope waits for data: a slow consumer is not the registry's fault.
import {Readable} from 'node:stream';
import type {ReadableStreamDefaultReader, ReadableStreamReadResult} from 'node:stream/web';
import {InputError} from '../util/errors.js';
import {formatBytes} from '../util/format.js';
import type {Answer} from './registry-http.js';

/** Less than this in one timeout's worth of waiting is a drip, not a transfer. */
const MIN_BYTES_PER_WINDOW = 1024;

export interface BodyRules {
	/** What is read, for messages: `the layer`, `manifest latest`, `the token answer`. */
	subject: string;
	/** The exact size the descriptor states, or null when there is none. */
	expected: number | null;
	/** Most bytes accepted when there is no descriptor size, and how to say it (`1 MiB`). */
	cap: {bytes: number; text: string};
	timeoutSeconds: number;
}

/** `1234567` -> `1,234,567`, for sizes a user compares with a manifest. */
export const exact = (n: number): string => n.toLocaleString('en-US');

/** One answer's body, read chunk by chunk under the rules; every failure is one InputError naming the peer. */
export class BoundedBody {
	private readonly reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
	private readonly limitMs: number;
	private received = 0;
	/** Waiting time since the last byte, and in the current rate window, with the bytes of that window. */
	private idleMs = 0;
	private windowMs = 0;
	private windowBytes = 0;
	private finished = false;

	constructor(
		private readonly answer: Answer,
		private readonly rules: BodyRules,
	) {
		this.limitMs = rules.timeoutSeconds * 1000;
		const length = answer.response.headers.get('content-length');
		const announced = length === null || !/^\d+$/.test(length.trim()) ? null : Number(length);
		if (announced !== null && rules.expected !== null && announced !== rules.expected) {
			this.cancel();
			throw new InputError(`${answer.peer} announced ${exact(announced)} bytes for ${rules.subject}, but the manifest gives ${exact(rules.expected)}`);
		}
		if (announced !== null && rules.expected === null && announced > rules.cap.bytes) {
			this.cancel();
			throw this.overCap();
		}
		this.reader = answer.response.body?.getReader();
	}

	get bytes(): number {
		return this.received;
	}

	private overCap(): InputError {
		return new InputError(`${this.answer.peer} sent ${this.rules.subject} over ${this.rules.cap.text}`, 'limit');
	}

	/** Stop reading and drop the connection (the body is not wanted, or it broke a rule). */
	cancel(): void {
		if (this.finished) return;
		this.finished = true;
		this.reader?.cancel().catch(() => {});
		this.answer.abort();
	}

	/** The next chunk, or null at the end of a body that kept every rule. */
	async next(): Promise<Uint8Array | null> {
		if (this.finished || !this.reader) {
			this.finished = true;
			return this.end();
		}
		const result = await this.timedRead(this.reader);
		if (result.done) {
			this.finished = true;
			return this.end();
		}
		this.received += result.value.length;
		const limit = this.rules.expected ?? this.rules.cap.bytes;
		if (this.received > limit) {
			this.cancel();
			if (this.rules.expected === null) throw this.overCap();
			throw new InputError(
				`${this.answer.peer} sent more than the ${exact(this.rules.expected)} bytes the manifest gives for ${this.rules.subject}`,
				'invalid',
			);
		}
		return result.value;
	}

	/** The whole body (manifests, configs, token answers). */
	async all(): Promise<Buffer> {
		const chunks: Uint8Array[] = [];
		for (let chunk = await this.next(); chunk; chunk = await this.next()) chunks.push(chunk);
		return Buffer.concat(chunks);
	}

	private end(): null {
		const {expected, subject} = this.rules;
		if (expected !== null && this.received < expected)
			throw new InputError(`${this.answer.peer} sent only ${exact(this.received)} of the ${exact(expected)} bytes the manifest gives for ${subject}`);
		return null;
	}

	private stalled(): InputError {
		return new InputError(
			`${this.answer.peer} stopped sending ${this.rules.subject} after ${formatBytes(this.received)} (no data for ${this.rules.timeoutSeconds} s)`,
			'network',
		);
	}

	private dripping(): InputError {
		return new InputError(`${this.answer.peer} sent ${this.rules.subject} too slowly (less than 1 KiB in ${this.rules.timeoutSeconds} s)`, 'network');
	}

	private brokeOff(error: unknown): InputError {
		const of = this.rules.expected === null ? '' : ` of ${formatBytes(this.rules.expected)}`;
		return new InputError(`${this.answer.peer} broke off ${this.rules.subject} after ${formatBytes(this.received)}${of}`, 'network', {cause: error});
	}

	/** reader.read(), failing when the wait runs past the idle limit or a window's worth of waiting brings a drip. */
	private timedRead(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<ReadableStreamReadResult<Uint8Array>> {
		return new Promise((resolve, reject) => {
			let since = Date.now();
			let settled = false;
			let timer: NodeJS.Timeout | undefined;
			const account = (): void => {
				const now = Date.now();
				this.idleMs += now - since;
				this.windowMs += now - since;
				since = now;
			};
			const fail = (error: InputError): void => {
				settled = true;
				clearTimeout(timer);
				this.cancel();
				reject(error);
			};
			/**
			 * At the end of a window: a drip fails, anything else starts the next window. Few bytes long ago is a stall in
			 * the making, not a drip: the idle limit then decides, so a stall is always told as one.
			 */
			const closeWindow = (): boolean => {
				if (this.windowMs < this.limitMs) return true;
				if (this.windowBytes < MIN_BYTES_PER_WINDOW) {
					if (this.idleMs >= this.limitMs / 2) return true;
					fail(this.dripping());
					return false;
				}
				this.windowMs = 0;
				this.windowBytes = 0;
				return true;
			};
			const arm = (): void => {
				let wait = this.limitMs - this.idleMs;
				if (this.windowMs < this.limitMs) wait = Math.min(wait, this.limitMs - this.windowMs);
				timer = setTimeout(check, Math.max(1, wait));
			};
			const check = (): void => {
				account();
				if (this.idleMs >= this.limitMs) return fail(this.stalled());
				if (closeWindow()) arm();
			};
			arm();
			reader.read().then(
				result => {
					if (settled) return;
					clearTimeout(timer);
					account();
					if (result.done) return resolve(result);
					this.idleMs = 0;
					this.windowBytes += result.value.length;
					if (closeWindow()) resolve(result);
				},
				(error: unknown) => {
					if (settled) return;
					fail(this.brokeOff(error));
				},
			);
		});
	}
}

/** A body as a Node stream for the layer walker, reading ahead up to 1 MiB while the walker works. */
export function bodyStream(body: BoundedBody): Readable {
	return new Readable({
		highWaterMark: 1024 * 1024,
		read() {
			body.next().then(
				chunk => {
					if (!this.destroyed) this.push(chunk === null ? null : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
				},
				(error: unknown) => this.destroy(error as Error),
			);
		},
		destroy(error, callback) {
			body.cancel();
			callback(error);
		},
	});
}
