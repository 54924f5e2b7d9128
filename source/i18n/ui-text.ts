// The shape of the explorer's and the CI outputs' text in the catalogue (en-ui.ts, zh-ui.ts, en-ci.ts, zh-ci.ts):
// pane titles, labels, hints, prompts, the key help; the CI text, junit and markdown headings. Apart from messages.ts
// so the advisor's messages and these grow without touching each other.
import type {WasteCause} from '../model/types.js';

/** A status of the files tree as its legend, its filters and its title name it. */
export type TreeStatus = 'added' | 'modified' | 'removed' | 'unchanged';

/** The CI rules by name (source/ci/rules.ts's RuleName; the catalogue may not import the CI folder). */
export type CiRuleName = 'lowestEfficiency' | 'highestWastedBytes' | 'highestUserWastedPercent' | 'highestLayerscopeWastedBytes' | 'highestLayerWastedBytes';

/** The explorer: every word it draws that is not the image's own. */
export interface UiMessages {
	/** A layer with no history entry, a history step with no command. */
	noHistory: string;
	noCommand: string;
	/** Pane titles. */
	layersTitle(position: number, count: number): string;
	layerDetailsTitle(layer: number): string;
	imageDetailsTitle: string;
	tooSmall(width: number, height: number, quitKey: string): string;
	/** The layers pane's header cells: index, size, compressed size, command. */
	layerColumns: {index: string; size: string; compressed: string; command: string};
	/** The layer details' labels (padded to one column) and their values. */
	layerLabels: {command: string; changes: string; wasted: string; size: string; digest: string; diffId: string; created: string; comment: string};
	changeCounts: {added(n: number): string; modified(n: number): string; removed(n: number): string; rewritten(n: number): string};
	layerWasted(bytes: string): string;
	layerNoneWasted: string;
	layerHid(bytes: string): string;
	compressedWith(bytes: string, compression: string): string;
	/** The files pane. */
	filesTitle(layer: number, last: number, aggregated: boolean): string;
	hiding(statuses: string[]): string;
	statusName: Record<TreeStatus, string>;
	wastedOnly: string;
	pathFilter(text: string): string;
	bySize: string;
	/** The header cells: status, permission, uid:gid, size, name. */
	fileColumns: {status: string; permission: string; owner: string; size: string; name: string};
	emptyView: string;
	noMatch: string;
	statusLegend: string;
	unsafeName: string;
	fromLayer(layer: number): string;
	explains(key: string): string;
	fileWasted(cause: string, hiddenBy: number, explains: string): string;
	wastedBelow(bytes: string, explains: string): string;
	/** The image details. */
	imageLabels: {tags: string; size: string; wasted: string; efficiency: string; topFix: string};
	untagged: string;
	compressed(bytes: string): string;
	layerCount(n: number): string;
	fileCount(n: number): string;
	causeShort: Record<WasteCause, string>;
	dive: {short: string; long: string};
	userWasted: {short: string; long: string};
	topFixNone: string;
	topFixUnsavable: string;
	saves(bytes: string): string;
	moreFixes(count: number, key: string): string;
	/** The top fix's summary after its saving. */
	fixSummary(summary: string): string;
	otherImages(position: number, count: number, others: string): string;
	wastedFilesHeading(count: number): string;
	noWastedFiles: string;
	groupFiles(count: string, narrow: boolean): string;
	/** The overlays' frame and the help. */
	scrollPosition(from: number, to: number, count: number, keys: string): string;
	closes(key: string): string;
	helpTitle(helpKey: string, closeKey: string): string;
	helpStatus(legend: string): string;
	helpColours: string;
	/** The help's first heading in an image opened from an image list. */
	openedFromList: string;
	/** The help overlay's sections, by the bindings' scope. */
	scopeTitles: Record<'global' | 'layers' | 'files' | 'waste' | 'content' | 'prompt' | 'mouse', string>;
	/** Every binding's help line and status-bar label, by `scope.action`. */
	keyHelp: Record<string, string>;
	keyStatus: Record<string, string>;
	sortStatus: Record<'name' | 'size', string>;
	/** The image config overlay. */
	configTitle: string;
	configLabels: {platform: string; created: string};
	historyHeading(steps: number): string;
	/** The file viewer: its title and the header about the bytes shown. */
	viewerTitle(layer: number, storedBy: number | null, size: string, exportKey: string): string;
	hardLinkTo(path: string): string;
	cannotShow: string;
	readingLayer: string;
	windowKind: {text: string; hex: string};
	wholeFile: string;
	byteRange(from: string, to: string, size: string): string;
	readOn(next: string, previous: string, offsetKey: string): string;
	wrapOn(key: string): string;
	wrapOff(key: string, column: number | null): string;
	reading: string;
	/** The prompts and the messages they leave. */
	filterPrompt: string;
	pathsMatch(count: number): string;
	notRegex(error: string): string;
	notRegexShort(error: string): string;
	filterKeys(accept: string, cancel: string): string;
	searchKeys(accept: string, cancel: string, next: string): string;
	searchRank(rank: number, total: number): string;
	exportPrompt(path: string, layer: number): string;
	overwritePrompt(path: string): string;
	offsetPrompt: string;
	offsetKeys(accept: string, cancel: string): string;
	noMatchFor(text: string): string;
	exportNoPath: string;
	exporting(path: string): string;
	exportKept: string;
	exportCancelled: string;
	notOffset(text: string): string;
}

