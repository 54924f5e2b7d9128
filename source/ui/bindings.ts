// Every key binding of the explorer, in one table: the key handler, the status bar and the help overlay all read it.
// Defaults follow dive (Tab, arrows and hjkl, PgUp/PgDn, Space, Ctrl+Space, Ctrl+L/Ctrl+A views, Ctrl+A/R/M/U
// filters, Ctrl+B attributes, Ctrl+O sort, Ctrl+F filter), plus q, /, n/N, ? and the waste and content keys.
import {keyLabel} from './keys.js';

/** Where a binding applies: the focused pane, or everywhere. */
export type Scope = 'global' | 'layers' | 'files' | 'waste';

export type ActionName =
	| 'quit'
	| 'nextPane'
	| 'previousPane'
	| 'help'
	| 'up'
	| 'down'
	| 'pageUp'
	| 'pageDown'
	| 'top'
	| 'bottom'
	| 'left'
	| 'right'
	| 'layerChanges'
	| 'aggregatedChanges'
	| 'toggleAdded'
	| 'toggleRemoved'
	| 'toggleModified'
	| 'toggleUnchanged'
	| 'toggleAttributes'
	| 'toggleSort'
	| 'toggleWastedOnly'
	| 'toggleCollapse'
	| 'toggleCollapseAll'
	| 'filter'
	| 'search'
	| 'searchNext'
	| 'searchPrevious'
	| 'explain'
	| 'view'
	| 'export'
	| 'open'
	| 'escape';

export interface StatusView {
	aggregated: boolean;
	sort: 'name' | 'size';
	attributes: boolean;
	wastedOnly: boolean;
	filter: {added: boolean; modified: boolean; removed: boolean; unchanged: boolean};
}

export interface Binding {
	keys: string[];
	action: ActionName;
	scope: Scope;
	help: string;
	/** Short label for the status bar (omit to keep the binding out of it); may show the current setting. */
	status?: string | ((view: StatusView) => string);
}

const on = (value: boolean, label: string): string => `${value ? '●' : '○'}${label}`;

export const BINDINGS: Binding[] = [
	{keys: ['q', 'ctrl+c'], action: 'quit', scope: 'global', help: 'quit', status: 'Quit'},
	{keys: ['tab'], action: 'nextPane', scope: 'global', help: 'next pane: layers, files, wasted files', status: 'Switch'},
	{keys: ['shift+tab'], action: 'previousPane', scope: 'global', help: 'previous pane'},
	{keys: ['?'], action: 'help', scope: 'global', help: 'this help (every binding)', status: 'Help'},
	{keys: ['up', 'k'], action: 'up', scope: 'global', help: 'move up'},
	{keys: ['down', 'j'], action: 'down', scope: 'global', help: 'move down'},
	{keys: ['pageup'], action: 'pageUp', scope: 'global', help: 'page up'},
	{keys: ['pagedown'], action: 'pageDown', scope: 'global', help: 'page down'},
	{keys: ['home', 'g'], action: 'top', scope: 'global', help: 'first row'},
	{keys: ['end', 'G'], action: 'bottom', scope: 'global', help: 'last row'},
	{keys: ['ctrl+l'], action: 'layerChanges', scope: 'layers', help: 'show the changes of the selected layer', status: v => on(!v.aggregated, 'Layer')},
	{keys: ['ctrl+a'], action: 'aggregatedChanges', scope: 'layers', help: 'show the changes since the base layer (aggregated)', status: v => on(v.aggregated, 'Aggregated')},
	{keys: ['enter', 'right', 'l'], action: 'open', scope: 'layers', help: 'open the selected layer\'s files'},
	{keys: ['x'], action: 'explain', scope: 'layers', help: 'explain the wasted bytes of the selected layer', status: 'Explain'},
	{keys: ['left', 'h'], action: 'left', scope: 'files', help: 'collapse the directory, or go to its parent'},
	{keys: ['right', 'l'], action: 'right', scope: 'files', help: 'expand the directory, or go into it'},
	{keys: ['space'], action: 'toggleCollapse', scope: 'files', help: 'collapse or expand the directory', status: 'Collapse'},
	{keys: ['ctrl+space', 'C'], action: 'toggleCollapseAll', scope: 'files', help: 'collapse or expand all directories', status: 'All'},
	{keys: ['ctrl+a'], action: 'toggleAdded', scope: 'files', help: 'show or hide added files', status: v => on(v.filter.added, 'Added')},
	{keys: ['ctrl+r'], action: 'toggleRemoved', scope: 'files', help: 'show or hide removed files', status: v => on(v.filter.removed, 'Removed')},
	{keys: ['ctrl+m', 'enter'], action: 'toggleModified', scope: 'files', help: 'show or hide modified files (and rewritten-unchanged =)', status: v => on(v.filter.modified, 'Modified')},
	{keys: ['ctrl+u'], action: 'toggleUnchanged', scope: 'files', help: 'show or hide unchanged files', status: v => on(v.filter.unchanged, 'Unmodified')},
	{keys: ['ctrl+b', 'b'], action: 'toggleAttributes', scope: 'files', help: 'show or hide the attributes column (mode, uid:gid)', status: v => on(v.attributes, 'Attrs')},
	{keys: ['ctrl+o', 'o'], action: 'toggleSort', scope: 'files', help: 'sort by name or by size', status: v => `Sort:${v.sort}`},
	{keys: ['w'], action: 'toggleWastedOnly', scope: 'files', help: 'show only files whose bytes are wasted', status: v => on(v.wastedOnly, 'Wasted')},
	{keys: ['x'], action: 'explain', scope: 'files', help: 'explain the wasted bytes of the selected file', status: 'Explain'},
	{keys: ['v'], action: 'view', scope: 'files', help: 'view the file as of the selected layer (text or hex)', status: 'View'},
	{keys: ['e'], action: 'export', scope: 'files', help: 'export the file as of the selected layer to a path you type', status: 'Export'},
	{keys: ['enter', 'x'], action: 'explain', scope: 'waste', help: 'explain the selected wasted file', status: 'Explain'},
	{keys: ['right', 'l'], action: 'open', scope: 'waste', help: 'show the wasted file in the tree, in the layer that stored it', status: 'Show'},
	{keys: ['ctrl+f'], action: 'filter', scope: 'global', help: 'filter the tree by path (live; Enter keeps it, Esc clears it)', status: 'Filter'},
	{keys: ['/'], action: 'search', scope: 'global', help: 'search file names (incremental; Enter keeps the match, Esc goes back)', status: 'Search'},
	{keys: ['n'], action: 'searchNext', scope: 'global', help: 'next match'},
	{keys: ['N'], action: 'searchPrevious', scope: 'global', help: 'previous match'},
	{keys: ['escape'], action: 'escape', scope: 'global', help: 'close the overlay, clear the message'},
];

