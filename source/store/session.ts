// What the interactive store view holds while it is open: the engine (or multi-image archive), the last list, its
// layer view and the analyses made so far (kept across refreshes: an image ID names the same content for good). The
// view calls these; none of them writes to the terminal.
import type {ProgressListener} from '../sources/blob-store.js';
import type {EngineKind} from '../sources/engine-endpoint.js';
import {StoreAnalyser, type AnalyseOutcome, type AnalyseProgress, type AnalyserOptions, type ImageWaste} from './analyse-all.js';
import {listArchive, type ArchiveListing} from './archive-list.js';
import {StoreClient} from './engine-api.js';
import {layerView} from './layer-view.js';
import {checkStillThere, listStore} from './list.js';
import type {LayerShare, StoreImage, StoreListing} from './types.js';

/** How long `layerscope` with no argument waits for an engine before it shows the usage instead. */
const PING_TIMEOUT_MS = 1500;

/** An engine, or the path of an archive or OCI layout that holds several images (`platforms`: one row each, as listArchive). */
export type StoreSource = EngineKind | {archive: string; platforms?: boolean};

export class StoreSession {
	/** null for an archive. */
	readonly client: StoreClient | null;
	readonly analyser: StoreAnalyser;
	private listing: StoreListing | null = null;
	private layers: LayerShare[] | null = null;

	constructor(
		readonly source: StoreSource,
		options: AnalyserOptions & {env?: NodeJS.ProcessEnv} = {},
	) {
		this.client = typeof source === 'string' ? StoreClient.forKind(source, options.env ?? process.env) : null;
		this.analyser = new StoreAnalyser(this.client?.endpoint ?? null, options);
	}

	/**
	 * The list, read again (Enter on a stale row gets imageRemoved from open()). An archive's layers are walked to
	 * size them: `onProgress` shows it.
	 */
	async refresh(all = false, onProgress?: ProgressListener): Promise<StoreListing> {
		if (this.client) {
			this.listing = await listStore(this.client, {all});
			this.layers = null;
		} else {
			const {archive, platforms} = this.source as {archive: string; platforms?: boolean};
			({listing: this.listing, layers: this.layers} = await listArchive(archive, {onProgress, platforms}));
		}
		return this.listing;
	}

	/** Take a list read elsewhere (the explorer's image list: from the archive it has open). */
	adopt({listing, layers}: ArchiveListing): this {
		this.listing = listing;
		this.layers = layers;
		return this;
	}

	get current(): StoreListing | null {
		return this.listing;
	}

	/** "Who shares this layer", for the current list (read once per list). */
	async layerView(): Promise<LayerShare[]> {
		const listing = this.listing ?? (await this.refresh());
		this.layers ??= await layerView(this.client!, listing);
		return this.layers;
	}

	/** Checks the image is still there and gives what the explorer opens it by: loadImage(reference, {image}). */
	async open(image: Pick<StoreImage, 'id' | 'tags' | 'open'>): Promise<StoreImage['open']> {
		if (this.client) await checkStillThere(this.client, image);
		return image.open;
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
