// Every key binding of the explorer, in one table: the panes, the overlays, the prompts, the loading screen and the
// mouse. The reducers ask it what a key does, and the help overlay and the status bar are made from it.
// Defaults follow dive (Tab, arrows and hjkl, PgUp/PgDn, Space, Ctrl+Space, Ctrl+L/Ctrl+A views, Ctrl+A/R/M/U
// filters, Ctrl+B attributes, Ctrl+O sort, Ctrl+F filter), plus q, /, n/N, ? and the waste and content keys.
import {keyId, labelOf, type Key, type KeyName} from './keys.js';

/** The focused pane. */
export type PaneScope = 'layers' | 'files' | 'waste';

/**
 * Where a binding applies: everywhere in the panes (`global`), one pane, any overlay, one overlay, any prompt
 * (filter, search, export path, overwrite confirm: their keys are the same), the loading screen, or the mouse.
 */
export type Scope = 'global' | PaneScope | 'overlay' | 'help' | 'explain' | 'content' | 'config' | 'prompt' | 'loading' | 'mouse' | StoreScope;

/** The store view (ui/store/): its image list, its layer view, and the explorer of an image opened from the list. */
export type StoreScope = 'store' | 'storeLayers' | 'storeExplorer';

export type ActionName =
	| 'quit'
	| 'suspend'
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
	| 'toggleWrap'
	| 'goToOffset'
	| 'toggleCollapse'
	| 'toggleCollapseAll'
	| 'filter'
	| 'search'
	| 'searchNext'
	| 'searchPrevious'
	| 'explain'
	| 'imageConfig'
	| 'view'
	| 'export'
	| 'open'
	| 'escape'
	| 'close'
	| 'accept'
	| 'cancel'
	| 'deleteChar'
	| 'clearText'
	| 'scroll'
	| 'select'
	| 'back'
	| 'switchList'
	| 'analyseAll'
	| 'sortWasted'
	| 'toggleIntermediates'
	| 'refresh';

export interface StatusView {
	aggregated: boolean;
	sort: 'name' | 'size';
	attributes: boolean;
	wastedOnly: boolean;
	filter: {added: boolean; modified: boolean; removed: boolean; unchanged: boolean};
}

export interface Binding {
	keys: Key[];
	action: ActionName;
	scope: Scope;
	/** The help overlay's line (omit to keep the binding out of it). */
	help?: string;
	/** Short label for the status bar (omit to keep the binding out of it); may show the current setting. */
	status?: string | ((view: StatusView) => string);
}

const on = (value: boolean, label: string): string => `${value ? '●' : '○'}${label}`;
const named = (name: KeyName, modifiers: {shift?: true; ctrl?: true} = {}): Key => ({name, ...modifiers});
const ctrl = (name: Lowercase<string>): Key => ({ctrl: true, name});
const char = (value: string): Key => ({char: value});

