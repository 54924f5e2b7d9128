// Content digests as the OCI image spec writes them (`algorithm:encoded`): parsed, validated and computed. The spec
// registers sha256 (64 lowercase hex) and sha512 (128); both are verified. Any other algorithm that fits the grammar
// cannot be verified, so it is refused like a malformed digest: content nobody can check is never shown as valid.
import {createHash} from 'node:crypto';
import {InputError} from './errors.js';
import {visible} from './sanitize.js';

export type DigestAlgorithm = 'sha256' | 'sha512';

const HEX_LENGTH: Record<DigestAlgorithm, number> = {sha256: 64, sha512: 128};
/** The spec's grammar: algorithm-component ([+._-] algorithm-component)* ":" encoded. */
const GRAMMAR = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

export interface Digest {
	algorithm: DigestAlgorithm;
	hex: string;
	/** `algorithm:hex`, as written. */
	text: string;
}

function isAlgorithm(name: string): name is DigestAlgorithm {
	return Object.hasOwn(HEX_LENGTH, name);
}

/** Shown in a message: a digest is long, and may be hostile. */
function shown(value: string): string {
	return JSON.stringify(visible(value.length > 80 ? value.slice(0, 77) + '...' : value));
}

/** Why `value` is not a digest layerscope can verify, or null when it is one. */
export function digestProblem(value: unknown): string | null {
	if (value === undefined || value === null || value === '') return 'has no digest';
	if (typeof value !== 'string') return `has a digest that is a ${typeof value}, not a string`;
	if (!GRAMMAR.test(value)) return `has a malformed digest ${shown(value)}`;
	const colon = value.indexOf(':');
	const algorithm = value.slice(0, colon);
	const hex = value.slice(colon + 1);
	if (!isAlgorithm(algorithm)) return `has a digest of an algorithm layerscope cannot verify (${shown(algorithm)}; sha256 and sha512 are)`;
	if (hex.length !== HEX_LENGTH[algorithm] || !/^[0-9a-f]+$/.test(hex))
		return `has a malformed ${algorithm} digest ${shown(value)} (expected ${HEX_LENGTH[algorithm]} lowercase hex digits)`;
	return null;
}

/** Parse a digest; `what` names its owner in the error (`layer 2`, `the config descriptor`). */
export function parseDigest(value: unknown, what: string): Digest {
	const problem = digestProblem(value);
	if (problem) throw new InputError(`${what} ${problem}`);
	const text = value as string;
	const colon = text.indexOf(':');
	return {algorithm: text.slice(0, colon) as DigestAlgorithm, hex: text.slice(colon + 1), text};
}

/** `algorithm:hex` of some bytes. */
export function digestOf(data: Uint8Array, algorithm: DigestAlgorithm = 'sha256'): string {
	return `${algorithm}:${createHash(algorithm).update(data).digest('hex')}`;
}

/** Refuse bytes that are not what `digest` names. */
export function verifyBytes(data: Uint8Array, digest: Digest, what: string): void {
	const read = digestOf(data, digest.algorithm);
	if (read !== digest.text) throw new InputError(`${what} does not match its digest ${digest.text} (read ${read})`);
}

/**
 * The digest a content-addressed name carries: `blobs/<alg>/<hex>` (OCI layouts, Docker 25+ archives) or, with
 * `dockerId`, a docker-save `<hex>.json` / `<hex>/layer.tar`-style config name. Undefined when the name carries none.
 */
export function digestInName(name: string, dockerId = false): Digest | undefined {
	const blob = /(?:^|\/)blobs\/(sha256|sha512)\/([0-9a-f]+)$/.exec(name);
	if (blob && blob[2].length === HEX_LENGTH[blob[1] as DigestAlgorithm]) {
		return {algorithm: blob[1] as DigestAlgorithm, hex: blob[2], text: `${blob[1]}:${blob[2]}`};
	}
	const id = dockerId ? /^(?:[^/]*\/)?([0-9a-f]{64})\.json$/.exec(name) : null;
	return id ? {algorithm: 'sha256', hex: id[1], text: `sha256:${id[1]}`} : undefined;
}

/** The algorithm a layer blob of this name is addressed with (sha256 unless its path says otherwise). */
export function blobAlgorithm(name: string): DigestAlgorithm {
	return digestInName(name)?.algorithm ?? 'sha256';
}
