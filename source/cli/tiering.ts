// How V8 compiles and collects for a report (the explorer, a long-lived process, keeps V8's defaults). Each flag is set
// once the code cache is loaded: V8 takes a cache only under the flags it was made with, and these are read as the
// run goes, so they apply from here on.
//
// - An image from 4 MB raises the interrupt budget (bytecode run before TurboFan optimizes a function) ~7× V8's. A
//   report on a medium image is a few hundred milliseconds of many middling-hot functions, and optimizing them all
//   cost more than it gained: on the Debian-like image (168 MB) TurboFan's threads took 160 of the run's 460 ms of CPU,
//   on the core the hash worker needed, for code that then ran a few milliseconds. With the budget raised, that run
//   takes 0.24 s instead of 0.28 and its CPU 0.36 s instead of 0.46; the loops over a big image's tar headers and paths
//   still reach the budget within milliseconds, but not all of its analysis (below).
// - An image from 512 MiB keeps V8's budget: its loops run over a hundred thousand entries or more, once per layer,
//   and TurboFan pays for itself there. At the raised budget, the per-layer passes of the analysis (dive's figure, the
//   stacking) ran in the baseline code for most of their time: the 1.2 GiB bench image took ~9% more (2.18 s against
//   1.98, medians of 6 runs taking turns), the 1,000,001-entry image ~8% more (4.81 against 4.44 s), where the
//   apt-like image (363 MB) took 0.53 s at the raised budget and 0.62 at V8's.
// - Every report keeps V8's young generation at its first size (semi-space growth factor 1, where V8 doubles it up
//   to 16 MiB a half). The walks keep what they find in columns outside the heap, and what the analysis keeps is
//   promoted in a few collections either way: the grown halves were 30 MB of the 1.2 GiB bench image's peak, for ~3%
//   of its wall time, and on dive's 1.5 MB image 1.4 MB of the 50 MB peak, for no time measured.
// - A smaller image is not optimized at all (the baseline compiler still runs): its report is ~30 ms of JavaScript,
//   and TurboFan, pages of node's binary and its compile zones, was ~5 MB of its peak RSS for a few milliseconds.
//
// Any flag set at run time also changes the hash V8 checks Node's own code cache against, so each of Node's modules
// loaded after it compiles from its source: crypto (17 modules), which every report on a file loads, and fs/promises,
// which reports no longer load (util/files.ts), took ~5 ms more that way (dive's 1.5 MB image 88 -> 81 ms and 48.3 ->
// 47.8 MiB, the apt-like one 366 -> 355 ms, when loaded first). The standard streams are made first too: as pipes,
// their sockets load `net`. The hash worker boots in ~60 ms instead of ~30 for the same reason; tiering once it is up
// gained no wall time and cost 2.5 MB of RSS (TurboFan at V8's budget meanwhile), so the flags stay early.
import {createRequire} from 'node:module';
import process from 'node:process';
import {setFlagsFromString} from 'node:v8';
import {OFF_THREAD_MIN_BYTES} from '../layers/early-worker.js';

/** The interrupt budget (bytecode bytes run before a function is optimized) of a report on an image from 4 MB. */
export const REPORT_INTERRUPT_BUDGET = 500_000;

/** The flags of a report on an image smaller than 4 MB. */
const YOUNG_AT_FIRST_SIZE = '--semi-space-growth-factor=1';
const SMALL_REPORT = ['--no-opt', YOUNG_AT_FIRST_SIZE];
/** The flags of a report on an image from 4 MB (the bench's floors run under them too). */
export const BIG_REPORT = [`--interrupt-budget=${REPORT_INTERRUPT_BUDGET}`, YOUNG_AT_FIRST_SIZE];
/** From this size, a report keeps V8's interrupt budget. */
export const LARGE_REPORT_MIN_BYTES = 512 * 1024 * 1024;
/** The flags of a report on an image from LARGE_REPORT_MIN_BYTES. */
const LARGE_REPORT = [YOUNG_AT_FIRST_SIZE];
/** V8's defaults for the same flags (`node --v8-options`; a test checks them against this Node). */
export const V8_DEFAULTS = ['--opt', '--interrupt-budget=67584', '--semi-space-growth-factor=2'];

/** Node's modules every report on an image file loads, loaded before the flags change (see above). */
const LOADED_FIRST = ['node:crypto'];

/** For a report (not the explorer) on an image file of `bytes`: V8's flags for a run of that size. */
export function tierForReport(bytes: number): void {
	const load = createRequire(import.meta.url);
	for (const module of LOADED_FIRST) load(module);
	void process.stdout;
	void process.stderr;
	for (const flag of flagsFor(bytes)) setFlagsFromString(flag);
}

function flagsFor(bytes: number): readonly string[] {
	if (bytes < OFF_THREAD_MIN_BYTES) return SMALL_REPORT;
	return bytes < LARGE_REPORT_MIN_BYTES ? BIG_REPORT : LARGE_REPORT;
}

/**
 * Put V8's defaults back: the build runs reports before it asks V8 for their code cache, and V8 stamps a cache with
 * the flags set when it is made (a cache made under --no-opt would be refused by every run).
 */
export function untierForCache(): void {
	for (const flag of V8_DEFAULTS) setFlagsFromString(flag);
}