export const KEY_TABLE: Binding[] = [
	{keys: [char('q'), ctrl('c')], action: 'quit', scope: 'global', help: 'quit', status: 'Quit'},
	{keys: [ctrl('z')], action: 'suspend', scope: 'global', help: 'suspend to the shell (fg comes back)'},
	{keys: [named('tab')], action: 'nextPane', scope: 'global', help: 'next pane: layers, files, wasted files', status: 'Switch'},
	{keys: [named('tab', {shift: true})], action: 'previousPane', scope: 'global', help: 'previous pane'},
	{keys: [char('?')], action: 'help', scope: 'global', help: 'this help (every binding)', status: 'Help'},
	{keys: [named('up'), char('k')], action: 'up', scope: 'global', help: 'move up'},
	{keys: [named('down'), char('j')], action: 'down', scope: 'global', help: 'move down'},
	{keys: [named('pageup')], action: 'pageUp', scope: 'global', help: 'page up'},
	{keys: [named('pagedown')], action: 'pageDown', scope: 'global', help: 'page down'},
	{keys: [named('home'), char('g')], action: 'top', scope: 'global', help: 'first row'},
	{keys: [named('end'), char('G')], action: 'bottom', scope: 'global', help: 'last row'},
	{keys: [ctrl('l')], action: 'layerChanges', scope: 'layers', help: 'show the changes of the selected layer', status: v => on(!v.aggregated, 'Layer')},
	{
		keys: [ctrl('a')],
		action: 'aggregatedChanges',
		scope: 'layers',
		help: 'show the changes since the base layer (aggregated)',
		status: v => on(v.aggregated, 'Aggregated'),
	},
	{keys: [named('enter'), named('right'), char('l')], action: 'open', scope: 'layers', help: "open the selected layer's files"},
	{keys: [char('x')], action: 'explain', scope: 'layers', help: 'explain the wasted bytes of the selected layer', status: 'Explain'},
	{keys: [named('left'), char('h')], action: 'left', scope: 'files', help: 'collapse the directory, or go to its parent'},
	{keys: [named('right'), char('l')], action: 'right', scope: 'files', help: 'expand the directory, or go into it'},
	{keys: [named('enter'), named('space')], action: 'toggleCollapse', scope: 'files', help: 'collapse or expand the directory', status: 'Collapse'},
	{keys: [named('space', {ctrl: true}), char('C')], action: 'toggleCollapseAll', scope: 'files', help: 'collapse or expand all directories', status: 'All'},
	{keys: [ctrl('a')], action: 'toggleAdded', scope: 'files', help: 'show or hide added files', status: v => on(v.filter.added, 'Added')},
	{keys: [ctrl('r')], action: 'toggleRemoved', scope: 'files', help: 'show or hide removed files', status: v => on(v.filter.removed, 'Removed')},
	// dive's Ctrl+M is Enter on a terminal (one byte), and Enter expands and collapses as in every tree: m instead.
	{
		keys: [char('m')],
		action: 'toggleModified',
		scope: 'files',
		help: "show or hide modified files (and rewritten-unchanged =); dive's Ctrl+M is Enter",
		status: v => on(v.filter.modified, 'Modified'),
	},
	{keys: [ctrl('u')], action: 'toggleUnchanged', scope: 'files', help: 'show or hide unchanged files', status: v => on(v.filter.unchanged, 'Unmodified')},
	{
		keys: [ctrl('b'), char('b')],
		action: 'toggleAttributes',
		scope: 'files',
		help: 'show or hide the attributes column (mode, uid:gid)',
		status: v => on(v.attributes, 'Attrs'),
	},
	{keys: [ctrl('o'), char('o')], action: 'toggleSort', scope: 'files', help: 'sort by name or by size', status: v => `Sort:${v.sort}`},
	{
		keys: [char('w')],
		action: 'toggleWastedOnly',
		scope: 'files',
		help: "show only files whose bytes are wasted; a layer whose tree has none: the image's wasted files",
		status: v => on(v.wastedOnly, 'Wasted'),
	},
	{keys: [char('x')], action: 'explain', scope: 'files', help: 'explain the wasted bytes of the selected file', status: 'Explain'},
	{keys: [char('v')], action: 'view', scope: 'files', help: 'view the file as of the selected layer (text or hex)', status: 'View'},
	{keys: [char('e')], action: 'export', scope: 'files', help: 'export the file as of the selected layer to a path you type', status: 'Export'},
	{keys: [named('enter'), char('x')], action: 'explain', scope: 'waste', help: 'explain the selected wasted file', status: 'Explain'},
	{
		keys: [named('right'), char('l')],
		action: 'open',
		scope: 'waste',
		help: 'show the wasted file (or directory) in the tree, in the layer that stored it',
		status: 'Show',
	},
	{
		keys: [named('space')],
		action: 'toggleCollapse',
		scope: 'waste',
		help: 'open or close a directory of wasted files (one row for many copies from one step)',
		status: 'Open',
	},
	{
		keys: [ctrl('f'), ctrl('/')],
		action: 'filter',
		scope: 'global',
		help: 'filter the tree: a regular expression on the whole path, smart case (live; Enter keeps it, Esc clears it)',
		status: 'Filter',
	},
	{
		keys: [char('i')],
		action: 'imageConfig',
		scope: 'global',
		help: 'the image config (Entrypoint, Cmd, User, Env, ports, volumes, labels) and its history, empty-layer steps too',
		status: 'Config',
	},
	{
		keys: [char('/')],
		action: 'search',
		scope: 'global',
		help: 'search names: a regular expression, smart case (incremental, with a match counter; Enter keeps the match, Esc goes back)',
		status: 'Search',
	},
	{keys: [char('n')], action: 'searchNext', scope: 'global', help: 'next match'},
	{keys: [char('N')], action: 'searchPrevious', scope: 'global', help: 'previous match'},
	{keys: [named('escape')], action: 'escape', scope: 'global', help: 'close the overlay, clear the message'},
	// Overlays scroll with the global movement keys (overlayAction).
	{keys: [named('escape'), char('q')], action: 'close', scope: 'overlay', status: 'Close'},
	{keys: [ctrl('c')], action: 'quit', scope: 'overlay'},
	{keys: [char('?')], action: 'close', scope: 'help'},
	{keys: [char('x')], action: 'close', scope: 'explain'},
	{keys: [char('i')], action: 'close', scope: 'config'},
	{keys: [char('v')], action: 'close', scope: 'content'},
	{keys: [char('e')], action: 'export', scope: 'content', help: 'export the whole file to a path you type', status: 'Export'},
	{keys: [char('w')], action: 'toggleWrap', scope: 'content', help: 'wrap long lines, or scroll them sideways', status: 'Wrap'},
	{keys: [named('left'), char('h')], action: 'left', scope: 'content', help: 'scroll left (lines not wrapped)'},
	{keys: [named('right'), char('l')], action: 'right', scope: 'content', help: 'scroll right'},
	{keys: [char(':')], action: 'goToOffset', scope: 'content', help: 'read from an offset you type (4096, 0x1000, 64k, 2MiB, 50%)', status: 'Offset'},
	// Any other printable key is text for the prompt.
	{keys: [named('enter')], action: 'accept', scope: 'prompt', help: 'accept'},
	{keys: [named('escape')], action: 'cancel', scope: 'prompt', help: 'cancel'},
	{keys: [named('backspace')], action: 'deleteChar', scope: 'prompt', help: 'delete a character'},
	{keys: [ctrl('u')], action: 'clearText', scope: 'prompt'},
	{keys: [ctrl('c')], action: 'quit', scope: 'prompt'},
	{keys: [char('q'), ctrl('c'), named('escape')], action: 'quit', scope: 'loading', help: 'quits'},
	// The store view moves with the global movement keys (storeInput in ui/store/store-state.ts).
	{keys: [named('enter')], action: 'open', scope: 'store', help: 'open the image in the explorer', status: 'Open'},
	{keys: [named('tab')], action: 'switchList', scope: 'store', help: 'the layer view: who shares each layer', status: 'Layers'},
	{keys: [char('a')], action: 'analyseAll', scope: 'store', help: 'analyse every image (wasted bytes, top finding)', status: 'Analyse'},
	{keys: [char('s')], action: 'sortWasted', scope: 'store', help: 'sort by wasted bytes, or back to largest first', status: 'Sort'},
	{keys: [char('i')], action: 'toggleIntermediates', scope: 'store', help: 'show or hide intermediate images (-a)', status: 'Intermediates'},
	{keys: [char('r')], action: 'refresh', scope: 'store', help: 'read the list again', status: 'Refresh'},
	{keys: [char('?')], action: 'help', scope: 'store', help: 'this help', status: 'Help'},
	{keys: [char('q'), ctrl('c')], action: 'quit', scope: 'store', help: 'quit', status: 'Quit'},
	{keys: [named('tab'), named('escape')], action: 'switchList', scope: 'storeLayers', help: 'back to the image list', status: 'Images'},
	{keys: [char('?')], action: 'help', scope: 'storeLayers', help: 'this help', status: 'Help'},
	{keys: [char('q'), ctrl('c')], action: 'quit', scope: 'storeLayers', help: 'quit', status: 'Quit'},
	{
		keys: [char('q'), named('escape')],
		action: 'back',
		scope: 'storeExplorer',
		help: 'back to the list, its cursor kept (Esc once nothing is open)',
		status: 'List',
	},
	{keys: [ctrl('c')], action: 'quit', scope: 'storeExplorer', help: 'quit layerscope'},
	{keys: [{mouse: 'wheel'}], action: 'scroll', scope: 'mouse', help: 'scroll the pane under the pointer'},
	{keys: [{mouse: 'click'}], action: 'select', scope: 'mouse', help: 'select a layer, a file or a wasted file; click a selected directory to collapse it'},
];

