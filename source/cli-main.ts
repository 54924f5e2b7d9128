// The command line: parse flags, choose the mode (TUI, --json, CI, plain report), turn every failure into one line.
// The one place that ends the process on an error: commands return their exit code or throw. Two entries run it
// (see cli.ts): cli-modules.ts with the terminal UI, cli-reports.ts without (it hands such a command back).
import {statSync} from 'node:fs';
import process from 'node:process';
import type {AdviseOptions} from './advice/index.js';
import {resolveLang} from './i18n/lang.js';
import {parseCommandLine} from './cli-args.js';
import type {LoadOptions} from './sources/load.js';
import type {runExplorer, runStoreView} from './ui/run.js';
import type {setExplorerAdvice} from './ui/explorer-model.js';
import {DIVE_SOURCES} from './sources/transports.js';
import {visible} from './util/sanitize.js';
import {CommandFailure, errorLine} from './util/error-line.js';
import {InputError} from './util/errors.js';
import {helpText, OPTIONS} from './cli/help.js';
import {demoReference} from './cli/demo.js';
import {tierForReport} from './cli/tiering.js';

// What the option table (cli/help.ts) names: flags that take the next word as their value, and the others.
const VALUE_OPTIONS = new Set(OPTIONS.filter(option => option.arg !== undefined && !option.arg.startsWith('=')).map(option => option.flag.slice(2)));
const SWITCHES = new Set(OPTIONS.filter(option => !VALUE_OPTIONS.has(option.flag.slice(2))).map(option => option.flag.slice(2)));
const SHORTS = new Set(OPTIONS.flatMap(option => (option.short ? [option.short] : [])));

/**
 * The first argument that is no option layerscope knows, as typed. a flag parser would print it raw on a line of its own (an
 * escape sequence in it would reach the terminal); the caller reports it in the one error line, escaped.
 */
function unknownOption(argv: readonly string[]): string | undefined {
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--') return undefined;
		if (!arg.startsWith('-') || arg === '-') continue;
		if (!arg.startsWith('--')) {
			if (SHORTS.has(arg)) continue;
			return arg;
		}
		const name = arg
			.slice(2)
			.split('=')[0]
			.replace(/[A-Z]/g, c => '-' + c.toLowerCase());
		if (VALUE_OPTIONS.has(name)) {
			if (!arg.includes('=')) i++;
			continue;
		}
		if (!SWITCHES.has(name.replace(/^no-/, ''))) return arg;
	}
	return undefined;
}

/** The terminal UI's modules (Ink, React, the layout engine): given by the entry that can load them. */
export interface TerminalUi {
	runExplorer: typeof runExplorer;
	runStoreView: typeof runStoreView;
	setExplorerAdvice: typeof setExplorerAdvice;
}

/** What main() answers, without a TerminalUi, to a command that may need one: run it again where one can load. */
export const HAND_OFF = 'hand-off';

/**
 * Run the command line; its exit code. A failure throws, a CommandFailure when it is not about the image named.
 * Without `loadUi`, a command that may open the terminal UI returns HAND_OFF before it has done anything.
 */
