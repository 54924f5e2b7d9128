// The files pane's part of the reducer: the tree cursor (a path, and the row it was last on), moving it, collapsing
// and expanding directories, the status filters, attributes, sort, and picking the file to view or export.
import {lookup, versionAt} from '../../model/fs-tree.js';
import type {FsNode} from '../../model/types.js';
import {visible} from '../../util/sanitize.js';
import type {ActionName} from '../bindings.js';
import {ROW_STATUS} from '../layer-view.js';
import {clamp, cursorStep, follow, keepVisible, LIST_START} from '../list-cursor.js';
import type {Context, FileTarget, ViewState} from '../view-state.js';
import {ancestorsOf, collapsedAt, isCollapsed, rowOf, toggledIds, type Rows} from '../tree-rows.js';
import type {ExplorerModel} from '../explorer-model.js';
import {openContent} from '../overlays/content-input.js';

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
	const row = Math.min(Math.max(0, state.tree.cursor), rows.rows.length - 1);
	return {row, index: rows.rows[row]};
}

/** Below this width the files pane hides the attributes column unless asked for it (b): names get the room (dive: 60). */
export const ATTRIBUTES_MIN_WIDTH = 64;

export function attributesShown(state: Pick<ViewState, 'attributes'>, width: number): boolean {
	return state.attributes ?? width >= ATTRIBUTES_MIN_WIDTH;
}

export function treeHeight(ctx: Context): number {
	return ctx.layout.tree?.height ?? Math.max(1, ctx.layout.height - 4);
}

/** Put the tree cursor on a row and scroll to it. */
export function moveTree(state: ViewState, ctx: Context, target: (row: number, count: number) => number): ViewState {
	const rows = ctx.model.rows(state);
	if (rows.rows.length === 0) return state;
	const current = cursorPosition(state, rows).row;
	const row = clamp(target(current, rows.rows.length), 0, rows.rows.length - 1);
	return {...state, cursor: rows.view.node[rows.rows[row]], tree: {cursor: row, scroll: follow(row, state.tree.scroll, treeHeight(ctx), rows.rows.length)}};
}

/** After the rows changed (filter, layer, collapse): keep the cursor on its path when it is still there, and in view. */
export function settle(state: ViewState, ctx: Context): ViewState {
	const rows = ctx.model.rows(state);
	if (rows.rows.length === 0) return {...state, tree: {...LIST_START}};
	const {row, index} = cursorPosition(state, rows);
	const at = state.cursor ? rows.view.indexOf.get(state.cursor) : undefined;
	const cursor = state.cursor && at !== undefined && rowOf(rows.rows, at).exact ? state.cursor : rows.view.node[index];
	return {...state, cursor, tree: keepVisible({cursor: row, scroll: state.tree.scroll}, rows.rows.length, treeHeight(ctx))};
}

export function setCollapse(state: ViewState, node: FsNode, collapsed: boolean): ViewState {
	if (isCollapsed(state.collapse, node) === collapsed) return state;
	const toggled = new Set(state.collapse.toggled);
	if (toggled.has(node)) toggled.delete(node);
	else toggled.add(node);
	return {...state, collapse: {all: state.collapse.all, toggled}};
}

/** Put the cursor on a path of the view, opening the directories above it. */
export function reveal(state: ViewState, ctx: Context, index: number): ViewState {
	const view = ctx.model.view(state);
	let next = state;
	for (const ancestor of ancestorsOf(view, index)) next = setCollapse(next, view.node[ancestor], false);
	return settle({...next, cursor: view.node[index]}, ctx);
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
			if (!target || !targetVersion?.entry || targetVersion.entry.type !== 'file')
				return `${visible(node.path)} is a hard link to ${visible(entry.linkTarget ?? '')}, which holds no file`;
			return {
				path: target.path,
				shownPath: node.path,
				layer: targetVersion.layer,
				viewLayer: state.layer,
				size: targetVersion.entry.size,
				hash: targetVersion.entry.hash,
			};
		}
		default:
			return `${visible(node.path)} is a ${entry.type}, not a regular file`;
	}
}

/** A safe default name for an export: the file's own name when it shows exactly as it is. */
export function defaultExportName(path: string): string {
	const name = path.slice(path.lastIndexOf('/') + 1);
	return name === '' || name === '.' || name === '..' || visible(name) !== name ? '' : name;
}

export function filesAction(state: ViewState, ctx: Context, action: ActionName): ViewState {
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
			const toggled = toggledIds(state.collapse);
			for (const i of rows.rows) {
				if (view.isDir[i] && !collapsedAt(state.collapse, toggled, view, i) && view.end[i] > i + 1) {
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
			return {...state, attributes: !attributesShown(state, ctx.layout.right?.width ?? ctx.layout.width)};
		case 'toggleSort':
			return settle({...state, sort: state.sort === 'name' ? 'size' : 'name'}, ctx);
		case 'toggleWastedOnly': {
			const next = settle({...state, wastedOnly: !state.wastedOnly}, ctx);
			// The bytes wasted in an image stay in the layers that stored them: a layer whose tree shows none of
			// them (the last one, often) gets the image's list, each copy with its storing and hiding layer.
			if (next.wastedOnly && ctx.model.rows(next).rows.length === 0 && ctx.model.analysis.waste.files.length > 0)
				return {
					...state,
					pane: 'waste',
					message: {
						text: `no wasted bytes in layer ${state.layer}'s tree: they stay in the layers that stored them; here are the image's (→ shows one there)`,
						tone: 'info',
					},
				};
			return next;
		}
		case 'view':
		case 'export':
			if (ctx.contentUnavailable) return {...state, message: {text: ctx.contentUnavailable, tone: 'error'}};
			return viewOrExport(state, ctx, action);
		default:
			return state;
	}
}

/** Open the viewer on the selected file, or the export prompt for it. */
function viewOrExport(state: ViewState, ctx: Context, what: 'view' | 'export'): ViewState {
	const target = fileTargetAt(ctx.model, state);
	if (typeof target === 'string') return {...state, message: {text: target, tone: 'error'}};
	if (what === 'view') return openContent(state, target);
	return {...state, prompt: {kind: 'export', text: defaultExportName(target.shownPath), target}};
}
