// An OCI image layout directory: index.json, oci-layout and blobs/<alg>/<hex>, read straight from disk.
import {createReadStream} from 'node:fs';
import {readFile, stat} from 'node:fs/promises';
import path from 'node:path';
import {walkLayer} from '../layers/walk-layer.js';
import {InputError} from '../util/errors.js';
import {tarErrorMessage} from './archive.js';
import {ociBlobPath, type BlobStore, type ProgressListener} from './blob-store.js';

/** Resolve a member name inside the layout, refusing anything that would leave it. */
function inside(root: string, name: string): string {
	const full = path.resolve(root, name);
	if (full !== root && !full.startsWith(root + path.sep)) throw new InputError(`${name} points outside the layout`);
	return full;
}

export async function openOciLayout(directory: string, onProgress?: ProgressListener): Promise<BlobStore> {
	const root = path.resolve(directory);
	if (!(await exists(path.join(root, 'index.json'))))
		throw new InputError('a directory, but not an OCI image layout (no index.json)');
	let bytes = 0;
	let layersDone = 0;
	return {
		kind: 'oci-layout',
		reference: directory,
		async read(name) {
			const file = inside(root, name);
			if (!(await exists(file))) return undefined;
			return readFile(file);
		},
		async walk(name) {
			const file = inside(root, name);
			if (!(await exists(file))) throw new InputError(`${name} is not in the layout`);
			try {
				const walk = await walkLayer(createReadStream(file, {highWaterMark: 1024 * 1024}), {
					onBytes(n) {
						bytes += n;
						onProgress?.({bytes, totalBytes: null, layersDone, layersTotal: null, phase: 'reading'});
					},
				});
				layersDone++;
				return walk;
			} catch (error) {
				throw new InputError(`${name}: ${tarErrorMessage(error)}`);
			}
		},
		has: async name => exists(inside(root, name)),
		blobName: ociBlobPath,
	};
}

async function exists(file: string): Promise<boolean> {
	try {
		await stat(file);
		return true;
	} catch {
		return false;
	}
}
