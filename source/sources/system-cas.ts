// The CAs a TLS connection trusts when nothing more is given: Node's own root store, which holds NODE_EXTRA_CA_CERTS's
// certificates only when Node itself read the file at start. The bin's launcher spares Node that read
// (cli/launcher.ts); then the file is read here, at the first TLS a run opens, and its certificates join Node's
// bundled ones, so the connection trusts what Node would have. A file Node could not use gets Node's own warning.
import {readFileSync} from 'node:fs';
import {createSecureContext, rootCertificates} from 'node:tls';
import {DEFERRED_CA_FILE} from '../cli/launcher.js';

/** One PEM certificate (registry-tls.ts reads `--ca-cert` and certs.d files with it too). */
export const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

let cached: {cas: string[] | undefined} | undefined;

/** The `ca` option for a connection that gives no CAs of its own: undefined when Node's default store is complete. */
export function systemCas(): string[] | undefined {
	if (cached) return cached.cas;
	const file = (globalThis as {[DEFERRED_CA_FILE]?: string})[DEFERRED_CA_FILE];
	cached = {cas: file === undefined ? undefined : withExtraCas(file)};
	return cached.cas;
}

function withExtraCas(file: string): string[] | undefined {
	const ignored = (why: string): undefined => void process.emitWarning(`Ignoring extra certs from \`${file}\`, load failed: ${why}`);
	let found: string[];
	try {
		found = readFileSync(file, 'latin1').match(PEM_CERT) ?? [];
	} catch (error) {
		return ignored((error as NodeJS.ErrnoException).code ?? String(error));
	}
	if (found.length === 0) return ignored('no PEM certificate in it');
	const cas = [...rootCertificates, ...found];
	try {
		createSecureContext({ca: cas});
	} catch (error) {
		return ignored((error as Error).message.split('\n')[0]);
	}
	return cas;
}

/** For tests: forget what was read. */
export function resetSystemCas(): void {
	cached = undefined;
}
