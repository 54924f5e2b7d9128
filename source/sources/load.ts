// Open what the user named and turn it into an ImageAnalysis: the one entry point every interface uses.
import {createReadStream} from 'node:fs';
import {stat} from '../util/files.js';
import os from 'node:os';
import path from 'node:path';
import {analyzeImage} from '../analysis/analyze.js';
import type {ImageAnalysis, LayerWalk} from '../model/types.js';
import {InputError, withContext} from '../util/errors.js';
import {visible} from '../util/sanitize.js';
import {readArchive, readArchiveFile} from './archive.js';
import type {BlobStore, ProgressListener} from './blob-store.js';
import {readDeferredHashes} from '../layers/deferred-hashes.js';
import {hashBacklogHere} from '../layers/hash-pool.js';
import {neededHashes} from '../analysis/needed-hashes.js';
import {rememberLayerBlobs} from './layer-blobs.js';
import {isDirLayout, openDirLayout} from './dir-layout.js';
import {openOciLayout} from './oci-layout.js';
import {resolveImage, type ImageChoice, type ResolvedImage} from './resolve.js';
import {chosenImage, diveSource, parseTransport, type Target} from './transports.js';

export interface LoadOptions extends ImageChoice {
	onProgress?: ProgressListener;
	/** Keep per-layer change lists (default true). */
	keepChanges?: boolean;
	/** Where `-` reads from (default: process.stdin). */
	stdin?: AsyncIterable<Buffer>;
	/** Registries over plain http. */
	insecure?: boolean;
	/** `--ca-cert FILE`: CAs trusted for registries beside the system's and certs.d's. */
	caCert?: string;
	/** `--cert-dir DIR`: the registry's CAs and client certificate, instead of certs.d (as skopeo's). */
	certDir?: string;
	/** `--tls-verify=false`: registries over https without checking their certificate. */
	tlsVerify?: boolean;
	/** Seconds a registry may stay silent before a read fails (default 30; `--timeout`). */
	timeout?: number;
	/** Most paths the image may name (default: pathBudget(), what the explorer's object tree needs). */
	maxPaths?: number;
	/** Every file's content hash, not only those the analysis compares (`diff` compares final files across images). */
	allHashes?: boolean;
	/** dive's `--source docker|podman|docker-archive`: what the reference is, instead of guessing. */
	source?: string;
}

/** Schemes other modules register (docker://, podman://, registry://). */
export type SourceOpener = (reference: string, options: LoadOptions) => Promise<BlobStore>;
const openers = new Map<string, SourceOpener>();
let fallbackOpener: SourceOpener | null = null;

export function registerScheme(scheme: string, opener: SourceOpener): void {
	openers.set(scheme, opener);
}

/** What a bare name that is no file (`nginx:1.27`) opens, e.g. the local engine. */
export function registerFallback(opener: SourceOpener): void {
	fallbackOpener = opener;
}

/** What dive's `--source`, or a transport spelling (`oci:DIR:tag`, `docker-archive://x.tar`), says to open; else null. */
function targetOf(reference: string, options: LoadOptions): Target | null {
	return options.source === undefined ? parseTransport(reference) : diveSource(options.source, reference);
}

export async function openSource(reference: string, options: LoadOptions = {}): Promise<BlobStore> {
	if (reference === '-' && (options.source === undefined || options.source === 'docker-archive')) {
		return readArchive(options.stdin ?? (process.stdin as AsyncIterable<Buffer>), {
			reference: 'stdin',
			onProgress: options.onProgress,
			maxPaths: options.maxPaths,
		});
	}
	const target = targetOf(reference, options);
	if (target) return openTarget(target, options);
	const scheme = /^([a-z][a-z0-9+.-]*):\/\//.exec(reference)?.[1];
	if (scheme) {
		const opener = openers.get(scheme);
		if (!opener) throw new InputError(`unknown source scheme ${visible(scheme)}://`);
		return opener(reference, options);
	}
	try {
		return await openPath(reference, 'any', options);
	} catch (error) {
		if (fallbackOpener && (error as NodeJS.ErrnoException).code === 'ENOENT' && !/^[./~]|\.(tar|tgz|gz|zst)$/.test(reference)) {
			return fallbackOpener(reference, options);
		}
		throw error;
	}
}

