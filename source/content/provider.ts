// The ContentProvider over one loaded image: each read or export opens the one layer blob that stores the version
// again (through its source's store, see BlobStore.openLayerBlob) and scans it for the version.
import type {LayerBlobs} from '../sources/layer-blobs.js';
import {InputError} from '../util/errors.js';
import {visible} from '../util/sanitize.js';
import {exportWith} from './export-file.js';
import {scanLayer, type Sink} from './scan-layer.js';
import {READ_CAP, type ContentProvider, type FileVersion} from './types.js';

/** Sources read from a file the user may have replaced since (the other kinds are fetched again by digest). */
const FILE_KINDS = new Set(['docker-archive', 'oci-archive', 'oci-layout', 'dir']);

export class ImageContents implements ContentProvider {
	constructor(private readonly blobs: LayerBlobs) {}

	unavailable(): string | null {
		return this.blobs.unavailable;
	}

	private async scan(version: FileVersion, sink: Sink): Promise<void> {
		const reason = this.unavailable();
		if (reason) throw new InputError(reason, 'unavailable');
		const layer = this.blobs.layers[version.layer];
		if (!layer) throw new InputError(`the source has no layer ${version.layer}`, 'missing');
		if (!(await scanLayer(await this.blobs.open(layer), version, sink))) {
			const hint = FILE_KINDS.has(this.blobs.kind) ? ': has the image file changed?' : '';
			throw new InputError(`layer ${version.layer} no longer holds ${visible(version.path)} as it was read${hint}`, 'missing');
		}
	}

	async read(version: FileVersion, cap = READ_CAP): Promise<{bytes: Buffer; size: number}> {
		let chunks: Buffer[] = [];
		let kept = 0;
		let size = 0;
		await this.scan(version, {
			async start() {
				chunks = [];
				kept = 0;
				size = 0;
			},
			async write(chunk) {
				size += chunk.length;
				if (kept >= cap) return;
				const part = chunk.subarray(0, cap - kept);
				chunks.push(Buffer.from(part));
				kept += part.length;
			},
		});
		return {bytes: Buffer.concat(chunks), size};
	}

	async readRange(version: FileVersion, offset: number, length: number): Promise<{bytes: Buffer; size: number}> {
		let chunks: Buffer[] = [];
		let kept = 0;
		let size = 0;
		await this.scan(version, {
			async start() {
				chunks = [];
				kept = 0;
				size = 0;
			},
			async write(chunk) {
				// Only the window is held: the bytes before `offset` and after it pass through.
				const from = Math.max(0, offset - size);
				size += chunk.length;
				if (kept >= length || from >= chunk.length) return;
				const part = chunk.subarray(from, from + length - kept);
				chunks.push(Buffer.from(part));
				kept += part.length;
			},
		});
		return {bytes: Buffer.concat(chunks), size};
	}

	async exportTo(version: FileVersion, destination: string, overwrite: boolean): Promise<{path: string; bytes: number}> {
		return exportWith(destination, overwrite, sink => this.scan(version, sink));
	}
}

/** A provider that only says why there are no contents. */
export class NoContents implements ContentProvider {
	constructor(private readonly reason: string) {}

	unavailable(): string {
		return this.reason;
	}

	read(): Promise<never> {
		return Promise.reject(new InputError(this.reason, 'unavailable'));
	}

	exportTo(): Promise<never> {
		return Promise.reject(new InputError(this.reason, 'unavailable'));
	}
}
