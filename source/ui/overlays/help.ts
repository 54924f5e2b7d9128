// The help overlay: the status legend, then every binding of the bindings table, grouped by where it applies.
import {helpLines, keyOf} from '../bindings.js';
import {padEnd, type Line} from '../cells.js';
import type {Rect} from '../layout.js';
import {STATUS_LEGEND} from '../panes/files-view.js';
import {seg, type Theme} from '../segments.js';
import type {ViewState} from '../state.js';
import {overlayBox} from './box.js';

export function helpOverlay(state: ViewState, theme: Theme, rect: Rect): Line[] {
	const body: Line[] = [[seg(theme, 'Status: ' + STATUS_LEGEND)], [seg(theme, 'Colours: added green, modified yellow, removed red, rewritten magenta (NO_COLOR: the letters)')], []];
	const keyWidth = Math.min(28, Math.max(12, Math.floor(rect.width * 0.3)));
	for (const item of helpLines()) {
		if (item.heading) body.push([], [seg(theme, item.heading, {bold: true, underline: true})]);
		else body.push([seg(theme, padEnd(item.keys!, keyWidth) + '  ', {bold: true}), seg(theme, item.help!)]);
	}
	return overlayBox(theme, `Key bindings (${keyOf('help', 'close')} or ${keyOf('overlay', 'close')} closes)`, body, state.overlay?.scroll ?? 0, rect);
}
