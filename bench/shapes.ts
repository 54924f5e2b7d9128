// The small and medium images most people have (issue #14's table, where dive was measured beside layerscope): a
// Debian-like base with a chmod'ed file and a `chown -R`, an apt-like image, 30,000 small files with 3 directories
// deleted. Built once by streaming, deterministic, under .bench-cache/shapes/ (about 0.7 GB), for both bench sets.
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdir, readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {buildPlan, type BenchImage, type Entry, type LayerSpec} from './generate.js';

/** Bump when these images change shape. */
const SHAPES_VERSION = 1;
const MB = 1_000_000;

/** Deterministic sizes around `mean`: 0.1x to 1.9x of it, in an order that mixes them. */
const spread = (i: number, count: number, mean: number): number => Math.floor(mean * (0.1 + 1.8 * (((i * 7919) % count) / count)));

function* files(dir: string, count: number, mean: number, seed: number, extension = ''): Generator<Entry> {
	for (let i = 0; i < count; i++) yield {kind: 'file', name: `${dir}/f${String(i).padStart(4, '0')}${extension}`, size: spread(i, count, mean), seed: seed + i};
}

const DOC_PACKAGES = 300;
const docDir = (p: number): string => `usr/share/doc/pkg${String(p).padStart(3, '0')}`;

/** The base's /usr/share/doc: 300 packages of 3 files, ~14 MB (`uid` 0, or the `chown -R` layer's). */
function* docs(uid = 0): Generator<Entry> {
	yield {kind: 'dir', name: 'usr/share/doc/', uid};
	for (let p = 0; p < DOC_PACKAGES; p++) {
		yield {kind: 'dir', name: docDir(p) + '/', uid};
		yield {kind: 'file', name: `${docDir(p)}/copyright`, size: 1500 + (p % 7) * 500, seed: 500_000 + p * 3, uid};
		yield {kind: 'file', name: `${docDir(p)}/changelog.Debian.gz`, size: 15_000 + ((p * 37) % 40) * 1000, seed: 500_001 + p * 3, uid};
		yield {kind: 'file', name: `${docDir(p)}/README`, size: 4000 + (p % 11) * 300, seed: 500_002 + p * 3, uid};
	}
}

/** ~7,000 files, ~148 MB: binaries, libraries (a few of several MB), docs and many small data files. */
function debianBase(): LayerSpec {
	return {
		createdBy: '/bin/sh -c #(nop) ADD file:debian-bookworm-rootfs.tar.xz in /',
		*entries() {
			for (const dir of [
				'bin/',
				'etc/',
				'usr/',
				'usr/bin/',
				'usr/lib/',
				'usr/lib/x86_64-linux-gnu/',
				'usr/share/',
				'var/',
				'var/lib/',
				'var/lib/dpkg/',
				'var/lib/dpkg/info/',
			])
				yield {kind: 'dir', name: dir};
			yield* files('usr/bin', 400, 90_000, 100_000);
			yield* files('usr/lib/x86_64-linux-gnu', 600, 85_000, 110_000, '.so');
			for (let i = 0; i < 5; i++) yield {kind: 'file', name: `usr/lib/x86_64-linux-gnu/libbig${i}.so`, size: 3 * MB + i * 500_000, seed: 120_000 + i};
			yield* docs();
			yield* files('var/lib/dpkg/info', 1600, 2000, 130_000, '.list');
			for (let d = 0; d < 30; d++) {
				const dir = `usr/share/zoneinfo/z${String(d).padStart(2, '0')}`;
				if (d === 0) yield {kind: 'dir', name: 'usr/share/zoneinfo/'};
				yield {kind: 'dir', name: dir + '/'};
				yield* files(dir, 100, 6500, 140_000 + d * 100);
			}
			yield* files('etc', 400, 1500, 150_000);
		},
	};
}

/** 168 MB, 4 layers: the base, a 3 MB file, its chmod (a duplicate), a `chown -R` of /usr/share/doc. */
function debianPlan(): LayerSpec[] {
	const app = (mode: number): Entry => ({kind: 'file', name: 'usr/local/bin/app', size: 3 * MB, seed: 190_000, mode});
	return [
		debianBase(),
		{
			createdBy: '/bin/sh -c #(nop) COPY file:app in /usr/local/bin/app',
			*entries() {
				yield {kind: 'dir', name: 'usr/'};
				yield {kind: 'dir', name: 'usr/local/'};
				yield {kind: 'dir', name: 'usr/local/bin/'};
				yield app(0o644);
			},
		},
		{
			createdBy: '/bin/sh -c chmod +x /usr/local/bin/app',
			*entries() {
				yield {kind: 'dir', name: 'usr/local/bin/'};
				yield app(0o755);
			},
		},
		{
			createdBy: '/bin/sh -c chown -R 1000:1000 /usr/share/doc',
			*entries() {
				yield {kind: 'dir', name: 'usr/'};
				yield {kind: 'dir', name: 'usr/share/'};
				yield* docs(1000);
			},
		},
	];
}

const LISTS = 30;
const listName = (i: number): string => `var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_part${String(i).padStart(2, '0')}_Packages`;

