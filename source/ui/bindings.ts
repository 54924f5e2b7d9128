// Every key binding of the explorer, in one table: the panes, the overlays, the prompts, the loading screen and the
// mouse. The reducers ask it what a key does, and the help overlay and the status bar are made from it.
// Defaults follow dive (Tab, arrows and hjkl, PgUp/PgDn, Space, Ctrl+Space, Ctrl+L/Ctrl+A views, Ctrl+A/R/M/U
// filters, Ctrl+B attributes, Ctrl+O sort, Ctrl+F filter), plus q, /, n/N, ? and the waste and content keys.
import {messages, type Lang} from '../i18n/catalogue.js';
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
	/** A toggle: whether it is on, shown ● or ○ before its status-bar label. */
	on?: (view: StatusView) => boolean;
	// Its help line and status-bar label are the catalogue's (`keyHelp`, `keyStatus` by `scope.action`; helpText and
	// statusLabel): a binding the catalogue has no text for stays out of the help or the bar.
}

const on = (value: boolean, label: string): string => `${value ? '●' : '○'}${label}`;
const named = (name: KeyName, modifiers: {shift?: true; ctrl?: true} = {}): Key => ({name, ...modifiers});
const ctrl = (name: Lowercase<string>): Key => ({ctrl: true, name});
const char = (value: string): Key => ({char: value});

export const KEY_TABLE: Binding[] = [
	{keys: [char('q'), ctrl('c')], action: 'quit', scope: 'global'},
	{keys: [ctrl('z')], action: 'suspend', scope: 'global'},
	{keys: [named('tab')], action: 'nextPane', scope: 'global'},
	{keys: [named('tab', {shift: true})], action: 'previousPane', scope: 'global'},
	{keys: [char('?')], action: 'help', scope: 'global'},
	{keys: [named('up'), char('k')], action: 'up', scope: 'global'},
	{keys: [named('down'), char('j')], action: 'down', scope: 'global'},
	{keys: [named('pageup')], action: 'pageUp', scope: 'global'},
	{keys: [named('pagedown')], action: 'pageDown', scope: 'global'},
	{keys: [named('home'), char('g')], action: 'top', scope: 'global'},
	{keys: [named('end'), char('G')], action: 'bottom', scope: 'global'},
	{keys: [ctrl('l')], action: 'layerChanges', scope: 'layers', on: v => !v.aggregated},
	{
		keys: [ctrl('a')],
		action: 'aggregatedChanges',
		scope: 'layers',
		on: v => v.aggregated,
	},
	{keys: [named('enter'), named('right'), char('l')], action: 'open', scope: 'layers'},
	{keys: [char('x')], action: 'explain', scope: 'layers'},
	{keys: [named('left'), char('h')], action: 'left', scope: 'files'},
	{keys: [named('right'), char('l')], action: 'right', scope: 'files'},
	{keys: [named('enter'), named('space')], action: 'toggleCollapse', scope: 'files'},
	{keys: [named('space', {ctrl: true}), char('C')], action: 'toggleCollapseAll', scope: 'files'},
	{keys: [ctrl('a')], action: 'toggleAdded', scope: 'files', on: v => v.filter.added},
	{keys: [ctrl('r')], action: 'toggleRemoved', scope: 'files', on: v => v.filter.removed},
	// dive's Ctrl+M is Enter on a terminal (one byte), and Enter expands and collapses as in every tree: m instead.
	{
		keys: [char('m')],
		action: 'toggleModified',
		scope: 'files',
		on: v => v.filter.modified,
	},
	{keys: [ctrl('u')], action: 'toggleUnchanged', scope: 'files', on: v => v.filter.unchanged},
	{
		keys: [ctrl('b'), char('b')],
		action: 'toggleAttributes',
		scope: 'files',
		on: v => v.attributes,
	},
	{keys: [ctrl('o'), char('o')], action: 'toggleSort', scope: 'files'},
	{
		keys: [char('w')],
		action: 'toggleWastedOnly',
		scope: 'files',
		on: v => v.wastedOnly,
	},
	{keys: [char('x')], action: 'explain', scope: 'files'},
	{keys: [char('v')], action: 'view', scope: 'files'},
	{keys: [char('e')], action: 'export', scope: 'files'},
	{keys: [named('enter'), char('x')], action: 'explain', scope: 'waste'},
	{
		keys: [named('right'), char('l')],
		action: 'open',
		scope: 'waste',
	},
	{
		keys: [named('space')],
		action: 'toggleCollapse',
		scope: 'waste',
	},
	{
		keys: [ctrl('f'), ctrl('/')],
		action: 'filter',
		scope: 'global',
	},
	{
		keys: [char('i')],
		action: 'imageConfig',
		scope: 'global',
	},
	{
		keys: [char('/')],
		action: 'search',
		scope: 'global',
	},
	{keys: [char('n')], action: 'searchNext', scope: 'global'},
	{keys: [char('N')], action: 'searchPrevious', scope: 'global'},
	{keys: [named('escape')], action: 'escape', scope: 'global'},
	// Overlays scroll with the global movement keys (overlayAction).
	{keys: [named('escape'), char('q')], action: 'close', scope: 'overlay'},
	{keys: [ctrl('c')], action: 'quit', scope: 'overlay'},
	{keys: [char('?')], action: 'close', scope: 'help'},
	{keys: [char('x')], action: 'close', scope: 'explain'},
	{keys: [char('i')], action: 'close', scope: 'config'},
	{keys: [char('v')], action: 'close', scope: 'content'},
	{keys: [char('e')], action: 'export', scope: 'content'},
	{keys: [char('w')], action: 'toggleWrap', scope: 'content'},
	{keys: [named('left'), char('h')], action: 'left', scope: 'content'},
	{keys: [named('right'), char('l')], action: 'right', scope: 'content'},
	{keys: [char(':')], action: 'goToOffset', scope: 'content'},
	// Any other printable key is text for the prompt.
	{keys: [named('enter')], action: 'accept', scope: 'prompt'},
	{keys: [named('escape')], action: 'cancel', scope: 'prompt'},
	{keys: [named('backspace')], action: 'deleteChar', scope: 'prompt'},
	{keys: [ctrl('u')], action: 'clearText', scope: 'prompt'},
	{keys: [ctrl('c')], action: 'quit', scope: 'prompt'},
	{keys: [char('q'), ctrl('c'), named('escape')], action: 'quit', scope: 'loading'},
	// The store view moves with the global movement keys (storeInput in ui/store/store-state.ts).
	{keys: [named('enter')], action: 'open', scope: 'store'},
	{keys: [named('tab')], action: 'switchList', scope: 'store'},
	{keys: [char('a')], action: 'analyseAll', scope: 'store'},
	{keys: [char('s')], action: 'sortWasted', scope: 'store'},
	{keys: [char('i')], action: 'toggleIntermediates', scope: 'store'},
	{keys: [char('r')], action: 'refresh', scope: 'store'},
	{keys: [char('?')], action: 'help', scope: 'store'},
	{keys: [char('q'), ctrl('c')], action: 'quit', scope: 'store'},
	{keys: [named('tab'), named('escape')], action: 'switchList', scope: 'storeLayers'},
	{keys: [char('?')], action: 'help', scope: 'storeLayers'},
	{keys: [char('q'), ctrl('c')], action: 'quit', scope: 'storeLayers'},
	{keys: [char('q'), named('escape')], action: 'back', scope: 'storeExplorer'},
	{keys: [ctrl('c')], action: 'quit', scope: 'storeExplorer'},
	{keys: [{mouse: 'wheel'}], action: 'scroll', scope: 'mouse'},
	{keys: [{mouse: 'click'}], action: 'select', scope: 'mouse'},
];

