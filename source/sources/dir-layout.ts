// skopeo's `dir:` layout, which `podman save --format docker-dir` writes too: manifest.json (an image manifest, or an
// index with its instances in <hex>.manifest.json), each blob in a file named by its hex digest, and a `version` file.
// The store shows it as an OCI layout (an index.json naming manifest.json by its digest), so resolve.ts reads it as one.
import {createHash} from 'node:crypto';
import {readFile} from '../util/files.js';
import path from 'node:path';
import {InputError} from '../util/errors.js';
import {visible} from '../util/sanitize.js';
import type {BlobStore, LayerBlobOpener, ProgressListener} from './blob-store.js';
import {layoutStore, MAX_JSON, openBlobFile, regularFileSize} from './layout-files.js';

/** The `version` file of every dir: layout containers/image has written (1.0 and 1.1 differ only in signatures). */
const VERSION = /^Directory Transport Version: 1\.\d+\n?$/;

/** Whether `directory` looks like a dir: layout (a manifest.json beside a `version` file). */
export async function isDirLayout(directory: string): Promise<boolean> {
	const [manifest, version] = await Promise.all([fileSize(path.join(directory, 'manifest.json')), fileSize(path.join(directory, 'version'))]);
	return manifest !== undefined && version !== undefined;
}

export async function openDirLayout(directory: string, onProgress?: ProgressListener, maxPaths?: number): Promise<BlobStore> {
	const root = path.resolve(directory);
	const manifestSize = await fileSize(path.join(root, 'manifest.json'));
	if (manifestSize === undefined) throw new InputError('not a dir: layout (no manifest.json)');
	if (manifestSize > MAX_JSON) throw new InputError(`manifest.json is larger than ${MAX_JSON} bytes: no image needs such a JSON file`);
	const version = await readFile(path.join(root, 'version'), 'utf8').catch(() => undefined);
	if (version !== undefined && !VERSION.test(version))
		throw new InputError(`not a dir: layout this version of layerscope reads (version file: ${visible(version.trim().slice(0, 80))})`);
	const manifest = await readFile(path.join(root, 'manifest.json'));
	if (/^\s*\[/.test(manifest.toString('latin1', 0, 64)))
		throw new InputError('a directory with a docker save manifest.json: pass the archive itself, not its unpacked files');
	const manifestHex = createHash('sha256').update(manifest).digest('hex');
	const mediaType = manifestMediaType(manifest);
	// The index an OCI layout would hold: one descriptor, manifest.json by its digest.
	const index = Buffer.from(
		JSON.stringify({schemaVersion: 2, manifests: [{...(mediaType ? {mediaType} : {}), digest: `sha256:${manifestHex}`, size: manifest.length}]}),
	);

	/** The file holding blob `name` (a hex digest); the manifest and the instance manifests of an index have their own. */
	const fileOf = async (name: string): Promise<string | undefined> => {
		if (!/^[0-9a-f]{32,128}$/.test(name)) return undefined;
		if (name === manifestHex) return path.join(root, 'manifest.json');
		for (const candidate of [name, `${name}.manifest.json`]) if ((await fileSize(path.join(root, candidate))) !== undefined) return path.join(root, candidate);
		return undefined;
	};
	const layout = layoutStore('dir', directory, onProgress, maxPaths);
	return {
		...layout.fields,
		async read(name) {
			if (name === 'index.json') return index;
			const file = await fileOf(name);
			if (!file) return undefined;
			const size = (await fileSize(file))!;
			if (size > MAX_JSON) throw new InputError(`${visible(name)} is larger than ${MAX_JSON} bytes: no image needs such a JSON file`);
			return readFile(file);
		},
		async walk(name) {
			const file = await fileOf(name);
			if (!file) throw new InputError(`${visible(name)} is not in the directory`, 'missing');
			return layout.walk(file, (await fileSize(file))!, visible(name));
		},
		// manifest.json is not docker save's: resolve.ts must take the index.json path.
		has: async name => name === 'index.json' || (await fileOf(name)) !== undefined,
		blobName: digest => digest.slice(digest.indexOf(':') + 1),
		openLayerBlob: dirBlobOpener(root),
		blobsUnavailable: null,
	};
}

function manifestMediaType(manifest: Buffer): string | undefined {
	try {
		const type = (JSON.parse(manifest.toString('utf8')) as {mediaType?: unknown}).mediaType;
		return typeof type === 'string' ? type : undefined;
	} catch {
		return undefined; // resolve.ts reports the invalid JSON when it reads the manifest
	}
}

/** A layer blob file of the directory, opened again (a scope of its own: it keeps only `root`). */
function dirBlobOpener(root: string): LayerBlobOpener {
	return async layer => {
		if (!/^[0-9a-f]{32,128}$/.test(layer.name)) throw new InputError(`${visible(layer.name)} is not a blob name`);
		const file = path.join(root, layer.name);
		if ((await fileSize(file)) === undefined) throw new InputError(`${visible(layer.name)} is not in the directory`, 'missing');
		return openBlobFile(file);
	};
}

/** regularFileSize, the file shown by its name in the directory. */
function fileSize(file: string): Promise<number | undefined> {
	return regularFileSize(file, visible(path.basename(file)));
}
