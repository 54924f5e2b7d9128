// Find one file version in a layer blob: stream the blob (plain, gzip or zstd), stop at the entry of the path whose
// content hash is the one the analysis recorded, and hand its bytes to a sink.
import {createHash} from 'node:crypto';
import {createDecompressor, detectCompression} from '../layers/decompress.js';
import {contentHash} from '../layers/content-hash.js';
import {peek} from '../util/peek.js';
import {eachMember} from '../tar/members.js';
import {normalisePath} from '../tar/paths.js';
import type {FileVersion} from './types.js';

/** Where a version's bytes go. */
export interface Sink {
	/** A matching entry starts (again): drop what an earlier one wrote. */
	start(): Promise<void>;
	write(chunk: Buffer): Promise<void>;
}

/** Stream one layer blob, find `version.path`, hand its bytes to the sink. True when the recorded version was found. */
export async function scanLayer(blob: AsyncIterable<Buffer>, version: FileVersion, sink: Sink): Promise<boolean> {
	const {head, stream} = await peek(blob, 4);
	const decompressor = createDecompressor(detectCompression(head));
	return eachMember(
		stream,
		header => {
			if (header.type !== 'file' && header.type !== 'contiguous-file') return null;
			if (normalisePath(header.name).path !== version.path) return null;
			return async body => {
				await sink.start();
				const hash = createHash('sha256');
				for await (const chunk of body) {
					hash.update(chunk);
					await sink.write(chunk);
				}
				// A path can appear twice in one layer (the last one wins): the hash tells which version was analysed.
				return !version.hash || contentHash(hash) === version.hash;
			};
		},
		decompressor ? [decompressor] : [],
	);
}
