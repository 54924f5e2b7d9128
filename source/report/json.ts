// The documented, stable JSON report (schemaVersion 1). See docs/json-report.md.
import {advise, type Advice} from '../advice/index.js';
import {changeRowsOf} from '../model/materialize.js';
import type {ImageAnalysis, LayerAnalysis} from '../model/types.js';
import {JsonRows} from './json-writer.js';

export const SCHEMA_VERSION = 1;

export interface JsonOptions {
	/** Add `layers[i].changes` (every path each layer touched). */
	files?: boolean;
	/** The advisor's findings to print (default: advise in English, no Dockerfile). */
	advice?: Advice;
}

export function toJsonReport(analysis: ImageAnalysis, options: JsonOptions = {}): Record<string, unknown> {
	const {image, efficiency} = analysis;
	const advice = options.advice ?? advise(analysis);
	return {
		schemaVersion: SCHEMA_VERSION,
		source: analysis.source,
		image: {
			tags: image.tags,
			id: image.id,
			os: image.os,
			architecture: image.architecture,
			...(image.variant ? {variant: image.variant} : {}),
			created: image.created,
			config: image.config,
			sizeBytes: image.sizeBytes,
			compressedSizeBytes: image.compressedSizeBytes,
			fileCount: image.fileCount,
			layerCount: analysis.layers.length,
		},
		layers: analysis.layers.map(layer => ({
			index: layer.index,
			diffId: layer.diffId,
			digest: layer.digest,
			mediaType: layer.mediaType,
			compression: layer.compression,
			sizeBytes: layer.sizeBytes,
			compressedSizeBytes: layer.compressedSizeBytes,
			createdBy: layer.createdBy,
			created: layer.created,
			...(layer.comment ? {comment: layer.comment} : {}),
			counts: layer.counts,
			wastedBytes: layer.wastedBytes,
			hiddenBytes: layer.hiddenBytes,
			...(options.files ? {changes: changesOf(layer)} : {}),
		})),
		history: analysis.history.map(item => ({
			createdBy: item.createdBy,
			created: item.created,
			emptyLayer: item.emptyLayer,
			...(item.comment ? {comment: item.comment} : {}),
			layerIndex: item.layerIndex,
		})),
		waste: analysis.waste,
		efficiency: {
			score: efficiency.score,
			wastedBytes: efficiency.wastedBytes,
			userWastedPercent: efficiency.userWastedPercent,
			sizeBytes: efficiency.sizeBytes,
			userSizeBytes: efficiency.userSizeBytes,
			// The analysis's own records, in the report's shape: a copy was one more object per path on a big image.
			inefficientFiles: efficiency.inefficiencies,
		},
		findings: advice.findings,
		baseImage: advice.base,
		...(advice.dockerfile ? {dockerfile: advice.dockerfile} : {}),
	};
}

/** A layer's changes for the report: made one at a time as they are written, where the analysis kept them so. */
function changesOf(layer: LayerAnalysis): JsonRows<unknown> | LayerAnalysis['changes'] {
	const rows = changeRowsOf(layer);
	return rows ? new JsonRows(rows.count, i => rows.at(i)) : layer.changes;
}
