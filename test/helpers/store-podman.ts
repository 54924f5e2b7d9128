// A small store in real Podman for the store tests, served by `podman system service` on a socket of the test's own:
// a base imported from a busybox-static rootfs (no registry), two images on it, a rebuilt tag, a container.
import {execFileSync, spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {podman} from './podman.js';
import {engineGet} from './store-docker.js';

export const PODMAN_RUN = `layerscope-store-podman-${process.pid}`;
const LABEL = `layerscope-store-test=${PODMAN_RUN}`;

export function podmanUnavailable(): string | null {
	const info = spawnSync('podman', ['info', '--format', '{{.Version.Version}}'], {encoding: 'utf8', timeout: 60_000});
	if (info.error || info.status !== 0) return 'podman is not installed or does not run (CI does not install it)';
	if (!existsSync('/bin/busybox')) return '/bin/busybox is missing (Debian package busybox-static)';
	return null;
}

export interface PodmanStore {
	socket: string;
	base: {tag: string; id: string};
	a: {tag: string; id: string};
	rebuilt: {tag: string; id: string};
	dangling: string;
	stop(): Promise<void>;
}

function build(tag: string, dockerfile: string): string {
	const context = mkdtempSync(path.join(os.tmpdir(), 'layerscope-podman-ctx-'));
	writeFileSync(path.join(context, 'Dockerfile'), dockerfile);
	podman(['build', '--network', 'none', '-q', '-t', tag, context]);
	return podman(['image', 'inspect', '--format', '{{.Id}}', tag]);
}

export async function startPodmanStore(): Promise<PodmanStore> {
	const root = mkdtempSync(path.join(os.tmpdir(), 'layerscope-podman-rootfs-'));
	mkdirSync(path.join(root, 'bin'));
	copyFileSync('/bin/busybox', path.join(root, 'bin/busybox'));
	for (const applet of ['sh', 'dd', 'echo', 'rm']) symlinkSync('busybox', path.join(root, 'bin', applet));
	const tag = (name: string): string => `localhost/${PODMAN_RUN}-${name}:1`;
	podman(['import', '--change', `LABEL ${LABEL}`, '-', tag('base')], execFileSync('tar', ['-C', root, '-c', '.'], {maxBuffer: 1 << 28}));
	const baseId = podman(['image', 'inspect', '--format', '{{.Id}}', tag('base')]);
	const aId = build(tag('a'), `FROM ${tag('base')}\nRUN dd if=/dev/zero of=/a.bin bs=1000 count=20\nRUN rm /a.bin\n`);
	const dangling = build(tag('re'), `FROM ${tag('base')}\nRUN echo ${PODMAN_RUN}-1 > /v\n`);
	const rebuiltId = build(tag('re'), `FROM ${tag('base')}\nRUN echo ${PODMAN_RUN}-2 > /v\n`);
	podman(['create', '--name', `${PODMAN_RUN}-c`, tag('a'), 'sh']);
	const socket = path.join(mkdtempSync(path.join(os.tmpdir(), 'layerscope-podman-')), 'podman.sock');
	const service: ChildProcess = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], {stdio: 'ignore'});
	for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise(resolve => setTimeout(resolve, 100));
	await engineGet('/_ping', socket).catch(() => undefined);
	return {
		socket,
		base: {tag: tag('base'), id: `sha256:${baseId.replace(/^sha256:/, '')}`},
		a: {tag: tag('a'), id: `sha256:${aId.replace(/^sha256:/, '')}`},
		rebuilt: {tag: tag('re'), id: `sha256:${rebuiltId.replace(/^sha256:/, '')}`},
		dangling: `sha256:${dangling.replace(/^sha256:/, '')}`,
		stop: async () => {
			service.kill();
			removePodmanStore();
		},
	};
}

/** This run's containers and images, by name and label. */
export function removePodmanStore(): void {
	spawnSync('podman', ['rm', '-f', `${PODMAN_RUN}-c`], {stdio: 'ignore'});
	for (let pass = 0; pass < 5; pass++) {
		const ids = podman(['images', '-a', '-q', '--no-trunc', '--filter', `label=${LABEL}`])
			.split('\n')
			.filter(Boolean);
		if (ids.length === 0) return;
		for (const id of new Set(ids)) spawnSync('podman', ['rmi', '-f', id], {stdio: 'ignore'});
	}
}
