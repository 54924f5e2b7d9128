// When V8 optimizes a report's functions. By default a function is compiled by TurboFan after ~67 kB of its bytecode
// has run, on V8's background threads. A report on a medium image is a few hundred milliseconds of many middling-hot
// functions, and optimizing them all cost more than it gained: on the Debian-like image (168 MB) TurboFan's threads
// took 160 of the run's 460 ms of CPU, on the core the hash worker needed, for code that then ran a few milliseconds.
// With a budget ~7× V8's, that run takes 0.24 s instead of 0.28 and its CPU 0.36 s instead of 0.46; the loops of a big
// image (its tar headers, its paths) still reach the budget within milliseconds (the 1,000,001-entry image: 2.14 s ->
// 2.02 s). A small image keeps V8's default: there the later tier-up cost ~4 ms of its ~30 ms of JavaScript.
import {setFlagsFromString} from 'node:v8';
import {OFF_THREAD_MIN_BYTES} from '../layers/early-worker.js';

/** The interrupt budget (bytecode bytes run before a function is optimized) of a report on an image from 4 MB. */
export const REPORT_INTERRUPT_BUDGET = 500_000;

/**
 * For a report (not the explorer, a long-lived process) on an image file of `bytes`: raise V8's interrupt budget when
 * the image is big enough for the hash workers. Set once the code cache is loaded: V8 takes a cache only under the
 * flags it was made with, and this flag is read each time a function's budget is renewed, so it applies from here on.
 */
export function tierForReport(bytes: number): void {
	if (bytes >= OFF_THREAD_MIN_BYTES) setFlagsFromString(`--interrupt-budget=${REPORT_INTERRUPT_BUDGET}`);
}
