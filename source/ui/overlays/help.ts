// The help overlay: the status legend, then every binding of the bindings table, grouped by where it applies.
import {messages, type Lang} from '../../i18n/catalogue.js';
import {wrapDisplay} from '../../i18n/text-width.js';
import {helpLines, imageListHelpLines, keyOf} from '../bindings.js';
import {padEnd, wrapText, type Line} from '../cells.js';
import type {Rect} from '../layout.js';
import {seg, type Theme} from '../segments.js';
import type {ViewState} from '../view-state.js';
import {overlayBox} from './box.js';

/** Wrap a help text: Chinese breaks between characters (and never before its closing punctuation), English at spaces. */
function wrapHelp(text: string, width: number, lang: Lang): string[] {
	return lang === 'en' ? wrapText(text, width) : wrapDisplay(text, width);
}

/** The help's lines, wrapped to the box, in a language; `back`: the image was opened from an image list, whose keys come first. */
export function helpBody(theme: Theme, rect: Rect, lang: Lang, back = false): Line[] {
	const t = messages(lang).ui;
	const body: Line[] = [...wrapHelp(t.helpStatus(t.statusLegend), rect.width, lang), ...wrapHelp(t.helpColours, rect.width, lang), ''].map(text => [
		seg(theme, text),
	]);
	const keyWidth = Math.min(28, Math.max(12, Math.floor(rect.width * 0.3)));
	for (const item of [...(back ? imageListHelpLines(lang) : []), ...helpLines(lang)]) {
		if (item.heading) body.push([], [seg(theme, item.heading, {bold: true, underline: true})]);
		else {
			// The text wraps beside its keys: nothing is cut at 80 columns.
			const wrapped = wrapHelp(item.help!, Math.max(10, rect.width - keyWidth - 2), lang);
			wrapped.forEach((text, i) => body.push([seg(theme, padEnd(i === 0 ? item.keys! : '', keyWidth) + '  ', {bold: true}), seg(theme, text)]));
		}
	}
	return body;
}

export function helpOverlay(state: ViewState, theme: Theme, rect: Rect, lang: Lang, back = false): Line[] {
	const t = messages(lang).ui;
	const body = helpBody(theme, rect, lang, back);
	return overlayBox(theme, t, t.helpTitle(keyOf('help', 'close'), keyOf('overlay', 'close')), body, state.overlay?.scroll ?? 0, rect);
}
