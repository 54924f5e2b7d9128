// Images for the advisor's tests, built in code: every history step as a builder records it (created_by, comment,
// empty steps), the layers' files exact, as a classic `docker save` archive analysed in-process.
import type {ImageAnalysis} from '../../source/model/types.js';
import {makeLayer, packTar, sha256, type FixtureEntry} from './fixtures.js';
import {analyzeBuffer} from './load.js';

export interface Step {
	createdBy: string;
	comment?: string;
	/** The layer the step made; absent for an empty step (ENV, CMD, …). */
	entries?: FixtureEntry[];
}

export interface StepsImage {
	steps: Step[];
	labels?: Record<string, string>;
	tags?: string[];
}

const MTIME = new Date('2024-01-01T00:00:00Z');

export async function stepsArchive(image: StepsImage): Promise<Buffer> {
	const layers = await Promise.all(image.steps.filter(step => step.entries).map(step => makeLayer(step.entries!)));
	const diffIds = layers.map(layer => sha256(layer));
	const history = image.steps.map(step => ({
		created: '2024-01-01T00:00:00Z',
		created_by: step.createdBy,
		...(step.comment === undefined ? {} : {comment: step.comment}),
		...(step.entries ? {} : {empty_layer: true}),
	}));
	const config = Buffer.from(
		JSON.stringify({
			architecture: 'amd64',
			os: 'linux',
			created: '2024-01-01T00:00:00Z',
			config: {Env: ['PATH=/usr/bin:/bin'], Cmd: ['sh'], ...(image.labels ? {Labels: image.labels} : {})},
			rootfs: {type: 'layers', diff_ids: diffIds},
			history,
		}),
	);
	const hex = (digest: string): string => digest.slice('sha256:'.length);
	const files = new Map<string, Buffer>();
	const names = layers.map((layer, i) => {
		const id = hex(sha256(`${diffIds[i]}-${i}`));
		files.set(`${id}/layer.tar`, layer);
		return `${id}/layer.tar`;
	});
	files.set(`${hex(sha256(config))}.json`, config);
	files.set('manifest.json', Buffer.from(JSON.stringify([{Config: `${hex(sha256(config))}.json`, RepoTags: image.tags ?? ['advice:test'], Layers: names}])));
	return packTar([...files].map(([name, content]) => ({header: {name, size: content.length, mode: 0o644, mtime: MTIME}, content})));
}

export async function analyzeSteps(image: StepsImage | Step[]): Promise<ImageAnalysis> {
	return analyzeBuffer(await stepsArchive(Array.isArray(image) ? {steps: image} : image));
}

/** `n` bytes of one repeated character: files whose content differs when the character does. */
export const bytes = (n: number, ch = 'x'): string => ch.repeat(n);

export const run = (script: string): string => `/bin/sh -c ${script}`;
export const nop = (instruction: string): string => `/bin/sh -c #(nop) ${instruction}`;
export const buildkit = (instruction: string): Step => ({createdBy: `${instruction} # buildkit`, comment: 'buildkit.dockerfile.v0'});

/** A debian-like base: a root filesystem with package bookkeeping, closed by CMD. */
export const debianBase: Step[] = [
	{
		createdBy: nop('ADD file:5f6e0b0c8d in / '),
		entries: [
			{name: 'bin/sh', content: bytes(10_000, 's')},
			{name: 'var/lib/dpkg/status', content: bytes(1000, 'a')},
			{name: 'etc/ld.so.cache', content: bytes(500, 'a')},
			{name: 'var/cache/debconf/config.dat', content: bytes(300, 'a')},
		],
	},
	{createdBy: nop(' CMD ["bash"]')},
];

/** The bookkeeping an install rewrites, with new content. */
export const bookkeepingRewrite: FixtureEntry[] = [
	{name: 'var/lib/dpkg/status', content: bytes(1100, 'b')},
	{name: 'etc/ld.so.cache', content: bytes(510, 'b')},
	{name: 'var/cache/debconf/config.dat', content: bytes(310, 'b')},
];

/** FROM debian / RUN apt-get update / RUN apt-get install -y jq / RUN rm -rf /var/lib/apt/lists/* */
export const aptThreeSteps: Step[] = [
	...debianBase,
	{
		createdBy: run('apt-get update'),
		entries: [
			{name: 'var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4', content: bytes(50_000, 'p')},
			{name: 'var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease', content: bytes(20_000, 'r')},
			{name: 'var/lib/apt/lists/deb.debian.org_debian-security_dists_bookworm-security_InRelease', content: bytes(10_000, 's')},
			{name: 'var/cache/apt/pkgcache.bin', content: bytes(25_000, 'c')},
			{name: 'var/cache/apt/srcpkgcache.bin', content: bytes(15_000, 'c')},
		],
	},
	{
		createdBy: run('apt-get install -y jq'),
		entries: [
			{name: 'usr/bin/jq', content: bytes(5000, 'j')},
			{name: 'var/cache/apt/pkgcache.bin', content: bytes(26_000, 'd')},
			{name: 'var/cache/apt/srcpkgcache.bin', content: bytes(15_000, 'd')},
			...bookkeepingRewrite,
		],
	},
	{
		createdBy: run('rm -rf /var/lib/apt/lists/*'),
		entries: [
			{name: 'var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4', type: 'whiteout'},
			{name: 'var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease', type: 'whiteout'},
			{name: 'var/lib/apt/lists/deb.debian.org_debian-security_dists_bookworm-security_InRelease', type: 'whiteout'},
		],
	},
];
