// Where each pane goes for a terminal size: two columns like dive when there is room, one pane at a time when narrow.
// Pure: the renderer draws into these rectangles and the mouse handler reads them back.

export interface Rect {
	x: number;
	y: number;
	width: number;
	height: number;
}

export interface Layout {
	width: number;
	/** Lines the explorer draws (the terminal's rows less one: the cursor's line stays free so nothing scrolls). */
	height: number;
	narrow: boolean;
	/** Too small to draw panes: a one-line notice, keys still work. */
	tooSmall: boolean;
	left: Rect | null;
	right: Rect | null;
	/** Rows of the layers list (below its title and header). */
	layers: Rect | null;
	details: Rect | null;
	/** Image details: summary lines, then the wasted-files list. */
	image: Rect | null;
	wasteList: Rect | null;
	/** Rows of the file tree (below its title and header, above its footer). */
	tree: Rect | null;
	/** The status bar (or the prompt) line. */
	statusY: number;
}

export const NARROW_BELOW = 70;
export const IMAGE_SUMMARY_LINES = 6;

export interface LayoutInput {
	width: number;
	height: number;
	layerCount: number;
	pane: 'layers' | 'files' | 'waste';
	/** Lines the image details' summary takes at a column width (it wraps); IMAGE_SUMMARY_LINES when not given. */
	summaryLines?: (width: number) => number;
}

export function computeLayout({width, height, layerCount, pane, summaryLines}: LayoutInput): Layout {
	const w = Math.max(1, Math.floor(width));
	const h = Math.max(1, Math.floor(height));
	const empty: Layout = {
		width: w,
		height: h,
		narrow: w < NARROW_BELOW,
		tooSmall: true,
		left: null,
		right: null,
		layers: null,
		details: null,
		image: null,
		wasteList: null,
		tree: null,
		statusY: h - 1,
	};
	if (h < 6 || w < 20) return empty;
	const content = h - 1; // the status bar takes the last line
	const narrow = w < NARROW_BELOW;
	let left: Rect | null;
	let right: Rect | null;
	if (narrow) {
		const full = {x: 0, y: 0, width: w, height: content};
		left = pane === 'files' ? null : full;
		right = pane === 'files' ? full : null;
	} else {
		const leftWidth = Math.min(72, Math.max(32, Math.floor(w * 0.42)));
		left = {x: 0, y: 0, width: leftWidth, height: content};
		right = {x: leftWidth + 1, y: 0, width: w - leftWidth - 1, height: content};
	}

	const layout: Layout = {...empty, tooSmall: false, narrow, left, right};
	if (left) {
		// Titles: layers, its column header, layer details, image details.
		const rest = Math.max(0, left.height - 4);
		let layerRows = Math.max(1, Math.min(layerCount, Math.max(3, Math.floor(rest * 0.42))));
		// Up to 10 detail lines: the counts and the waste wrap rather than cut.
		let detailRows = Math.max(1, Math.min(10, Math.floor((rest - layerRows) * 0.5)));
		const summary = summaryLines?.(left.width) ?? IMAGE_SUMMARY_LINES;
		// The wasted-files pane, focused, shows a few rows at least: the details, then the layers give way.
		if (pane === 'waste') {
			const want = Math.min(5, Math.max(3, rest - summary - 2));
			const short = (): number => want - (rest - layerRows - detailRows - summary);
			if (short() > 0) detailRows = Math.max(1, detailRows - short());
			if (short() > 0) layerRows = Math.max(1, layerRows - short());
		}
		const imageRows = Math.max(0, rest - layerRows - detailRows);
		layout.layers = {x: left.x, y: left.y + 2, width: left.width, height: layerRows};
		layout.details = {x: left.x, y: layout.layers.y + layerRows + 1, width: left.width, height: detailRows};
		layout.image = {x: left.x, y: layout.details.y + detailRows + 1, width: left.width, height: imageRows};
		const shown = Math.min(imageRows, summary);
		layout.wasteList = {x: left.x, y: layout.image.y + shown, width: left.width, height: imageRows - shown};
	}
	if (right) {
		// Title and column header above, the selected path's line below.
		layout.tree = {x: right.x, y: right.y + 2, width: right.width, height: Math.max(1, right.height - 3)};
	}
	return layout;
}

export function inside(rect: Rect | null, x: number, y: number): rect is Rect {
	return !!rect && x >= rect.x && x < rect.x + rect.width && y >= rect.y && y < rect.y + rect.height;
}
