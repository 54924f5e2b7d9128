// One helper for every list of the explorer (layers, file rows, wasted files, an overlay's lines): a cursor and the
// first row shown; moves by a step, a page or to either end, and scrolling that keeps the cursor in view.
import type {ActionName} from './bindings.js';

export interface ListCursor {
	/** The selected row. */
	cursor: number;
	/** The first row shown. */
	scroll: number;
}

export const LIST_START: ListCursor = {cursor: 0, scroll: 0};

export function clamp(value: number, low: number, high: number): number {
	return Math.max(low, Math.min(high, value));
}

/** Scroll so that `cursor` shows in a window of `height` rows (with a row of context where there is room). */
export function follow(cursor: number, scroll: number, height: number, total: number): number {
	if (height <= 0) return 0;
	const margin = height > 6 ? 1 : 0;
	let top = scroll;
	if (cursor < top + margin) top = cursor - margin;
	if (cursor > top + height - 1 - margin) top = cursor - height + 1 + margin;
	return clamp(top, 0, Math.max(0, total - height));
}

/** Where a movement (up, down, a page of `page` rows, top, bottom) takes a cursor at `at`; null for other actions. */
export function cursorStep(action: ActionName, page: number): ((at: number) => number) | null {
	switch (action) {
		case 'up':
			return at => at - 1;
		case 'down':
			return at => at + 1;
		case 'pageUp':
			return at => at - page;
		case 'pageDown':
			return at => at + page;
		case 'top':
			return () => 0;
		case 'bottom':
			return () => Infinity;
		default:
			return null;
	}
}

/** The cursor on `target` (kept inside a list of `count` rows), scrolled into a window of `height` rows. */
export function moveTo(list: ListCursor, target: number, count: number, height: number): ListCursor {
	const cursor = clamp(target, 0, count - 1);
	return {cursor, scroll: follow(cursor, list.scroll, height, count)};
}

/** The same cursor, scrolled into view (after the list or its window changed). */
export function keepVisible(list: ListCursor, count: number, height: number): ListCursor {
	return {cursor: list.cursor, scroll: follow(list.cursor, list.scroll, height, count)};
}

/** The row a click at window row `y` selects. */
export function rowAt(list: ListCursor, y: number): number {
	return list.scroll + y;
}