/** The CI outputs: text, junit and markdown (the JSON verdict stays English; rule names and PASS/FAIL stay as they are). */
export interface CiMessages {
	textHead(image: string, kind: string, reference: string): string;
	textSummary(layers: number, size: string, sources: string): string;
	rulesFile(name: string): string;
	flags: string;
	defaults: string;
	analysis: string;
	/** The figure labels of the Analysis section, all padded to one column. */
	figures: {efficiency: string; wastedBytes: string; userWastedPercent: string; layerscopeWasted: string};
	diveCompatible: string;
	byCause(total: string, removed: string, overwritten: string, duplicate: string): string;
	noWastedFiles: string;
	wastedFilesHeading(shown: number, count: number): string;
	storedHidden(stored: number, hidden: number): string;
	rules: string;
	defaultSource: string;
	passed(pass: number, total: number): string;
	noRuleEnabled: string;
	disabled: string;
	ruleDisabled: string;
	/** junit's message of a skipped rule. */
	skipped: string;
	layersOverLimit(list: string): string;
	noLayerWastes: string;
	largestInLayer(layer: number): string;
	/** What each rule measures (junit's failure message). */
	measures: Record<CiRuleName, string>;
	/** junit's failure message: what the rule measures, then the comparison. */
	outcome(measures: string, comparison: string): string;
	junitWasted(bytes: string, copies: number): string;
	junitLayer(layer: number, bytes: string, command: string): string;
	markdownHead(icon: string, word: string, names: string): string;
	failed(names: string): string;
	ruleTable: {rule: string; result: string; value: string; limit: string};
	markdownSummary(efficiency: string, diveWasted: string, userWasted: string, wasted: string, layers: number, size: string): string;
	topWastedFiles(shown: number, count: number): string;
	fileTable: {size: string; cause: string; stored: string; hidden: string; path: string};
}

/**
 * The image list (`layerscope images`, a multi-image archive's first screen), the loading screen and the messages an
 * explorer's effects leave. Docker's own column headings (REPOSITORY:TAG, IMAGE ID) and `<none>` stay as Docker prints them.
 */
export interface StoreMessages {
	/** The image list's column headings (besides REPOSITORY:TAG and IMAGE ID), then the layer view's. */
	imageColumns: {created: string; size: string; shared: string; unique: string; layers: string; containers: string; wasted: string; sharedLayers: string};
	layerColumns: {size: string; layer: string; images: string; usedBy: string};
	/** A cell of the WASTED column whose analysis failed; the SHARED LAYERS cell. */
	analyseFailed: string;
	sharedOf(shared: number, total: number): string;
	dangling: string;
	intermediate: string;
	engine: {docker: string; podman: string; archive: string};
	title(what: 'images' | 'layers', count: number | null, engine: string): string;
	readingLayers: string;
	archiveTotals(images: number, layers: number, shared: number, bytes: string): string;
	engineTotals(images: number, active: number, bytes: string, reclaimable: string, percent: string): string;
	layerSummary(layers: number, shared: number, once: string, copies: string): string;
	analysing(bar: string, done: number, total: number): string;
	topFinding(text: string): string;
	noWaste: string;
	couldNotAnalyse(error: string): string;
	notAnalysed(key: string): string;
	layerIds(diffId: string, chainId: string): string;
	usedBy(users: string): string;
	/** The help overlay. */
	helpSections: {store(keys: string): string; storeLayers: string; storeExplorer: string};
	helpLegend: string;
	helpCloses: string;
	/** The list's messages. */
	noImages: string;
	alreadyAnalysing: string;
	analysedAll(ok: number, total: number, failed: number): string;
	/** The loading page's name of an untagged image. */
	imageById(id: string): string;
	/** The loading screen. */
	loading(name: string): string;
	stdin: string;
	opening: string;
	phases: Record<'reading' | 'done' | 'layers' | 'hashing' | 'analysing', string>;
	layerProgress(done: number, total: number | null): string;
	/** What an export or a read leaves on the explorer's message line. */
	exported(bytes: number, path: string): string;
	exportFailed(error: string): string;
	contentUnavailable: string;
	exportUnavailable: string;
}
