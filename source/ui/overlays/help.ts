// The help overlay: the status legend, then every binding of the bindings table, grouped by where it applies.
import {helpLines, imageListHelpLines, keyOf} from '../bindings.js';
import {padEnd, wrapText, type Line} from '../cells.js';
import type {Rect} from '../layout.js';
import {STATUS_LEGEND} from '../panes/files-view.js';
import {seg, type Theme} from '../segments.js';
import type {ViewState} from '../view-state.js';
import {overlayBox} from './box.js';

/** The help's lines, wrapped to the box; `back`: the image was opened from an image list, whose keys come first. */
export function helpBody(theme: Theme, rect: Rect, back = false): Line[] {
	const body: Line[] = [
		...wrapText('Status: ' + STATUS_LEGEND, rect.width),
		...wrapText('Colours: added green, modified yellow, removed red, rewritten magenta (NO_COLOR: the letters)', rect.width),
		'',
	].map(text => [seg(theme, text)]);
	const keyWidth = Math.min(28, Math.max(12, Math.floor(rect.width * 0.3)));
	for (const item of [...(back ? imageListHelpLines() : []), ...helpLines()]) {
		if (item.heading) body.push([], [seg(theme, item.heading, {bold: true, underline: true})]);
		else {
			// The text wraps beside its keys: nothing is cut at 80 columns.
			const wrapped = wrapText(item.help!, Math.max(10, rect.width - keyWidth - 2));
			wrapped.forEach((text, i) => body.push([seg(theme, padEnd(i === 0 ? item.keys! : '', keyWidth) + '  ', {bold: true}), seg(theme, text)]));
		}
	}
	return body;
}

export function helpOverlay(state: ViewState, theme: Theme, rect: Rect, back = false): Line[] {
	const body = helpBody(theme, rect, back);
	return overlayBox(theme, `Key bindings (${keyOf('help', 'close')} or ${keyOf('overlay', 'close')} closes)`, body, state.overlay?.scroll ?? 0, rect);
}
