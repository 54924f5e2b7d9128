// Files opened, read and stat'ed through node:fs's callbacks rather than node:fs/promises: a report never loads
// fs/promises and the modules behind it (readline's interface among them, for FileHandle.readLines), 0.3 MiB of a
// small image's 48 MiB peak. What the reports read lies in files they read with readSync on the descriptor
// (read-fully.ts); a handle here is only that descriptor, its stat and its close.
import {close, fstat, open, readFile as readFileCallback, stat as statCallback, type Stats} from 'node:fs';
import {promisify} from 'node:util';

/** A file open for reading. */
export interface ReadHandle {
	readonly fd: number;
	stat(): Promise<Stats>;
	/** Close the descriptor; later calls do nothing (a descriptor closed twice could be another file's by then). */
	close(): Promise<void>;
}

const openFile = promisify(open);
const closeFile = promisify(close);
const statOf = promisify(fstat);

/** `file` opened for reading. */
export async function openForReading(file: string): Promise<ReadHandle> {
	const fd = await openFile(file, 'r');
	let closed = false;
	return {
		fd,
		stat: () => statOf(fd),
		async close() {
			if (closed) return;
			closed = true;
			await closeFile(fd);
		},
	};
}

export const stat: (file: string) => Promise<Stats> = promisify(statCallback);

export function readFile(file: string): Promise<Buffer>;
export function readFile(file: string, encoding: 'utf8'): Promise<string>;
export function readFile(file: string, encoding?: 'utf8'): Promise<Buffer | string> {
	return new Promise((resolve, reject) => {
		const done = (error: NodeJS.ErrnoException | null, data: Buffer | string): void => (error ? reject(error) : resolve(data));
		if (encoding) readFileCallback(file, encoding, done);
		else readFileCallback(file, done);
	});
}
