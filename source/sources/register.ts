// Register the sources that are not files: engines and registries.
import {openBareName, openEngine} from './engine.js';
import {registerFallback, registerScheme} from './load.js';
import {openRegistry} from './registry.js';

export function registerSources(): void {
	registerScheme('docker', (reference, options) => openEngine('docker', reference, options));
	registerScheme('podman', (reference, options) => openEngine('podman', reference, options));
	registerScheme('registry', openRegistry);
	registerFallback(openBareName);
}