function matches(binding: Binding, name: string): boolean {
	return binding.keys.some(key => keyId(key) === name);
}

/** The first binding of a key in the scopes, in order (an earlier scope wins). */
export function bindingFor(name: string, scopes: Scope[]): Binding | null {
	for (const scope of scopes) {
		const found = KEY_TABLE.find(b => b.scope === scope && matches(b, name));
		if (found) return found;
	}
	return null;
}

/** What a mouse action does (the `mouse` scope): scroll for the wheel, select for a click. */
export function mouseActionFor(kind: 'wheel' | 'click'): ActionName | null {
	return KEY_TABLE.find(b => b.scope === 'mouse' && b.keys.some(key => 'mouse' in key && key.mouse === kind))?.action ?? null;
}

/** The action a key does in a pane: a pane's own binding wins over a global one. */
export function actionFor(name: string, pane: PaneScope): ActionName | null {
	return bindingFor(name, [pane, 'global'])?.action ?? null;
}

/** The one binding of an action in a scope. */
export function bindingOf(scope: Scope, action: ActionName): Binding {
	const found = KEY_TABLE.find(b => b.scope === scope && b.action === action);
	if (!found) throw new Error(`no binding for ${action} in ${scope}`);
	return found;
}

/** How a hint shows the keys of an action: its first key (`Esc`), or all of them joined (`n/N`). */
export function keyOf(scope: Scope, action: ActionName): string {
	return labelOf(bindingOf(scope, action).keys[0]);
}

