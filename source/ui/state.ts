// The explorer's view state and every change to it, as pure functions: (state, input, context) -> state.
// No Ink here, no I/O: the component feeds key presses in and draws what comes out; file contents and exports
// arrive as actions from the component's effects.
import {lookup, versionAt} from '../model/fs-tree.js';
import type {FsNode, ImageAnalysis} from '../model/types.js';
import {visible} from '../util/sanitize.js';
import {actionFor, type ActionName} from './bindings.js';
import type {InputEvent} from './keys.js';
import {inside, type Layout} from './layout.js';
import {
	ALL_STATUSES,
	ancestorsOf,
	findMatch,
	isCollapsed,
	keepMask,
	NONE_COLLAPSED,
	rowOf,
	visibleRows,
	type Collapse,
	type Rows,
	type StatusFilter,
} from './tree-rows.js';
import {ROW_STATUS, ViewCache, type LayerView, type SortOrder} from './layer-view.js';

export type Pane = 'layers' | 'files' | 'waste';

/** A file version to read: the path in the layer tar that stores its bytes. */
export interface FileTarget {
	/** Path as stored (for a hard link: its target). */
	path: string;
	/** Path as selected in the tree. */
	shownPath: string;
	/** The layer whose tar holds the bytes. */
	layer: number;
	/** The layer whose view it was selected in. */
	viewLayer: number;
	size: number;
	hash?: string;
}

/** A file's first bytes, as text lines or as bytes for a hex dump (laid out for the pane's width when drawn). */
export type ContentView = ({kind: 'text'; lines: string[]} | {kind: 'hex'; bytes: Buffer}) & {
	/** Bytes shown, and the file's full size. */
	shown: number;
	size: number;
};

/** Bytes per hex dump row for a width: 16 like hexdump -C when it fits, else fewer. */
export function hexPerRow(width: number): number {
	return width >= 78 ? 16 : width >= 44 ? 8 : 4;
}

export function contentLineCount(content: ContentView, width: number): number {
	return content.kind === 'text' ? content.lines.length : Math.ceil(content.bytes.length / hexPerRow(width));
}

