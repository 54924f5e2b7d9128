// What the interactive store view holds while it is open: the engine, the last list, its layer view and the analyses
// made so far (kept across refreshes: an image ID names the same content for good). The view calls these; none of
// them writes to the terminal.
import type {EngineKind} from '../sources/engine-endpoint.js';
import {StoreAnalyser, type AnalyseOutcome, type AnalyseProgress, type AnalyserOptions, type ImageWaste} from './analyse-all.js';
import {StoreClient} from './engine-api.js';
import {layerView} from './layer-view.js';
import {checkStillThere, listStore} from './list.js';
import type {LayerShare, StoreImage, StoreListing} from './types.js';

/** How long `layerscope` with no argument waits for an engine before it shows the usage instead. */
const PING_TIMEOUT_MS = 1500;

export class StoreSession {
	readonly client: StoreClient;
	readonly analyser: StoreAnalyser;
	private listing: StoreListing | null = null;
	private layers: LayerShare[] | null = null;

	constructor(kind: EngineKind, options: AnalyserOptions & {env?: NodeJS.ProcessEnv} = {}) {
		this.client = StoreClient.forKind(kind, options.env ?? process.env);
		this.analyser = new StoreAnalyser(this.client.endpoint, options);
	}

	/** The list, read again from the engine (Enter on a stale row gets imageRemoved from open()). */
	async refresh(all = false): Promise<StoreListing> {
		this.listing = await listStore(this.client, {all});
		this.layers = null;
		return this.listing;
	}

	get current(): StoreListing | null {
		return this.listing;
	}

	/** "Who shares this layer", for the current list (read once per list). */
	async layerView(): Promise<LayerShare[]> {
		const listing = this.listing ?? (await this.refresh());
		this.layers ??= await layerView(this.client, listing);
		return this.layers;
	}

	/** Checks the image is still there and gives the reference the explorer opens it by (loadImage). */
	async open(image: Pick<StoreImage, 'id' | 'tags'>): Promise<string> {
		await checkStillThere(this.client, image);
		return `${this.client.endpoint.kind}://${image.id}`;
	}

	analyseAll(options: {onProgress?: (progress: AnalyseProgress) => void; signal?: AbortSignal} = {}): Promise<AnalyseOutcome[]> {
		return this.analyser.analyseAll(this.listing?.images ?? [], options);
	}

	/** The listed images analysed so far, most wasted bytes first. */
	mostWasted(): {image: StoreImage; waste: ImageWaste}[] {
		return (this.listing?.images ?? [])
			.flatMap(image => {
				const waste = this.analyser.cached(image.id);
				return waste ? [{image, waste}] : [];
			})
			.sort((a, b) => b.waste.wastedBytes - a.waste.wastedBytes);
	}

	/** Whether an engine answers here, quickly: `layerscope` with no argument opens the store view when one does. */
	static async engineAnswers(kind: EngineKind = 'docker', env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
		try {
			return (await StoreClient.forKind(kind, env).ping(PING_TIMEOUT_MS)) === true;
		} catch {
			return false;
		}
	}
}
