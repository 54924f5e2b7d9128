// Where the explorer reads keys from: stdin when it is the terminal, else the terminal itself (/dev/tty, when the
// image comes on stdin). Free of Ink, so that the loading screen can take keys before Ink is loaded (early-load.ts).
import {openSync} from 'node:fs';
import tty from 'node:tty';
import {InputError} from '../util/errors.js';

/** Where keys come from: stdin when it is the terminal, else the terminal itself (/dev/tty). */
export function openKeys(reference: string): {stream: NodeJS.ReadStream; close: () => void} {
	if (process.stdin.isTTY && reference !== '-') return {stream: process.stdin, close: () => {}};
	let fd: number;
	try {
		fd = openSync('/dev/tty', 'r');
	} catch {
		throw new InputError('no terminal to read keys from (/dev/tty); use --plain or --json');
	}
	const stream = new tty.ReadStream(fd);
	return {
		stream,
		close: () => {
			try {
				stream.setRawMode(false);
			} catch {
				// already closed
			}
			stream.destroy();
		},
	};
}
