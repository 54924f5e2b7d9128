// The library's front door for file contents: the provider for an image loadImage returned, and the types a caller
// (the explorer) names. Nothing here needs the caller to know what kind of source the image came from.
import type {ImageAnalysis} from '../model/types.js';
import {layerBlobsOf} from '../sources/layer-blobs.js';
import {ImageContents, NoContents} from './provider.js';
import type {ContentProvider} from './types.js';

export {ExistsError, READ_CAP, type ContentProvider, type FileVersion} from './types.js';
export {resolveDestination} from './export-file.js';

/** Read and export file versions of `analysis` (what loadImage or analyzeStore returned), from its source again. */
export function contentsOf(analysis: ImageAnalysis): ContentProvider {
	const blobs = layerBlobsOf(analysis);
	return blobs ? new ImageContents(blobs) : new NoContents('file contents are not available here');
}
