// `layerscope images --json`: the store as data (docs/json-report.md, "The local store"). Byte figures are the engine's, to the byte.
import type {AnalyseOutcome} from './analyse-all.js';
import type {StoreListing} from './types.js';

export interface StoreImageJson {
	id: string;
	tags: string[];
	digests: string[];
	created: string | null;
	sizeBytes: number;
	sharedBytes: number | null;
	uniqueBytes: number | null;
	layers: number;
	containers: number;
	dangling: boolean;
	intermediate: boolean;
	/** null until analysed (`--analyse`). */
	wastedBytes: number | null;
	topFinding: string | null;
	/** Why the analysis of this image failed, when it did. */
	analysisError?: string;
}

export interface StoreJson {
	schemaVersion: 1;
	engine: string;
	url: string;
	images: StoreImageJson[];
	totals: {images: number; active: number; layersBytes: number; reclaimableBytes: number};
}

export function storeJson(listing: StoreListing, analysed: readonly AnalyseOutcome[] = []): StoreJson {
	const byId = new Map(analysed.map(outcome => [outcome.id, outcome]));
	return {
		schemaVersion: 1,
		engine: listing.engine,
		url: listing.url,
		images: listing.images.map(image => {
			const outcome = byId.get(image.id);
			return {
				id: image.id,
				tags: image.tags,
				digests: image.digests,
				created: image.created,
				sizeBytes: image.sizeBytes,
				sharedBytes: image.sharedBytes,
				uniqueBytes: image.uniqueBytes,
				layers: image.diffIds.length,
				containers: image.containers,
				dangling: image.dangling,
				intermediate: image.intermediate,
				wastedBytes: outcome?.waste?.wastedBytes ?? null,
				topFinding: outcome?.waste?.topFinding ?? null,
				...(outcome?.error === undefined ? {} : {analysisError: outcome.error}),
			};
		}),
		totals: {...listing.totals},
	};
}
