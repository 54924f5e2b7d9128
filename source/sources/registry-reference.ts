// `registry://host[:port]/repo[:tag][@sha256:…]` -> where to ask and what for. A first component that is no host
// (`registry://nginx:1.27`) means Docker Hub, as with `docker pull`.
import {InputError} from '../util/errors.js';
import {visible} from '../util/sanitize.js';

export interface RegistryReference {
	/** The registry as users name it (`127.0.0.1:5000`, `docker.io`): the key of its credentials. */
	registry: string;
	/** Host[:port] the API is served from (`registry-1.docker.io` for Docker Hub). */
	apiHost: string;
	repository: string;
	tag: string | null;
	digest: string | null;
	/** `tag` or the digest: what to ask `/manifests/` for. */
	manifestRef: string;
	/** `host/repo:tag` or `host/repo@digest`, for display. */
	canonical: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::\d{1,5})?$/;

export function parseRegistryReference(reference: string): RegistryReference {
	const bad = (why: string): InputError => new InputError(`not a valid registry reference (${why}): ${visible(reference)}`);
	let rest = reference.replace(/^registry:\/\//, '');
	if (rest === '') throw bad('no image named');
	let digest: string | null = null;
	const at = rest.indexOf('@');
	if (at >= 0) {
		digest = rest.slice(at + 1);
		rest = rest.slice(0, at);
		if (!DIGEST.test(digest)) throw bad('a digest is sha256: and 64 hex digits');
	}
	let tag: string | null = null;
	const colon = rest.lastIndexOf(':');
	if (colon > rest.lastIndexOf('/')) {
		tag = rest.slice(colon + 1);
		rest = rest.slice(0, colon);
		if (!TAG.test(tag)) throw bad('bad tag');
	}
	const parts = rest.split('/');
	let registry = 'docker.io';
	if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost' || parts[0].startsWith('['))) {
		registry = parts.shift()!;
		if (!HOST.test(registry)) throw bad('bad registry host');
	}
	if (registry === 'docker.io' && parts.length === 1) parts.unshift('library');
	if (parts.length === 0 || !parts.every(part => COMPONENT.test(part))) throw bad('repository names are lowercase letters, digits and separators');
	const repository = parts.join('/');
	if (!tag && !digest) tag = 'latest';
	const manifestRef = digest ?? tag!;
	return {
		registry,
		apiHost: registry === 'docker.io' ? 'registry-1.docker.io' : registry,
		repository,
		tag,
		digest,
		manifestRef,
		canonical: `${registry}/${repository}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`,
	};
}