export async function main(argv: string[], loadUi: () => Promise<TerminalUi>): Promise<number>;
export async function main(argv: string[]): Promise<number | typeof HAND_OFF>;
export async function main(argv: string[], loadUi?: () => Promise<TerminalUi>): Promise<number | typeof HAND_OFF> {
	// `images` has arguments of its own (store/command.ts), which the flag parser would refuse.
	if (argv[0] === 'images') return loadUi === undefined && process.stdout.isTTY ? HAND_OFF : runImages(argv.slice(1), loadUi);
	const unknown = unknownOption(argv);
	if (unknown !== undefined) {
		const shown = unknown.length > 80 ? unknown.slice(0, 77) + '...' : unknown;
		throw new CommandFailure(undefined, new Error(`unknown option ${shown}; see --help`));
	}
	const cli = parseCommandLine(helpText, {
		importMeta: import.meta,
		argv,
		flags: {
			json: {type: 'boolean', default: false},
			files: {type: 'boolean', default: false},
			plain: {type: 'boolean', default: false},
			image: {type: 'string'},
			list: {type: 'boolean', default: false},
			platform: {type: 'string'},
			ci: {type: 'boolean'},
			ciConfig: {type: 'string'},
			format: {type: 'string'},
			lowestEfficiency: {type: 'string'},
			highestWastedBytes: {type: 'string'},
			highestUserWastedPercent: {type: 'string'},
			highestLayerscopeWastedBytes: {type: 'string'},
			highestLayerWastedBytes: {type: 'string'},
			insecure: {type: 'boolean', default: false},
			caCert: {type: 'string'},
			certDir: {type: 'string'},
			tlsVerify: {type: 'boolean', default: true},
			timeout: {type: 'string'},
			source: {type: 'string'},
			demo: {type: 'boolean', default: false},
			help: {type: 'boolean', shortFlag: 'h'},
			version: {type: 'boolean', shortFlag: 'v'},
			lang: {type: 'string'},
			dockerfile: {type: 'string'},
		},
		allowUnknownFlags: false,
	});
	// An absent boolean flag is false, so `??` would never see CI=true. An explicit output mode wins over CI=true.
	const ciMode = cli.flags.ci || (process.env.CI === 'true' && !process.stdout.isTTY && !cli.flags.json && !cli.flags.plain && !cli.flags.list);
	// The explorer's mode (an image on a terminal, or the store view when none is named): the one place that loads the
	// UI besides `images`. Without the UI's loader it is handed back before anything is read, the hash worker's warm-up
	// included, so that nothing runs twice; --help, --version, diff and completion never reach it.
	const explorer = !ciMode && !cli.flags.list && !cli.flags.json && !cli.flags.plain && process.stdout.isTTY === true;
	const subcommand = cli.input[0] === 'diff' || cli.input[0] === 'completion';
	if (loadUi === undefined && explorer && !cli.flags.help && !cli.flags.version && !subcommand) return HAND_OFF;
	if (!cli.flags.help && !cli.flags.version && !cli.flags.list && cli.input.length === 1) prepareForFile(cli.input[0], explorer);
	// Loaded once the flags are parsed (--help and --version need none of it), each mode's own modules where it runs.
	// The registry's modules (node:tls, node:https) only where --timeout is given: a file needs none of them.
	const [{registerSources}, {COLUMNS_HEAP_PER_PATH, pathBudget}, {loadImage, openSource}, {endProgress, stderrProgress}] = await Promise.all([
		import('./sources/register.js'),
		import('./analysis/path-budget.js'),
		import('./sources/load.js'),
		import('./report/progress.js'),
	]);
	registerSources();
	const flags = cli.flags;
	// The parser answers --help and --version alone (as meow did); these also answer -h, -v and either among other arguments.
	if (flags.help) cli.showHelp(0);
	if (flags.version) cli.showVersion();
	if (cli.input[0] === 'completion') {
		const {runCompletion} = await import('./cli/completion.js');
		return runCompletion(cli.input.slice(1));
	}
	let timeout: number | undefined;
	try {
		timeout = flags.timeout === undefined ? undefined : (await import('./sources/registry-http.js')).parseTimeoutSeconds(flags.timeout);
		if (flags.source !== undefined && !(DIVE_SOURCES as readonly string[]).includes(flags.source))
			throw new InputError(`--source must be ${DIVE_SOURCES.join(', ')} (got ${visible(flags.source)})`);
	} catch (error) {
		throw new CommandFailure(undefined, error);
	}

	// The advisor's language and Dockerfile: checked before any image is read (bad input names the option).
	let advice: AdviseOptions;
	try {
		const dockerfile = flags.dockerfile === undefined ? undefined : await (await import('./advice/dockerfile.js')).readDockerfile(flags.dockerfile);
		advice = {lang: resolveLang(flags.lang), dockerfile};
	} catch (error) {
		throw new CommandFailure(undefined, error);
	}

	if (cli.input[0] === 'diff') {
		const {runDiff} = await import('./diff/run.js');
		return runDiff(cli.input.slice(1), {...flags, timeout});
	}
	if (cli.input.length > 1) throw new CommandFailure(undefined, new Error(`one image at a time (got ${cli.input.length}); see --help`));
	let reference = flags.demo ? demoReference(cli.input) : cli.input[0];
	if (reference === undefined) {
		if (process.stdin.isTTY && process.stdout.isTTY && (await engineAnswers())) return runImages([], loadUi);
		if (process.stdin.isTTY) cli.showHelp(2);
		reference = '-';
	}

	const options: LoadOptions = {
		image: flags.image,
		platform: flags.platform,
		keepChanges: flags.json ? flags.files : true,
		insecure: flags.insecure,
		timeout,
		source: flags.source,
	};
	Object.assign(options, {caCert: flags.caCert, certDir: flags.certDir, tlsVerify: flags.tlsVerify});
	// Reports read only the columns (`--json --files` makes each change as it writes it): they can take images naming
	// three times more paths than the explorer, which makes objects per path, can.
	if (!explorer) options.maxPaths = pathBudget(COLUMNS_HEAP_PER_PATH);

	try {
		if (ciMode) {
			// Rules are checked before any analysis: a bad value must not cost a long read.
			const {prepareCi} = await import('./ci/run.js');
			const runCi = await prepareCi(flags, advice).catch((error: unknown) => {
				throw new CommandFailure(undefined, error);
			});
			options.keepChanges = false;
			options.onProgress = stderrProgress();
			const analysis = await loadImage(reference, options);
			endProgress();
			return await runCi(analysis);
		}
		if (flags.list) {
			const {listImages} = await import('./sources/image-list.js');
			const store = await openSource(reference, {...options, onProgress: stderrProgress()});
			process.stdout.write((await listImages(store)).map(visible).join('\n') + '\n');
			return 0;
		}
		if (flags.json) {
			// The report's modules load while the image is read (its I/O leaves the main thread waiting).
			const modules = Promise.all([import('./report/json.js'), import('./report/json-writer.js'), import('./advice/index.js')]);
			modules.catch(() => {}); // awaited below
			const analysis = await loadImage(reference, {...options, onProgress: stderrProgress()});
			endProgress();
			const [{toJsonReport}, {writeJson}, {advise}] = await modules;
			await writeJson(toJsonReport(analysis, {files: flags.files, advice: advise(analysis, advice)}), process.stdout);
			return 0;
		}
		if (explorer) {
			const {runExplorer, setExplorerAdvice} = await terminalUi(loadUi);
			setExplorerAdvice(advice);
			// The terminal (stdin in raw mode) and the hash workers may still hold the event loop: end with the code.
			process.exit(await runExplorer(reference, options, advice.lang));
		}
		const modules = Promise.all([import('./report/text.js'), import('./advice/index.js')]);
		modules.catch(() => {}); // awaited below
		const analysis = await loadImage(reference, {...options, onProgress: stderrProgress()});
		endProgress();
		const [{reportWidth, textReport}, {advise}] = await modules;
		process.stdout.write(textReport(analysis, {width: reportWidth(process.stdout), advice: advise(analysis, advice)}));
		return 0;
	} catch (error) {
		throw error instanceof CommandFailure ? error : new CommandFailure(reference, error);
	}
}

