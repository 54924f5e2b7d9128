// yaml, loaded on first use: a third of the JavaScript a run would otherwise load, and read only for a keys file or a
// CI rules file. The build writes it to dist/yaml.cjs, beside the bundles and chunks (scripts/bundle.ts); run from the
// sources, it comes from node_modules.
import {existsSync} from 'node:fs';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';
import type * as Yaml from 'yaml';

let loaded: typeof Yaml | undefined;

export function yaml(): typeof Yaml {
	if (loaded) return loaded;
	const load = createRequire(import.meta.url);
	const bundled = new URL('./yaml.cjs', import.meta.url);
	loaded = (existsSync(bundled) ? load(fileURLToPath(bundled)) : load('yaml')) as typeof Yaml;
	return loaded;
}
