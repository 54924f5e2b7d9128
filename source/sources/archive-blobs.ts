// An image archive's layer blobs opened again, for file contents: a plain archive file by the member offsets its
// index found, anything else (compressed, or not indexed) by reading the archive again up to the member. A pipe
// (stdin) cannot be read twice: its store says so up front.
import {createReadStream} from 'node:fs';
import {stat} from '../util/files.js';
import {createDecompressor, detectCompression} from '../layers/decompress.js';
import {peek} from '../util/peek.js';
import {openMember} from '../tar/members.js';
import {InputError} from '../util/errors.js';
import {visible} from '../util/sanitize.js';
import {normaliseMember} from './archive-members.js';
import type {LayerBlobOpener} from './blob-store.js';

export const STDIN_UNAVAILABLE =
	'file contents are not available when the image comes on stdin: a pipe cannot be read twice. Save it to a file (docker save -o image.tar) and open that.';

const READ_BYTES = 1024 * 1024;

/** A manifest's member name as the archive holds it: normalised, and through a symlinked member to its target. */
export function memberResolver(aliases: ReadonlyMap<string, string>): (name: string) => string {
	return name => {
		const clean = normaliseMember(name);
		return aliases.get(clean) ?? clean;
	};
}

/** stdin's: nothing to open again. */
export const pipeBlobs: LayerBlobOpener = async () => {
	throw new InputError(STDIN_UNAVAILABLE, 'unavailable');
};

/** Read the archive from its start again (`reopen`; plain, gzip or zstd) up to the layer's member. */
export function streamedMemberOpener(reopen: () => AsyncIterable<Buffer>, aliases: ReadonlyMap<string, string>): LayerBlobOpener {
	const resolve = memberResolver(aliases);
	return async layer => {
		const wanted = resolve(layer.name);
		const {head, stream} = await peek(reopen(), 4);
		const decompressor = createDecompressor(detectCompression(head));
		const body = await openMember(
			stream,
			header => (header.type === 'file' || header.type === 'contiguous-file') && normaliseMember(header.name) === wanted,
			decompressor ? [decompressor] : [],
		);
		if (!body) throw new InputError(`the archive no longer holds ${visible(wanted)}`, 'missing');
		return body;
	};
}

export interface MemberRange {
	offset: number;
	size: number;
}

/**
 * A plain archive file's members by the offsets its index found (`members`: name -> body range). When the file's size
 * or mtime is no longer `stamp`'s, the offsets may be stale: the archive is read again instead.
 */
export function indexedMemberOpener(
	file: string,
	members: ReadonlyMap<string, MemberRange>,
	aliases: ReadonlyMap<string, string>,
	stamp: {size: number; mtimeMs: number},
): LayerBlobOpener {
	const resolve = memberResolver(aliases);
	const streamed = streamedMemberOpener(() => createReadStream(file, {highWaterMark: READ_BYTES}), aliases);
	return async layer => {
		const info = await stat(file).catch(() => null);
		if (!info || info.size !== stamp.size || info.mtimeMs !== stamp.mtimeMs) return streamed(layer);
		const wanted = resolve(layer.name);
		const member = members.get(wanted);
		if (!member) throw new InputError(`the archive no longer holds ${visible(wanted)}`, 'missing');
		if (member.size === 0) return (async function* () {})();
		return createReadStream(file, {start: member.offset, end: member.offset + member.size - 1, highWaterMark: READ_BYTES});
	};
}
