// The bin's first two lines, a shell launcher (scripts/bundle.ts writes them over esbuild's `#!/usr/bin/env node`),
// and what the bin does with what it passes on. Node 20 reads NODE_EXTRA_CA_CERTS as it starts, before any script
// runs: it builds its whole root store (its ~140 bundled CAs parsed, then the file's). That took ~90 ms of `node -e 0`'s
// ~0.12 s on this project's machines, which set it, for every run, local files included. The launcher starts Node
// with the variable emptied and the file's name in DEFERRED; the bin puts the variable back (for the programs a run
// starts: credential helpers, zstd), and the TLS a run opens adds the file's certificates (sources/system-cas.ts).
// The launcher also fixes glibc's mmap threshold, where the user has not (MALLOC_MMAP_THRESHOLD_, read once as the
// process starts, so only an environment can set it): by default glibc raises the threshold to the size of each large
// block freed, up to 32 MiB, and from then on serves blocks that size from its heap, which it rarely gives back. The
// columns grow by copying (model/columns.ts), so a big image's freed copies stayed in the heap, unused: 20 to 35 MB of
// the 1.2 GiB bench image's ~165 MB. Fixed at glibc's own default (128 KiB), a block from there is mapped on its own
// and unmapped when freed. The bin takes the variable out again, so the programs a run starts get glibc's default.
// The lines are shell and JavaScript at once: to sh, `':'` is the no-op command `:`; to Node, a string and a comment.

/** Where the launcher leaves NODE_EXTRA_CA_CERTS's value for the bin. */
export const DEFERRED = 'LAYERSCOPE_DEFERRED_EXTRA_CA_CERTS';

/** Set to `1` by the launcher when it was the one that set MALLOC_MMAP_THRESHOLD_. */
export const OWN_MMAP_THRESHOLD = 'LAYERSCOPE_OWN_MMAP_THRESHOLD';

/** glibc's initial mmap threshold, in bytes: fixing it there turns off the raise. */
export const MMAP_THRESHOLD = 128 * 1024;

export const LAUNCHER =
	'#!/bin/sh\n' +
	`':' //; [ -z "$NODE_EXTRA_CA_CERTS" ] || export ${DEFERRED}="$NODE_EXTRA_CA_CERTS" NODE_EXTRA_CA_CERTS=; ` +
	`[ -n "\${MALLOC_MMAP_THRESHOLD_+set}" ] || export MALLOC_MMAP_THRESHOLD_=${MMAP_THRESHOLD} ${OWN_MMAP_THRESHOLD}=1; exec node "$0" "$@"\n`;

/** The global the bin leaves the deferred file's name in, for whichever copy of the sources opens TLS. */
export const DEFERRED_CA_FILE = Symbol.for('layerscope.deferredExtraCaCerts');

/**
 * Give the environment back as the user set it: MALLOC_MMAP_THRESHOLD_ unset where the launcher set it, and
 * NODE_EXTRA_CA_CERTS put back (noting that Node's root store does not hold its certificates).
 */
export function takeLauncherEnv(env: NodeJS.ProcessEnv = process.env): void {
	if (env[OWN_MMAP_THRESHOLD] === '1') delete env.MALLOC_MMAP_THRESHOLD_;
	delete env[OWN_MMAP_THRESHOLD];
	takeDeferredCaCerts(env);
}

function takeDeferredCaCerts(env: NodeJS.ProcessEnv): void {
	const file = env[DEFERRED];
	if (file === undefined) return;
	delete env[DEFERRED];
	// An empty NODE_EXTRA_CA_CERTS means Node read nothing: the launcher was not what emptied it.
	if (file === '' || env.NODE_EXTRA_CA_CERTS !== '') return;
	env.NODE_EXTRA_CA_CERTS = file;
	(globalThis as {[DEFERRED_CA_FILE]?: string})[DEFERRED_CA_FILE] = file;
}
