// `layerscope images [docker://|podman://|ARCHIVE] [--json] [--plain] [-a] [--source docker|podman] [--layers]
// [--analyse]`: the local store, or a multi-image archive, as a list (plain table or JSON). cli-main.ts routes here; the
// interactive store view calls the same library (StoreSession).
import {resolveLang} from '../i18n/lang.js';
import {progressLine} from '../report/progress.js';
import type {ProgressListener} from '../sources/blob-store.js';
import type {EngineKind} from '../sources/engine-endpoint.js';
import {describeError, InputError} from '../util/errors.js';
import {terminalJson, visible} from '../util/sanitize.js';
import {StoreAnalyser, type AnalyseOutcome} from './analyse-all.js';
import {listArchive} from './archive-list.js';
import {StoreClient} from './engine-api.js';
import {storeJson} from './json.js';
import {layersJson, layersText} from './layer-output.js';
import {layerView} from './layer-view.js';
import {listStore} from './list.js';
import type {LayerShare, StoreListing} from './types.js';
import {StoreSession} from './session.js';
import {storeText} from './text.js';

export interface ImagesOptions {
	json: boolean;
	/** The plain table even on a terminal (where the store view opens otherwise). */
	plain: boolean;
	/** Intermediate images too. */
	all: boolean;
	source: EngineKind;
	/** A `docker save` archive, oci-archive or OCI layout to list instead of an engine. */
	archive?: string;
	/** The layer view instead of the image list. */
	layers: boolean;
	/** Analyse every image and sort by wasted bytes. */
	analyse: boolean;
}

interface Output {
	write(text: string): unknown;
	isTTY?: boolean;
}

export interface CommandIo {
	stdout: Output;
	stderr: Output;
	env?: NodeJS.ProcessEnv;
	/**
	 * The interactive store view, given the session with its first list read (so that no engine, or no permission,
	 * is one line before any screen is drawn); used when stdout is a terminal and neither --json nor --plain is given.
	 */
	openView?: (session: StoreSession, options: ImagesOptions) => Promise<number>;
}

const USAGE = 'usage: layerscope images [docker://|podman://|ARCHIVE] [--json] [--plain] [-a] [--source docker|podman] [--layers] [--analyse]';

/** The arguments after `images`; a bad one is an InputError naming it. */
export function parseImagesArgs(args: readonly string[]): ImagesOptions {
	const options: ImagesOptions = {json: false, plain: false, all: false, source: 'docker', layers: false, analyse: false};
	for (let i = 0; i < args.length; i++) {
		const arg = args[i];
		if (arg === '--json') options.json = true;
		else if (arg === '--plain') options.plain = true;
		else if (arg === '-a' || arg === '--all') options.all = true;
		else if (arg === '--layers') options.layers = true;
		else if (arg === '--analyse' || arg === '--analyze') options.analyse = true;
		else if (arg === 'docker://' || arg === 'podman://') options.source = arg === 'docker://' ? 'docker' : 'podman';
		else if (arg === '--source' || arg.startsWith('--source=')) {
			const value = arg === '--source' ? args[++i] : arg.slice('--source='.length);
			if (value !== 'docker' && value !== 'podman') throw new InputError(`--source must be docker or podman, not ${visible(value ?? '(nothing)')}`);
			options.source = value;
		} else if (!arg.startsWith('-') && options.archive === undefined) options.archive = arg;
		else throw new InputError(`unknown argument ${visible(arg)}; ${USAGE}`);
	}
	if (options.archive !== undefined && args.some(arg => arg === '--source' || arg.startsWith('--source=') || arg === 'docker://' || arg === 'podman://'))
		throw new InputError(`${visible(options.archive)} is an archive; --source, docker:// and podman:// name an engine`);
	if (options.layers && options.analyse) throw new InputError('--layers and --analyse show different lists; pick one');
	return options;
}

/** The archive's layer walks on stderr, only on a terminal. */
function loadingProgress(stderr: Output): ProgressListener | undefined {
	if (!stderr.isTTY) return undefined;
	let last = 0;
	return progress => {
		if (Date.now() - last < 100) return;
		last = Date.now();
		stderr.write(`\r\u001B[2Kreading ${progressLine(progress)}`);
	};
}

/** Analysis progress on stderr, only on a terminal. */
function progressWriter(stderr: Output): ((done: number, total: number) => void) | undefined {
	if (!stderr.isTTY) return undefined;
	return (done, total) => {
		const bar = '#'.repeat(Math.round((done / Math.max(1, total)) * 30)).padEnd(30, '.');
		stderr.write(done === total ? '\r\u001B[2K' : `\r\u001B[2Kanalysing [${bar}] ${done}/${total} images`);
	};
}

export async function runImagesCommand(options: ImagesOptions, io: CommandIo): Promise<number> {
	try {
		if (io.openView && io.stdout.isTTY && !options.json && !options.plain) {
			// The view speaks the locale's language (as the cli's store view does); --plain and --json stay English.
			const lang = resolveLang(undefined, io.env ?? process.env);
			const session = new StoreSession(options.archive === undefined ? options.source : {archive: options.archive}, {env: io.env, lang});
			await session.refresh(options.all, loadingProgress(io.stderr));
			if (io.stderr.isTTY) io.stderr.write('\r\u001B[2K');
			return await io.openView(session, options);
		}
		const client = options.archive === undefined ? StoreClient.forKind(options.source, io.env ?? process.env) : null;
		let listing: StoreListing;
		let archiveLayers: LayerShare[] = [];
		if (client) listing = await listStore(client, {all: options.all});
		else {
			({listing, layers: archiveLayers} = await listArchive(options.archive!, {onProgress: loadingProgress(io.stderr)}));
			if (io.stderr.isTTY) io.stderr.write('\r\u001B[2K');
		}
		if (options.layers) {
			const layers = client ? await layerView(client, listing) : archiveLayers;
			io.stdout.write(options.json ? terminalJson(layersJson(listing, layers)) + '\n' : layersText(listing, layers));
			return 0;
		}
		let analysed: AnalyseOutcome[] = [];
		if (options.analyse) {
			const progress = progressWriter(io.stderr);
			analysed = await new StoreAnalyser(client?.endpoint ?? null).analyseAll(listing.images, {
				onProgress: p => {
					if (!p.loading) progress?.(p.done, p.total);
				},
			});
			const wasted = new Map(analysed.map(outcome => [outcome.id, outcome.waste?.wastedBytes ?? -1]));
			listing.images.sort((a, b) => (wasted.get(b.id) ?? -1) - (wasted.get(a.id) ?? -1));
		}
		io.stdout.write(options.json ? terminalJson(storeJson(listing, analysed)) + '\n' : storeText(listing, analysed));
		return 0;
	} catch (error) {
		const input = options.archive === undefined ? 'images' : visible(options.archive);
		io.stderr.write(`${io.stderr.isTTY ? '\r\u001B[2K' : ''}layerscope: ${input}: ${visible(describeError(error))}\n`);
		return 2;
	}
}

/** parseImagesArgs then runImagesCommand: what `layerscope images ARGS` does. */
export async function runImagesArgs(args: readonly string[], io: CommandIo): Promise<number> {
	let options: ImagesOptions;
	try {
		options = parseImagesArgs(args);
	} catch (error) {
		io.stderr.write(`layerscope: images: ${visible(describeError(error))}\n`);
		return 2;
	}
	return runImagesCommand(options, io);
}
