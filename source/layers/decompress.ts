// Detect how a blob is compressed from its first bytes and undo it, streaming.
import {Transform, type TransformCallback} from 'node:stream';
import zlib from 'node:zlib';
import {Decompress} from 'fzstd';
import type {Compression} from '../analysis/types.js';

export function detectCompression(head: Uint8Array): Compression {
	if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
	if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
	return 'none';
}

/** zstd has no node:zlib binding before Node 22.15: fzstd streams it in pure JS. */
class ZstdDecompress extends Transform {
	private readonly decoder = new Decompress((chunk: Uint8Array) => {
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

export function createDecompressor(compression: Compression): Transform | null {
	switch (compression) {
		case 'gzip':
			return zlib.createGunzip({chunkSize: 256 * 1024});
		case 'zstd':
			return new ZstdDecompress();
		default:
			return null;
	}
}
