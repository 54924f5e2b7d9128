// Which content hashes the analysis compares, so that a walk that deferred them (layers/deferred-hashes.ts) reads only
// those: a path written more than once in the image (its versions are compared) and a hard link target (a link's
// content is its target's). Most files of an image are written once, so most bodies are never read a second time.
import type {LayerWalk} from '../model/types.js';

/** A mask by node id of the image's path table: 1 where the path's content hashes are compared, else 0. */
export function neededHashes(walks: readonly LayerWalk[]): Uint8Array {
	// Counts up to 2 (written twice, or a link target), then halved: 2 becomes 1, 1 becomes 0.
	const needed = new Uint8Array(walks[0]?.entries.table.size ?? 0);
	for (const {entries} of walks)
		for (let i = 0; i < entries.count; i++) {
			const node = entries.node.data[i];
			if (needed[node] < 2) needed[node]++;
			const target = entries.hardlinkTarget(i);
			if (target >= 0) needed[target] = 2;
		}
	for (let node = 0; node < needed.length; node++) needed[node] >>= 1;
	return needed;
}
