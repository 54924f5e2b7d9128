// Drawing frames on a real terminal. Ink runs the explorer (React state, input, lifecycle), but its output stage
// rebuilds a grid of every cell and re-reads every line's escape codes on each frame: 25-35 ms for 120x40 on the
// project's machines, more than a key press may take. In a terminal the explorer's lines (the same lines Ink shows
// in tests) are written here instead: only the lines that changed, each at its row, inside one synchronized update.
import {visible} from '../util/sanitize.js';
import type {Colour, Line} from './cells.js';

const COLOUR_CODES: Record<Colour, number> = {red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90};

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A line as the terminal gets it: SGR styles around each segment, nothing else. */
export function serializeLine(line: Line, color: boolean): string {
	let out = '';
	for (const segment of line) {
		// Every string from the image went through visible() already; this is the last guard before the terminal.
		const text = CONTROL.test(segment.text) ? visible(segment.text) : segment.text;
		const codes: number[] = [];
		if (segment.bold) codes.push(1);
		if (segment.dim) codes.push(2);
		if (segment.underline) codes.push(4);
		if (segment.inverse) codes.push(7);
		if (color && segment.color) codes.push(COLOUR_CODES[segment.color]);
		out += codes.length > 0 ? `\u001B[${codes.join(';')}m${text}\u001B[0m` : text;
	}
	return out;
}

// Alternate screen, cleared, cursor hidden, no autowrap (a line that comes out wider than planned is cut, not wrapped).
export const ENTER_SCREEN = '\u001B[?1049h\u001B[H\u001B[2J\u001B[?25l\u001B[?7l';
export const LEAVE_SCREEN = '\u001B[0m\u001B[?7h\u001B[?25h\u001B[?1049l';

export interface Writable {
	write(data: string): unknown;
}

export class FrameWriter {
	private previous: string[] = [];
	private clear = false;
	constructor(
		private readonly out: Writable,
		private readonly color: boolean,
	) {}

	/** Write the lines that differ from the last frame. Returns the bytes written (0: nothing changed). */
	draw(lines: Line[]): number {
		// After a resize the screen is cleared in the same synchronized update as the frame: no blank flash.
		let body = this.clear ? '\u001B[H\u001B[2J' : '';
		this.clear = false;
		const next = lines.map(line => serializeLine(line, this.color));
		// Each changed row is erased before it is drawn: a character the terminal drew wider or narrower than we
		// measured (a flag, a family emoji) leaves nothing stale behind. (Erasing after it would take the last column of
		// a full-width line: the cursor stays on that column once it is written.)
		for (let y = 0; y < next.length; y++) if (next[y] !== this.previous[y]) body += `\u001B[${y + 1};1H\u001B[2K${next[y]}`;
		// Rows the last frame had and this one has not (the terminal got shorter): clear them.
		for (let y = next.length; y < this.previous.length; y++) body += `\u001B[${y + 1};1H\u001B[2K`;
		this.previous = next;
		if (!body) return 0;
		const frame = `\u001B[?2026h${body}\u001B[?2026l`;
		this.out.write(frame);
		return frame.length;
	}

	/** Forget what is on screen (after a resize): the next frame clears it and is drawn whole. */
	reset(): void {
		this.previous = [];
		this.clear = true;
	}
}
