// The images an archive or a layout holds besides the one shown: the explorer says so in the image details, with how
// to open another (`--image`), since an archive opens on its first image. Read after the analysis, from the source's
// index only (no layer is walked); stdin cannot be read twice, and engines and registries name one image.
import type {SourceKind} from '../model/types.js';
import {openSource, type LoadOptions} from '../sources/load.js';
import {resolveImage} from '../sources/resolve.js';

/** Every image of the source, by tag (or short id): null when the source is not one that can hold several. */
export async function listImages(reference: string, options: LoadOptions, kind: SourceKind): Promise<string[] | null> {
	if (reference === '-' || options.stdin || (kind !== 'docker-archive' && kind !== 'oci-archive' && kind !== 'oci-layout')) return null;
	const store = await openSource(reference, {...options, onProgress: undefined});
	return (await resolveImage(store, options)).available;
}