export function bindingKeys(binding: Binding): string {
	return binding.keys.map(labelOf).join('/');
}

export interface StatusItem {
	key: string;
	label: string;
	action: ActionName;
}

/**
 * The status bar's hints of each pane, in the order they give way when the line is short: first what only layerscope
 * has and what a newcomer needs first, then the rest in the table's order. `?` and `q` always show (status-bar.ts).
 */
const STATUS_ORDER: Record<PaneScope, ActionName[]> = {
	layers: ['explain', 'nextPane', 'filter', 'search', 'layerChanges', 'aggregatedChanges'],
	files: ['explain', 'view', 'toggleWastedOnly', 'export', 'nextPane', 'search', 'filter', 'toggleCollapse'],
	waste: ['explain', 'open', 'toggleCollapse', 'nextPane'],
};

/** Status bar items for a pane: the pane's most used first (STATUS_ORDER), then its other bindings, then the global ones. */
export function statusItems(pane: PaneScope | 'help' | 'explain' | 'content' | 'config', view: StatusView): StatusItem[] {
	const items: StatusItem[] = [];
	const seen = new Set<ActionName>();
	// An overlay's own keys, then those of every overlay; a pane's, then the global ones.
	const overlay = pane === 'help' || pane === 'explain' || pane === 'content' || pane === 'config';
	const scopes: Scope[] = overlay ? [pane, 'overlay'] : [pane, 'global'];
	for (const binding of scopes.flatMap(scope => KEY_TABLE.filter(b => b.scope === scope))) {
		if (!binding.status || seen.has(binding.action)) continue;
		seen.add(binding.action);
		items.push({
			action: binding.action,
			key: labelOf(binding.keys[0]).replace(/^Ctrl\+/, '^'),
			label: typeof binding.status === 'string' ? binding.status : binding.status(view),
		});
	}
	const order = overlay ? [] : STATUS_ORDER[pane];
	const rank = (action: ActionName): number => (order.includes(action) ? order.indexOf(action) : order.length);
	return items
		.map((item, i) => ({item, i}))
		.sort((a, b) => rank(a.item.action) - rank(b.item.action) || a.i - b.i)
		.map(({item}) => item);
}

/** The help overlay's sections, in order: the scopes it lists, by title. */
export const SCOPE_TITLES: Partial<Record<Scope, string>> = {
	global: 'Everywhere',
	layers: 'Layers pane',
	files: 'Files pane',
	waste: 'Wasted files pane',
	content: 'File viewer (v; PgDn past the end reads the next bytes)',
	prompt: 'Prompts (filter, search, export, offset)',
	mouse: 'Mouse',
};

/** The bindings the help overlay lists. */
export const BINDINGS: Binding[] = KEY_TABLE.filter(b => b.help !== undefined && SCOPE_TITLES[b.scope] !== undefined);

/** The help's first section in an image opened from an image list (a multi-image archive, the store view). */
export function imageListHelpLines(): {heading?: string; keys?: string; help?: string}[] {
	return [
		{heading: 'Opened from the image list'},
		...KEY_TABLE.filter(b => b.scope === 'storeExplorer' && b.help !== undefined).map(b => ({keys: bindingKeys(b), help: b.help})),
	];
}

/** Help overlay lines: every binding that has a help text, grouped by where it applies. */
export function helpLines(): {heading?: string; keys?: string; help?: string}[] {
	const lines: {heading?: string; keys?: string; help?: string}[] = [];
	for (const [scope, heading] of Object.entries(SCOPE_TITLES) as [Scope, string][]) {
		lines.push({heading});
		for (const binding of KEY_TABLE.filter(b => b.scope === scope && b.help !== undefined)) lines.push({keys: bindingKeys(binding), help: binding.help});
	}
	return lines;
}
