// Register the sources that are not files: engines and registries.
export function registerSources(): void {}
