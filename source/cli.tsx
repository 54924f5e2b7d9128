#!/usr/bin/env node
// The command line: parse flags, choose the mode (TUI, --json, CI, plain report), turn every failure into one line.
// The one place that ends the process on an error: commands return their exit code or throw.
import process from 'node:process';
import {parseCommandLine} from './cli-args.js';
import type {LoadOptions} from './sources/load.js';
import {CommandFailure, errorLine} from './util/error-line.js';

export const HELP = `
	Usage
	  $ layerscope <image> [options]
	  $ docker save <name> | layerscope [options]
	  $ layerscope diff <imageA> <imageB> [options]

	Image
	  image.tar            docker save archive (classic or Docker 25+), oci-archive; plain, gzip or zstd
	  ./dir                OCI image layout directory
	  -                    an archive on stdin (also a bare pipe)
	  name:tag             the local Docker engine (also docker://name:tag)
	  podman://name:tag    the Podman API socket
	  registry://host/repo:tag  a registry, no daemon (also @sha256:… digests)

	Options
	  --json               print the JSON report (docs/json-report.md)
	  --files              with --json: add every layer's file changes
	  --plain              print the plain text report, even on a terminal
	  --image <name:tag>   pick an image in an archive that holds several
	  --list               list the images in the archive and exit
	  --platform <os/arch> pick a platform of a multi-platform image (default: this host's)
	  --ci                 CI mode: evaluate rules, exit 0 pass, 1 fail, 2 error (also when CI=true and no TTY)
	  --ci-config <file>   rules file (default .dive-ci if present)
	  --format <fmt>       CI output: text, junit, markdown, json
	  --lowest-efficiency <ratio>, --highest-wasted-bytes <bytes>, --highest-user-wasted-percent <ratio>,
	  --highest-layerscope-wasted-bytes <bytes>, --highest-layer-wasted-bytes <bytes>   CI rules
	  --insecure           registry over plain http
	  --timeout <seconds>  registry: give up when it sends nothing for this long (default 30)
	  --version            show the version
	  --help               show this help

	Exit codes: 0 ok (CI: pass), 1 a CI rule failed, 2 bad input or error.
`;

/** Run the command line; its exit code. A failure throws, a CommandFailure when it is not about the image named. */
export async function main(argv = process.argv.slice(2)): Promise<number> {
	const cli = parseCommandLine(HELP, {
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
			timeout: {type: 'string'},
		},
		allowUnknownFlags: false,
	});
	// Loaded once the flags are parsed (--help and --version need none of it), each mode's own modules where it runs.
	const [{registerSources}, {COLUMNS_HEAP_PER_PATH, pathBudget}, {loadImage, openSource}, {parseTimeoutSeconds}, {stderrProgress}] = await Promise.all([
		import('./sources/register.js'),
		import('./analysis/path-budget.js'),
		import('./sources/load.js'),
		import('./sources/registry-http.js'),
		import('./report/progress.js'),
	]);
	registerSources();
	const flags = cli.flags;
	let timeout: number | undefined;
	try {
		timeout = flags.timeout === undefined ? undefined : parseTimeoutSeconds(flags.timeout);
	} catch (error) {
		throw new CommandFailure(undefined, error);
	}

	if (cli.input[0] === 'diff') {
		const {runDiff} = await import('./diff/run.js');
		return runDiff(cli.input.slice(1), {...flags, timeout});
	}
	if (cli.input.length > 1) throw new CommandFailure(undefined, new Error(`one image at a time (got ${cli.input.length}); see --help`));
	let reference = cli.input[0];
	if (reference === undefined) {
		if (process.stdin.isTTY) cli.showHelp(2);
		reference = '-';
	}

	// meow gives an absent boolean as false, so `??` would never see CI=true. An explicit output mode wins over CI=true.
	const ciMode = flags.ci || (process.env.CI === 'true' && !process.stdout.isTTY && !flags.json && !flags.plain && !flags.list);
	const options: LoadOptions = {image: flags.image, platform: flags.platform, keepChanges: flags.json ? flags.files : true, insecure: flags.insecure, timeout};
	// Reports that read only the columns can take images naming three times more paths than the explorer can.
	const objectTree = !ciMode && !flags.list && ((flags.json && flags.files) || (!flags.json && !flags.plain && process.stdout.isTTY));
	if (!objectTree) options.maxPaths = pathBudget(COLUMNS_HEAP_PER_PATH);

	try {
		if (ciMode) {
			// Rules are checked before any analysis: a bad value must not cost a long read.
			const {prepareCi} = await import('./ci/run.js');
			const runCi = await prepareCi(flags).catch((error: unknown) => {
				throw new CommandFailure(undefined, error);
			});
			options.keepChanges = false;
			options.onProgress = stderrProgress();
			return await runCi(await loadImage(reference, options));
		}
		if (flags.list) {
			const [{resolveImage}, {visible}] = await Promise.all([import('./sources/resolve.js'), import('./util/sanitize.js')]);
			const store = await openSource(reference, {...options, onProgress: stderrProgress()});
			const resolved = await resolveImage(store, options);
			process.stdout.write(resolved.available.map(visible).join('\n') + '\n');
			return 0;
		}
		if (flags.json) {
			const [{toJsonReport}, {writeJson}] = await Promise.all([import('./report/json.js'), import('./report/json-writer.js')]);
			const analysis = await loadImage(reference, {...options, onProgress: stderrProgress()});
			await writeJson(toJsonReport(analysis, {files: flags.files}), process.stdout);
			return 0;
		}
		if (!flags.plain && process.stdout.isTTY) {
			const {runExplorer} = await import('./ui/run.js');
			// The terminal (stdin in raw mode) and the hash workers may still hold the event loop: end with the code.
			process.exit(await runExplorer(reference, options));
		}
		const {textReport} = await import('./report/text.js');
		const analysis = await loadImage(reference, {...options, onProgress: stderrProgress()});
		process.stdout.write(textReport(analysis, {width: process.stdout.columns}));
		return 0;
	} catch (error) {
		throw error instanceof CommandFailure ? error : new CommandFailure(reference, error);
	}
}

/** One line on stderr naming the input and the problem, exit code 2. */
function exitWithError(error: unknown): never {
	// On a terminal a progress line may be showing: the error replaces it rather than running on after it.
	const clear = process.stderr.isTTY ? '\r\u001B[2K' : '';
	process.stderr.write(clear + errorLine(undefined, error));
	process.exit(2);
}

process.on('uncaughtException', exitWithError);
process.on('unhandledRejection', exitWithError);
// A closed pipe (`layerscope x | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (error.code === 'EPIPE') process.exit(0);
});

try {
	process.exitCode = await main();
} catch (error) {
	exitWithError(error);
}
