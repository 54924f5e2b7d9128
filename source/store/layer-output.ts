// The layer view ("who shares this layer") as JSON and as a plain table.
import {formatBytes, shortDigest} from '../util/format.js';
import {visible} from '../util/sanitize.js';
import {table} from './text.js';
import type {LayerShare, StoreListing} from './types.js';

export interface LayerShareJson {
	chainId: string;
	diffId: string;
	sizeBytes: number | null;
	images: {id: string; tags: string[]}[];
}

export function layersJson(listing: StoreListing, layers: readonly LayerShare[]): {schemaVersion: 1; engine: string; url: string; layers: LayerShareJson[]} {
	const tags = new Map(listing.images.map(image => [image.id, image.tags]));
	return {
		schemaVersion: 1,
		engine: listing.engine,
		url: listing.url,
		layers: layers.map(layer => ({...layer, images: layer.images.map(id => ({id, tags: tags.get(id) ?? []}))})),
	};
}

export function layersText(listing: StoreListing, layers: readonly LayerShare[]): string {
	const names = new Map(listing.images.map(image => [image.id, visible(image.tags[0] ?? shortDigest(image.id))]));
	const rows = [['LAYER', 'DIFF ID', 'SIZE', 'IMAGES', 'USED BY']];
	for (const layer of layers)
		rows.push([
			shortDigest(layer.chainId),
			shortDigest(layer.diffId),
			layer.sizeBytes === null ? 'unknown' : formatBytes(layer.sizeBytes),
			String(layer.images.length),
			layer.images.map(id => names.get(id) ?? shortDigest(id)).join(', '),
		]);
	return 'Layers space usage:\n\n' + table(rows);
}
