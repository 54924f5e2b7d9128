// A small store in real Podman for the store tests, served by its API socket (CI's, or `podman system service`
// started here: helpers/podman.ts): a base imported from a busybox-static rootfs (no registry), two images on it, a
// rebuilt tag, a container.
import {spawnSync} from 'node:child_process';
import {busyboxRootfs, noBusybox} from './images.js';
import {podman, podmanBuild, podmanId, podmanService, podmanUnavailable as noPodman} from './podman.js';

export const PODMAN_RUN = `layerscope-store-podman-${process.pid}`;
const LABEL = `layerscope-store-test=${PODMAN_RUN}`;

export function podmanUnavailable(): string | null {
	return noPodman() ?? (noBusybox || null);
}

export interface PodmanStore {
	socket: string;
	base: {tag: string; id: string};
	a: {tag: string; id: string};
	rebuilt: {tag: string; id: string};
	dangling: string;
	stop(): Promise<void>;
}

export async function startPodmanStore(): Promise<PodmanStore> {
	const tag = (name: string): string => `localhost/${PODMAN_RUN}-${name}:1`;
	podman(['import', '--change', `LABEL ${LABEL}`, '-', tag('base')], busyboxRootfs(['sh', 'dd', 'echo', 'rm']));
	const baseId = podmanId(tag('base'));
	const aId = podmanBuild(tag('a'), `FROM ${tag('base')}\nRUN dd if=/dev/zero of=/a.bin bs=1000 count=20\nRUN rm /a.bin\n`);
	const dangling = podmanBuild(tag('re'), `FROM ${tag('base')}\nRUN echo ${PODMAN_RUN}-1 > /v\n`);
	const rebuiltId = podmanBuild(tag('re'), `FROM ${tag('base')}\nRUN echo ${PODMAN_RUN}-2 > /v\n`);
	podman(['create', '--name', `${PODMAN_RUN}-c`, tag('a'), 'sh']);
	const service = await podmanService();
	return {
		socket: service.socket,
		base: {tag: tag('base'), id: baseId},
		a: {tag: tag('a'), id: aId},
		rebuilt: {tag: tag('re'), id: rebuiltId},
		dangling,
		stop: async () => {
			service.stop();
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
