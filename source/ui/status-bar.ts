// The last line: a message, then the focused pane's bindings from the table (those that fit; Help always shows,
// last), or the prompt being typed.
import {statusItems, type StatusView} from './bindings.js';
import {fitLine, textWidth, type Line, type Segment} from './cells.js';
import {promptLine} from './overlays/prompt.js';
import {seg, type Theme} from './segments.js';
import type {ViewState} from './state.js';

export function statusBar(state: ViewState, theme: Theme, width: number): Line {
	if (state.prompt) return promptLine(state, theme, width);
	const out: Segment[] = [];
	if (state.message) out.push(seg(theme, state.message.text + '  ', {color: state.message.tone === 'error' ? 'red' : 'cyan', bold: true}));
	const statusView: StatusView = {aggregated: state.aggregated, sort: state.sort, attributes: state.attributes, wastedOnly: state.wastedOnly, filter: state.filter};
	const items = statusItems(state.pane, statusView);
	const help = items.find(item => item.label === 'Help');
	let used = out.reduce((sum, s) => sum + textWidth(s.text), 0) + (help ? textWidth(`${help.key} ${help.label}`) : 0);
	for (const item of items) {
		if (item === help) continue;
		const text = `${item.key} ${item.label}  `;
		if (used + textWidth(text) > width) continue;
		out.push(seg(theme, item.key, {bold: true}), seg(theme, ` ${item.label}  `));
		used += textWidth(text);
	}
	if (help) out.push(seg(theme, help.key, {bold: true}), seg(theme, ` ${help.label}`));
	return fitLine(out, width);
}
