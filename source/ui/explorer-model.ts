// The analysis with the caches the explorer draws from: views per layer, per view the rows of the current filters,
// and the wasted bytes below each directory (indexed once, not scanned per frame).
import {advise, type Advice, type AdviseOptions} from '../advice/index.js';
import type {ImageAnalysis} from '../model/types.js';
import {globalPaths, STATUS_CODES, type LayerView} from './layer-view.js';
import {ViewCache} from './view-cache.js';
import {keepMask, visibleRows, warmPathFilter, type Collapse, type Rows, type StatusFilter} from './tree-rows.js';
import type {SortOrder} from './layer-view.js';
import {wasteRows, type WasteRow} from './panes/waste-rows.js';

/** A layer's own changes by status, as its tree shows them. */
export type ChangeCounts = Record<'added' | 'modified' | 'rewritten' | 'removed', number>;

/** What the rows depend on: the view (layer, mode, sort), the filters and the collapsed directories. */
export interface RowQuery {
	layer: number;
	aggregated: boolean;
	sort: SortOrder;
	filter: StatusFilter;
	wastedOnly: boolean;
	pathFilter: string;
	collapse: Collapse;
}

/** Up to this many paths, idle time also makes the full paths a path filter tests (some 10 ms per 100,000). */
const SPECULATIVE_PATHS = 250_000;
/** Idle time makes layers beyond the next ones while the views kept hold at most this many rows (some 80 MB). */
const FAR_ROWS = 2_000_000;

// The CLI's --lang and --dockerfile, set once before the explorer starts (the explorer makes its model itself).
let adviceOptions: AdviseOptions = {};
export function setExplorerAdvice(options: AdviseOptions): void {
	adviceOptions = options;
}

export class ExplorerModel {
	readonly views: ViewCache;
	private readonly memo = new WeakMap<LayerView, {key: string; keep: Uint8Array | null; matched: number; collapse: Collapse | null; rows: Rows | null}>();
	private readonly counts = new Map<number, ChangeCounts>();
	private wastedBelow: Map<string, number> | null = null;
	private wasteMemo: {open: ReadonlySet<string>; rows: WasteRow[]} | null = null;
	/** Whether idle time has made the first view of the other sort and the other mode (prefetch). */
	private warmed = false;
	/** Whether idle time has run the path filter's loops once (warmPathFilter). */
	private filterWarmed = false;
	private adviceMemo: Advice | null = null;

	constructor(
		readonly analysis: ImageAnalysis,
		private readonly adviceWith: AdviseOptions = adviceOptions,
	) {
		this.views = new ViewCache(analysis.tree);
	}

	/** The advisor's findings, computed once, when `x` or the image details first need them. */
	get advice(): Advice {
		return (this.adviceMemo ??= advise(this.analysis, this.adviceWith));
	}

	view(state: Pick<RowQuery, 'layer' | 'aggregated' | 'sort'>): LayerView {
		return this.views.get({layer: state.layer, aggregated: state.aggregated, sort: state.sort});
	}

	rows(state: RowQuery): Rows {
		const view = this.view(state);
		const f = state.filter;
		const key = `${+f.added}${+f.modified}${+f.removed}${+f.unchanged}${+state.wastedOnly}\u0000${state.pathFilter}`;
		let memo = this.memo.get(view);
		if (!memo || memo.key !== key) {
			const counted = {matched: 0};
			memo = {
				key,
				keep: keepMask(view, {status: state.filter, wastedOnly: state.wastedOnly, path: state.pathFilter}, counted),
				matched: counted.matched,
				collapse: null,
				rows: null,
			};
			this.memo.set(view, memo);
		}
		if (memo.collapse !== state.collapse || !memo.rows) {
			memo.rows = visibleRows(view, memo.keep, state.collapse);
			memo.collapse = state.collapse;
		}
		return memo.rows;
	}

	/** The wasted-files pane's rows with these directories open (wasteRows), kept while the set is the same. */
	wasteRows(open: ReadonlySet<string>): WasteRow[] {
		if (this.wasteMemo?.open !== open) this.wasteMemo = {open, rows: wasteRows(this.analysis.waste.files, open)};
		return this.wasteMemo.rows;
	}

	/** Paths that pass the filters themselves (not only for what they hold). */
	matched(state: RowQuery): number {
		this.rows(state);
		return this.memo.get(this.view(state))?.matched ?? 0;
	}

	/**
	 * The rows of a layer's own changes by status, as its tree shows them (a removed directory's contents, implied
	 * parents): the statuses of the layer's view by name (in the aggregated view, a view built for this alone, so the
	 * idle work makes those of the layers next to the selected one too).
	 */
	changeCounts(layer: number): ChangeCounts {
		let counts = this.counts.get(layer);
		if (!counts) {
			const byCode = this.view({layer, aggregated: false, sort: 'name'}).statusCounts;
			counts = {added: 0, modified: 0, rewritten: 0, removed: 0};
			for (const [code, status] of STATUS_CODES.entries()) if (status !== 'unchanged') counts[status] = byCode[code];
			this.counts.set(layer, counts);
		}
		return counts;
	}

