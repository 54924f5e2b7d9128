// One layer found again in a `docker save` stream (an engine's export: the engine has no API for one layer). Docker 25+
// and Podman name layer blobs by digest (`blobs/sha256/<hex>`, `<diffID>.tar`); the classic layout's `<id>/layer.tar`
// does not, so each of those is hashed whole and counts only if its sha256 is the digest or diffID the analysis read.
// A classic layer found so is then read from a second export, up to that member: a stream cannot be handed out before
// it is known to be the layer. The second read is checked again where it is read to its end.
import {createHash} from 'node:crypto';
import {openMember, eachMember} from '../tar/members.js';
import type {TarHeader} from '../tar/tar-reader.js';
import {InputError} from '../util/errors.js';
import {normaliseMember} from './archive-members.js';
import type {LayerBlobRef} from './blob-store.js';

/** The digests a member may carry for `layer`, as hex. */
function wantedDigests(layer: LayerBlobRef): string[] {
	return [layer.digest, layer.diffId].filter((digest): digest is string => !!digest).map(digest => digest.replace(/^sha256:/, ''));
}

function isFile(header: TarHeader): boolean {
	return header.type === 'file' || header.type === 'contiguous-file';
}

/** The hex digest a member's name carries, if any. */
function digestInName(name: string): string | undefined {
	return /(?:^|\/)([0-9a-f]{64})(?:\.tar)?$/.exec(name)?.[1];
}

/** The layer's blob from the export `openExport` gives (called once or twice), or null when the export does not hold it. */
export async function savedLayerBlob(openExport: () => Promise<AsyncIterable<Buffer>>, layer: LayerBlobRef): Promise<AsyncIterable<Buffer> | null> {
	const wanted = wantedDigests(layer);
	let verified: string | null = null;
	let byName: AsyncIterable<Buffer> | null = null;
	let handOut: () => void = () => {};
	// The first export: a member named by one of the digests is handed out at once; a classic layer.tar is hashed.
	const handed = new Promise<void>(resolve => {
		handOut = resolve;
	});
	const scan = eachMember(await openExport(), header => {
		if (!isFile(header)) return null;
		const name = normaliseMember(header.name);
		const hex = digestInName(name);
		if (hex !== undefined) {
			if (!wanted.includes(hex)) return null;
			return body =>
				new Promise<boolean>(done => {
					byName = (async function* () {
						try {
							yield* body;
						} finally {
							done(true);
						}
					})();
					handOut();
				});
		}
		if (!/(?:^|\/)layer\.tar$/.test(name)) return null;
		return async body => {
			const hash = createHash('sha256');
			for await (const chunk of body) hash.update(chunk);
			if (!wanted.includes(hash.digest('hex'))) return false;
			verified = name;
			return true;
		};
	});
	const outcome = await Promise.race([handed.then(() => 'handed' as const), scan.then(() => 'scanned' as const)]);
	if (outcome === 'handed') {
		scan.catch(() => {}); // errors after the hand-out reach the body's reader
		return byName;
	}
	const member = verified as string | null;
	if (member === null) return null;
	const again = await openMember(await openExport(), header => isFile(header) && normaliseMember(header.name) === member);
	return again && checked(again, wanted, layer.index);
}

/** The body as it passes; read to its end, it fails unless its sha256 is still one of `wanted`. */
async function* checked(body: AsyncIterable<Buffer>, wanted: string[], index: number): AsyncGenerator<Buffer> {
	const hash = createHash('sha256');
	for await (const chunk of body) {
		hash.update(chunk);
		yield chunk;
	}
	if (!wanted.includes(hash.digest('hex')))
		throw new InputError(`layer ${index} changed between two reads of the engine's export: was the tag moved?`, 'missing');
}
