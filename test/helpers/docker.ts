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
