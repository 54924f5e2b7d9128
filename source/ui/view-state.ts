// The explorer's view state, as types: what every pane, overlay and prompt reads and returns. Apart from state.ts
// (the reducer's top, which routes to them) so that they need not import the module that imports them.
import type {FsNode} from '../model/types.js';
import type {ExplorerModel} from './explorer-model.js';
import type {SortOrder} from './layer-view.js';
import type {Layout} from './layout.js';
import type {ListCursor} from './list-cursor.js';
import type {ContentWindow, WindowRequest} from './overlays/content-window.js';
import type {Collapse, StatusFilter} from './tree-rows.js';

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

export type Subject = {type: 'file'; node: FsNode; layer: number} | {type: 'layer'; layer: number} | {type: 'waste'; index: number};

/** An overlay over the panes; `scroll` is the first line of its body shown. */
export type Overlay = {kind: 'help'; scroll: number} | {kind: 'config'; scroll: number} | {kind: 'explain'; scroll: number; subject: Subject} | ContentOverlay;

/**
 * The content viewer: the window of the file it holds (null until the first arrives), the window being read, the
 * first column shown (horizontal scroll) and whether long lines wrap.
 */
export interface ContentOverlay {
	kind: 'content';
	scroll: number;
	target: FileTarget;
	content: ContentWindow | null;
	request: WindowRequest | null;
	error: string | null;
	wrap: boolean;
	column: number;
}

export type Prompt =
	| {kind: 'filter'; text: string}
	| {kind: 'search'; text: string; origin: FsNode | null}
	| {kind: 'export'; text: string; target: FileTarget}
	| {kind: 'overwrite'; text: string; target: FileTarget; path: string}
	| {kind: 'offset'; text: string};

export interface PendingExport {
	id: number;
	target: FileTarget;
	path: string;
	overwrite: boolean;
}

export interface ViewState {
	pane: Pane;
	/** The selected layer (the layers list's cursor), and the first layer shown. */
	layer: number;
	layerScroll: number;
	aggregated: boolean;
	sort: SortOrder;
	filter: StatusFilter;
	wastedOnly: boolean;
	pathFilter: string;
	search: string;
	collapse: Collapse;
	/** The selected path. */
	cursor: FsNode | null;
	/** The tree's rows: the row the cursor was last on (where it lands when its path leaves the view), and scroll. */
	tree: ListCursor;
	/** The attributes column: shown, hidden, or (null) shown when the files pane is wide enough (attributesShown). */
	attributes: boolean | null;
	/** The wasted-files list (its rows: panes/waste-rows.ts), and the directories opened in it. */
	waste: ListCursor;
	wasteOpen: ReadonlySet<string>;
	overlay: Overlay | null;
	prompt: Prompt | null;
	pendingExport: PendingExport | null;
	message: {text: string; tone: 'info' | 'error'} | null;
	nextId: number;
	quit: boolean;
	/** Counts the suspends asked for (Ctrl+Z): the component suspends the process when it changes. */
	suspends: number;
}

export interface Context {
	model: ExplorerModel;
	layout: Layout;
	/** Why file contents cannot be read here (stdin), when they cannot: the viewer and export say so at once. */
	contentUnavailable?: string | null;
	/** Every image of the archive when it holds more than the one shown (image-list.ts). */
	images?: string[] | null;
}
