// GET-and-parse-JSON over the engine API for the store view (/system/df, /images/json, /containers/json, inspect,
// history). The endpoint comes from sources/engine-endpoint.ts; the request and error mapping follow sources/engine.ts,
// whose helpers are module-private (see the report: once exported there, this file should call them instead).
import http, {type IncomingMessage} from 'node:http';
import https from 'node:https';
import {EngineUnreachable} from '../sources/engine.js';
import {dockerEndpoint, ENGINE_NAMES, podmanEndpoint, type EngineEndpoint, type EngineKind} from '../sources/engine-endpoint.js';
import {InputError} from '../util/errors.js';
import {visible} from '../util/sanitize.js';

/** How long one answer may take; /system/df walks every layer directory, so it is slower than the rest. */
const ANSWER_TIMEOUT_MS = 120_000;
/** Biggest answer read: a store of thousands of images lists in a few MB. */
const ANSWER_LIMIT = 256 * 1024 * 1024;

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'EACCES', 'EPERM', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ENOTSOCK']);

export function engineWhere(endpoint: EngineEndpoint): string {
	return `${ENGINE_NAMES[endpoint.kind]} at ${visible(endpoint.url)}${endpoint.origin === 'default' ? '' : ` (from ${visible(endpoint.origin)})`}`;
}

function unreachable(endpoint: EngineEndpoint, error: NodeJS.ErrnoException): EngineUnreachable {
	const where = engineWhere(endpoint);
	if (error.code === 'EACCES' || error.code === 'EPERM')
		return new EngineUnreachable(`permission denied on the ${where}${endpoint.kind === 'docker' ? ': is your user in the docker group?' : ''}`, 'network');
	const reason = error.code === 'ETIMEDOUT' ? 'it does not answer' : 'is it running?';
	return new EngineUnreachable(`cannot reach the ${where}: ${reason}`, 'network');
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
		const response = await this.request('/_ping', timeoutMs);
		const body = await readBody(response);
		return response.statusCode === 200 && body.trim() === 'OK';
	}

	private request(path: string, timeoutMs = ANSWER_TIMEOUT_MS): Promise<IncomingMessage> {
		const endpoint = this.endpoint;
		return new Promise((resolve, reject) => {
			const options: https.RequestOptions = {
				method: 'GET',
				path,
				agent: false,
				headers: {Host: endpoint.socketPath ? 'docker' : `${endpoint.host}:${endpoint.port}`},
				...(endpoint.socketPath ? {socketPath: endpoint.socketPath} : {host: endpoint.host, port: endpoint.port}),
				...(endpoint.tls ?? {}),
			};
			const req = (endpoint.tls ? https : http).request(options, resolve);
			req.on('error', (error: NodeJS.ErrnoException) => reject(UNREACHABLE_CODES.has(error.code ?? '') ? unreachable(endpoint, error) : error));
			req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('timed out'), {code: 'ETIMEDOUT'})));
			req.end();
		});
	}

	/** The parsed JSON answer to `GET path`; a 404 is an EngineNotFound with `notFound` as its message. */
	async getJson(path: string, notFound: string): Promise<unknown> {
		const response = await this.request(path);
		const body = await readBody(response);
		if (response.statusCode === 404) throw new EngineNotFound(notFound);
		if (response.statusCode !== 200)
			throw new InputError(`the ${engineWhere(this.endpoint)} answered ${path.split('?')[0]} with ${visible(engineMessage(body, response.statusCode))}`, 'network');
		try {
			return JSON.parse(body) as unknown;
		} catch {
			throw new InputError(`the ${engineWhere(this.endpoint)} answered ${path.split('?')[0]} with invalid JSON`, 'network');
		}
	}
}

async function readBody(response: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	let length = 0;
	for await (const chunk of response as AsyncIterable<Buffer>) {
		length += chunk.length;
		if (length > ANSWER_LIMIT) {
			response.destroy();
			throw new InputError(`the engine's answer is larger than ${ANSWER_LIMIT} bytes`, 'limit');
		}
		chunks.push(chunk);
	}
	return Buffer.concat(chunks).toString('utf8');
}

/** The engine's own error text (`{"message": "..."}`), one line. */
function engineMessage(body: string, status: number | undefined): string {
	try {
		const message = (JSON.parse(body) as {message?: unknown}).message;
		if (typeof message === 'string') return message.split('\n')[0];
	} catch {}
	return body.trim().split('\n')[0] || `HTTP ${status}`;
}

/** `/images/{name}/…` with the name as the engine routes it (slashes, colons and @ kept). */
export function imagePath(name: string, action: 'json' | 'history'): string {
	return `/images/${encodeURIComponent(name).replace(/%2F/g, '/').replace(/%3A/g, ':').replace(/%40/g, '@')}/${action}`;
}
