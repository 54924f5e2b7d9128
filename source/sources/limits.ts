// What one JSON document of an image (manifest.json, index.json, a manifest, a config) may hold, checked in one linear
// pass over its bytes before JSON.parse: JSON.parse of 20 million `{}` takes gigabytes and minutes, the count takes
// a fraction of a second. Every limit is far above what real images have (docker's overlay driver stops at 128 layers;
// configs hold a few thousand values); docs/input-checks.md lists them.
import {InputError} from '../util/errors.js';

export type DocumentKind = 'manifest.json' | 'index' | 'manifest' | 'config';

/** Values (strings, numbers, objects, ...) in one document. */
export const MAX_JSON_VALUES = 4_000_000;
/** Nesting of arrays and objects: no image needs more, and writing it out again (--json) would overflow the stack. */
export const MAX_JSON_DEPTH = 512;
/** Layers of one image (manifest layers, config diff_ids, manifest.json Layers). */
export const MAX_LAYERS = 10_000;
/** Entries of a config's history. */
export const MAX_HISTORY = 100_000;
/** Images of manifest.json, manifests of an index. */
export const MAX_MANIFESTS = 10_000;
/** Labels (config.Labels), and annotations of one descriptor. */
export const MAX_LABELS = 10_000;
/** Tags of one manifest.json entry. */
export const MAX_TAGS = 10_000;
/**
 * Non-JSON members of one archive (layer blobs, and the VERSION files classic `docker save` puts beside each): an
 * archive of several images may hold more layers than one image, not this many.
 */
export const MAX_ARCHIVE_BLOBS = 25_000;

/** The error for an archive past MAX_ARCHIVE_BLOBS. */
export function tooManyBlobs(): InputError {
	return new InputError(`the archive holds more than ${number(MAX_ARCHIVE_BLOBS)} layer blobs, more than layerscope reads`, 'limit');
}

interface Cap {
	max: number;
	/** How the message names the field, and what it counts. */
	field: string;
	noun: string;
}

// By document, the path of a container (keys joined by `.`, `[]` for an array's items; the document itself is ``).
const CAPS: Record<DocumentKind, Record<string, Cap>> = {
	'manifest.json': {
		'': {max: MAX_MANIFESTS, field: 'the image list', noun: 'images'},
		'[].Layers': {max: MAX_LAYERS, field: "an image's Layers", noun: 'layers'},
		'[].RepoTags': {max: MAX_TAGS, field: "an image's RepoTags", noun: 'tags'},
		'[].LayerSources': {max: MAX_LAYERS, field: "an image's LayerSources", noun: 'entries'},
	},
	index: {
		manifests: {max: MAX_MANIFESTS, field: 'manifests', noun: 'entries'},
		'manifests[].annotations': {max: MAX_LABELS, field: "a manifest's annotations", noun: 'entries'},
		annotations: {max: MAX_LABELS, field: 'annotations', noun: 'entries'},
	},
	manifest: {
		layers: {max: MAX_LAYERS, field: 'layers', noun: 'entries'},
		manifests: {max: MAX_MANIFESTS, field: 'manifests', noun: 'entries'},
		annotations: {max: MAX_LABELS, field: 'annotations', noun: 'entries'},
	},
	config: {
		history: {max: MAX_HISTORY, field: 'history', noun: 'entries'},
		'rootfs.diff_ids': {max: MAX_LAYERS, field: 'rootfs.diff_ids', noun: 'entries'},
		'config.Labels': {max: MAX_LABELS, field: 'config.Labels', noun: 'labels'},
		'config.Env': {max: MAX_LABELS, field: 'config.Env', noun: 'entries'},
	},
};

/** Paths are followed this deep; below, containers count only towards the document's values. */
const PATH_DEPTH = 3;

interface Frame {
	path: string | null;
	object: boolean;
	items: number;
	/** In an object: the next string is a key. */
	expectKey: boolean;
	keyStart: number;
	keyEnd: number;
}

function number(n: number): string {
	return n.toLocaleString('en-US');
}

/**
 * Refuse a document past a limit, with a message naming the field and its count (`what`: how the message names the
 * document). Only counts: JSON.parse decides validity afterwards.
 */
export function checkDocumentBounds(data: Uint8Array, kind: DocumentKind, what: string): void {
	const caps = CAPS[kind];
	const stack: Frame[] = [];
	const frames: Frame[] = [];
	let values = 0;
	let inString = false;
	let stringStart = 0;
	let over: string | null = null;
	const itemStarts = (): void => {
		const top = stack[stack.length - 1];
		if (top && top.items === 0) {
			top.items = 1;
			values++;
		} else if (!top) values++;
	};
	for (let i = 0; i < data.length; i++) {
		const c = data[i];
		if (inString) {
			if (c === 0x5c) i++;
			else if (c === 0x22) {
				inString = false;
				const top = stack[stack.length - 1];
				if (top?.object && top.expectKey) {
					top.keyStart = stringStart;
					top.keyEnd = i;
				}
			}
			continue;
		}
		switch (c) {
			case 0x22: // "
				itemStarts();
				inString = true;
				stringStart = i + 1;
				break;
			case 0x7b: // {
			case 0x5b: {
				// [
				itemStarts();
				const parent = stack[stack.length - 1];
				let path: string | null = null;
				if (!parent) path = '';
				else if (parent.path !== null && stack.length <= PATH_DEPTH) {
					if (parent.object) {
						const key = Buffer.from(data.buffer, data.byteOffset + parent.keyStart, parent.keyEnd - parent.keyStart).toString('utf8');
						path = parent.path === '' ? key : `${parent.path}.${key}`;
					} else path = `${parent.path}[]`;
				}
				if (stack.length >= MAX_JSON_DEPTH) throw new InputError(`${what} nests deeper than ${MAX_JSON_DEPTH} levels`, 'limit');
				// Frames are reused: a document of millions of small objects allocates none per object.
				let frame = frames[stack.length];
				if (!frame) frames.push((frame = {path, object: false, items: 0, expectKey: false, keyStart: 0, keyEnd: 0}));
				frame.path = path;
				frame.object = c === 0x7b;
				frame.items = 0;
				frame.expectKey = c === 0x7b;
				stack.push(frame);
				break;
			}
			case 0x7d: // }
			case 0x5d: {
				// ]
				const frame = stack.pop();
				const cap = frame?.path !== null && frame?.path !== undefined ? caps[frame.path] : undefined;
				if (cap && frame!.items > cap.max && over === null)
					over = `${what}: ${cap.field} has ${number(frame!.items)} ${cap.noun}, more than layerscope reads (${number(cap.max)})`;
				break;
			}
			case 0x2c: {
				// ,
				const top = stack[stack.length - 1];
				if (top) {
					top.items++;
					values++;
					if (top.object) top.expectKey = true;
				}
				break;
			}
			case 0x3a: {
				// :
				const top = stack[stack.length - 1];
				if (top) top.expectKey = false;
				break;
			}
			case 0x20:
			case 0x0a:
			case 0x0d:
			case 0x09:
				break;
			default:
				itemStarts();
		}
	}
	if (over !== null) throw new InputError(over, 'limit');
	if (values > MAX_JSON_VALUES)
		throw new InputError(`${what} holds ${number(values)} JSON values, more than layerscope reads (${number(MAX_JSON_VALUES)})`, 'limit');
}