export function contentLine(content: ContentView, index: number, width: number): string {
	if (content.kind === 'text') return content.lines[index] ?? '';
	const per = hexPerRow(width);
	const offset = index * per;
	const row = content.bytes.subarray(offset, offset + per);
	const hex = [...row].map(b => b.toString(16).padStart(2, '0'));
	const groups: string[] = [];
	for (let i = 0; i < per; i += 8) groups.push(hex.slice(i, i + 8).join(' ').padEnd(Math.min(8, per) * 3 - 1));
	const ascii = [...row].map(b => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
	return `${offset.toString(16).padStart(8, '0')}  ${groups.join('  ')}  |${ascii}|`;
}

export type Subject = {type: 'file'; node: FsNode; layer: number} | {type: 'layer'; layer: number} | {type: 'waste'; index: number};

export type Overlay =
	| {kind: 'help'; scroll: number}
	| {kind: 'explain'; scroll: number; subject: Subject}
	| {kind: 'content'; scroll: number; target: FileTarget; id: number; content: ContentView | null; error: string | null};

export type Prompt =
	| {kind: 'filter'; text: string}
	| {kind: 'search'; text: string; origin: FsNode | null}
	| {kind: 'export'; text: string; target: FileTarget}
	| {kind: 'overwrite'; text: string; target: FileTarget; path: string};

export interface PendingExport {
	id: number;
	target: FileTarget;
	path: string;
	overwrite: boolean;
}

export interface ViewState {
	pane: Pane;
	layer: number;
	layerScroll: number;
	aggregated: boolean;
	sort: SortOrder;
	filter: StatusFilter;
	wastedOnly: boolean;
	pathFilter: string;
	search: string;
	collapse: Collapse;
	cursor: FsNode | null;
	/** Row the cursor was last on: where it lands when its path leaves the view. */
	cursorRow: number;
	scroll: number;
	attributes: boolean;
	wasteCursor: number;
	wasteScroll: number;
	overlay: Overlay | null;
	prompt: Prompt | null;
	pendingExport: PendingExport | null;
	message: {text: string; tone: 'info' | 'error'} | null;
	nextId: number;
	quit: boolean;
}

export function initialState(analysis: ImageAnalysis): ViewState {
	return {
		pane: 'layers',
		layer: 0,
		layerScroll: 0,
		aggregated: false,
		sort: 'name',
		filter: ALL_STATUSES,
		wastedOnly: false,
		pathFilter: '',
		search: '',
		collapse: NONE_COLLAPSED,
		cursor: null,
		cursorRow: 0,
		scroll: 0,
		attributes: true,
		wasteCursor: 0,
		wasteScroll: 0,
		overlay: null,
		prompt: null,
		pendingExport: null,
		message: analysis.layers.length === 0 ? {text: 'the image has no layers', tone: 'info'} : null,
		nextId: 1,
		quit: false,
	};
}

/** The analysis with its caches: views per layer, and per view the rows of the current filters. */
export class ExplorerModel {
	readonly views: ViewCache;
	private readonly memo = new WeakMap<LayerView, {key: string; keep: Uint8Array | null; collapse: Collapse | null; rows: Rows | null}>();

	constructor(readonly analysis: ImageAnalysis) {
		this.views = new ViewCache(analysis.tree);
	}

	view(state: Pick<ViewState, 'layer' | 'aggregated' | 'sort'>): LayerView {
		return this.views.get({layer: state.layer, aggregated: state.aggregated, sort: state.sort});
	}

	rows(state: ViewState): Rows {
		const view = this.view(state);
		const f = state.filter;
		const key = `${+f.added}${+f.modified}${+f.removed}${+f.unchanged}${+state.wastedOnly}\u0000${state.pathFilter}`;
		let memo = this.memo.get(view);
		if (!memo || memo.key !== key) {
			memo = {key, keep: keepMask(view, {status: state.filter, wastedOnly: state.wastedOnly, path: state.pathFilter}), collapse: null, rows: null};
			this.memo.set(view, memo);
		}
		if (memo.collapse !== state.collapse || !memo.rows) {
			memo.rows = visibleRows(view, memo.keep, state.collapse);
			memo.collapse = state.collapse;
		}
		return memo.rows;
	}

	/** While idle: get the layers next to the selected one ready, so moving to them is a cache hit. */
	prefetch(state: ViewState): boolean {
		for (const layer of [state.layer + 1, state.layer - 1]) {
			if (layer < 0 || layer >= this.analysis.layers.length) continue;
			const key = {layer, aggregated: state.aggregated, sort: state.sort};
			if (this.views.has(key)) continue;
			this.rows({...state, layer});
			return true;
		}
		return false;
	}
}

export interface Context {
	model: ExplorerModel;
	layout: Layout;
}

/** Where the cursor is in the rows: its row, and its preorder index (-1 when there are no rows). */
export function cursorPosition(state: ViewState, rows: Rows): {row: number; index: number} {
	const {view} = rows;
	if (rows.rows.length === 0) return {row: 0, index: -1};
	if (state.cursor) {
		let index = view.indexOf.get(state.cursor);
		// The path is not in this view: its nearest ancestor that is.
		for (let node = state.cursor.parent; index === undefined && node; node = node.parent) index = view.indexOf.get(node);
		if (index !== undefined) {
			const found = rowOf(rows.rows, index);
			if (found.exact) return {row: found.row, index};
			// Filtered or collapsed away: the closest visible ancestor, else the row before.
			for (const ancestor of ancestorsOf(view, index)) {
				const up = rowOf(rows.rows, ancestor);
				if (up.exact) return {row: up.row, index: ancestor};
			}
		}
	}
	const row = Math.min(Math.max(0, state.cursorRow), rows.rows.length - 1);
	return {row, index: rows.rows[row]};
}

function clamp(value: number, low: number, high: number): number {
	return Math.max(low, Math.min(high, value));
}

/** Scroll so that `cursor` shows in a window of `height` rows (with a row of context where there is room). */
function follow(cursor: number, scroll: number, height: number, total: number): number {
	if (height <= 0) return 0;
	const margin = height > 6 ? 1 : 0;
	let top = scroll;
	if (cursor < top + margin) top = cursor - margin;
	if (cursor > top + height - 1 - margin) top = cursor - height + 1 + margin;
	return clamp(top, 0, Math.max(0, total - height));
}

function treeHeight(ctx: Context): number {
	return ctx.layout.tree?.height ?? Math.max(1, ctx.layout.height - 4);
}

/** Put the tree cursor on a row and scroll to it. */
function moveTree(state: ViewState, ctx: Context, target: (row: number, count: number) => number): ViewState {
	const rows = ctx.model.rows(state);
	if (rows.rows.length === 0) return state;
	const current = cursorPosition(state, rows).row;
	const row = clamp(target(current, rows.rows.length), 0, rows.rows.length - 1);
	return {...state, cursor: rows.view.node[rows.rows[row]], cursorRow: row, scroll: follow(row, state.scroll, treeHeight(ctx), rows.rows.length)};
}

/** After the rows changed (filter, layer, collapse): keep the cursor on its path when it is still there, and in view. */
function settle(state: ViewState, ctx: Context): ViewState {
	const rows = ctx.model.rows(state);
	if (rows.rows.length === 0) return {...state, scroll: 0, cursorRow: 0};
	const {row, index} = cursorPosition(state, rows);
	const cursor = state.cursor && rows.view.indexOf.get(state.cursor) !== undefined && rowOf(rows.rows, rows.view.indexOf.get(state.cursor)!).exact ? state.cursor : rows.view.node[index];
	return {...state, cursor, cursorRow: row, scroll: follow(row, state.scroll, treeHeight(ctx), rows.rows.length)};
}

function selectLayer(state: ViewState, ctx: Context, layer: number): ViewState {
	const count = ctx.model.analysis.layers.length;
	if (count === 0) return state;
	const next = clamp(layer, 0, count - 1);
	const height = ctx.layout.layers?.height ?? 1;
	return settle({...state, layer: next, layerScroll: follow(next, state.layerScroll, height, count)}, ctx);
}

function selectWaste(state: ViewState, ctx: Context, index: number): ViewState {
	const count = ctx.model.analysis.waste.files.length;
	if (count === 0) return state;
	const next = clamp(index, 0, count - 1);
	return {...state, wasteCursor: next, wasteScroll: follow(next, state.wasteScroll, ctx.layout.wasteList?.height ?? 1, count)};
}

function setCollapse(state: ViewState, node: FsNode, collapsed: boolean): ViewState {
	if (isCollapsed(state.collapse, node) === collapsed) return state;
	const toggled = new Set(state.collapse.toggled);
	if (toggled.has(node)) toggled.delete(node);
	else toggled.add(node);
	return {...state, collapse: {all: state.collapse.all, toggled}};
}

/** Put the cursor on a path of the view, opening the directories above it. */
function reveal(state: ViewState, ctx: Context, index: number): ViewState {
	const view = ctx.model.view(state);
	let next = state;
	for (const ancestor of ancestorsOf(view, index)) next = setCollapse(next, view.node[ancestor], false);
	return settle({...next, cursor: view.node[index]}, ctx);
}

function panes(ctx: Context): Pane[] {
	const list: Pane[] = ['layers', 'files'];
	if (ctx.model.analysis.waste.files.length > 0) list.push('waste');
	return list;
}

function switchPane(state: ViewState, ctx: Context, step: number): ViewState {
	const list = panes(ctx);
	const at = Math.max(0, list.indexOf(state.pane));
	const pane = list[(at + step + list.length) % list.length];
	const next = {...state, pane};
	return pane === 'files' ? settle(next, ctx) : next;
}

/** What the files pane has selected, as a version to read. A message when it is not a regular file. */
export function fileTargetAt(model: ExplorerModel, state: ViewState): FileTarget | string {
	const rows = model.rows(state);
	const {index} = cursorPosition(state, rows);
	if (index < 0) return 'no file selected';
	const view = rows.view;
	const node = view.node[index];
	const entry = view.entry[index];
	if (!entry) return 'nothing to show';
	const removed = view.status[index] === ROW_STATUS.removed;
	const version = versionAt(node, removed ? state.layer - 1 : state.layer);
	switch (entry.type) {
		case 'directory':
			return `${visible(node.path)} is a directory`;
		case 'symlink':
			return `${visible(node.path)} is a symbolic link to ${visible(entry.linkTarget ?? '')}`;
		case 'file':
			if (!version?.entry) return 'nothing to show';
			return {path: node.path, shownPath: node.path, layer: version.layer, viewLayer: state.layer, size: entry.size, hash: entry.hash};
		case 'hardlink': {
			const target = entry.linkTarget ? lookup(model.analysis.tree, entry.linkTarget) : undefined;
			const targetVersion = target && version ? versionAt(target, version.layer) : undefined;
			if (!target || !targetVersion?.entry || targetVersion.entry.type !== 'file') return `${visible(node.path)} is a hard link to ${visible(entry.linkTarget ?? '')}, which holds no file`;
			return {path: target.path, shownPath: node.path, layer: targetVersion.layer, viewLayer: state.layer, size: targetVersion.entry.size, hash: targetVersion.entry.hash};
		}
		default:
			return `${visible(node.path)} is a ${entry.type}, not a regular file`;
	}
}

/** A safe default name for an export: the file's own name when it shows exactly as it is. */
function defaultExportName(path: string): string {
	const name = path.slice(path.lastIndexOf('/') + 1);
	return name === '' || name === '.' || name === '..' || visible(name) !== name ? '' : name;
}

function overlayHeight(ctx: Context): number {
	const rect = ctx.layout.right ?? ctx.layout.left;
	return Math.max(1, (rect?.height ?? ctx.layout.height) - 2);
}

function scrollOverlay(state: ViewState, ctx: Context, action: ActionName): ViewState {
	const overlay = state.overlay!;
	const page = overlayHeight(ctx);
	const delta: Partial<Record<ActionName, number>> = {up: -1, down: 1, pageUp: -page, pageDown: page, top: -Infinity, bottom: Infinity};
	const step = delta[action];
	if (step === undefined) return state;
	const next = Math.max(0, overlay.scroll + step);
	return {...state, overlay: {...overlay, scroll: Number.isFinite(next) ? next : 1e9}};
}

function contentLinesFor(state: ViewState, ctx: Context): number {
	const overlay = state.overlay;
	if (overlay?.kind !== 'content' || !overlay.content) return 0;
	return contentLineCount(overlay.content, (ctx.layout.right ?? ctx.layout.left)?.width ?? ctx.layout.width);
}

function runPrompt(state: ViewState, ctx: Context, prompt: Prompt): ViewState {
	const next = {...state, prompt};
	if (prompt.kind === 'filter') return settle({...next, pathFilter: prompt.text}, ctx);
	if (prompt.kind === 'search') {
		if (prompt.text === '') return settle({...next, cursor: prompt.origin}, ctx);
		const rows = ctx.model.rows(next);
		const from = prompt.origin ? (rows.view.indexOf.get(prompt.origin) ?? 0) : 0;
		const match = findMatch(rows.view, rows.keep, prompt.text, from, 1, true);
		if (match < 0) return {...next, message: {text: `no match for ${visible(prompt.text)}`, tone: 'error'}};
		return reveal({...next, message: null, pane: 'files'}, ctx, match);
	}
	return next;
}

function submitPrompt(state: ViewState): ViewState {
	const prompt = state.prompt!;
	switch (prompt.kind) {
		case 'filter':
			return {...state, prompt: null};
		case 'search':
			return {...state, prompt: null, search: prompt.text};
		case 'export': {
			const path = prompt.text.trim();
			if (!path) return {...state, prompt: null, message: {text: 'export cancelled: no path', tone: 'info'}};
			return {...state, prompt: null, pendingExport: {id: state.nextId, target: prompt.target, path, overwrite: false}, nextId: state.nextId + 1, message: {text: `exporting to ${visible(path)}…`, tone: 'info'}};
		}
		case 'overwrite': {
			if (!/^y(es)?$/i.test(prompt.text.trim())) return {...state, prompt: null, message: {text: 'export cancelled: the file was left as it was', tone: 'info'}};
			return {...state, prompt: null, pendingExport: {id: state.nextId, target: prompt.target, path: prompt.path, overwrite: true}, nextId: state.nextId + 1};
		}
		default:
			return state;
	}
}

function cancelPrompt(state: ViewState, ctx: Context): ViewState {
	const prompt = state.prompt!;
	if (prompt.kind === 'filter') return settle({...state, prompt: null, pathFilter: ''}, ctx);
	if (prompt.kind === 'search') return settle({...state, prompt: null, cursor: prompt.origin}, ctx);
	return {...state, prompt: null, message: prompt.kind === 'export' || prompt.kind === 'overwrite' ? {text: 'export cancelled', tone: 'info'} : state.message};
}

function promptInput(state: ViewState, ctx: Context, event: InputEvent): ViewState {
	const prompt = state.prompt!;
	if (event.kind === 'mouse') return state;
	const name = event.name;
	if (name === 'ctrl+c') return {...state, quit: true};
	if (name === 'enter') return submitPrompt(state);
	if (name === 'escape') return cancelPrompt(state, ctx);
	if (name === 'backspace') return runPrompt(state, ctx, {...prompt, text: [...prompt.text].slice(0, -1).join('')});
	if (name === 'ctrl+u') return runPrompt(state, ctx, {...prompt, text: ''});
	if (name === 'space') return runPrompt(state, ctx, {...prompt, text: prompt.text + ' '});
	if ([...name].length === 1) return runPrompt(state, ctx, {...prompt, text: prompt.text + name});
	return state;
}

function openExplain(state: ViewState, ctx: Context): ViewState {
	if (state.pane === 'layers') return {...state, overlay: {kind: 'explain', scroll: 0, subject: {type: 'layer', layer: state.layer}}};
	if (state.pane === 'waste') {
		if (ctx.model.analysis.waste.files.length === 0) return state;
		return {...state, overlay: {kind: 'explain', scroll: 0, subject: {type: 'waste', index: state.wasteCursor}}};
	}
	const rows = ctx.model.rows(state);
	const {index} = cursorPosition(state, rows);
	if (index < 0) return state;
	return {...state, overlay: {kind: 'explain', scroll: 0, subject: {type: 'file', node: rows.view.node[index], layer: state.layer}}};
}

/** Show a wasted copy in the tree: the layer that stored it, the cursor on its path. */
function showWaste(state: ViewState, ctx: Context): ViewState {
	const file = ctx.model.analysis.waste.files[state.wasteCursor];
	if (!file) return state;
	const node = lookup(ctx.model.analysis.tree, file.path);
	let next = selectLayer({...state, pane: 'files', aggregated: false, filter: ALL_STATUSES, wastedOnly: false, pathFilter: ''}, ctx, file.layerIndex);
	const view = ctx.model.view(next);
	const index = node ? view.indexOf.get(node) : undefined;
	if (index !== undefined) next = reveal(next, ctx, index);
	return next;
}

/** Where a cursor movement (up, down, a page, top, bottom) takes a cursor at `at`; null for other actions. */
function cursorStep(action: ActionName, page: number): ((at: number) => number) | null {
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

function treeAction(state: ViewState, ctx: Context, action: ActionName): ViewState {
	const rows = ctx.model.rows(state);
	const {row, index} = cursorPosition(state, rows);
	const view = rows.view;
	const page = Math.max(1, treeHeight(ctx) - 1);
	const step = cursorStep(action, page);
	if (step) return moveTree(state, ctx, step);
	switch (action) {
		case 'left': {
			if (index < 0) return state;
			if (view.isDir[index] && !isCollapsed(state.collapse, view.node[index]) && rows.rows[row + 1] !== undefined && view.parent[rows.rows[row + 1]] === index)
				return settle(setCollapse(state, view.node[index], true), ctx);
			const parent = view.parent[index];
			return parent >= 0 ? settle({...state, cursor: view.node[parent]}, ctx) : state;
		}
		case 'right': {
			if (index < 0 || !view.isDir[index]) return state;
			if (isCollapsed(state.collapse, view.node[index])) return settle(setCollapse(state, view.node[index], false), ctx);
			return moveTree(state, ctx, r => (rows.rows[r + 1] !== undefined && view.parent[rows.rows[r + 1]] === index ? r + 1 : r));
		}
		case 'toggleCollapse':
			if (index < 0 || !view.isDir[index]) return state;
			return settle(setCollapse(state, view.node[index], !isCollapsed(state.collapse, view.node[index])), ctx);
		case 'toggleCollapseAll': {
			// Collapse all when anything is open, else open all.
			let anyOpen = false;
			for (const i of rows.rows) {
				if (view.isDir[i] && !isCollapsed(state.collapse, view.node[i]) && view.end[i] > i + 1) {
					anyOpen = true;
					break;
				}
			}
			return settle({...state, collapse: {all: anyOpen, toggled: new Set()}}, ctx);
		}
		case 'toggleAdded':
		case 'toggleRemoved':
		case 'toggleModified':
		case 'toggleUnchanged': {
			const key = ({toggleAdded: 'added', toggleRemoved: 'removed', toggleModified: 'modified', toggleUnchanged: 'unchanged'} as const)[action];
			return settle({...state, filter: {...state.filter, [key]: !state.filter[key]}}, ctx);
		}
		case 'toggleAttributes':
			return {...state, attributes: !state.attributes};
		case 'toggleSort':
			return settle({...state, sort: state.sort === 'name' ? 'size' : 'name'}, ctx);
		case 'toggleWastedOnly':
			return settle({...state, wastedOnly: !state.wastedOnly}, ctx);
		case 'view': {
			const target = fileTargetAt(ctx.model, state);
			if (typeof target === 'string') return {...state, message: {text: target, tone: 'error'}};
			return {...state, overlay: {kind: 'content', scroll: 0, target, id: state.nextId, content: null, error: null}, nextId: state.nextId + 1};
		}
		case 'export': {
			const target = fileTargetAt(ctx.model, state);
			if (typeof target === 'string') return {...state, message: {text: target, tone: 'error'}};
			return {...state, prompt: {kind: 'export', text: defaultExportName(target.shownPath), target}};
		}
		default:
			return state;
	}
}

function layersAction(state: ViewState, ctx: Context, action: ActionName): ViewState {
	const step = cursorStep(action, Math.max(1, (ctx.layout.layers?.height ?? 1) - 1));
	if (step) return selectLayer(state, ctx, step(state.layer));
	switch (action) {
		case 'layerChanges':
			return settle({...state, aggregated: false}, ctx);
		case 'aggregatedChanges':
			return settle({...state, aggregated: true}, ctx);
		case 'open':
			return settle({...state, pane: 'files'}, ctx);
		default:
			return state;
	}
}

function wasteAction(state: ViewState, ctx: Context, action: ActionName): ViewState {
	const step = cursorStep(action, Math.max(1, (ctx.layout.wasteList?.height ?? 1) - 1));
	if (step) return selectWaste(state, ctx, step(state.wasteCursor));
	switch (action) {
		case 'open':
			return showWaste(state, ctx);
		default:
			return state;
	}
}

/** Apply one named action. */
export function reduceAction(state: ViewState, action: ActionName, ctx: Context): ViewState {
	switch (action) {
		case 'quit':
			return {...state, quit: true};
		case 'nextPane':
			return switchPane(state, ctx, 1);
		case 'previousPane':
			return switchPane(state, ctx, -1);
		case 'help':
			return {...state, overlay: {kind: 'help', scroll: 0}};
		case 'escape':
			if (state.search) return {...state, search: '', message: null};
			return {...state, message: null};
		case 'filter':
			return {...state, prompt: {kind: 'filter', text: state.pathFilter}};
		case 'search':
			return {...state, prompt: {kind: 'search', text: '', origin: state.cursor}, pane: 'files'};
		case 'searchNext':
		case 'searchPrevious': {
			if (!state.search) return {...state, message: {text: 'no search yet: press / to search', tone: 'info'}};
			const rows = ctx.model.rows(state);
			const {index} = cursorPosition(state, rows);
			const match = findMatch(rows.view, rows.keep, state.search, Math.max(0, index), action === 'searchNext' ? 1 : -1);
			if (match < 0) return {...state, message: {text: `no match for ${visible(state.search)}`, tone: 'error'}};
			return reveal({...state, pane: 'files', message: null}, ctx, match);
		}
		case 'explain':
			return openExplain(state, ctx);
		default:
	}
	if (state.pane === 'layers') return layersAction(state, ctx, action);
	if (state.pane === 'waste') return wasteAction(state, ctx, action);
	return treeAction(state, ctx, action);
}

function overlayInput(state: ViewState, ctx: Context, event: InputEvent): ViewState {
	const overlay = state.overlay!;
	if (event.kind === 'mouse') {
		if (event.action === 'wheel-up') return scrollOverlay(state, ctx, 'up');
		if (event.action === 'wheel-down') return scrollOverlay(state, ctx, 'down');
		return state;
	}
	const name = event.name;
	if (name === 'ctrl+c') return {...state, quit: true};
	if (name === 'escape' || name === 'q' || (name === '?' && overlay.kind === 'help') || (name === 'x' && overlay.kind === 'explain') || (name === 'v' && overlay.kind === 'content'))
		return {...state, overlay: null};
	if (overlay.kind === 'content' && name === 'e')
		return {...state, overlay: null, prompt: {kind: 'export', text: defaultExportName(overlay.target.shownPath), target: overlay.target}};
	const action = actionFor(name, 'files');
	if (action === 'up' || action === 'down' || action === 'pageUp' || action === 'pageDown' || action === 'top' || action === 'bottom') {
		const next = scrollOverlay(state, ctx, action);
		if (overlay.kind === 'content') {
			const max = Math.max(0, contentLinesFor(next, ctx) - overlayHeight(ctx));
			return {...next, overlay: {...next.overlay!, scroll: Math.min(next.overlay!.scroll, max)}};
		}
		return next;
	}
	return state;
}

function mouseInput(state: ViewState, ctx: Context, event: Extract<InputEvent, {kind: 'mouse'}>): ViewState {
	const {layout} = ctx;
	const {x, y} = event;
	const wheel = event.action === 'wheel-up' ? -3 : event.action === 'wheel-down' ? 3 : 0;
	if (event.action === 'release' || event.action === 'drag') return state;
	if (inside(layout.layers, x, y)) {
		if (wheel) return selectLayer({...state, pane: 'layers'}, ctx, state.layer + wheel);
		return selectLayer({...state, pane: 'layers'}, ctx, state.layerScroll + (y - layout.layers.y));
	}
	if (inside(layout.wasteList, x, y) && ctx.model.analysis.waste.files.length > 0) {
		if (wheel) return selectWaste({...state, pane: 'waste'}, ctx, state.wasteCursor + wheel);
		return selectWaste({...state, pane: 'waste'}, ctx, state.wasteScroll + (y - layout.wasteList.y));
	}
	if (inside(layout.tree, x, y)) {
		const focused = {...state, pane: 'files' as const};
		if (wheel) return moveTree(focused, ctx, r => r + wheel);
		const rows = ctx.model.rows(state);
		const row = state.scroll + (y - layout.tree.y);
		if (row >= rows.rows.length) return focused;
		const index = rows.rows[row];
		const already = cursorPosition(state, rows).index === index && state.pane === 'files';
		const selected = moveTree(focused, ctx, () => row);
		if (already && rows.view.isDir[index]) return treeAction(selected, ctx, 'toggleCollapse');
		return selected;
	}
	return state;
}

/** One input event (key, text, mouse) -> the next state. */
export function reduceInput(state: ViewState, event: InputEvent, ctx: Context): ViewState {
	if (state.prompt) return promptInput(state, ctx, event);
	const base = state.message && event.kind !== 'mouse' ? {...state, message: null} : state;
	if (state.overlay) return overlayInput(base, ctx, event);
	if (event.kind === 'mouse') return mouseInput(base, ctx, event);
	const action = actionFor(event.name, state.pane);
	if (!action) return base;
	return reduceAction(base, action, ctx);
}

/** Results of the component's effects. */
export type EffectResult =
	| {type: 'content'; id: number; content: ContentView}
	| {type: 'contentError'; id: number; error: string}
	| {type: 'exported'; id: number; message: string}
	| {type: 'exportExists'; id: number}
	| {type: 'exportError'; id: number; error: string};

export function reduceEffect(state: ViewState, result: EffectResult): ViewState {
	switch (result.type) {
		case 'content':
		case 'contentError': {
			const overlay = state.overlay;
			if (overlay?.kind !== 'content' || overlay.id !== result.id) return state;
			return result.type === 'content' ? {...state, overlay: {...overlay, content: result.content}} : {...state, overlay: {...overlay, error: result.error}};
		}
		case 'exported':
		case 'exportError':
		case 'exportExists': {
			const pending = state.pendingExport;
			if (!pending || pending.id !== result.id) return state;
			if (result.type === 'exportExists')
				return {...state, pendingExport: null, message: null, prompt: {kind: 'overwrite', text: '', target: pending.target, path: pending.path}};
			return {...state, pendingExport: null, message: result.type === 'exported' ? {text: result.message, tone: 'info'} : {text: result.error, tone: 'error'}};
		}
		default:
			return state;
	}
}

/** Ensure the tree cursor is on a row (first show, resize). */
export function settleState(state: ViewState, ctx: Context): ViewState {
	const next = settle(state, ctx);
	return {
		...next,
		layerScroll: follow(next.layer, next.layerScroll, ctx.layout.layers?.height ?? 1, ctx.model.analysis.layers.length),
		wasteScroll: follow(next.wasteCursor, next.wasteScroll, ctx.layout.wasteList?.height ?? 1, ctx.model.analysis.waste.files.length),
	};
}