/** The action a key does in a pane: a pane's own binding wins over a global one. */
export function actionFor(key: string, pane: Exclude<Scope, 'global'>): ActionName | null {
	const own = BINDINGS.find(b => b.scope === pane && b.keys.includes(key));
	if (own) return own.action;
	return BINDINGS.find(b => b.scope === 'global' && b.keys.includes(key))?.action ?? null;
}

export function bindingKeys(binding: Binding): string {
	return binding.keys.map(keyLabel).join('/');
}

export interface StatusItem {
	key: string;
	label: string;
}

/** Status bar items for a pane: its own bindings first, then the global ones. */
export function statusItems(pane: Exclude<Scope, 'global'>, view: StatusView): StatusItem[] {
	const items: StatusItem[] = [];
	const seen = new Set<ActionName>();
	for (const binding of [...BINDINGS.filter(b => b.scope === pane), ...BINDINGS.filter(b => b.scope === 'global')]) {
		if (!binding.status || seen.has(binding.action)) continue;
		seen.add(binding.action);
		items.push({key: keyLabel(binding.keys[0]).replace(/^Ctrl\+/, '^'), label: typeof binding.status === 'string' ? binding.status : binding.status(view)});
	}
	return items;
}

export const SCOPE_TITLES: Record<Scope, string> = {
	global: 'Everywhere',
	layers: 'Layers pane',
	files: 'Files pane',
	waste: 'Wasted files pane',
};

/** Help overlay lines: every binding, grouped by where it applies. */
export function helpLines(): {heading?: string; keys?: string; help?: string}[] {
	const lines: {heading?: string; keys?: string; help?: string}[] = [];
	for (const scope of ['global', 'layers', 'files', 'waste'] as Scope[]) {
		lines.push({heading: SCOPE_TITLES[scope]});
		for (const binding of BINDINGS.filter(b => b.scope === scope)) lines.push({keys: bindingKeys(binding), help: binding.help});
	}
	lines.push({heading: 'Prompts (filter, search, export)'});
	lines.push({keys: 'Enter', help: 'accept'}, {keys: 'Esc', help: 'cancel'}, {keys: 'Backspace', help: 'delete a character'});
	lines.push({heading: 'Mouse'});
	lines.push({keys: 'wheel', help: 'scroll the pane under the pointer'}, {keys: 'click', help: 'select a layer, a file or a wasted file; click a selected directory to collapse it'});
	return lines;
}
