// An OCI image layout directory: index.json, oci-layout and blobs/<alg>/<hex>, read straight from disk.
import {readFile, stat} from '../util/files.js';
import path from 'node:path';
import {blobAlgorithm} from '../util/digest.js';
import {InputError} from '../util/errors.js';
import {visible} from '../util/sanitize.js';
import {ociBlobPath, type BlobStore, type LayerBlobOpener, type ProgressListener} from './blob-store.js';
import {layoutStore, MAX_JSON, openBlobFile, regularFileSize} from './layout-files.js';

/** Resolve a member name inside the layout, refusing anything that would leave it. */
function inside(root: string, name: string): string {
	const full = path.resolve(root, name);
	if (full !== root && !full.startsWith(root + path.sep)) throw new InputError(`${name} points outside the layout`);
	return full;
}

export async function openOciLayout(directory: string, onProgress?: ProgressListener, maxPaths?: number): Promise<BlobStore> {
	const root = path.resolve(directory);
	if (!(await exists(path.join(root, 'index.json')))) throw new InputError('a directory, but not an OCI image layout (no index.json)');
	const layout = layoutStore('oci-layout', directory, onProgress, maxPaths);
	return {
		...layout.fields,
		async read(name) {
			const file = inside(root, name);
			const size = await regularFileSize(file, name);
			if (size === undefined) return undefined;
			if (size > MAX_JSON) throw new InputError(`${name} is larger than ${MAX_JSON} bytes: no image needs such a JSON file`);
			return readFile(file);
		},
		async walk(name) {
			const file = inside(root, name);
			const size = await regularFileSize(file, name);
			if (size === undefined) throw new InputError(`${name} is not in the layout`, 'missing');
			return layout.walk(file, size, name, blobAlgorithm(name));
		},
		has: async name => exists(inside(root, name)),
		blobName: ociBlobPath,
		openLayerBlob: layoutBlobOpener(root),
		blobsUnavailable: null,
	};
}

/** A layer blob file of the layout, opened again (a scope of its own: it keeps only `root`). */
function layoutBlobOpener(root: string): LayerBlobOpener {
	return async layer => {
		const file = path.resolve(root, layer.name);
		if (!file.startsWith(root + path.sep)) throw new InputError(`${visible(layer.name)} points outside the layout`);
		const size = await regularFileSize(file, layer.name);
		if (size === undefined) throw new InputError(`${visible(layer.name)} is not in the layout`, 'missing');
		return openBlobFile(file);
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
