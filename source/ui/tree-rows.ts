// The rows of a layer view the explorer shows (layer-view.ts builds the views). Each step is cached on its inputs
// (explorer-model.ts), so a key press that only moves the cursor costs nothing here:
//   1. keep mask (per view + filters): which paths pass the filters, or hold one that does. O(n) per filter change;
//      the path filter's matches are kept per pattern over the global preorder (a few patterns back, so that a
//      backspace is free), and a literal pattern that extends the last one tests only the paths that matched it.
//   2. rows (per keep mask + collapsed set): the preorder indices shown, and tree guides. O(n) per collapse change.
// The explorer renders only the window of rows that fits the screen.
import {TreeColumns} from '../model/tree-nodes.js';
import type {FsNode} from '../model/types.js';
import {globalPaths, nameOf, ROW_STATUS, type GlobalTree, type LayerView} from './layer-view.js';

export interface StatusFilter {
	added: boolean;
	modified: boolean;
	removed: boolean;
	unchanged: boolean;
}

export interface RowFilter {
	status: StatusFilter;
	wastedOnly: boolean;
	/** A regular expression matched against the whole path; case-insensitive unless it has a capital letter. */
	path: string;
}

export const ALL_STATUSES: StatusFilter = {added: true, modified: true, removed: true, unchanged: true};

function statusShown(filter: StatusFilter, code: number): boolean {
	switch (code) {
		case ROW_STATUS.added:
			return filter.added;
		case ROW_STATUS.modified:
		case ROW_STATUS.rewritten:
			return filter.modified;
		case ROW_STATUS.removed:
			return filter.removed;
		default:
			return filter.unchanged;
	}
}

/** A typed pattern, compiled: a regular expression, and why it is not one when it does not compile. */
export interface Pattern {
	test: (text: string) => boolean;
	/** Where the pattern matches in a text (for underlining), or null. */
	find: (text: string) => {at: number; length: number} | null;
	/** Set when the text is not a valid regular expression: it is then matched as plain text. */
	error: string | null;
}

const patterns = new Map<string, Pattern>();

/**
 * A regular expression (like dive's filter), case-insensitive unless it has a capital letter (like less and vim's
 * smartcase). Text that does not compile is matched as plain text, and `error` says why.
 */
export function compilePattern(query: string): Pattern {
	const cached = patterns.get(query);
	if (cached) return cached;
	const flags = /[A-Z]/.test(query) ? '' : 'i';
	let regex: RegExp;
	let error: string | null = null;
	try {
		regex = new RegExp(query, flags);
	} catch (caught) {
		error = (caught as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
		regex = new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags);
	}
	const pattern: Pattern = {
		test: query === '' ? () => true : text => regex.test(text),
		find: text => {
			const found = regex.exec(text);
			return found && found[0].length > 0 ? {at: found.index, length: found[0].length} : null;
		},
		error,
	};
	if (patterns.size > 100) patterns.clear();
	patterns.set(query, pattern);
	return pattern;
}

/** The test of a typed pattern (compilePattern). */
export function matcher(query: string): (text: string) => boolean {
	return compilePattern(query).test;
}

export function filterIsEmpty(filter: RowFilter): boolean {
	const s = filter.status;
	return s.added && s.modified && s.removed && s.unchanged && !filter.wastedOnly && filter.path === '';
}

/** Has no character a regular expression treats specially: matches only where the text occurs. */
const LITERAL = /^[^.*+?^${}()|[\]\\]*$/;
/** Printable ASCII: where lower-casing agrees with the case-insensitive match of a regular expression. */
const ASCII = /^[\x20-\x7e]*$/;

/** Path filter matches per global tree: 1 by global preorder index where the path matches, for the last few patterns. */
const pathMatchCache = new WeakMap<GlobalTree, Map<string, Uint8Array>>();

