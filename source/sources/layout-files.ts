// What the two layout directories read alike (oci-layout.ts, and dir-layout.ts for skopeo's dir:): files taken only
// when regular and, for JSON, small enough; layer blobs walked with progress and opened again for the content viewer.
import {createReadStream} from 'node:fs';
import {stat} from '../util/files.js';
import type {LayerWalk, SourceKind} from '../model/types.js';
import {newImagePathTable} from '../analysis/path-budget.js';
import {walkFile} from '../layers/walk-layer.js';
import type {DigestAlgorithm} from '../util/digest.js';
import {InputError} from '../util/errors.js';
import {tarErrorMessage} from './archive.js';
import type {ProgressListener} from './blob-store.js';

/** JSON files (indexes, manifests, configs) above this are refused, as in archives. */
export const MAX_JSON = 64 * 1024 * 1024;

/**
 * The size of a regular file (symlinks followed), undefined when there is none. A device, fifo or directory in a
 * blob's place is refused (`shown` names it): reading /dev/zero or a fifo would never end.
 */
export async function regularFileSize(file: string, shown: string): Promise<number | undefined> {
	const info = await stat(file).catch(() => null);
	if (!info) return undefined;
	if (!info.isFile()) throw new InputError(`${shown} is not a regular file`);
	return info.size;
}

/** A layer blob file, read again from the start (the content viewer's read). */
export function openBlobFile(file: string): AsyncIterable<Buffer> {
	return createReadStream(file, {highWaterMark: 1024 * 1024});
}

/** A layout store's own fields (what it is, and the path table its walks share), and a walk of its layer files. */
export function layoutStore(kind: SourceKind, reference: string, onProgress?: ProgressListener, maxPaths?: number) {
	let bytes = 0;
	let layersDone = 0;
	const paths = newImagePathTable(maxPaths);
	return {
		fields: {kind, reference, paths},
		/** Walk `size` bytes of `file`; a tar fault is an InputError naming `shown`. */
		async walk(file: string, size: number, shown: string, blobAlgorithm?: DigestAlgorithm): Promise<LayerWalk> {
			try {
				const walk = await walkFile(file, 0, size, {
					paths,
					...(blobAlgorithm ? {blobAlgorithm} : {}),
					onBytes(n) {
						bytes += n;
						onProgress?.({bytes, totalBytes: null, layersDone, layersTotal: null, phase: 'reading'});
					},
				});
				layersDone++;
				// The blob's digests may come later (walkFile): a failure to read them is named as the walk's is.
				walk.settled = walk.settled?.catch((error: unknown) => {
					throw new InputError(`${shown}: ${tarErrorMessage(error)}`);
				});
				walk.settled?.catch(() => {}); // awaited by walkLayers
				return walk;
			} catch (error) {
				throw new InputError(`${shown}: ${tarErrorMessage(error)}`);
			}
		},
	};
}
