// One HTTP exchange with a registry over node:http or node:https, answered as a fetch Response (status, headers, a web
// stream body). Not fetch itself: Node's fetch cannot be given CAs, a client certificate or an unchecked handshake
// without the undici package, and a registry with its own TLS needs all three. One keep-alive agent per TLS setting.
import http from 'node:http';
import https from 'node:https';
import {Readable} from 'node:stream';
import type {TlsSettings} from './registry-tls.js';
import {systemCas} from './system-cas.js';

export interface Exchange {
	url: URL;
	method: string;
	headers: Record<string, string>;
	/** A form body (token service POST). */
	form?: URLSearchParams;
	tls?: TlsSettings;
	signal: AbortSignal;
}

const plainAgent = new http.Agent({keepAlive: true});
const tlsAgents = new WeakMap<TlsSettings, https.Agent>();
let defaultTlsAgent: https.Agent | undefined;

function agentFor(url: URL, tls: TlsSettings | undefined): http.Agent {
	if (url.protocol === 'http:') return plainAgent;
	if (!tls) return (defaultTlsAgent ??= new https.Agent({keepAlive: true, ca: systemCas()}));
	let agent = tlsAgents.get(tls);
	if (!agent) {
		agent = new https.Agent({keepAlive: true, ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: tls.verify});
		tlsAgents.set(tls, agent);
	}
	return agent;
}

/** Statuses whose answer has no body by definition; a Response refuses to be built with one. */
const NULL_BODY = new Set([101, 204, 205, 304]);

/** The answer's headers as a Response, or a rejection with Node's error (its `code` says what failed). */
export function exchange(spec: Exchange): Promise<{response: Response; abort: () => void}> {
	return new Promise((resolve, reject) => {
		const body = spec.form?.toString();
		const headers: Record<string, string> = {'User-Agent': 'layerscope', ...spec.headers};
		if (body !== undefined) {
			headers['Content-Type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
			headers['Content-Length'] = String(Buffer.byteLength(body));
		}
		let request: http.ClientRequest;
		try {
			request = (spec.url.protocol === 'https:' ? https : http).request(spec.url, {
				method: spec.method,
				headers,
				agent: agentFor(spec.url, spec.tls),
				signal: spec.signal,
			});
		} catch (error) {
			// A header value a hostile token service made unsendable, and the like.
			reject(error instanceof Error ? error : new Error(String(error)));
			return;
		}
		request.on('error', reject);
		request.on('response', incoming => {
			const abort = (): void => {
				incoming.destroy();
				request.destroy();
			};
			const status = incoming.statusCode ?? 0;
			try {
				if (status < 200 || status > 599) throw new Error(`an invalid HTTP status ${status}`);
				const answerHeaders = new Headers();
				for (const [name, value] of Object.entries(incoming.headers)) {
					if (value === undefined) continue;
					for (const one of Array.isArray(value) ? value : [value]) answerHeaders.append(name, one);
				}
				// node:stream/web's ReadableStream and the global one are the same class under two type declarations.
				const stream = NULL_BODY.has(status) ? null : (Readable.toWeb(incoming) as unknown as ConstructorParameters<typeof Response>[0]);
				resolve({response: new Response(stream, {status, headers: answerHeaders}), abort});
			} catch (error) {
				abort();
				reject(error instanceof Error ? error : new Error(String(error)));
			}
		});
		request.end(body);
	});
}
