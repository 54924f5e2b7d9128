// `layerscope --demo`: the demo image shipped in the package (media/demo-image.tar.gz), found beside this module so
// that it opens from a checkout, from dist/ and from a global install alike.
import {fileURLToPath} from 'node:url';
import {CommandFailure} from '../util/error-line.js';

// source/cli/demo.ts and dist/cli/demo.js are both two levels below the package root.
export const DEMO_IMAGE = fileURLToPath(new URL('../../media/demo-image.tar.gz', import.meta.url));

/** The image `--demo` stands for; naming another image with it is a usage error. */
export function demoReference(input: readonly string[]): string {
	if (input.length > 0) throw new CommandFailure(undefined, new Error(`--demo opens the bundled demo image: name no image with it (got ${input.length})`));
	return DEMO_IMAGE;
}
