// A stand-in engine on a unix socket answering fixed JSON per path, for the answers a real engine here cannot give
// (other API versions, Podman's compat API, errors, permission on the socket).
import http from 'node:http';
import {mkdtempSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface FakeEngine {
	socket: string;
	/** Paths asked for, in order. */
	asked: string[];
	close(): Promise<void>;
}

/**
 * `routes` maps a path (query included) to a JSON answer, a string or Buffer (sent as it is), or [status, body]; or to
 * a function that gives one of those at each request.
 */
export async function fakeEngine(routes: Record<string, unknown>): Promise<FakeEngine> {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'layerscope-fake-engine-'));
	const socket = path.join(dir, 'engine.sock');
	const asked: string[] = [];
	const server = http.createServer((request, response) => {
		const url = request.url ?? '';
		asked.push(url);
		const given = routes[url];
		const route = typeof given === 'function' ? (given as () => unknown)() : given;
		const [status, body] =
			route === undefined ? [404, {message: `no route ${url}`}] : Array.isArray(route) && typeof route[0] === 'number' ? route : [200, route];
		const raw = typeof body === 'string' || Buffer.isBuffer(body);
		response.writeHead(status as number, {'Content-Type': raw ? 'application/octet-stream' : 'application/json'});
		response.end(raw ? body : JSON.stringify(body));
	});
	await new Promise<void>(resolve => server.listen(socket, resolve));
	return {socket, asked, close: () => new Promise(resolve => server.close(() => resolve()))};
}
