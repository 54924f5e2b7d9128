// Ink's layout engine (yoga, WebAssembly built by Emscripten) fetches its binary, a data: URL, whenever `fetch` is a
// function: Node's fetch then loads undici, ~30 ms of the explorer's start (and 4 MB), where Emscripten decodes the
// URL itself when there is no fetch. Nothing else runs fetch meanwhile: layerscope's own requests go through
// node:https (sources/registry-transport.ts).

/** Run `load` with the global `fetch` hidden (not read: reading it is what loads undici), then put it back. */
export async function withoutFetch<T>(load: () => Promise<T>): Promise<T> {
	const fetch = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
	const hide = fetch?.configurable === true;
	if (hide) Object.defineProperty(globalThis, 'fetch', {value: undefined, configurable: true, writable: true});
	try {
		return await load();
	} finally {
		if (hide) Object.defineProperty(globalThis, 'fetch', fetch);
	}
}