/** The UI's modules; without them (the report bundle) main() handed the command back before it could get here. */
function terminalUi(loadUi: (() => Promise<TerminalUi>) | undefined): Promise<TerminalUi> {
	if (loadUi === undefined) throw new Error('internal: the terminal UI was asked for where it is not loaded');
	return loadUi();
}

/**
 * An image file: a report on one big enough gets its own V8 tiering (cli/tiering.ts), and for the hash workers the
 * first one boots on another core while the modules load.
 */
function prepareForFile(reference: string, explorer: boolean): void {
	let size: number;
	try {
		const info = statSync(reference);
		if (!info.isFile()) return;
		size = info.size;
	} catch {
		return; // not a file (an engine's image, a subcommand): the source decides later
	}
	if (!explorer) tierForReport(size);
	import('./layers/hash-pool.js').then(
		({warmUp}) => warmUp(size),
		() => {},
	);
}

/** `layerscope images …`: the store view on a terminal, else the table or JSON. */
async function runImages(args: string[], loadUi: (() => Promise<TerminalUi>) | undefined): Promise<number> {
	(await import('./sources/register.js')).registerSources();
	const {runImagesArgs} = await import('./store/command.js');
	return runImagesArgs(args, {
		stdout: process.stdout,
		stderr: process.stderr,
		async openView(session, options) {
			const {runStoreView, setExplorerAdvice} = await terminalUi(loadUi);
			// `images` takes no --lang: the locale says the list's language, and that of an image opened from it.
			const lang = resolveLang();
			setExplorerAdvice({lang});
			// As for the explorer: the terminal may still hold the event loop.
			process.exit(await runStoreView(session, options, lang));
		},
	});
}

async function engineAnswers(): Promise<boolean> {
	const {StoreSession} = await import('./store/session.js');
	return StoreSession.engineAnswers();
}

/** One line on stderr naming the input and the problem, exit code 2. */
export function exitWithError(error: unknown): never {
	// On a terminal a progress line may be showing: the error replaces it rather than running on after it.
	const clear = process.stderr.isTTY ? '\r\u001B[2K' : '';
	process.stderr.write(clear + errorLine(undefined, error));
	process.exit(2);
}

/** A closed pipe (`layerscope x | head`) is not an error. */
function closedPipe(error: NodeJS.ErrnoException): void {
	if (error.code === 'EPIPE') process.exit(0);
}

/** Every failure becomes the one line; the returned function takes the handlers back (when a command is handed on). */
export function installExitHandlers(): () => void {
	process.on('uncaughtException', exitWithError);
	process.on('unhandledRejection', exitWithError);
	process.stdout.on('error', closedPipe);
	return () => {
		process.off('uncaughtException', exitWithError);
		process.off('unhandledRejection', exitWithError);
		process.stdout.off('error', closedPipe);
	};
}
