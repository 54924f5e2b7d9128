// Positioned reads that fill the buffer: one read() may return fewer bytes than asked even before the end of a file.
import type {FileHandle} from 'node:fs/promises';

/** Read `length` bytes at `position` into the start of `buffer`; fewer only at the end of the file. Returns the count. */
export async function readFully(handle: FileHandle, buffer: Buffer, length: number, position: number): Promise<number> {
	let done = 0;
	while (done < length) {
		const {bytesRead} = await handle.read(buffer, done, length - done, position + done);
		if (bytesRead === 0) break;
		done += bytesRead;
	}
	return done;
}
