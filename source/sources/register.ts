// Register the sources that are not files: engines and registries. Each is loaded when a reference needs it, so that
// reading an archive does not load the http clients.
import {registerFallback, registerScheme} from './load.js';

export function registerSources(): void {
	registerScheme('docker', async (reference, options) => (await import('./engine.js')).openEngine('docker', reference, options));
	registerScheme('podman', async (reference, options) => (await import('./engine.js')).openEngine('podman', reference, options));
	registerScheme('registry', async (reference, options) => (await import('./registry.js')).openRegistry(reference, options));
	registerFallback(async (reference, options) => (await import('./engine.js')).openBareName(reference, options));
}
