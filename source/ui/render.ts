// Draw the explorer into lines of styled segments, exactly the terminal's size. Pure: (state, model, layout) -> lines.
// Each pane and overlay draws itself (panes/*-view.ts, overlays/); this file puts them side by side or alone.
// Only what fits is drawn: the layer list, the wasted list and the file tree render the window of rows on screen.
// Every string from the image goes through visible(): no byte of an image reaches the terminal as a control.
import {messages} from '../i18n/catalogue.js';
import {fitLine, truncate, type Line} from './cells.js';
import {keyOf} from './bindings.js';
import type {Rect} from './layout.js';
import {configOverlay} from './overlays/config.js';
import {contentOverlay} from './overlays/content.js';
import {explainBox} from './overlays/explain.js';
import {helpOverlay} from './overlays/help.js';
import {filesPane} from './panes/files-view.js';
import {detailRows, layerRows} from './panes/layers-view.js';
import {imageRows} from './panes/waste-view.js';
import {blank, seg, title, type Theme} from './segments.js';
import type {Context, ViewState} from './view-state.js';
import {statusBar} from './status-bar.js';

export type {Theme} from './segments.js';

/** The left column: the layers pane, the selected layer's details, the image details with the wasted files. */
function leftColumn(state: ViewState, ctx: Context, theme: Theme): Line[] {
	const {layout} = ctx;
	const left = layout.left!;
	const width = left.width;
	const {layers} = ctx.model.analysis;
	const t = messages(ctx.model.advice.lang).ui;
	const lines: Line[] = [];
	lines.push(title(theme, t.layersTitle(layers.length === 0 ? 0 : state.layer + 1, layers.length), width, state.pane === 'layers'));
	lines.push(...layerRows(state, ctx, theme, layout.layers!));
	lines.push(title(theme, t.layerDetailsTitle(state.layer), width, false));
	lines.push(...detailRows(state, ctx, theme, layout.details!));
	lines.push(title(theme, t.imageDetailsTitle, width, state.pane === 'waste'));
	lines.push(...imageRows(state, ctx, theme, layout.image!, layout.wasteList && layout.wasteList.height > 0 ? layout.wasteList : null));
	while (lines.length < left.height) lines.push(blank(width));
	return lines.slice(0, left.height);
}

/** The whole screen: `layout.height` lines of `layout.width` cells; `back`: opened from an image list (q goes back to it). */
export function renderScreen(state: ViewState, ctx: Context, theme: Theme, back = false): Line[] {
	const {layout} = ctx;
	const {width, height} = layout;
	const lang = ctx.model.advice.lang;
	if (layout.tooSmall) {
		const tooSmall = messages(lang).ui.tooSmall(width, height, keyOf('global', 'quit'));
		const lines: Line[] = [fitLine([seg(theme, truncate(tooSmall, width), {bold: true})], width)];
		while (lines.length < height) lines.push(blank(width));
		return lines.slice(0, height);
	}
	const content = height - 1;
	let left = layout.left ? leftColumn(state, ctx, theme) : null;
	let right = layout.right ? filesPane(state, ctx, theme) : null;
	const overlay = state.overlay;
	if (overlay) {
		const full: Rect = {x: 0, y: 0, width, height: content};
		if (overlay.kind === 'help') {
			left = null;
			right = helpOverlay(state, theme, full, lang, back);
		} else {
			const rect = layout.right ?? full;
			const box =
				overlay.kind === 'content'
					? contentOverlay(state, theme, rect, lang)
					: overlay.kind === 'config'
						? configOverlay(state, ctx.model, theme, rect)
						: explainBox(state, ctx, theme, rect);
			if (layout.right) right = box;
			else {
				left = null;
				right = box;
			}
		}
	}
	const lines: Line[] = [];
	for (let y = 0; y < content; y++) {
		if (left && right) lines.push([...(left[y] ?? blank(layout.left!.width)), seg(theme, '│', {dim: true}), ...(right[y] ?? blank(layout.right!.width))]);
		else lines.push((left ?? right)![y] ?? blank(width));
	}
	lines.push(statusBar(state, ctx, theme, width, back));
	return lines;
}

/** The screen as plain text (tests, debugging). */
export function screenText(lines: Line[]): string {
	return lines.map(line => line.map(s => s.text).join('')).join('\n');
}
