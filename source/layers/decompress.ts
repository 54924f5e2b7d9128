// Detect how a blob is compressed from its first bytes and undo it, streaming.
import type {ChildProcessWithoutNullStreams} from 'node:child_process';
import {accessSync, constants} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {Duplex, Transform, type TransformCallback} from 'node:stream';
import type * as Fzstd from 'fzstd';
import type * as ChildProcess from 'node:child_process';
import type * as Zlib from 'node:zlib';
import type {Compression} from '../model/types.js';

// zlib, child_process and fzstd are loaded by the first layer that is compressed: an archive of plain tars (docker
// save) never pays for them. fzstd is CommonJS too, so require() gives it on every Node 20.
const load = createRequire(import.meta.url);

export function detectCompression(head: Uint8Array): Compression {
	if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
	if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
	return 'none';
}

/** zstd has no node:zlib binding before Node 22.15: fzstd streams it in pure JS. */
class ZstdDecompress extends Transform {
	private readonly decoder = new (load('fzstd') as typeof Fzstd).Decompress((chunk: Uint8Array) => {
		// fzstd may reuse its window buffer: copy before handing the bytes on.
		if (chunk.length > 0) this.push(Buffer.from(chunk));
	});
	private sawInput = false;

	override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
		try {
			this.sawInput ||= chunk.length > 0;
			this.decoder.push(chunk);
			callback();
		} catch (error) {
			callback(zstdError(error));
		}
	}

	override _flush(callback: TransformCallback): void {
		try {
			if (this.sawInput) this.decoder.push(new Uint8Array(0), true);
			callback();
		} catch (error) {
			callback(zstdError(error));
		}
	}
}

function zstdError(error: unknown): Error {
	const message = error instanceof Error ? error.message : String(error);
	return new Error(`corrupt zstd data (${message})`);
}

let zstdCli: string | null | undefined;

/** The `zstd` program on PATH, looked up once (LAYERSCOPE_ZSTD_CLI=0 turns it off). */
function findZstdCli(): string | null {
	if (zstdCli !== undefined) return zstdCli;
	zstdCli = null;
	if (process.env.LAYERSCOPE_ZSTD_CLI === '0') return zstdCli;
	for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
		if (!dir) continue;
		const candidate = path.join(dir, 'zstd');
		try {
			accessSync(candidate, constants.X_OK);
			zstdCli = candidate;
			break;
		} catch {}
	}
	return zstdCli;
}

/**
 * zstd through the `zstd` program when it is installed: C speed, on another core, about 20 times fzstd's pace.
 * Its default decompression memory limit (128 MiB windows) stays in force; any failure reads as corrupt data.
 */
class ZstdProcess extends Duplex {
	private readonly child: ChildProcessWithoutNullStreams;
	private stderr = '';

	constructor(program: string) {
		super({readableHighWaterMark: 1024 * 1024});
		this.child = (load('node:child_process') as typeof ChildProcess).spawn(program, ['-d', '-q', '-c', '--no-progress'], {stdio: ['pipe', 'pipe', 'pipe']});
		const {child} = this;
		child.stdin.on('error', () => {}); // it quit early: its exit status tells why
		child.stderr.on('data', (chunk: Buffer) => {
			if (this.stderr.length < 1024) this.stderr += chunk.toString('utf8');
		});
		child.stdout.on('data', (chunk: Buffer) => {
			if (!this.push(chunk)) child.stdout.pause();
		});
		child.on('error', error => this.destroy(zstdError(error)));
		child.on('close', code => {
			if (code === 0) this.push(null);
			else {
				const line =
					this.stderr
						.trim()
						.split('\n')[0]
						?.replace(/^zstd:\s*(\/\*stdin\*\\?:\s*)?/, '') || `exit status ${code}`;
				this.destroy(zstdError(new Error(line)));
			}
		});
	}

	override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
		if (this.child.stdin.write(chunk)) callback();
		else this.child.stdin.once('drain', () => callback());
	}

	override _final(callback: (error?: Error | null) => void): void {
		this.child.stdin.end();
		callback();
	}

	override _read(): void {
		this.child.stdout.resume();
	}

	override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
		if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
		callback(error);
	}
}

export function createDecompressor(compression: Compression): Transform | Duplex | null {
	switch (compression) {
		case 'gzip':
			return (load('node:zlib') as typeof Zlib).createGunzip({chunkSize: 256 * 1024});
		case 'zstd': {
			const program = findZstdCli();
			return program ? new ZstdProcess(program) : new ZstdDecompress();
		}
		default:
			return null;
	}
}
