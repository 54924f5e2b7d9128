// The last line: a message, then the focused pane's bindings from the table, most used first while they fit (Help and
// Quit always show, last), or the prompt being typed.
import {bindingOf, statusItems, statusLabel, type StatusView} from './bindings.js';
import {fitLine, textWidth, type Line, type Segment} from './cells.js';
import {promptLine} from './overlays/prompt.js';
import {seg, type Theme} from './segments.js';
import type {Context, ViewState} from './view-state.js';
import {attributesShown} from './panes/files-state.js';

/** `back`: the image was opened from an image list, where quit goes back to (the storeExplorer binding's label). */
export function statusBar(state: ViewState, ctx: Context, theme: Theme, width: number, back = false): Line {
	if (state.prompt) return promptLine(state, ctx, theme, width);
	const out: Segment[] = [];
	if (state.message) out.push(seg(theme, state.message.text + '  ', {color: state.message.tone === 'error' ? 'red' : 'cyan', bold: true}));
	const statusView: StatusView = {
		aggregated: state.aggregated,
		sort: state.sort,
		attributes: attributesShown(state, ctx.layout.right?.width ?? width),
		wastedOnly: state.wastedOnly,
		filter: state.filter,
	};
	// Where contents cannot be read (stdin), the keys that read them are not offered.
	const lang = ctx.model.advice.lang;
	const items = statusItems(state.overlay?.kind ?? state.pane, statusView, lang)
		.filter(item => !ctx.contentUnavailable || (item.action !== 'view' && item.action !== 'export'))
		.map(item => (back && item.action === 'quit' ? {...item, label: statusLabel(bindingOf('storeExplorer', 'back'), statusView, lang)!} : item));
	// Help and Quit always show, at the end; the others in order while they fit.
	const always = items.filter(item => item.action === 'help' || item.action === 'quit' || item.action === 'close');
	let used = out.reduce((sum, s) => sum + textWidth(s.text), 0) + always.reduce((sum, item) => sum + textWidth(`${item.key} ${item.label}  `), 0);
	let full = false;
	for (const item of items) {
		if (always.includes(item)) continue;
		const text = `${item.key} ${item.label}  `;
		if (full || used + textWidth(text) > width) {
			full = true;
			continue;
		}
		out.push(seg(theme, item.key, {bold: true}), seg(theme, ` ${item.label}  `));
		used += textWidth(text);
	}
	for (const item of always) out.push(seg(theme, item.key, {bold: true}), seg(theme, ` ${item.label}  `));
	return fitLine(out, width);
}