/** An engine image goes to its registered scheme under its canonical name (`docker://name`), files to openPath. */
function openTarget(target: Target, options: LoadOptions): Promise<BlobStore> {
	if ('name' in target) {
		const opener = openers.get(target.kind);
		if (!opener) throw new InputError(`unknown source scheme ${target.kind}://`);
		return opener(`${target.kind}://${target.name}`, options);
	}
	return openPath(target.path, target.kind, options);
}

/** A file or directory: `any` tells an OCI layout, a dir: layout and an archive apart; the others insist on one. */
async function openPath(file: string, expect: 'any' | 'archive' | 'oci-layout' | 'dir', options: LoadOptions): Promise<BlobStore> {
	const info = await stat(file);
	if (info.isDirectory()) {
		if (expect === 'archive') throw new InputError('a directory, not an image archive');
		if (expect === 'dir') return openDirLayout(file, options.onProgress, options.maxPaths);
		if (expect === 'any' && !(await stat(path.join(file, 'index.json')).catch(() => null))) {
			if (await isDirLayout(file)) return openDirLayout(file, options.onProgress, options.maxPaths);
			throw new InputError('a directory, but neither an OCI image layout (no index.json) nor a dir: layout (no manifest.json and version)');
		}
		return openOciLayout(file, options.onProgress, options.maxPaths);
	}
	if (expect === 'oci-layout' || expect === 'dir') throw new InputError(`not a directory (${expect === 'dir' ? 'dir:' : 'oci:'} names a layout directory)`);
	// A plain archive file: members read by offset, layers walked concurrently; anything else streams.
	const indexed = info.isFile()
		? await readArchiveFile(file, {reference: file, totalBytes: info.size, onProgress: options.onProgress, maxPaths: options.maxPaths})
		: null;
	if (indexed) return indexed;
	const read = (): AsyncIterable<Buffer> => createReadStream(file, {highWaterMark: 1024 * 1024});
	return readArchive(read(), {
		reference: file,
		totalBytes: info.isFile() ? info.size : null,
		onProgress: options.onProgress,
		maxPaths: options.maxPaths,
		reopen: read,
	});
}

/** Start every layer's walk, a few at a time (they decompress and hash on other cores); results in layer order. */
function startWalks(store: BlobStore, resolved: ResolvedImage): Promise<LayerWalk>[] {
	let free = os.availableParallelism();
	const waiting: (() => void)[] = [];
	const slot = (): Promise<void> => {
		if (free > 0) {
			free--;
			return Promise.resolve();
		}
		return new Promise(resolve => waiting.push(resolve));
	};
	const release = (): void => {
		const next = waiting.shift();
		if (next) next();
		else free++;
	};
	return resolved.layers.map(({name, descriptor}) => {
		const walk = slot()
			.then(() => store.walk(name, descriptor.index))
			.finally(release);
		walk.catch(() => {}); // awaited in order below; a later layer's failure must not surface first
		return walk;
	});
}

/** A layer's walk failed: the error as the user reads it, naming the layer. */
function walkFailure(error: unknown, name: string, index: number): unknown {
	if (error instanceof InputError && error.kind === 'missing')
		return new InputError(`the manifest names layer ${index} (${visible(name)}), which is missing`, 'missing');
	return error instanceof InputError ? withContext(error, `layer ${index}`) : error;
}

/** Every digest is verified (resolve.ts refuses those it cannot verify); the store hashed the blob with its algorithm. */
async function checkDigests(walk: LayerWalk, {name, descriptor}: ResolvedImage['layers'][number]): Promise<void> {
	try {
		await walk.settled;
	} catch (error) {
		throw walkFailure(error, name, descriptor.index);
	}
	if (descriptor.digest && walk.blobDigest !== descriptor.digest)
		throw new InputError(`layer ${descriptor.index} (${visible(name)}) does not match its digest ${visible(descriptor.digest)} (read ${walk.blobDigest})`);
	if (descriptor.diffId && walk.diffId !== descriptor.diffId)
		throw new InputError(`layer ${descriptor.index} (${visible(name)}) does not match its diffID ${visible(descriptor.diffId)} (read ${walk.diffId})`);
}