/** Which paths of the image match a path filter, by global preorder index. */
export function pathMatches(global: GlobalTree, query: string): Uint8Array {
	let cache = pathMatchCache.get(global);
	if (!cache) pathMatchCache.set(global, (cache = new Map<string, Uint8Array>()));
	const cached = cache.get(query);
	if (cached) {
		cache.delete(query);
		cache.set(query, cached);
		return cached;
	}
	const paths = globalPaths(global);
	const test = matcher(query);
	const match = new Uint8Array(global.count);
	// A literal that contains an earlier literal matches only where that one did (a capital letter added makes it
	// exact, which narrows it too): test those paths alone. The newest such earlier pattern is the narrowest.
	let narrower: Uint8Array | null = null;
	if (LITERAL.test(query) && ASCII.test(query))
		for (const [earlier, found] of cache)
			if (
				earlier !== '' &&
				LITERAL.test(earlier) &&
				ASCII.test(earlier) &&
				query.toLowerCase().includes(earlier.toLowerCase()) &&
				(/[A-Z]/.test(earlier) ? query.includes(earlier) : true)
			)
				narrower = found;
	if (narrower) {
		for (let g = 0; g < global.count; g++) if (narrower[g] === 1 && test(paths[g])) match[g] = 1;
	} else {
		for (let g = 0; g < global.count; g++) if (test(paths[g])) match[g] = 1;
	}
	cache.set(query, match);
	if (cache.size > 8) cache.delete(cache.keys().next().value!);
	return match;
}

/** A pattern no path holds (paths have no NUL), for warmPathFilter. */
const NO_PATH = '\u0000';

/**
 * Run the path filter's loops once over `view` with a pattern no path matches, its matches not kept. A filter's first
 * keystroke otherwise runs them cold: V8 optimizes a loop for the branches it has seen run, and the path test and the
 * mask's path branch had never run (the first keystroke took 30-50 ms on 100,000 paths, against 5-10 later).
 */
export function warmPathFilter(view: LayerView): void {
	keepMask(view, {status: ALL_STATUSES, wastedOnly: false, path: NO_PATH});
	pathMatchCache.get(view.global)?.delete(NO_PATH);
}

/**
 * 1 for each path that passes the filter or has a descendant that does; null when nothing is filtered. `counted`
 * gets the number of paths that pass it themselves (what the path filter's prompt shows).
 */
export function keepMask(view: LayerView, filter: RowFilter, counted?: {matched: number}): Uint8Array | null {
	if (counted) counted.matched = view.count;
	if (filterIsEmpty(filter)) return null;
	let matched = 0;
	const keep = new Uint8Array(view.count);
	const pathMatch = filter.path === '' ? null : pathMatches(view.global, filter.path);
	const globalAt = view.global.at;
	const {status, wasted, parent, id} = view;
	// Status codes shown, as a table.
	const shown = new Uint8Array(STATUS_COUNT);
	for (let code = 0; code < STATUS_COUNT; code++) shown[code] = statusShown(filter.status, code) ? 1 : 0;
	const wastedOnly = filter.wastedOnly;
	for (let i = view.count - 1; i >= 0; i--) {
		const self = shown[status[i]] === 1 && (!wastedOnly || wasted[i] === 1) && (!pathMatch || pathMatch[globalAt[id[i]]] === 1);
		if (self) {
			keep[i] = 1;
			matched++;
		}
		// Kept (itself, or for a descendant kept before it in this backwards pass): its parent holds it.
		const p = parent[i];
		if (keep[i] === 1 && p >= 0) keep[p] = 1;
	}
	if (counted) counted.matched = matched;
	return keep;
}

const STATUS_COUNT = Math.max(...Object.values(ROW_STATUS)) + 1;

/** Directories shown collapsed: all of them but `toggled`, or only `toggled`. Immutable. */
export interface Collapse {
	all: boolean;
	toggled: ReadonlySet<FsNode>;
}

export const NONE_COLLAPSED: Collapse = {all: false, toggled: new Set()};

export function isCollapsed(collapse: Collapse, node: FsNode): boolean {
	return collapse.all !== collapse.toggled.has(node);
}

/** The node ids of the toggled directories (the FsNode objects of tree-nodes.ts carry theirs). */
export function toggledIds(collapse: Collapse): Set<number> {
	const ids = new Set<number>();
	for (const node of collapse.toggled) ids.add(TreeColumns.idOf(node));
	return ids;
}

/** Whether row `index` of a view is a directory shown collapsed, without making its FsNode. */
export function collapsedAt(collapse: Collapse, toggled: ReadonlySet<number>, view: LayerView, index: number): boolean {
	return view.isDir[index] === 1 && collapse.all !== toggled.has(view.id[index]);
}

export interface Rows {
	view: LayerView;
	keep: Uint8Array | null;
	/** Preorder indices of the rows shown, ascending. */
	rows: Int32Array;
	/** By preorder index, for rows shown: another row follows at the same depth under the same parent. */
	hasNext: Uint8Array;
}

/**
 * 1 for each row that is a directory shown collapsed (collapsedAt's rule, for every row at once); null when none is. A
 * column, not a lookup of the toggled set per row: on 100,000 rows that was most of the rows' time once a directory
 * had been toggled.
 */