/** A binding's key in the catalogue. */
const textId = (binding: Binding): string => `${binding.scope}.${binding.action}`;

/** The help overlay's line of a binding in a language, if it has one. */
export function helpText(binding: Binding, lang: Lang): string | undefined {
	return messages(lang).ui.keyHelp[textId(binding)];
}

/** The status bar's label of a binding in a language, as the view stands (a toggle's ●/○, the sort order). */
export function statusLabel(binding: Binding, view: StatusView, lang: Lang): string | undefined {
	const t = messages(lang).ui;
	if (binding.scope === 'files' && binding.action === 'toggleSort') return t.sortStatus[view.sort];
	const label = t.keyStatus[textId(binding)];
	if (label === undefined) return undefined;
	return binding.on ? on(binding.on(view), label) : label;
}

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
export function statusItems(pane: PaneScope | 'help' | 'explain' | 'content' | 'config', view: StatusView, lang: Lang = 'en'): StatusItem[] {
	const items: StatusItem[] = [];
	const seen = new Set<ActionName>();
	// An overlay's own keys, then those of every overlay; a pane's, then the global ones.
	const overlay = pane === 'help' || pane === 'explain' || pane === 'content' || pane === 'config';
	const scopes: Scope[] = overlay ? [pane, 'overlay'] : [pane, 'global'];
	for (const binding of scopes.flatMap(scope => KEY_TABLE.filter(b => b.scope === scope))) {
		const label = statusLabel(binding, view, lang);
		if (label === undefined || seen.has(binding.action)) continue;
		seen.add(binding.action);
		items.push({action: binding.action, key: labelOf(binding.keys[0]).replace(/^Ctrl\+/, '^'), label});
	}
	const order = overlay ? [] : STATUS_ORDER[pane];
	const rank = (action: ActionName): number => (order.includes(action) ? order.indexOf(action) : order.length);
	return items
		.map((item, i) => ({item, i}))
		.sort((a, b) => rank(a.item.action) - rank(b.item.action) || a.i - b.i)
		.map(({item}) => item);
}

/** The help overlay's sections, in order: the scopes it lists (their titles: the catalogue's `scopeTitles`). */
const HELP_SCOPES = ['global', 'layers', 'files', 'waste', 'content', 'prompt', 'mouse'] as const;

/** The bindings the help overlay lists. */
export const BINDINGS: Binding[] = KEY_TABLE.filter(b => helpText(b, 'en') !== undefined && (HELP_SCOPES as readonly Scope[]).includes(b.scope));

/** The help's first section in an image opened from an image list (a multi-image archive, the store view). */
export function imageListHelpLines(lang: Lang = 'en'): {heading?: string; keys?: string; help?: string}[] {
	const lines: {heading?: string; keys?: string; help?: string}[] = [{heading: messages(lang).ui.openedFromList}];
	for (const binding of KEY_TABLE.filter(b => b.scope === 'storeExplorer')) {
		const help = helpText(binding, lang);
		if (help !== undefined) lines.push({keys: bindingKeys(binding), help});
	}
	return lines;
}

/** Help overlay lines: every binding that has a help text, grouped by where it applies, in a language. */
export function helpLines(lang: Lang = 'en'): {heading?: string; keys?: string; help?: string}[] {
	const t = messages(lang).ui;
	const lines: {heading?: string; keys?: string; help?: string}[] = [];
	for (const scope of HELP_SCOPES) {
		lines.push({heading: t.scopeTitles[scope]});
		for (const binding of KEY_TABLE.filter(b => b.scope === scope)) {
			const help = helpText(binding, lang);
			if (help !== undefined) lines.push({keys: bindingKeys(binding), help});
		}
	}
	return lines;
}
