// All layers' entries of one image under one numbering: entry `g` is entry `g - base[layer]` of that layer.
// The analysis keeps global entry numbers in its int32 columns; IMPLICIT stands for a parent directory no tar named.
import {DIRECTORY, type LayerEntries} from './layer-entries.js';
import type {LayerEntry} from './types.js';

export const IMPLICIT = -2;
export const IMPLICIT_DIR_MODE = 0o755;

export class ImageEntries {
	readonly bases: number[] = [];
	readonly total: number;

	constructor(readonly layers: readonly LayerEntries[]) {
		let total = 0;
		for (const layer of layers) {
			this.bases.push(total);
			total += layer.count;
		}
		this.total = total;
	}

	/** Layer of global entry g (g >= 0). */
	layerOf(g: number): number {
		const bases = this.bases;
		let low = 0;
		let high = bases.length - 1;
		while (low < high) {
			const mid = (low + high + 1) >> 1;
			if (bases[mid] <= g) low = mid;
			else high = mid - 1;
		}
		// The last layer starting at or before g: a layer without entries shares its base with the next one.
		return low;
	}

	typeCode(g: number): number {
		if (g === IMPLICIT) return DIRECTORY;
		const layer = this.layerOf(g);
		return this.layers[layer].typeCode(g - this.bases[layer]);
	}

	/** Size from the tar header (0 for a parent directory no tar named). */
	size(g: number): number {
		if (g === IMPLICIT) return 0;
		const layer = this.layerOf(g);
		return this.layers[layer].size(g - this.bases[layer]);
	}

	/** Same type, hash and link target (a change of bytes, or not). */
	sameContent(g: number, entries: LayerEntries, i: number): boolean {
		if (g === IMPLICIT) return entries.typeCode(i) === DIRECTORY && !entries.hasHash(i) && entries.linkTarget(i) === undefined;
		const layer = this.layerOf(g);
		const own = this.layers[layer];
		const j = g - this.bases[layer];
		return (
			own.typeCode(j) === entries.typeCode(i) &&
			own.sameHash(j, entries, i) &&
			own.symlinkTarget(j) === entries.symlinkTarget(i) &&
			own.hardlinkTarget(j) === entries.hardlinkTarget(i)
		);
	}

	sameMetadata(g: number, entries: LayerEntries, i: number): boolean {
		if (g === IMPLICIT) return entries.mode(i) === IMPLICIT_DIR_MODE && entries.uid(i) === 0 && entries.gid(i) === 0;
		const layer = this.layerOf(g);
		const own = this.layers[layer];
		const j = g - this.bases[layer];
		return own.mode(j) === entries.mode(i) && own.uid(j) === entries.uid(i) && own.gid(j) === entries.gid(i);
	}

	sameHash(g: number, entries: LayerEntries, i: number): boolean {
		const layer = this.layerOf(g);
		return this.layers[layer].sameHash(g - this.bases[layer], entries, i);
	}

	/** The LayerEntry object of g, with `path` as given (the caller has the node's path). */
	entry(g: number, path: string): LayerEntry {
		if (g === IMPLICIT) return {path, type: 'directory', size: 0, mode: IMPLICIT_DIR_MODE, uid: 0, gid: 0, mtime: 0};
		const layer = this.layerOf(g);
		return this.layers[layer].entry(g - this.bases[layer], path);
	}

	/** Layer entries and index of g. */
	locate(g: number): {entries: LayerEntries; index: number; layer: number} {
		const layer = this.layerOf(g);
		return {entries: this.layers[layer], index: g - this.bases[layer], layer};
	}
}
