// The shape of the message catalogue: what every language provides (en.ts, zh.ts), apart from the lookup
// (catalogue.ts), so the languages and the lookup do not import each other.
import type {WasteCause} from '../model/types.js';
import type {CiMessages, StoreMessages, UiMessages} from './ui-text.js';

export type ContentKind = 'package-lists' | 'package-cache' | 'cache' | 'download' | 'archive' | 'files' | 'bookkeeping' | 'toolchain';
export type FixKindName =
	| 'merge-runs'
	| 'move-into-run'
	| 'copy-chmod'
	| 'copy-chown'
	| 'edit-in-context'
	| 'dockerignore'
	| 'bind-mount'
	| 'copy-less'
	| 'download-in-run'
	| 'multi-stage'
	| 'single-write'
	| 'base-rewrite'
	| 'base-delete'
	| 'slimmer-base'
	| 'none';

/** What the diagnosis says about one stored-and-hidden pair. */
export interface PairText {
	stored: string;
	hidden: string;
	/** What the bytes are: a phrase (`82.9 MB of package lists`) or one file. */
	what: string;
	plural: boolean;
}

export interface FixParams {
	from: number;
	to: number;
	/** A step moved into an earlier RUN, shown in backticks. */
	step: string;
	/** The base image's name, or '' when the image does not record it. */
	base: string;
}

/** The plain report's headings and labels (source/report/text.ts), in the run's language. */
export interface ReportMessages {
	imageLine(name: string, kind: string, reference: string): string;
	idLine(id: string, platform: string, layers: number, files: number): string;
	sizeLine(size: string, compressed: string | null): string;
	wastedByCause(total: string, removed: string, overwritten: string, duplicate: string): string;
	diveLine(efficiency: string, wasted: string, userWasted: string): string;
	layers: string;
	columns: {index: string; size: string; wasted: string; hidden: string; command: string};
	noHistory: string;
	storedHidden(stored: number, hidden: number): string;
}

/** The explorer's explanation box (`x`): its titles and the lines around the findings. */
export interface ExplainMessages {
	title: string;
	titleOf(subject: string): string;
	layerSubject(n: number): string;
	nothingSelected: string;
	copyOf(bytes: string, path: string): string;
	storedBy(layer: number, command: string): string;
	hiddenBy(layer: number, command: string): string;
	/** `cause: duplicate: written again …`. */
	causeLine(cause: string, text: string): string;
	causeText: Record<WasteCause, string>;
	layerHead(layer: number, command: string): string;
	allVisible: string;
	storedHidden(bytes: string): string;
	storedItem(bytes: string, cause: string, path: string, layer: number, command: string): string;
	more(count: number): string;
	hidNothing: string;
	hidBytes(bytes: string): string;
	hidItem(bytes: string, cause: string, path: string, layer: number): string;
	pathClean(path: string): string;
	below(bytes: string, path: string, copies: number): string;
	belowItem(bytes: string, cause: string, path: string, stored: number, hidden: number): string;
}

export interface Messages {
	report: ReportMessages;
	explain: ExplainMessages;
	/** The explorer's and the CI outputs' own words (ui-text.ts). */
	ui: UiMessages;
	ci: CiMessages;
	/** The image list's, the loading screen's and the effects' words (ui-text.ts). */
	store: StoreMessages;
	heading: string;
	nothingToFix: string;
	layer(n: number): string;
	/** `layer 0 (base image)`. */
	baseLayer(n: number): string;
	cause: Record<WasteCause, string>;
	/** `82.9 MB of package lists`. */
	amountOf(bytes: string, content: ContentKind): string;
	/** `/big.bin (300 kB)`. */
	oneFile(path: string, bytes: string): string;
	/** `layer 1 \`RUN apt-get update\` stored 82.9 MB of package lists`. */
	stored(layer: string, command: string, what: string): string;
	/** The hiding layer's part, by cause; `bookkeeping` when a package operation rewrote the files as a side effect. */
	hidden(cause: WasteCause | 'bookkeeping', layer: string, command: string, plural: boolean): string;
	/** Joins the parts of a diagnosis. */
	pair(stored: string, hidden: string): string;
	clauses(parts: string[]): string;
	morePairs(count: number, bytes: string): string;
	/** Added to a diagnosis, by fix kind, where the kind needs it said. */
	why: Partial<Record<FixKindName, (p: FixParams) => string>>;
	fix: Record<FixKindName, (p: FixParams) => string>;
	saving(bytes: string, percent: string): string;
	noSaving: string;
	wasteLine(stored: number, hidden: number, cause: string, files: number, bytes: string): string;
	topPath(path: string, files: number, bytes: string): string;
	dockerfileLabel: string;
	wasteLabel: string;
	mismatch(line: number, text: string, image: string | null): string;
	/** A Dockerfile with no FROM. */
	noStage: string;
	/** Placeholders in generated Dockerfile text, where the image does not record the name. */
	baseImagePlaceholder: string;
	buildOutputComment: string;
	urlPlaceholder: string;
	/** Ends the diagnosis of bookkeeping the base image shipped and an install rewrote (instead of `why.none`). */
	noiseOverBase: string;
}
