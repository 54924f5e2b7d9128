// What the explorer opens: one image, or the image list first (the store view's list: ui/store/) for an archive or
// OCI layout that holds several images, or the platforms of an index, when no --image (or tag in the reference) and
// no --platform choose one. The source is opened, and its layers walked, once: the list and every image opened from
// it are read from that one store.
import type {Lang} from '../i18n/catalogue.js';
import type {ImageAnalysis, SourceKind} from '../model/types.js';
import {analyzeStore, openSource, type LoadOptions} from '../sources/load.js';
import {indexPlatforms} from '../sources/image-list.js';
import {resolveImage} from '../sources/resolve.js';
import {chosenImage, diveSource, parseTransport} from '../sources/transports.js';
import {listOpenArchive} from '../store/archive-list.js';
import {StoreSession} from '../store/session.js';
import type {StoreImage} from '../store/types.js';

/** The sources that can hold several images. */
const MULTI_IMAGE: ReadonlySet<SourceKind> = new Set(['docker-archive', 'oci-archive', 'oci-layout']);

/** Opens an image of the list: its analysis, read from the store the list came from (as StoreAnalyser's `load`). */
export type ImageLoader = (open: StoreImage['open'], options: LoadOptions) => Promise<ImageAnalysis>;

/**
 * One image (`images`: every image of the archive by name when it holds others; the image details name them), or the
 * list: the store view's session, its list read, and `load`, which opens an image of it.
 */
export type ExplorerSource = {kind: 'image'; analysis: ImageAnalysis; images: string[] | null} | {kind: 'list'; session: StoreSession; load: ImageLoader};

/** `lang`: the language of the list's top findings (the advisor's). */
export async function openExplorerSource(reference: string, options: LoadOptions, lang: Lang = 'en'): Promise<ExplorerSource> {
	const target = options.source === undefined ? parseTransport(reference) : diveSource(options.source, reference);
	const image = target ? chosenImage(target, options.image) : options.image;
	const store = await openSource(reference, options);
	const names = MULTI_IMAGE.has(store.kind) ? (await resolveImage(store, {})).available : [];
	const platforms =
		names.length === 1 && options.platform === undefined && !(await store.has('manifest.json')) ? (await indexPlatforms(store))[0].platforms : [];
	if (image === undefined && (names.length > 1 || platforms.length > 1)) {
		// Several names may be tags of one image: the list, made of distinct images, tells.
		const platformRows = options.platform === undefined;
		const archive = await listOpenArchive(store, reference === '-' ? 'stdin' : reference, {platforms: platformRows});
		if (archive.listing.images.length > 1) {
			const load: ImageLoader = (open, loadOptions) =>
				analyzeStore(store, {...options, ...loadOptions, image: open.image, platform: open.platform ?? options.platform});
			// `a` (analyse every image) reads them from the open store too, one at a time (they share its walks).
			const session = new StoreSession({archive: reference, platforms: platformRows}, {load, concurrency: 1, lang}).adopt(archive);
			return {kind: 'list', session, load};
		}
	}
	return {kind: 'image', analysis: await analyzeStore(store, {...options, image}), images: names.length > 1 ? names : null};
}
