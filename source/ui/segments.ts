// The pieces every part of the screen is drawn with: a styled segment (colour dropped when colours are off),
// a pane title, a blank line.
import {fitLine, textWidth, truncate, type Line, type Segment} from './cells.js';

export interface Theme {
	color: boolean;
}

export function seg(theme: Theme, text: string, style: Omit<Segment, 'text'> = {}): Segment {
	if (!theme.color && style.color) {
		const {color: _color, ...rest} = style;
		return {text, ...rest};
	}
	return {text, ...style};
}

/** A pane's title line: inverse when the pane has the focus, else `─ Title ───`. */
export function title(theme: Theme, text: string, width: number, focused: boolean): Line {
	if (focused) return fitLine([seg(theme, ` ${text} `, {inverse: true, bold: true})], width, {inverse: true});
	const shown = truncate(text, Math.max(0, width - 3));
	return fitLine(
		[seg(theme, '─ ', {dim: true}), seg(theme, shown, {bold: true}), seg(theme, ' ' + '─'.repeat(Math.max(0, width - textWidth(shown) - 3)), {dim: true})],
		width,
	);
}

export function blank(width: number): Line {
	return [{text: ' '.repeat(Math.max(0, width))}];
}
