// Sniff the start of a stream (a compression magic, a tar header) without losing those bytes.
import {Readable} from 'node:stream';

/** Read the first bytes of a stream to sniff it, and give back a stream that still starts at byte 0. */
export async function peek(input: AsyncIterable<Buffer>, want = 512): Promise<{head: Buffer; stream: Readable}> {
	const iterator = input[Symbol.asyncIterator]();
	const chunks: Buffer[] = [];
	let length = 0;
	while (length < want) {
		const next = await iterator.next();
		if (next.done) break;
		chunks.push(next.value);
		length += next.value.length;
	}
	const head = Buffer.concat(chunks);
	async function* rest(): AsyncGenerator<Buffer> {
		if (head.length > 0) yield head;
		for (;;) {
			const next = await iterator.next();
			if (next.done) return;
			yield next.value;
		}
	}
	return {head, stream: Readable.from(rest(), {objectMode: false, highWaterMark: 256 * 1024})};
}
