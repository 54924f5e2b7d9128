// A registry in the test process: node:http on 127.0.0.1 (port 0) serving an image built in code through the
// distribution API (/v2/<repo>/manifests/<tag|digest>, /v2/<repo>/blobs/<digest>), with a hook in front of it so one
// test can make one request misbehave (drip, stall, endless body, lying Content-Length, ...).
import http from 'node:http';
import net from 'node:net';
import {ociFiles, type FixtureImage, type OciOptions} from './fixtures.js';

export const MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json';

export interface RegistryImage {
	/** The top manifest (what the tag names), its digest, and every blob by digest (manifests, config, layers). */
	manifest: Buffer;
	manifestDigest: string;
	manifestType: string;
	configDigest: string;
	layers: {digest: string; size: number}[];
	blobs: Map<string, Buffer>;
}

/** The blobs of an image built by fixtures.ts (gzip layers unless told), as a registry would hold them. */
export async function registryImage(image: FixtureImage, options: OciOptions = {}): Promise<RegistryImage> {
	const files = await ociFiles(image, options);
	const blobs = new Map<string, Buffer>();
	for (const [name, data] of files) {
		const blob = /^blobs\/(sha256|sha512)\/([0-9a-f]+)$/.exec(name);
		if (blob) blobs.set(`${blob[1]}:${blob[2]}`, data);
	}
	const top = (JSON.parse(files.get('index.json')!.toString()) as {manifests: {digest: string; mediaType: string}[]}).manifests[0];
	const manifest = blobs.get(top.digest)!;
	const parsed = JSON.parse(manifest.toString()) as {config: {digest: string}; layers: {digest: string; size: number}[]};
	return {manifest, manifestDigest: top.digest, manifestType: top.mediaType, configDigest: parsed.config.digest, layers: parsed.layers ?? [], blobs};
}

export interface Served {
	/** `manifests` or `blobs`, and what was asked for (a tag or a digest). */
	kind: 'manifests' | 'blobs';
	ref: string;
}

/**
 * Answer a request instead of the registry: return true when it was answered. `served` is what the registry would
 * answer, for faults that change only part of it.
 */
export type Fault = (request: http.IncomingMessage, response: http.ServerResponse, served: Served | null) => boolean | void;

export interface FakeServer {
	/** `127.0.0.1:PORT`. */
	host: string;
	/** Every request's path, in order. */
	requests: string[];
	close(): Promise<void>;
}

/** A loopback port nothing listens on (for a server the test starts, or a connection that must be refused). */
export async function freePort(): Promise<number> {
	return new Promise(resolve => {
		const server = net.createServer().listen(0, '127.0.0.1', () => {
			const {port} = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/** A loopback server; close() also drops the connections a fault left hanging. */
export async function startServer(handler: http.RequestListener): Promise<FakeServer> {
	const requests: string[] = [];
	const sockets = new Set<net.Socket>();
	const server = http.createServer((request, response) => {
		requests.push(request.url ?? '');
		handler(request, response);
	});
	server.on('connection', socket => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as net.AddressInfo;
	return {
		host: `127.0.0.1:${port}`,
		requests,
		close: () =>
			new Promise<void>(resolve => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}

/** The registry for `repo:tag` (and `repo@<manifest digest>`), holding `image`; `fault` sees every request first. */
export function fakeRegistry(image: RegistryImage, fault?: Fault): Promise<FakeServer> {
	return startServer((request, response) => {
		const match = /^\/v2\/repo\/(manifests|blobs)\/([^/?]+)$/.exec(request.url ?? '');
		const served: Served | null = match ? {kind: match[1] as Served['kind'], ref: decodeURIComponent(match[2])} : null;
		if (fault?.(request, response, served)) return;
		const data = served ? (served.kind === 'manifests' && served.ref === 'tag' ? image.manifest : image.blobs.get(served.ref)) : undefined;
		if (!served || !data) {
			response.writeHead(404, {'Content-Type': 'application/json'});
			response.end(JSON.stringify({errors: [{code: served?.kind === 'manifests' ? 'MANIFEST_UNKNOWN' : 'BLOB_UNKNOWN', message: 'not here'}]}));
			return;
		}
		const type = served.kind === 'manifests' ? image.manifestType : 'application/octet-stream';
		response.writeHead(200, {'Content-Type': type, 'Content-Length': data.length});
		response.end(data);
	});
}

/** Write `chunk` again and again, as fast as the client reads, until it hangs up. */
export function endless(response: http.ServerResponse, chunk: Buffer): void {
	const write = (): void => {
		while (!response.destroyed && response.write(chunk));
		if (!response.destroyed) response.once('drain', write);
	};
	response.on('close', () => response.removeAllListeners('drain'));
	write();
}

/** Write `data` one byte every `intervalMs`, until done or the client hangs up. */
export function drip(response: http.ServerResponse, data: Buffer, intervalMs: number): void {
	let at = 0;
	const timer = setInterval(() => {
		if (response.destroyed || at >= data.length) {
			clearInterval(timer);
			if (!response.destroyed) response.end();
			return;
		}
		response.write(data.subarray(at, ++at));
	}, intervalMs);
	response.on('close', () => clearInterval(timer));
}
