// Requests to a registry or its token service, bounded in time: an answer must start within the timeout, redirects
// are followed a bounded number of times (naming the host that loops), server errors are retried a bounded number of
// times for requests that are safe to repeat, and a request that cannot be made gives one line naming the host.
// Reading the body, bounded in bytes and idle time, is registry-body.ts's; the exchange itself registry-transport.ts's.
import {InputError} from '../util/errors.js';
import {visible} from '../util/sanitize.js';
import {tlsFailure, type TlsSettings} from './registry-tls.js';
import {exchange} from './registry-transport.js';

/** How long a registry may stay silent (no answer, no data) before the read fails, unless `--timeout` says otherwise. */
export const DEFAULT_TIMEOUT_SECONDS = 30;
/** Redirects followed per request (Go's http client, which `docker pull` uses, stops at 10). */
export const MAX_REDIRECTS = 10;
/** Pauses before the second and third try of a GET answered 500, 502, 503 or 504. */
const RETRY_DELAYS_MS = [250, 1000];
const RETRIED_STATUSES = new Set([500, 502, 503, 504]);

export interface RequestSpec {
	url: URL;
	method?: 'GET' | 'POST';
	headers?: Record<string, string>;
	/** Form body of a POST (token service); re-sent on a 307/308 redirect. */
	form?: URLSearchParams;
	/** What is asked for, for messages: `the manifest latest`, `the layer`, `the token answer`. */
	subject: string;
	/** Who is asked, for messages: `registry` or `token service`. */
	role: string;
	timeoutSeconds: number;
	/** The registry's TLS (certs.d, --ca-cert, --tls-verify=false), kept across redirects as Docker's transport does. */
	tls?: TlsSettings;
}

export interface Answer {
	response: Response;
	/** Who answered, for messages about the body: `registry 127.0.0.1:5000`, or the host a redirect led to. */
	peer: string;
	/** Aborts the request, the body included. */
	abort: () => void;
	/** How many times it was asked (a GET answered 5xx is asked again). */
	tries: number;
}

/** `registry 127.0.0.1:5000`, or `cdn.example:443 (redirected from registry 127.0.0.1:5000)`. */
export function peerName(role: string, first: URL, last: URL): string {
	const named = `${role} ${visible(first.host)}`;
	return first.host === last.host ? named : `${visible(last.host)} (redirected from ${named})`;
}

/** `--timeout SECONDS`: a positive number of seconds. */
export function parseTimeoutSeconds(text: string): number {
	const value = Number(text);
	if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new InputError(`--timeout ${visible(text)}: not a number of seconds above 0`);
	return value;
}

/** The one line for a request that got no answer: refused, unknown host, a TLS failure (registry-tls.ts), reset. */
export function connectError(role: string, origin: string, error: unknown, tls?: TlsSettings): InputError {
	const cause = (error as {cause?: {code?: string; message?: string}}).cause;
	const code = (error as {code?: string}).code ?? cause?.code ?? '';
	const at = `the ${role} at ${visible(origin)}`;
	if (code === 'ECONNREFUSED') return new InputError(`cannot reach ${at}: connection refused`, 'network', {cause: error});
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new InputError(`cannot reach ${at}: unknown host`, 'network', {cause: error});
	const tlsError = origin.startsWith('https:') ? tlsFailure(at, origin, error, tls) : undefined;
	if (tlsError) return tlsError;
	if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return new InputError(`${at} closed the connection`, 'network', {cause: error});
	const text = (error as Error).message ?? cause?.message ?? String(error);
	return new InputError(`cannot reach ${at}: ${visible(text.split('\n')[0])}`, 'network', {cause: error});
}

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

/** One request, no redirect followed: the answer's headers by the deadline, or one line saying why not. */
async function send(
	spec: RequestSpec,
	url: URL,
	method: string,
	headers: Record<string, string>,
	form: URLSearchParams | undefined,
	first: URL,
	deadline: number,
): Promise<{response: Response; abort: () => void}> {
	const controller = new AbortController();
	let timedOut = false;
	const timer = setTimeout(
		() => {
			timedOut = true;
			controller.abort();
		},
		Math.max(1, deadline - Date.now()),
	);
	try {
		const {response, abort} = await exchange({url, method, headers, form, tls: spec.tls, signal: controller.signal});
		return {
			response,
			abort: () => {
				controller.abort();
				abort();
			},
		};
	} catch (error) {
		if (timedOut)
			throw new InputError(`${peerName(spec.role, first, url)} did not answer the request for ${spec.subject} in ${spec.timeoutSeconds} s`, 'network', {
				cause: error,
			});
		throw connectError(spec.role, url.origin, error, spec.tls);
	} finally {
		clearTimeout(timer);
	}
}

/**
 * Ask, following redirects (at most MAX_REDIRECTS; credentials are not sent to another origin) and asking a GET again
 * when a 5xx says the server failed (at most three tries). The answer's body is the caller's to read or cancel.
 */
export async function request(spec: RequestSpec): Promise<Answer> {
	for (let tries = 1; ; tries++) {
		const answer = await followRedirects(spec);
		const retry = (spec.method ?? 'GET') === 'GET' && RETRIED_STATUSES.has(answer.response.status) && tries <= RETRY_DELAYS_MS.length;
		if (!retry) return {...answer, tries};
		answer.abort();
		await sleep(RETRY_DELAYS_MS[tries - 1]);
	}
}

async function followRedirects(spec: RequestSpec): Promise<Omit<Answer, 'tries'>> {
	const first = spec.url;
	let url = spec.url;
	let method = spec.method ?? 'GET';
	let form = spec.form;
	let headers = {...spec.headers};
	// One timeout for the whole chain: ten slow redirects must not add up to ten timeouts.
	const deadline = Date.now() + spec.timeoutSeconds * 1000;
	for (let redirects = 0; ; redirects++) {
		const {response, abort} = await send(spec, url, method, headers, form, first, deadline);
		const location = response.headers.get('location');
		if (![301, 302, 303, 307, 308].includes(response.status) || location === null) return {response, abort, peer: peerName(spec.role, first, url)};
		abort();
		let next: URL;
		try {
			next = new URL(location, url);
		} catch {
			throw new InputError(`${peerName(spec.role, first, url)} redirected the request for ${spec.subject} to an invalid address`, 'invalid');
		}
		if (redirects === MAX_REDIRECTS)
			throw new InputError(
				`${peerName(spec.role, first, url)} redirected the request for ${spec.subject} more than ${MAX_REDIRECTS} times (last to ${visible(next.href)})`,
				'network',
			);
		if (next.protocol !== 'http:' && next.protocol !== 'https:')
			throw new InputError(
				`${peerName(spec.role, first, url)} redirected the request for ${spec.subject} to ${visible(next.protocol)} (only http and https are followed)`,
				'invalid',
			);
		// As fetch does: credentials stay with their origin; a 303, or a 301/302 of a POST, turns into a GET.
		if (next.origin !== url.origin) {
			const {Authorization: _dropped, ...rest} = headers;
			headers = rest;
		}
		if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
			method = 'GET';
			form = undefined;
		}
		url = next;
	}
}
