// How fast this run's machine is against the one the issue measured dive on. No dive can be had here, so its figures
// are carried over through the baselines measured beside it there: one sha256 pass over an archive in Node at ~1.3 GB/s
// a core, and `node -e 0` at ~0.09 s. Machines of this kind differ (an Intel Xeon one day, an AMD EPYC the next, and
// one machine's speed moves within the hour), so an absolute figure from another machine is no target on this one.

/** The baselines issue #14 gives beside dive's figures. */
export const ISSUE_BASELINES = {hashBytesPerSecond: 1.3e9, nodeZeroSeconds: 0.09};

/**
 * One sha256 pass over a file in Node, with the hash layerscope uses, the next 1 MiB read in flight while one is
 * hashed. It prints its rate (bytes hashed per second, from opening the file to the digest: Node's start left out).
 */
export const SHA256_PASS =
	"(async () => { const t = process.hrtime.bigint(); const f = await require('node:fs/promises').open(process.argv[1]); const h = require('node:crypto').createHash('sha256'); const b = [Buffer.allocUnsafe(1 << 20), Buffer.allocUnsafe(1 << 20)]; let k = 0; let n = 0; let p = f.read(b[0], 0, 1 << 20, null); for (;;) { const {bytesRead, buffer} = await p; if (bytesRead === 0) break; n += bytesRead; k ^= 1; p = f.read(b[k], 0, 1 << 20, null); h.update(buffer.subarray(0, bytesRead)); } h.digest(); await f.close(); process.stdout.write(String(n / (Number(process.hrtime.bigint() - t) / 1e9))); })()";

/** The rate a SHA256_PASS printed, or null when it printed none. */
export function passRate(stdout: string): number | null {
	const rate = Number(stdout.trim()); // an empty output is 0
	return Number.isFinite(rate) && rate > 0 ? rate : null;
}

/** Files smaller than this hash too briefly for a rate: their pass is mostly opening the file. */
export const RATE_MIN_BYTES = 50e6;

/**
 * How much longer a hash-bound run takes here than on the issue's machine: its hash rate over this run's (above 1:
 * this machine is slower). Null without a rate.
 */
export function hashScale(rate: number | null): number | null {
	return rate === null ? null : ISSUE_BASELINES.hashBytesPerSecond / rate;
}

export const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

/** The median of the values measured, null when none was. */
export function medianOrNull(values: readonly (number | null | undefined)[]): number | null {
	const known = values.filter((value): value is number => typeof value === 'number');
	return known.length > 0 ? median(known) : null;
}

export const gbPerSecond = (rate: number): string => `${(rate / 1e9).toFixed(2)} GB/s`;
