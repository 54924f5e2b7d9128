// yaml, loaded on first use: a third of the JavaScript a run would otherwise load, and read only for a keys file or a
// CI rules file. The build writes it to dist/yaml.cjs, beside the bundles and chunks (scripts/bundle.ts); run from the
// sources, it comes from node_modules.
import {existsSync} from 'node:fs';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';
import type * as Yaml from 'yaml';

let loaded: typeof Yaml | undefined;

export function yaml(): typeof Yaml {
	return (loaded ??= load());
}

function load(): typeof Yaml {
	const bundled = new URL('./yaml.cjs', import.meta.url);
	return createRequire(import.meta.url)(existsSync(bundled) ? fileURLToPath(bundled) : 'yaml') as typeof Yaml;
}
