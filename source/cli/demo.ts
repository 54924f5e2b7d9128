// `layerscope --demo`: the demo image shipped in the package (media/demo-image.tar.gz), found above this module so
// that it opens from a checkout (source/cli/), from the bundle (dist/) and from a global install alike.
import {existsSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {CommandFailure} from '../util/error-line.js';

const DEMO_PATH = path.join('media', 'demo-image.tar.gz');

/** The demo image in the nearest directory above `from` that holds it (the package root). */
function findDemo(from: string): string {
	for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
		if (existsSync(path.join(dir, DEMO_PATH))) return path.join(dir, DEMO_PATH);
		if (path.dirname(dir) === dir) return path.join(path.dirname(path.dirname(from)), DEMO_PATH);
	}
}

export const DEMO_IMAGE = findDemo(fileURLToPath(import.meta.url));

/** The image `--demo` stands for; naming another image with it is a usage error. */
export function demoReference(input: readonly string[]): string {
	if (input.length > 0) throw new CommandFailure(undefined, new Error(`--demo opens the bundled demo image: name no image with it (got ${input.length})`));
	return DEMO_IMAGE;
}
