// Where the local Docker or Podman engine listens: DOCKER_HOST / CONTAINER_HOST, the current docker context, or the
// default socket. Only unix:// and tcp:// (plain, or TLS with DOCKER_TLS_VERIFY) are spoken; ssh:// is refused.
import {createHash} from 'node:crypto';
import {existsSync, readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {InputError} from '../util/errors.js';
import {visible} from '../util/sanitize.js';

export type EngineKind = 'docker' | 'podman';

export interface EngineEndpoint {
	kind: EngineKind;
	/** As the user would write it: `unix:///var/run/docker.sock`, `tcp://host:2375`. */
	url: string;
	socketPath?: string;
	host?: string;
	port?: number;
	tls?: {ca?: Buffer; cert?: Buffer; key?: Buffer};
	/** Where the address came from, for error messages (`DOCKER_HOST`, `docker context x`). */
	origin: string;
}

export const ENGINE_NAMES: Record<EngineKind, string> = {docker: 'Docker engine', podman: 'Podman service'};

export function dockerConfigDir(env: NodeJS.ProcessEnv = process.env): string {
	return env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), '.docker');
}

/** A JSON object from a file of the user's docker config, or undefined when missing or unreadable. */
export function readJsonFile(file: string): Record<string, unknown> | undefined {
	try {
		const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
		return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}

/** The host of the current docker context (`docker context use x`), or undefined for the default context. */
function contextHost(env: NodeJS.ProcessEnv): {host: string; origin: string} | undefined {
	const dir = dockerConfigDir(env);
	const name = env.DOCKER_CONTEXT || (readJsonFile(path.join(dir, 'config.json'))?.currentContext as string | undefined);
	if (!name || name === 'default') return undefined;
	const id = createHash('sha256').update(name).digest('hex');
	const meta = readJsonFile(path.join(dir, 'contexts', 'meta', id, 'meta.json'));
	const endpoints = meta?.Endpoints as {docker?: {Host?: unknown}} | undefined;
	const host = endpoints?.docker?.Host;
	if (typeof host !== 'string' || host === '')
		throw new InputError(`docker context ${visible(name)} is selected but its endpoint cannot be read from ${visible(dir)}`);
	return {host, origin: `docker context ${name}`};
}

function tlsFiles(env: NodeJS.ProcessEnv): EngineEndpoint['tls'] {
	if (!env.DOCKER_TLS_VERIFY || env.DOCKER_TLS_VERIFY === '0') return undefined;
	const dir = env.DOCKER_CERT_PATH || dockerConfigDir(env);
	const file = (name: string): Buffer | undefined => (existsSync(path.join(dir, name)) ? readFileSync(path.join(dir, name)) : undefined);
	return {ca: file('ca.pem'), cert: file('cert.pem'), key: file('key.pem')};
}

export function parseEngineUrl(url: string, kind: EngineKind, origin: string, env: NodeJS.ProcessEnv = process.env): EngineEndpoint {
	const unix = /^unix:\/\/(\/.*)$/.exec(url);
	if (unix) return {kind, url, socketPath: unix[1], origin};
	const tcp = /^(tcp|http|https):\/\/([^/:]+|\[[0-9a-fA-F:]+\])(?::(\d+))?\/?$/.exec(url);
	if (tcp) {
		const tls = tcp[1] === 'https' ? (tlsFiles(env) ?? {}) : tcp[1] === 'tcp' ? tlsFiles(env) : undefined;
		const port = tcp[3] ? Number(tcp[3]) : tls ? 2376 : 2375;
		return {kind, url, host: tcp[2].replace(/^\[|\]$/g, ''), port, ...(tls ? {tls} : {}), origin};
	}
	if (url.startsWith('ssh://')) throw new InputError(`${origin} is ${visible(url)}: ssh:// engines are not supported; use unix:// or tcp://`);
	throw new InputError(`${origin} is ${visible(url)}, which is not a unix:// or tcp:// address`);
}

/** The Docker engine's address, as the docker CLI would choose it. */
export function dockerEndpoint(env: NodeJS.ProcessEnv = process.env): EngineEndpoint {
	if (env.DOCKER_HOST) return parseEngineUrl(env.DOCKER_HOST, 'docker', 'DOCKER_HOST', env);
	const context = contextHost(env);
	if (context) return parseEngineUrl(context.host, 'docker', context.origin, env);
	return {kind: 'docker', url: 'unix:///var/run/docker.sock', socketPath: '/var/run/docker.sock', origin: 'default'};
}

/** The Podman API socket: CONTAINER_HOST, else the rootless socket of this user, else the system one. */
export function podmanEndpoint(env: NodeJS.ProcessEnv = process.env): EngineEndpoint {
	if (env.CONTAINER_HOST) return parseEngineUrl(env.CONTAINER_HOST, 'podman', 'CONTAINER_HOST', env);
	const candidates: string[] = [];
	const uid = process.getuid?.() ?? 0;
	const runtime = env.XDG_RUNTIME_DIR || (uid === 0 ? undefined : `/run/user/${uid}`);
	if (runtime && uid !== 0) candidates.push(path.join(runtime, 'podman', 'podman.sock'));
	candidates.push('/run/podman/podman.sock');
	if (runtime && uid === 0) candidates.push(path.join(runtime, 'podman', 'podman.sock'));
	const socketPath = candidates.find(file => existsSync(file)) ?? candidates[0];
	return {kind: 'podman', url: `unix://${socketPath}`, socketPath, origin: 'default'};
}
