// A real Podman for tests: its CLI for loading fixtures, and its API served by `podman system service`, on the socket
// CI starts (LAYERSCOPE_TEST_PODMAN_SOCKET, see .ci/run) or on one of the test's own.
import {execFileSync, spawn, spawnSync} from 'node:child_process';
import {existsSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {tempDir} from './fixtures.js';

/** Why Podman tests cannot run here, or null when they can. */
export function podmanUnavailable(): string | null {
	if (process.env.LAYERSCOPE_TEST_PODMAN_SOCKET) return null; // CI started it: a broken Podman must fail, not skip
	const info = spawnSync('podman', ['info', '--format', '{{.Version.Version}}'], {encoding: 'utf8', timeout: 60_000});
	if (info.error || info.status !== 0) return 'podman is not installed or does not run (CI installs it and starts its service in .ci/run)';
	return null;
}

export function podman(args: string[], input?: Buffer): string {
	return execFileSync('podman', args, {
		encoding: 'utf8',
		input,
		stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
		timeout: 300_000,
		maxBuffer: 1 << 28,
	}).trim();
}

/** `podman build` of a Dockerfile with no network (the base must be local): the image's ID, `sha256:…`. */
export function podmanBuild(tag: string, dockerfile: string): string {
	const context = tempDir('layerscope-podman-ctx-');
	writeFileSync(path.join(context, 'Dockerfile'), dockerfile);
	podman(['build', '--network', 'none', '-q', '-t', tag, context]);
	return podmanId(tag);
}

/** The image ID Podman gives a name, as `sha256:…` (podman prints it bare). */
export function podmanId(name: string): string {
	return `sha256:${podman(['image', 'inspect', '--format', '{{.Id}}', name]).replace(/^sha256:/, '')}`;
}

function ping(socket: string): Promise<boolean> {
	return new Promise(resolve => {
		const request = http.get({socketPath: socket, path: '/_ping', timeout: 2000}, response => {
			response.resume();
			resolve(response.statusCode === 200);
		});
		request.on('error', () => resolve(false));
		request.on('timeout', () => request.destroy());
	});
}

export interface PodmanService {
	socket: string;
	stop(): void;
}

/** The Podman API on a unix socket: CI's, or `podman system service` started here (stopped by stop()). */
export async function podmanService(): Promise<PodmanService> {
	const shared = process.env.LAYERSCOPE_TEST_PODMAN_SOCKET;
	if (shared) {
		if (!(await ping(shared))) throw new Error(`LAYERSCOPE_TEST_PODMAN_SOCKET=${shared} does not answer /_ping`);
		return {socket: shared, stop() {}};
	}
	const socket = path.join(tempDir('layerscope-podman-'), 'podman.sock');
	const child = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], {stdio: 'ignore'});
	for (let i = 0; i < 200; i++) {
		if (existsSync(socket) && (await ping(socket))) return {socket, stop: () => child.kill()};
		await new Promise(resolve => setTimeout(resolve, 100));
	}
	child.kill();
	throw new Error(`podman system service did not answer on ${socket} within 20 s`);
}