function foldedRows(view: LayerView, collapse: Collapse): Uint8Array | null {
	if (!collapse.all && collapse.toggled.size === 0) return null;
	const folded = new Uint8Array(view.count);
	if (collapse.all) folded.set(view.isDir.subarray(0, view.count));
	for (const node of collapse.toggled) {
		const i = view.indexOf.get(node);
		if (i !== undefined && view.isDir[i] === 1) folded[i] = collapse.all ? 0 : 1;
	}
	return folded;
}

export function visibleRows(view: LayerView, keep: Uint8Array | null, collapse: Collapse): Rows {
	// The view's columns in locals: a property load per row made these loops several times slower.
	const {count, end, depth} = view;
	const out = new Int32Array(count);
	let n = 0;
	const folded = foldedRows(view, collapse);
	for (let i = 0; i < count;) {
		if (keep && keep[i] === 0) {
			i = end[i];
			continue;
		}
		out[n++] = i;
		if (folded && folded[i] === 1) i = end[i];
		else i++;
	}
	const rows = out.slice(0, n);
	const hasNext = new Uint8Array(count);
	// Backwards: a row at depth d has a next sibling when one came (later) at d since the last row above d. The levels
	// below d are closed by it: cleared up to the deepest one set (each set is cleared once).
	let deepest = 0;
	for (let r = 0; r < n; r++) if (depth[rows[r]] > deepest) deepest = depth[rows[r]];
	const open = new Uint8Array(deepest + 2);
	let set = -1;
	for (let r = n - 1; r >= 0; r--) {
		const i = rows[r];
		const d = depth[i];
		hasNext[i] = open[d];
		for (let k = d + 1; k <= set; k++) open[k] = 0;
		open[d] = 1;
		set = d;
	}
	return {view, keep, rows, hasNext};
}

/** Row number of a preorder index, or the row of the closest index before it (rows are ascending). */
export function rowOf(rows: Int32Array, index: number): {row: number; exact: boolean} {
	let lo = 0;
	let hi = rows.length - 1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		const value = rows[mid];
		if (value === index) return {row: mid, exact: true};
		if (value < index) lo = mid + 1;
		else hi = mid - 1;
	}
	return {row: Math.max(0, hi), exact: false};
}

/** Tree guides before a row's name: `│  ├─ `. Collapsed directories end in `⊕`. */
export function treeGuide(rows: Rows, index: number, collapsed: boolean, maxDepth = 64): string {
	const {view, hasNext} = rows;
	const depth = view.depth[index];
	const parts: string[] = [];
	let ancestor = view.parent[index];
	for (let d = depth - 1; d >= 0 && ancestor >= 0; d--) {
		parts.push(hasNext[ancestor] ? '│  ' : '   ');
		ancestor = view.parent[ancestor];
	}
	parts.reverse();
	const own = (hasNext[index] ? '├' : '└') + (collapsed ? '⊕ ' : '─ ');
	if (parts.length > maxDepth)
		return (
			'…' +
			parts
				.slice(parts.length - maxDepth)
				.join('')
				.slice(1) +
			own
		);
	return parts.join('') + own;
}

/** Next path (in preorder, wrapping) after `from` whose name matches, among the paths the filters keep. */
export function findMatch(view: LayerView, keep: Uint8Array | null, query: string, from: number, direction: 1 | -1, includeFrom = false): number {
	if (query === '' || view.count === 0) return -1;
	const test = matcher(query);
	const n = view.count;
	const start = includeFrom ? from : from + direction;
	for (let step = 0; step < n; step++) {
		const i = (((start + direction * step) % n) + n) % n;
		if (keep && keep[i] === 0) continue;
		if (test(nameOf(view, i))) return i;
	}
	return -1;
}

/** Among the paths the filters keep, how many names match, and the rank (from 1) of `index` among them. */
export function matchRank(view: LayerView, keep: Uint8Array | null, query: string, index: number): {rank: number; total: number} {
	const test = matcher(query);
	let rank = 0;
	let total = 0;
	for (let i = 0; i < view.count; i++) {
		if ((keep && keep[i] === 0) || !test(nameOf(view, i))) continue;
		total++;
		if (i <= index) rank = total;
	}
	return {rank, total};
}

/** The ancestors of a path in the view, nearest first. */
export function ancestorsOf(view: LayerView, index: number): number[] {
	const out: number[] = [];
	for (let p = view.parent[index]; p >= 0; p = view.parent[p]) out.push(p);
	return out;
}
