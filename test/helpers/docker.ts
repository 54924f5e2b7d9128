// A real Docker engine for tests: a busybox base image made without any registry, and `docker build`.
import {execFileSync, spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, symlinkSync, copyFileSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const BASE_IMAGE = 'layerscope-test-base:1';
const BUSYBOX = '/bin/busybox';

/** Why Docker tests cannot run here, or null when they can. */
export function dockerUnavailable(): string | null {
	const info = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {encoding: 'utf8', timeout: 20_000});
	if (info.error || info.status !== 0) return 'no Docker engine answers (`docker info` failed); CI starts dockerd in .ci/run';
	if (!existsSync(BUSYBOX)) return `${BUSYBOX} is missing (Debian package busybox-static); CI installs it`;
	return null;
}

/** A base image with a static busybox and its applets, imported from a tarball (no registry needed). */
export function ensureBaseImage(): void {
	if (spawnSync('docker', ['image', 'inspect', BASE_IMAGE], {stdio: 'ignore'}).status === 0) return;
	const root = mkdtempSync(path.join(os.tmpdir(), 'layerscope-rootfs-'));
	mkdirSync(path.join(root, 'bin'));
	mkdirSync(path.join(root, 'tmp'));
	copyFileSync(BUSYBOX, path.join(root, 'bin/busybox'));
	for (const applet of ['sh', 'rm', 'mkdir', 'chmod', 'chown', 'dd', 'echo', 'cat', 'cp', 'mv', 'ln', 'touch', 'ls', 'head'])
		symlinkSync('busybox', path.join(root, 'bin', applet));
	const tarball = execFileSync('tar', ['-C', root, '-c', '.'], {maxBuffer: 1 << 28});
	execFileSync('docker', ['import', '-', BASE_IMAGE], {input: tarball, stdio: ['pipe', 'ignore', 'inherit']});
}

/** `docker build` (classic builder, no network) of a Dockerfile; returns the tag. */
export function dockerBuild(tag: string, dockerfile: string): string {
	ensureBaseImage();
	const context = mkdtempSync(path.join(os.tmpdir(), 'layerscope-ctx-'));
	writeFileSync(path.join(context, 'Dockerfile'), dockerfile);
	execFileSync('docker', ['build', '--network', 'none', '-q', '-t', tag, context], {
		env: {...process.env, DOCKER_BUILDKIT: '0'},
		stdio: ['ignore', 'ignore', 'pipe'],
		timeout: 300_000,
	});
	return tag;
}

export function dockerSave(tag: string, file: string): void {
	execFileSync('docker', ['save', '-o', file, tag], {timeout: 120_000});
}

/**
 * A Debian bookworm base, as `FROM debian` gives but made without Docker Hub: .ci/run builds it once with
 * `debootstrap --variant=minbase` from deb.debian.org and `docker import --change 'CMD ["bash"]'` (one history entry,
 * commented `Imported from -`, so the advisor finds the base boundary by its root-filesystem rule).
 */
export const DEBIAN_IMAGE = 'layerscope-test/debian:bookworm';

/** Why the Debian base is not here, or null when it is. */
export function debianImageMissing(): string | null {
	if (spawnSync('docker', ['image', 'inspect', DEBIAN_IMAGE], {stdio: 'ignore'}).status === 0) return null;
	return `${DEBIAN_IMAGE} is not here (Docker Hub is out of reach; .ci/run builds it with debootstrap from deb.debian.org)`;
}

/** The engine's own figure for an image's size (the sum of its layers' sizes, as `docker images` shows). */
export function engineImageSize(tag: string): number {
	return Number(execFileSync('docker', ['image', 'inspect', '--format', '{{.Size}}', tag], {encoding: 'utf8'}).trim());
}

function clientMajor(client: string): number | null {
	const result = spawnSync(client, ['version', '--format', '{{.Client.Version}}'], {encoding: 'utf8', timeout: 20_000});
	const major = /^(\d+)\./.exec(result.stdout ?? '')?.[1];
	return major === undefined ? null : Number(major);
}

/**
 * A Docker client that can build with BuildKit (`DOCKER_BUILDKIT=1`), or why none can. From client 23 on, BuildKit
 * builds go through the buildx plugin, which Debian's docker.io does not ship (and this machine's 28.x client at
 * /usr/local/bin lacks); a 20.10 client (Debian's /usr/bin/docker) still has BuildKit built in and drives the daemon's
 * own BuildKit and Dockerfile frontend, which accept `COPY --chmod`.
 */
export function buildkitClient(): {client: string} | {reason: string} {
	for (const client of ['docker', '/usr/bin/docker']) {
		const major = clientMajor(client);
		if (major === null) continue;
		if (major < 23 || spawnSync(client, ['buildx', 'version'], {stdio: 'ignore'}).status === 0) return {client};
	}
	return {reason: 'no Docker client here builds with BuildKit: the client is 23 or later and has no buildx plugin, and no 20.10 client is at /usr/bin/docker'};
}
