// Analyse every image of the store on demand: each read as loadImage reads it (for an engine: inspect, then the
// export stream through the archive reader and analyzeStore, from the endpoint the list came from; for an archive:
// loadImage picking the image); a few at a time, with progress, results kept by image ID while layerscope runs.
import {advise} from '../advice/index.js';
import {COLUMNS_HEAP_PER_PATH, pathBudget} from '../analysis/path-budget.js';
import {messages, type Lang} from '../i18n/catalogue.js';
import type {ImageAnalysis, WasteCause} from '../model/types.js';
import type {Progress} from '../sources/blob-store.js';
import {ImageNotInEngine, inspectEngineImage, openEngineImage} from '../sources/engine.js';
import type {EngineEndpoint} from '../sources/engine-endpoint.js';
import {analyzeStore, loadImage, type LoadOptions} from '../sources/load.js';
import {describeError} from '../util/errors.js';
import {formatBytes} from '../util/format.js';
import {imageRemoved} from './removed.js';
import {mapLimit} from './pool.js';
import type {StoreImage} from './types.js';

/** Two images at once: each analysis already walks its layers on several threads. */
const DEFAULT_CONCURRENCY = 2;

export interface ImageWaste {
	id: string;
	/** layerscope's wasted bytes (README, "What the numbers mean"). */
	wastedBytes: number;
	byCause: Record<WasteCause, number>;
	/** The one thing to fix first; from the `topFinding` hook. */
	topFinding: string | null;
}

/** The outcome for one image of an analyse-all: its waste, or the one line of why it could not be read. */
export type AnalyseOutcome = {id: string; waste: ImageWaste; error?: undefined} | {id: string; waste?: undefined; error: string};

export interface AnalyseProgress {
	done: number;
	total: number;
	/** The image that just finished (or failed). */
	id: string;
	/** Byte progress of one image in flight, for a bar per image. */
	loading?: {id: string; progress: Progress};
}

export type TopFinding = (analysis: ImageAnalysis) => string | null;

/** The largest wasted file, with who stored and who hid it: what is told when no fix saves bytes. */
export const largestWastedFile: TopFinding = analysis => {
	const file = analysis.waste.files[0];
	if (!file) return null;
	return `${file.path}: ${formatBytes(file.sizeBytes)} ${file.cause} (stored by layer ${file.layerIndex}, hidden by layer ${file.hiddenByLayerIndex})`;
};

/** The advisor's largest fix and its saving, worded as the explorer's Top fix; else the largest wasted file. */
export function topFix(lang: Lang = 'en'): TopFinding {
	return analysis => {
		const top = advise(analysis, {lang}).findings.find(finding => finding.savingBytes > 0);
		if (!top) return largestWastedFile(analysis);
		const t = messages(lang).ui;
		return `${t.saves(formatBytes(top.savingBytes))}${t.fixSummary(top.fix.summary)}`;
	};
}

export interface AnalyserOptions {
	/** The language of the top finding (default English). */
	lang?: Lang;
	concurrency?: number;
	/** Replace the top-finding text (the advisor's hook). */
	topFinding?: TopFinding;
	/** How an image is analysed (tests wrap it); default: from the endpoint, or loadImage for an archive. */
	load?: (open: StoreImage['open'], options: LoadOptions) => Promise<ImageAnalysis>;
}

export class StoreAnalyser {
	private readonly cache = new Map<string, ImageWaste>();
	private readonly running = new Map<string, Promise<ImageWaste>>();
	private readonly concurrency: number;
	private readonly topFinding: TopFinding;
	private readonly load: NonNullable<AnalyserOptions['load']>;

	/** `endpoint`: the engine the list came from; null for an archive's list. */
	constructor(
		readonly endpoint: EngineEndpoint | null,
		options: AnalyserOptions = {},
	) {
		this.concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
		this.topFinding = options.topFinding ?? topFix(options.lang);
		this.load =
			options.load ??
			(async (open, loadOptions) => {
				if (!endpoint) return loadImage(open.reference, {...loadOptions, image: open.image});
				const image = await inspectEngineImage(endpoint, open.reference.replace(/^[a-z]+:\/\//, ''));
				return analyzeStore(await openEngineImage(image, open.reference, loadOptions), loadOptions);
			});
	}

	/** The result of an earlier analysis of this image, if any. */
	cached(id: string): ImageWaste | undefined {
		return this.cache.get(id);
	}

	/** One image, from the cache or analysed now (two callers asking at once share one analysis). */
	analyse(image: Pick<StoreImage, 'id' | 'tags' | 'open'>, onProgress?: (progress: Progress) => void): Promise<ImageWaste> {
		const known = this.cache.get(image.id);
		if (known) return Promise.resolve(known);
		const inFlight = this.running.get(image.id);
		if (inFlight) return inFlight;
		const options: LoadOptions = {keepChanges: false, maxPaths: pathBudget(COLUMNS_HEAP_PER_PATH), onProgress};
		const run = this.load(image.open, options)
			.then(analysis => {
				const waste = {id: image.id, wastedBytes: analysis.waste.totalBytes, byCause: {...analysis.waste.byCause}, topFinding: this.topFinding(analysis)};
				this.cache.set(image.id, waste);
				return waste;
			})
			.catch((error: unknown) => {
				throw error instanceof ImageNotInEngine && this.endpoint ? imageRemoved(image, this.endpoint.kind) : error;
			})
			.finally(() => this.running.delete(image.id));
		this.running.set(image.id, run);
		return run;
	}

	/**
	 * Every image, `concurrency` at a time; one that fails (removed meanwhile, unreadable) gets its error line and the
	 * rest go on. Stops starting new images once `signal` aborts.
	 */
	async analyseAll(
		images: readonly Pick<StoreImage, 'id' | 'tags' | 'open'>[],
		options: {onProgress?: (progress: AnalyseProgress) => void; signal?: AbortSignal} = {},
	): Promise<AnalyseOutcome[]> {
		let done = 0;
		const outcomes = await mapLimit(images, this.concurrency, async (image): Promise<AnalyseOutcome | null> => {
			if (options.signal?.aborted) return null;
			let outcome: AnalyseOutcome;
			try {
				outcome = {
					id: image.id,
					waste: await this.analyse(image, progress => options.onProgress?.({done, total: images.length, id: image.id, loading: {id: image.id, progress}})),
				};
			} catch (error) {
				outcome = {id: image.id, error: describeError(error)};
			}
			options.onProgress?.({done: ++done, total: images.length, id: image.id});
			return outcome;
		});
		return outcomes.filter((outcome): outcome is AnalyseOutcome => outcome !== null);
	}
}
