// GET-and-parse-JSON over the engine API for the store view (/system/df, /images/json, /containers/json, inspect,
// history). The endpoint comes from sources/engine-endpoint.ts, the request, the body, the engine's error text and
// the unreachable-engine lines from sources/engine.ts.
import {engineMessage, readBody, request} from '../sources/engine.js';
import {dockerEndpoint, ENGINE_NAMES, podmanEndpoint, type EngineEndpoint, type EngineKind} from '../sources/engine-endpoint.js';
import {InputError} from '../util/errors.js';
import {visible} from '../util/sanitize.js';

/** How long one answer may take; /system/df walks every layer directory, so it is slower than the rest. */
const ANSWER_TIMEOUT_MS = 120_000;
/** Docker's answer to a /system/df while another one runs, and how long to keep asking (as long as one answer may take). */
const DF_BUSY = /a disk usage operation is already running/;
const DF_RETRY_MS = 250;
const DF_PATIENCE_MS = ANSWER_TIMEOUT_MS;
/** Biggest answer kept (a store of thousands of images lists in a few MB): readBody drops the rest, so a longer one reads as invalid JSON. */
const ANSWER_LIMIT = 256 * 1024 * 1024;

export function engineWhere(endpoint: EngineEndpoint): string {
	return `${ENGINE_NAMES[endpoint.kind]} at ${visible(endpoint.url)}${endpoint.origin === 'default' ? '' : ` (from ${visible(endpoint.origin)})`}`;
}

/** A 404 from the engine: the caller says what was missing. */
export class EngineNotFound extends InputError {
	constructor(message: string) {
		super(message, 'missing');
	}
}

export class StoreClient {
	constructor(readonly endpoint: EngineEndpoint) {}

	static forKind(kind: EngineKind, env: NodeJS.ProcessEnv = process.env): StoreClient {
		return new StoreClient(kind === 'docker' ? dockerEndpoint(env) : podmanEndpoint(env));
	}

	/** `GET /_ping` answered OK within `timeoutMs`. */
	async ping(timeoutMs: number): Promise<boolean> {
		const response = await request(this.endpoint, '/_ping', timeoutMs);
		const body = await readBody(response);
		return response.statusCode === 200 && body.trim() === 'OK';
	}

	/** The parsed JSON answer to `GET path`; a 404 is an EngineNotFound with `notFound` as its message. */
	async getJson(path: string, notFound: string): Promise<unknown> {
		const endpoint = path.split('?')[0];
		let response = await request(this.endpoint, path, ANSWER_TIMEOUT_MS);
		// Docker 20.10 runs one /system/df at a time and refuses a second (`docker system df` or another layerscope
		// meanwhile); newer engines share the one running. Ask again until the running one is done.
		for (let waited = 0; response.statusCode !== 200 && response.statusCode !== 404; waited += DF_RETRY_MS) {
			const message = await engineMessage(response);
			if (!DF_BUSY.test(message) || waited >= DF_PATIENCE_MS)
				throw new InputError(`the ${engineWhere(this.endpoint)} answered ${endpoint} with ${visible(message)}`, 'network');
			await new Promise(resolve => setTimeout(resolve, DF_RETRY_MS));
			response = await request(this.endpoint, path, ANSWER_TIMEOUT_MS);
		}
		if (response.statusCode === 404) {
			response.resume();
			throw new EngineNotFound(notFound);
		}
		const body = await readBody(response, ANSWER_LIMIT);
		try {
			return JSON.parse(body) as unknown;
		} catch {
			throw new InputError(`the ${engineWhere(this.endpoint)} answered ${endpoint} with invalid JSON`, 'network');
		}
	}
}

/** `/images/{name}/…` with the name as the engine routes it (slashes, colons and @ kept). */
export function imagePath(name: string, action: 'json' | 'history'): string {
	return `/images/${encodeURIComponent(name).replace(/%2F/g, '/').replace(/%3A/g, ':').replace(/%40/g, '@')}/${action}`;
}
