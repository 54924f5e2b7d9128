// The frame of every overlay: a focused title, an optional header line, the body's lines from its scroll position,
// and a footer with the scroll position and the keys (from the bindings table).
import type {UiMessages} from '../../i18n/catalogue.js';
import {keyOf} from '../bindings.js';
import {fitLine, type Line} from '../cells.js';
import type {Rect} from '../layout.js';
import {seg, title, type Theme} from '../segments.js';

export function overlayBox(theme: Theme, t: UiMessages, heading: string, body: Line[], scroll: number, rect: Rect, header: Line[] = []): Line[] {
	const lines: Line[] = [title(theme, heading, rect.width, true)];
	for (const line of header) lines.push(fitLine(line, rect.width));
	const room = rect.height - lines.length - 1;
	const top = Math.min(scroll, Math.max(0, body.length - room));
	for (let r = 0; r < room; r++) lines.push(fitLine(body[top + r] ?? [], rect.width));
	const keys = `${keyOf('global', 'up')}${keyOf('global', 'down')} ${keyOf('global', 'pageUp')} ${keyOf('global', 'pageDown')}`;
	const more = body.length > room ? t.scrollPosition(top + 1, Math.min(body.length, top + room), body.length, keys) : '';
	lines.push(fitLine([seg(theme, more + t.closes(keyOf('overlay', 'close')), {dim: true})], rect.width));
	return lines;
}