/** The layers' walks, in order, and the check of their digests. */
export interface WalkedLayers {
	walks: LayerWalk[];
	/**
	 * Resolves when every layer's digests match the manifest's, else rejects naming the lowest layer that does not.
	 * Nothing read from the walks may be shown before it resolves.
	 */
	verified: Promise<void>;
}

/**
 * Walk every layer; the result once all digests are checked. With `early`, as soon as every layer's entries are read:
 * the blobs' digests may still be hashing (on workers, from the file), and `verified` tells when they are checked.
 * The deferred hashes and the analysis then run beside the hashing; nothing is shown before `verified`.
 */
export async function walkLayers(store: BlobStore, resolved: ResolvedImage, onProgress?: ProgressListener, early = false): Promise<WalkedLayers> {
	const walks: LayerWalk[] = [];
	const checks: Promise<void>[] = [];
	// The lowest failing layer is the one reported, whether its entries or its digests fail. Each check is awaited
	// once, in order: `checked` of them have passed.
	let checked = 0;
	const inOrder = async (): Promise<void> => {
		while (checked < checks.length) {
			await checks[checked];
			checked++;
		}
	};
	const started = startWalks(store, resolved);
	for (const [i, layer] of resolved.layers.entries()) {
		let walk: LayerWalk;
		try {
			walk = await started[i];
		} catch (error) {
			await inOrder();
			throw walkFailure(error, layer.name, layer.descriptor.index);
		}
		const check = checkDigests(walk, layer);
		check.catch(() => {}); // awaited in order
		checks.push(check);
		// The analysis reads a digest the manifest does not give from the walk: it must be known by then.
		if (!early || !layer.descriptor.diffId || (!layer.descriptor.digest && walk.compression !== 'none')) await inOrder();
		walks.push(walk);
		onProgress?.({bytes: 0, totalBytes: null, layersDone: walks.length, layersTotal: resolved.layers.length, phase: 'layers'});
	}
	if (!early) await inOrder();
	const verified = inOrder();
	verified.catch(() => {}); // the caller awaits it
	return {walks, verified};
}

export async function analyzeStore(store: BlobStore, options: LoadOptions = {}): Promise<ImageAnalysis> {
	const resolved = await resolveImage(store, options);
	const {walks, verified} = await walkLayers(store, resolved, options.onProgress, true);
	const phase = (name: string): void => options.onProgress?.({bytes: 0, totalBytes: null, layersDone: walks.length, layersTotal: walks.length, phase: name});
	let analysis: ImageAnalysis;
	try {
		phase('hashing');
		await readDeferredHashes(walks, options.allHashes === true ? 'all' : neededHashes);
		phase('analysing');
		analysis = analyse(store, resolved, walks, options);
		// The workers may still hash a blob: this thread takes the ranges they have not started.
		await hashBacklogHere();
	} catch (error) {
		await verified; // a layer that does not match its digest is what went wrong
		throw error;
	}
	await verified;
	rememberLayerBlobs(analysis, store, resolved);
	return analysis;
}

function analyse(store: BlobStore, resolved: ResolvedImage, walks: LayerWalk[], options: LoadOptions): ImageAnalysis {
	const config = resolved.config;
	const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
	return analyzeImage({
		source: {kind: store.kind, reference: store.reference},
		image: {
			tags: resolved.tags,
			id: resolved.id,
			os: text(config.os),
			architecture: text(config.architecture),
			variant: text(config.variant),
			created: text(config.created),
			config: (config.config as Record<string, unknown> | undefined) ?? {},
			...(resolved.annotations ? {annotations: resolved.annotations} : {}),
		},
		layers: resolved.layers.map((layer, i) => ({walk: walks[i], descriptor: layer.descriptor})),
		history: resolved.history,
		keepChanges: options.keepChanges,
	});
}

export async function loadImage(reference: string, options: LoadOptions = {}): Promise<ImageAnalysis> {
	// `oci:DIR:tag`, `docker-archive:x.tar:name:tag`: the image inside, as --image would choose it.
	const target = targetOf(reference, options);
	const image = target ? chosenImage(target, options.image) : options.image;
	return analyzeStore(await openSource(reference, options), {...options, image});
}