/** ~356 MB, 4 layers: the base, `apt-get update` (45 MB of lists), `apt-get install` (~160 MB), `rm -rf` the lists. */
function aptPlan(): LayerSpec[] {
	return [
		debianBase(),
		{
			createdBy: '/bin/sh -c apt-get update',
			*entries() {
				for (const dir of ['var/', 'var/lib/', 'var/lib/apt/', 'var/lib/apt/lists/']) yield {kind: 'dir', name: dir};
				for (let i = 0; i < LISTS; i++) yield {kind: 'file', name: listName(i), size: 1_500_000 + i * 1000, seed: 300_000 + i};
			},
		},
		{
			createdBy: '/bin/sh -c apt-get install -y --no-install-recommends build-essential python3',
			*entries() {
				yield {kind: 'dir', name: 'usr/'};
				yield {kind: 'dir', name: 'usr/lib/'};
				for (let p = 0; p < 40; p++) {
					const dir = `usr/lib/pkg${String(p).padStart(2, '0')}`;
					yield {kind: 'dir', name: dir + '/'};
					yield* files(dir, 100, 36_000, 400_000 + p * 100);
				}
				yield {kind: 'dir', name: 'usr/bin/'};
				for (let i = 0; i < 8; i++) yield {kind: 'file', name: `usr/bin/tool${i}`, size: 2 * MB + i * 250_000, seed: 490_000 + i};
			},
		},
		{
			createdBy: '/bin/sh -c rm -rf /var/lib/apt/lists/*',
			*entries() {
				for (const dir of ['var/', 'var/lib/', 'var/lib/apt/', 'var/lib/apt/lists/']) yield {kind: 'dir', name: dir};
				for (let i = 0; i < LISTS; i++) yield {kind: 'whiteout', target: listName(i)};
			},
		},
	];
}

/** ~184 MB: 30,000 small files in 100 directories, then 3 of the directories deleted. */
function smallFilesPlan(): LayerSpec[] {
	const dir = (d: number): string => `app/data/d${String(d).padStart(3, '0')}`;
	return [
		{
			createdBy: '/bin/sh -c #(nop) COPY dir:data in /app/data',
			*entries() {
				yield {kind: 'dir', name: 'app/'};
				yield {kind: 'dir', name: 'app/data/'};
				for (let d = 0; d < 100; d++) {
					yield {kind: 'dir', name: dir(d) + '/'};
					yield* files(dir(d), 300, 5400, 600_000 + d * 300);
				}
			},
		},
		{
			createdBy: '/bin/sh -c rm -rf /app/data/d007 /app/data/d042 /app/data/d099',
			*entries() {
				yield {kind: 'dir', name: 'app/'};
				yield {kind: 'dir', name: 'app/data/'};
				for (const d of [7, 42, 99]) yield {kind: 'whiteout', target: dir(d)};
			},
		},
	];
}

/** The shapes, built on first use and cached; dive's own test image from the corpus where the corpus is beside the repo. */
export async function ensureShapes(root: string, corpus: string, log: (line: string) => void = console.error): Promise<BenchImage[]> {
	const dir = path.join(root, 'shapes');
	const indexFile = path.join(dir, 'images.json');
	let images: BenchImage[] | null = null;
	if (existsSync(indexFile)) {
		const cached = JSON.parse(await readFile(indexFile, 'utf8')) as {version: number; images: BenchImage[]};
		if (cached.version === SHAPES_VERSION && cached.images.every(image => existsSync(image.file))) images = cached.images;
	}
	if (!images) {
		await rm(dir, {recursive: true, force: true});
		await mkdir(dir, {recursive: true});
		log(`building the small and medium benchmark images under ${path.relative(process.cwd(), dir)}/ (once; cached)`);
		const plain = [{suffix: '', format: 'docker-archive', compression: 'none'} as const];
		images = [];
		for (const plan of [
			{
				id: 'debian',
				title: 'Debian-like base + a chmod + a chown -R of /usr/share/doc (4 layers)',
				tag: 'bench/debian:1',
				layers: debianPlan(),
				variants: plain,
			},
			{id: 'apt', title: 'apt-like: base, apt-get update, install, rm -rf the lists (4 layers)', tag: 'bench/apt:1', layers: aptPlan(), variants: plain},
			{id: 'small30k', title: '30,000 small files in 100 dirs, 3 dirs deleted', tag: 'bench/small30k:1', layers: smallFilesPlan(), variants: plain},
		])
			images.push(...(await buildPlan(dir, plan, log)));
		await writeFile(indexFile, JSON.stringify({version: SHAPES_VERSION, images}, null, 2));
	}
	const dive = path.join(corpus, 'test-docker-image.tar');
	if (existsSync(dive)) images = [corpusImage(dive), ...images];
	return images;
}

/** dive's test image as it is in the corpus: its layer members from its manifest, its entries counted by GNU tar. */
function corpusImage(file: string): BenchImage {
	const tarOut = (...args: string[]): string => spawnSync('tar', args, {encoding: 'utf8', maxBuffer: 64 * MB}).stdout;
	const manifest = JSON.parse(tarOut('-xOf', file, 'manifest.json')) as {Layers: string[]}[];
	const layerMembers = manifest[0].Layers;
	let entries = 0;
	for (const member of layerMembers) {
		const listed = spawnSync('sh', ['-c', 'tar -xOf "$1" "$2" | tar -tf - | wc -l', 'sh', file, member], {encoding: 'utf8'}).stdout;
		entries += Number(listed.trim() || 0);
	}
	return {
		id: 'dive-test',
		title: "dive's own test image (14 layers)",
		file,
		format: 'docker-archive',
		compression: 'none',
		layerMembers,
		fileBytes: 0,
		entries,
	};
}
