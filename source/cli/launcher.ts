// The bin's first two lines, a shell launcher (scripts/bundle.ts writes them over esbuild's `#!/usr/bin/env node`),
// and what the bin does with what it passes on. Node 20 reads NODE_EXTRA_CA_CERTS as it starts, before any script
// runs: it builds its whole root store (its ~140 bundled CAs parsed, then the file's). That took ~90 ms of `node -e 0`'s
// ~0.12 s on this project's machines, which set it, for every run, local files included. The launcher starts Node
// with the variable emptied and the file's name in DEFERRED; the bin puts the variable back (for the programs a run
// starts: credential helpers, zstd), and the TLS a run opens adds the file's certificates (sources/system-cas.ts).
// The lines are shell and JavaScript at once: to sh, `':'` is the no-op command `:`; to Node, a string and a comment.

/** Where the launcher leaves NODE_EXTRA_CA_CERTS's value for the bin. */
export const DEFERRED = 'LAYERSCOPE_DEFERRED_EXTRA_CA_CERTS';

export const LAUNCHER =
	'#!/bin/sh\n' + `':' //; [ -z "$NODE_EXTRA_CA_CERTS" ] || export ${DEFERRED}="$NODE_EXTRA_CA_CERTS" NODE_EXTRA_CA_CERTS=; exec node "$0" "$@"\n`;

/** The global the bin leaves the deferred file's name in, for whichever copy of the sources opens TLS. */
export const DEFERRED_CA_FILE = Symbol.for('layerscope.deferredExtraCaCerts');

/** Put NODE_EXTRA_CA_CERTS back as the user set it, and note that Node's root store does not hold its certificates. */
export function takeDeferredCaCerts(env: NodeJS.ProcessEnv = process.env): void {
	const file = env[DEFERRED];
	if (file === undefined) return;
	delete env[DEFERRED];
	// An empty NODE_EXTRA_CA_CERTS means Node read nothing: the launcher was not what emptied it.
	if (file === '' || env.NODE_EXTRA_CA_CERTS !== '') return;
	env.NODE_EXTRA_CA_CERTS = file;
	(globalThis as {[DEFERRED_CA_FILE]?: string})[DEFERRED_CA_FILE] = file;
}
