// The report modes from code V8 compiled at build time. Node 20 caches no compiled code for ES modules, and a report
// on a small image spent much of its time compiling: with the cache, `--json` on dive's 1.5 MB image takes 47 ms past
// `node -e 0` instead of 80.
// So the build bundles the command line without the terminal UI into one CommonJS file (dist/reports.cjs), runs it on
// the demo image and keeps what V8 compiled (dist/reports.cjs.cache, scripts/code-cache.ts); the bin loads the two
// here. V8 refuses a cache made by another V8, or under any V8 flag (NODE_OPTIONS=--max-old-space-size=… included), and
// compiles as usual: slower, never wrong. A cache cannot be written at run time (nothing is written unasked).
import {existsSync, readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import process from 'node:process';
import vm from 'node:vm';

export interface ReportBundle {
	/** Run the command line; false when the command may need the terminal UI (nothing was done: run it elsewhere). */
	run(argv: string[]): Promise<boolean>;
	/** The compiled bundle: the build asks it for its cache after the runs. */
	script: vm.Script;
}

/** Commands that never open the terminal UI. */
const SUBCOMMANDS = new Set(['diff', 'completion']);
/** Flags that name an output other than the explorer: with one of them a command on a terminal is a report. */
const REPORT_FLAGS = new Set(['--json', '--plain', '--ci', '--list', '--version', '-v', '--help', '-h']);

/**
 * The report bundle beside the bin, when it can run `argv`: Node must require ES modules (string-width, loaded on
 * demand), and a command on a terminal with no report flag is the explorer's (the bundle would only hand it back).
 */
export function reportBundleFor(argv: readonly string[], bin: string): ReportBundle | null {
	if ((process.features as {require_module?: boolean}).require_module !== true) return null;
	if (process.stdout.isTTY && !SUBCOMMANDS.has(argv[0]) && !argv.some(arg => REPORT_FLAGS.has(arg))) return null;
	const file = path.join(path.dirname(bin), 'reports.cjs');
	if (!existsSync(file)) return null; // running from the sources
	const cache = file + '.cache';
	return loadReportBundle(file, existsSync(cache) ? readFileSync(cache) : undefined);
}

/** Compile and run the bundle as Node runs a CommonJS module, with `cachedData` as V8's compiled code for it. */
export function loadReportBundle(file: string, cachedData?: Buffer): ReportBundle {
	const script = compileReportBundle(file, cachedData);
	const module = {exports: {} as {run?: ReportBundle['run']}};
	const factory = script.runInThisContext() as (...args: unknown[]) => void;
	factory.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
	if (typeof module.exports.run !== 'function') throw new Error(`${file}: not the report bundle`);
	return {run: module.exports.run, script};
}

/** The bundle compiled, not run (`cachedDataRejected` says whether V8 took the cache). */
export function compileReportBundle(file: string, cachedData?: Buffer): vm.Script {
	const source = readFileSync(file, 'utf8');
	// Node's own wrapper, so that the bundle sees the variables of any CommonJS module.
	const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n})`;
	return new vm.Script(wrapped, {filename: file, cachedData, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER});
}