	/**
	 * While idle, one step at a time, each until `deadline` (performance.now()): get the layers next to the selected
	 * one ready, so moving to them is a cache hit; then, on trees small enough, this layer sorted the other way and in
	 * the other mode (that one for every layer), the next layers' change counts, the paths the path filter matches
	 * against, a first run of the filter's loops (once), and the layers further on while the views kept stay within
	 * FAR_ROWS. Views are built a slice at a time (ViewCache advance), so a key that comes meanwhile waits for one
	 * slice, not a whole build. Whether there is more to do.
	 */
	prefetch(state: RowQuery, deadline = Infinity): boolean {
		// The rows (filters, collapsed directories) are a step of their own, after the step that finished the view.
		const ahead = (query: RowQuery): boolean => {
			const key = {layer: query.layer, aggregated: query.aggregated, sort: query.sort};
			if (this.views.has(key)) this.rows(query);
			else this.views.advance(key, deadline);
			return true;
		};
		for (const layer of [state.layer + 1, state.layer - 1]) {
			if (layer < 0 || layer >= this.analysis.layers.length) continue;
			const query = {...state, layer};
			if (this.ready(query)) continue;
			return ahead(query);
		}
		const global = this.views.globalTree();
		if (global.count > SPECULATIVE_PATHS) return false;
		// Once: this layer's views for the other sort and the other mode, and a layer two further on by size in both
		// modes (and by name, aggregated). The first builds of each kind run cold code: V8 optimizes a loop for the
		// branches it has seen run and throws the code away when another first runs, so a first layer move by size, or
		// in the aggregated view, took 50-80 ms against 15-30 later. Better spent while the user reads the first screen
		// than after a key; the views are kept, but layers further on are not made ahead (that would double every layer
		// move's idle work).
		if (!this.warmed) {
			const far = Math.min(this.analysis.layers.length - 1, state.layer + 2);
			for (const other of [
				{...state, sort: state.sort === 'name' ? 'size' : 'name'},
				{...state, aggregated: !state.aggregated},
				{...state, layer: far, sort: 'size'},
				{...state, layer: far, aggregated: true, sort: 'size'},
				{...state, layer: far, aggregated: true, sort: 'name'},
			] satisfies RowQuery[]) {
				if (this.ready(other)) continue;
				return ahead(other);
			}
			this.warmed = true;
		}
		// This layer in the other mode (the aggregated view and back is one key).
		const otherMode = {...state, aggregated: !state.aggregated};
		if (!this.ready(otherMode)) return ahead(otherMode);
		// The details of the layers next to this one count their own changes, from their views by name: made above
		// unless aggregated, and then made here.
		for (const layer of [state.layer + 1, state.layer - 1]) {
			if (layer < 0 || layer >= this.analysis.layers.length || this.counts.has(layer)) continue;
			const own = {layer, aggregated: false, sort: 'name' as const};
			if (this.views.has(own)) this.changeCounts(layer);
			else this.views.advance(own, deadline);
			return true;
		}
		if (!global.paths) {
			globalPaths(global);
			return true;
		}
		if (!this.filterWarmed) {
			this.filterWarmed = true;
			warmPathFilter(this.view(state));
			return true;
		}
		// Then the layers further on, nearest first, as they are shown now, while the views kept stay within FAR_ROWS:
		// a run of layer moves then finds each view made (a move that came before its view was made built it then).
		for (let away = 2; away < this.analysis.layers.length; away++)
			for (const layer of [state.layer + away, state.layer - away]) {
				if (layer < 0 || layer >= this.analysis.layers.length) continue;
				const query = {...state, layer};
				if (this.ready(query)) continue;
				if (!this.views.has(query) && this.views.keptRows + global.count > FAR_ROWS) return false;
				return ahead(query);
			}
		return false;
	}

	/** Whether the rows of `query` are made (its view built and its rows as the filters leave them). */
	private ready(query: RowQuery): boolean {
		const key = {layer: query.layer, aggregated: query.aggregated, sort: query.sort};
		if (!this.views.has(key)) return false;
		const memo = this.memo.get(this.views.get(key));
		return memo?.rows != null && memo.collapse === query.collapse;
	}

	/** Bytes of the wasted copies below a directory (its path a prefix of theirs). */
	wastedUnder(path: string): number {
		if (!this.wastedBelow) {
			const below = new Map<string, number>();
			for (const file of this.analysis.waste.files) {
				// Every directory above the file, up to the root '/'.
				for (let at = file.path.lastIndexOf('/'); at > 0; at = file.path.lastIndexOf('/', at - 1)) {
					const dir = file.path.slice(0, at);
					below.set(dir, (below.get(dir) ?? 0) + file.sizeBytes);
				}
				if (file.path.startsWith('/')) below.set('/', (below.get('/') ?? 0) + file.sizeBytes);
			}
			this.wastedBelow = below;
		}
		return this.wastedBelow.get(path) ?? 0;
	}
}
