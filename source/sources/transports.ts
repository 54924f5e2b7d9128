// The ways dive, skopeo and podman name an image, turned into what layerscope opens: dive's `--source` flag and its
// `docker-archive://PATH`, and the containers-transports spellings (`docker-archive:PATH[:name:tag]`, `oci:DIR[:tag]`,
// `oci-archive:PATH[:tag]`, `dir:PATH`, `docker-daemon:NAME`). Where the two tools disagree, dive's meaning is kept:
// `docker://name` is the local engine (dive), not a registry (skopeo; layerscope spells that `registry://`).
import {InputError} from '../util/errors.js';
import {visible} from '../util/sanitize.js';

/** What a reference opens: a file or directory of a given format, or an image in an engine. */
export type Target = {kind: 'archive' | 'oci-layout' | 'dir'; path: string; image?: string} | {kind: 'docker' | 'podman'; name: string};

/** dive's `--source` values. */
export const DIVE_SOURCES = ['docker', 'podman', 'docker-archive'] as const;

/** Transport prefixes of containers-transports(5) that layerscope reads, and what each opens. */
const TRANSPORTS: Record<string, 'archive' | 'oci-layout' | 'dir' | 'docker'> = {
	'docker-archive': 'archive',
	'oci-archive': 'archive',
	oci: 'oci-layout',
	dir: 'dir',
	'docker-daemon': 'docker',
};

/**
 * The target a transport spelling names, or null for a reference that is not one (a path, `name:tag`, `scheme://`).
 * As in containers/image, the path ends at the first colon (but a dir: path takes it all); what follows names the image
 * inside.
 */
export function parseTransport(reference: string): Target | null {
	if (reference.startsWith('docker-archive://')) return {kind: 'archive', path: required(reference.slice('docker-archive://'.length), reference)};
	const match = /^([a-z-]+):(?!\/\/)(.*)$/s.exec(reference);
	// Podman's store is read through its API: without this the name would go to the Docker engine as `name:tag`.
	if (match?.[1] === 'containers-storage')
		throw new InputError('containers-storage: is not read directly; name the image as podman://NAME (the Podman socket)');
	const kind = match ? TRANSPORTS[match[1]] : undefined;
	if (!match || !kind) return null;
	const [transport, rest] = [match[1], match[2]];
	if (kind === 'docker') return {kind, name: required(rest, reference)};
	// A dir: layout holds one image: all of the rest is the path.
	if (kind === 'dir') return {kind, path: required(rest, reference)};
	const colon = rest.indexOf(':');
	const path = required(colon < 0 ? rest : rest.slice(0, colon), reference);
	const image = colon < 0 ? undefined : rest.slice(colon + 1);
	if (image === undefined || image === '') return {kind, path};
	if (image.startsWith('@'))
		throw new InputError(`${transport}: images by index (${visible(image)}) are not supported; name the image (${transport}:PATH:name:tag) or use --image`);
	return {kind, path, image};
}

function required(part: string, reference: string): string {
	if (part === '') throw new InputError(`${visible(reference)} names no path or image`);
	return part;
}

/** dive's `--source docker|podman|docker-archive` with a name or a path; null for `--source docker-archive -` (stdin). */
export function diveSource(source: string, reference: string): Target | null {
	if (!(DIVE_SOURCES as readonly string[]).includes(source)) throw new InputError(`--source must be ${DIVE_SOURCES.join(', ')} (got ${visible(source)})`);
	if (reference === '-') {
		if (source === 'docker-archive') return null;
		throw new InputError(`--source ${source} reads an image from the engine: name it (stdin takes an archive)`);
	}
	if (/^[a-z][a-z0-9+.-]*:\/\//.test(reference) || parseTransport(reference))
		throw new InputError(`--source ${source} and a reference that names its own source: give one of them`);
	return source === 'docker-archive' ? {kind: 'archive', path: reference} : {kind: source as 'docker' | 'podman', name: reference};
}

/** `--image` and the image a transport names must agree; the one to choose (or undefined: the first). */
export function chosenImage(target: Target, image: string | undefined): string | undefined {
	const named = 'image' in target ? target.image : undefined;
	if (named !== undefined && image !== undefined && named !== image)
		throw new InputError(`the reference names image ${visible(named)} but --image names ${visible(image)}`);
	return named ?? image;
}
