// The shape of the JSON documents an image is made of, checked after parsing so that a wrong type is reported as the
// input's fault (`index.json: manifests[0] is null, expected an object`), never as a TypeError from the code that reads
// it. Only the fields the analysis reads are checked; the rest stays lenient (docs/input-checks.md says which).
// Optional fields may be absent or null.
import {InputError} from '../util/errors.js';
import {visible} from '../util/sanitize.js';
import type {DocumentKind} from './limits.js';

type Check = (value: unknown, at: string) => void;

class SchemaError extends Error {}

function kindOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	if (typeof value === 'object') return 'an object';
	return `a ${typeof value}`;
}

function fail(at: string, value: unknown, expected: string): never {
	throw new SchemaError(`${at || 'the document'} is ${kindOf(value)}, expected ${expected}`);
}

const string: Check = (value, at) => {
	if (typeof value !== 'string') fail(at, value, 'a string');
};
const number: Check = (value, at) => {
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
		if (typeof value === 'number') throw new SchemaError(`${at} is ${value}, expected a size in bytes`);
		fail(at, value, 'a number');
	}
};
const boolean: Check = (value, at) => {
	if (typeof value !== 'boolean') fail(at, value, 'true or false');
};

function array(item: Check): Check {
	return (value, at) => {
		if (!Array.isArray(value)) fail(at, value, 'an array');
		for (let i = 0; i < value.length; i++) item(value[i], `${at}[${i}]`);
	};
}

/** An object of free keys whose values all pass `item` (labels, annotations). */
function map(item: Check): Check {
	return (value, at) => {
		if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(at, value, 'an object');
		for (const [key, entry] of Object.entries(value)) item(entry, `${at}[${JSON.stringify(visible(key.length > 60 ? key.slice(0, 57) + '...' : key))}]`);
	};
}

/** An object: `required` fields must be there; `optional` ones may be absent or null; any other key is let be. */
function object(required: Record<string, Check>, optional: Record<string, Check> = {}): Check {
	return (value, at) => {
		if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(at, value, 'an object');
		const record = value as Record<string, unknown>;
		const field = (key: string): string => (at ? `${at}.${key}` : key);
		for (const [key, check] of Object.entries(required)) {
			if (record[key] === undefined) throw new SchemaError(`${field(key)} is missing`);
			check(record[key], field(key));
		}
		for (const [key, check] of Object.entries(optional)) {
			if (record[key] !== undefined && record[key] !== null) check(record[key], field(key));
		}
	};
}

const platform = object({}, {os: string, architecture: string, variant: string});
// The digest is checked where it is used (util/digest.ts), with the name of what it addresses.
const descriptor = object({digest: string}, {mediaType: string, size: number, platform, annotations: map(string)});

const schemas: Record<DocumentKind, Check> = {
	'manifest.json': array(object({Config: string, Layers: array(string)}, {RepoTags: array(string), LayerSources: map(descriptor)})),
	index: object({manifests: array(descriptor)}, {mediaType: string, annotations: map(string)}),
	manifest: object({config: descriptor, layers: array(descriptor)}, {mediaType: string, annotations: map(string)}),
	config: object(
		{rootfs: object({diff_ids: array(string)}, {type: string})},
		{
			architecture: string,
			os: string,
			variant: string,
			created: string,
			config: object({}, {Labels: map(string)}),
			history: array(object({}, {created: string, created_by: string, comment: string, empty_layer: boolean})),
		},
	),
};

/** Refuse a parsed document that does not have the shape `kind` needs; `what` names it in the message. */
export function validateDocument(value: unknown, kind: DocumentKind, what: string): void {
	try {
		schemas[kind](value, '');
	} catch (error) {
		if (error instanceof SchemaError) throw new InputError(`${what}: ${error.message}`);
		throw error;
	}
}
