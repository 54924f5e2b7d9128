// What the tests against real tools and services share: the fixture image with known waste (and the figures every way
// of reading it must give), short builders for layer entries, skopeo, a busybox rootfs for an engine to build on with
// no registry, and a file read at a layer the way the explorer reads it.
import {execFileSync, spawnSync} from 'node:child_process';
import {copyFileSync, existsSync, mkdirSync, symlinkSync} from 'node:fs';
import path from 'node:path';
import {contentsOf} from '../../source/content/index.js';
import {lookup, versionAt} from '../../source/model/fs-tree.js';
import type {ImageAnalysis} from '../../source/model/types.js';
import type {FileTarget} from '../../source/ui/state.js';
import {tempDir, type FixtureEntry, type FixtureImage} from './fixtures.js';

export const dir = (name: string): FixtureEntry => ({name, type: 'directory'});
/** A file of `size` copies of `fill`. */
export const file = (name: string, fill: string, size: number): FixtureEntry => ({name, content: fill.repeat(size)});
export const whiteout = (name: string): FixtureEntry => ({name, type: 'whiteout'});

/**
 * 5000 B removed by layer 1, 10 B overwritten by layer 3 (/etc/conf: 10 c's at layer 2, 20 d's at layer 3). Loaded
 * into an engine, give it `run` (a label): test runs side by side would otherwise load one image ID, and an ID's tags
 * would be theirs too.
 */
export function wasteImage(tags?: string[], run?: string): FixtureImage {
	return {
		...(tags ? {tags} : {}),
		...(run ? {labels: {'layerscope-test-run': run}} : {}),
		layers: [
			{entries: [dir('bin'), file('bin/tool', 't', 1000), dir('data'), file('data/big', 'b', 5000)], createdBy: '/bin/sh -c #(nop) ADD rootfs'},
			{entries: [whiteout('data/big')], createdBy: '/bin/sh -c rm /data/big'},
			{entries: [dir('etc'), file('etc/conf', 'c', 10)], createdBy: '/bin/sh -c write conf'},
			{entries: [dir('etc'), file('etc/conf', 'd', 20)], createdBy: '/bin/sh -c rewrite conf'},
		],
	};
}

/** wasteFigures of wasteImage(), read any way. */
export const WASTE_FIGURES = {
	sizes: [6000, 0, 10, 20],
	createdBy: ['/bin/sh -c #(nop) ADD rootfs', '/bin/sh -c rm /data/big', '/bin/sh -c write conf', '/bin/sh -c rewrite conf'],
	byCause: {removed: 5000, overwritten: 10, duplicate: 0},
	files: ['/data/big 5000 removed 0->1', '/etc/conf 10 overwritten 2->3'],
};

/** The fields of an analysis and of its --json report (they share the names) that wasteFigures reads. */
export interface Figured {
	layers: {sizeBytes: number; createdBy: string | null}[];
	waste: {byCause: Record<string, number>; files: {path: string; sizeBytes: number; cause: string; layerIndex: number; hiddenByLayerIndex: number}[]};
}

/** Layer sizes and steps, waste by cause and each wasted file (`path size cause layer->hiding layer`). */
export function wasteFigures(a: Figured): {sizes: number[]; createdBy: (string | null)[]; byCause: Record<string, number>; files: string[]} {
	return {
		sizes: a.layers.map(l => l.sizeBytes),
		createdBy: a.layers.map(l => l.createdBy),
		byCause: a.waste.byCause,
		files: a.waste.files.map(f => `${f.path} ${f.sizeBytes} ${f.cause} ${f.layerIndex}->${f.hiddenByLayerIndex}`),
	};
}

/** What the explorer asks the content provider for: `file` as layer `layer` shows it. */
export function fileTarget(a: ImageAnalysis, file: string, layer: number): FileTarget {
	const version = versionAt(lookup(a.tree, file)!, layer)!;
	return {path: file, shownPath: file, layer: version.layer, viewLayer: layer, size: version.entry!.size, hash: version.entry!.hash};
}

/** The text of `file` as layer `layer` shows it, read through the content provider (the image's blobs read again). */
export async function textAt(a: ImageAnalysis, file: string, layer: number): Promise<string> {
	return (await contentsOf(a).read(fileTarget(a, file, layer))).bytes.toString();
}

/** Why skopeo tests cannot run here, or false. */
export const noSkopeo: string | false = spawnSync('skopeo', ['--version']).status === 0 ? false : 'skopeo is not installed (CI installs it)';

/** skopeo's stdout (its stderr goes into the error when it fails). */
export function skopeo(args: string[]): Buffer {
	return execFileSync('skopeo', args, {stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000, maxBuffer: 1 << 26});
}

/** `skopeo copy` from one transport to another (docker://… pushes), with no signature policy to satisfy. */
export function skopeoCopy(source: string, destination: string, extra: string[] = []): void {
	skopeo(['--insecure-policy', 'copy', '-q', ...extra, source, destination]);
}

/** Why a busybox rootfs cannot be made here, or false. */
export const noBusybox: string | false = existsSync('/bin/busybox') ? false : '/bin/busybox is missing (Debian package busybox-static)';

/** A tar of a root filesystem holding only the static busybox and links for `applets`: a base image with no registry. */
export function busyboxRootfs(applets: string[]): Buffer {
	const root = tempDir('layerscope-rootfs-');
	mkdirSync(path.join(root, 'bin'));
	copyFileSync('/bin/busybox', path.join(root, 'bin/busybox'));
	for (const applet of applets) symlinkSync('busybox', path.join(root, 'bin', applet));
	return execFileSync('tar', ['-C', root, '-c', '.'], {maxBuffer: 1 << 28});
}
