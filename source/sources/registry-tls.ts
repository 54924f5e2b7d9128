// The TLS a registry is spoken to with, found as Docker and skopeo find it: the CAs and the client certificate of the
// registry's certs.d directory (`<root>/<host[:port]>/`: every `*.crt` a CA added to the system's, every `*.cert`
// with the `*.key` of the same name a client certificate), `--cert-dir DIR` instead of that lookup (skopeo's),
// `--ca-cert FILE` added to it, and `--tls-verify=false` (still https, nothing checked). Also the one line for a
// handshake that failed, naming the fix.
import {readdirSync, readFileSync, statSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {createSecureContext, rootCertificates} from 'node:tls';
import {InputError} from '../util/errors.js';
import {visible} from '../util/sanitize.js';
import {PEM_CERT, systemCas} from './system-cas.js';

export interface TlsChoice {
	/** `--ca-cert FILE`: PEM CAs trusted beside the system's and the certs directory's. */
	caCert?: string;
	/** `--cert-dir DIR`: the directory holding `*.crt`, `*.cert`, `*.key`, instead of the certs.d lookup. */
	certDir?: string;
	/** `--tls-verify=false`: https without checking the certificate. Default true. */
	tlsVerify?: boolean;
}

export interface TlsSettings {
	/** The CAs to trust (the system's included), or undefined for Node's default store alone. */
	ca?: string[];
	cert?: Buffer;
	key?: Buffer;
	verify: boolean;
	/** The directory read (or the one that would be read for this host), for messages. */
	certDir: string;
	/** The client certificate's file, for messages. */
	certFile?: string;
}

/**
 * The certs.d roots, in the order containers/image looks (the first holding a directory for the host is used; Docker
 * itself reads only /etc/docker/certs.d). `LAYERSCOPE_CERTS_D` replaces them with one root (tests, unusual setups).
 */
export function certsRoots(env: NodeJS.ProcessEnv = process.env): string[] {
	if (env.LAYERSCOPE_CERTS_D) return [env.LAYERSCOPE_CERTS_D];
	return [path.join(env.HOME || os.homedir(), '.config', 'containers', 'certs.d'), '/etc/containers/certs.d', '/etc/docker/certs.d'];
}

/** The certs directory for `host` (`127.0.0.1:5000`): the first root that has one, else where Docker would look. */
export function hostCertDir(host: string, env: NodeJS.ProcessEnv = process.env): string {
	const roots = certsRoots(env);
	for (const root of roots) {
		const dir = path.join(root, host);
		try {
			if (statSync(dir).isDirectory()) return dir;
		} catch {}
	}
	return path.join(roots.at(-1)!, host);
}

function readFile(file: string, what: string): Buffer {
	try {
		return readFileSync(file);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		const why =
			code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'a directory, not a file' : (code ?? 'unreadable');
		throw new InputError(`${what} ${visible(file)}: ${why}`);
	}
}

/** The PEM certificates of a file; none at all is an error (Go's AppendCertsFromPEM would pass it over in silence). */
function pemCertificates(file: string, what: string): string[] {
	const found = readFile(file, what).toString('latin1').match(PEM_CERT) ?? [];
	if (found.length === 0) throw new InputError(`${what} ${visible(file)}: no PEM certificate in it`);
	return found;
}

/** Docker's rules for one certs directory (moby's ReadCertsDirectory), with its messages; a missing directory is none. */
function readCertDir(dir: string): {ca: string[]; cert?: Buffer; key?: Buffer; certFile?: string} {
	let names: string[];
	try {
		names = readdirSync(dir, {withFileTypes: true})
			.filter(entry => !entry.isDirectory())
			.map(entry => entry.name)
			.sort();
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {ca: []};
		throw new InputError(`certs directory ${visible(dir)}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
	}
	const result: ReturnType<typeof readCertDir> = {ca: []};
	for (const name of names) {
		if (name.endsWith('.crt')) result.ca.push(...pemCertificates(path.join(dir, name), 'CA certificate'));
		else if (name.endsWith('.cert')) {
			const keyName = name.slice(0, -'.cert'.length) + '.key';
			if (!names.includes(keyName))
				throw new InputError(
					`${visible(dir)}: missing key ${visible(keyName)} for client certificate ${visible(name)}. CA certificates must use the extension .crt`,
				);
			// Go offers every pair and picks one per handshake; Node takes one: the first by name.
			if (!result.cert) {
				result.certFile = path.join(dir, name);
				result.cert = readFile(result.certFile, 'client certificate');
				result.key = readFile(path.join(dir, keyName), 'client key');
			}
		} else if (name.endsWith('.key')) {
			const certName = name.slice(0, -'.key'.length) + '.cert';
			if (!names.includes(certName)) throw new InputError(`${visible(dir)}: missing client certificate ${visible(certName)} for key ${visible(name)}`);
		}
	}
	return result;
}

/** The TLS for a registry host, read once per run; a file that cannot be used is one line naming it. */
export function tlsSettings(host: string, choice: TlsChoice, env: NodeJS.ProcessEnv = process.env): TlsSettings {
	const certDir = choice.certDir ?? hostCertDir(host, env);
	if (choice.certDir !== undefined) {
		let isDir = false;
		try {
			isDir = statSync(choice.certDir).isDirectory();
		} catch {}
		if (!isDir) throw new InputError(`--cert-dir ${visible(choice.certDir)}: not a directory`);
	}
	const found = readCertDir(certDir);
	const extra = choice.caCert === undefined ? [] : pemCertificates(choice.caCert, '--ca-cert');
	const ca = [...found.ca, ...extra];
	const settings: TlsSettings = {
		ca: ca.length > 0 ? [...rootCertificates, ...ca] : systemCas(),
		cert: found.cert,
		key: found.key,
		verify: choice.tlsVerify !== false,
		certDir,
		certFile: found.certFile,
	};
	try {
		createSecureContext({ca: settings.ca, cert: settings.cert, key: settings.key});
	} catch (error) {
		const reason = visible(((error as Error).message ?? String(error)).split('\n')[0]);
		const which = found.certFile
			? `client certificate ${visible(found.certFile)}`
			: choice.caCert
				? `--ca-cert ${visible(choice.caCert)}`
				: `certs directory ${visible(certDir)}`;
		throw new InputError(`${which}: cannot be used (${reason})`);
	}
	return settings;
}

/** Node's codes for a server certificate it could not check, and how a user would say each. */
const VERIFY_FAILURES: Record<string, string> = {
	DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
	SELF_SIGNED_CERT_IN_CHAIN: 'certificate signed by an unknown authority (a self-signed CA)',
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate signed by an unknown authority',
	UNABLE_TO_GET_ISSUER_CERT: 'certificate signed by an unknown authority',
	UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate signed by an unknown authority',
	CERT_HAS_EXPIRED: 'certificate has expired',
	CERT_NOT_YET_VALID: 'certificate is not yet valid',
	ERR_TLS_CERT_ALTNAME_INVALID: 'certificate is not for this host',
};

/**
 * The one line for a TLS failure talking to `origin` (`https://host:port`), or undefined when the error is no TLS
 * failure. `settings` says what was offered, so the fix named is the one still missing.
 */
export function tlsFailure(at: string, origin: string, error: unknown, settings: TlsSettings | undefined): InputError | undefined {
	const cause = (error as {cause?: {code?: string; message?: string}}).cause;
	const code = (error as {code?: string}).code ?? cause?.code ?? '';
	const message = (error as Error).message ?? cause?.message ?? '';
	const host = new URL(origin).host;
	const certDir = settings?.certDir ?? hostCertDir(host);
	const fail = (text: string): InputError => new InputError(text, 'network', {cause: error});
	const verify = VERIFY_FAILURES[code];
	if (verify) {
		const fix =
			code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID'
				? '--tls-verify=false skips the check'
				: `give its CA with --ca-cert FILE or as ${visible(path.join(certDir, 'ca.crt'))}, or skip the check with --tls-verify=false`;
		return fail(`TLS to ${at} failed: ${verify}; ${fix}`);
	}
	// A plain-http server answering a TLS hello: OpenSSL reads its "HTTP/1.1 400" as a record of a wrong version.
	if (/wrong version number|packet length too long|http request/i.test(message) || code === 'ERR_SSL_WRONG_VERSION_NUMBER')
		return fail(`${at} answered in plain http, not TLS; for a plain-http registry use --insecure`);
	if (/CERTIFICATE_REQUIRED|certificate required/i.test(code + ' ' + message) || (!settings?.cert && /HANDSHAKE_FAILURE|BAD_CERTIFICATE/i.test(code)))
		return fail(`${at} asks for a client certificate; put client.cert and client.key in ${visible(certDir)} (or give a directory with --cert-dir DIR)`);
	if (settings?.certFile && /BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|CERTIFICATE_EXPIRED|DECRYPT_ERROR/i.test(code))
		return fail(`${at} refused the client certificate ${visible(settings.certFile)} (TLS alert: ${alertOf(code)})`);
	if (/SSL|TLS|CERT|EPROTO/i.test(code) || /SSL|TLS|certificate/i.test(message))
		return fail(`TLS to ${at} failed (${visible(reasonOf(message))}); for a plain-http registry use --insecure`);
	return undefined;
}

/** `ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE` -> `bad certificate` (stable, where OpenSSL's reason text changed in 3.2). */
function alertOf(code: string): string {
	return code
		.replace(/^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_ALERT_/, '')
		.toLowerCase()
		.replace(/_/g, ' ');
}

/** `…:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:…` -> `tlsv13 alert certificate required`. */
function reasonOf(message: string): string {
	return /SSL routines:[^:]*:([^:\n]+)/.exec(message)?.[1] ?? message.split('\n')[0];
}

/** The hint for an http request a TLS server refused (Go: "Client sent an HTTP request to an HTTPS server"). */
export const PLAIN_TO_TLS = /HTTP request to an HTTPS server|plain HTTP request was sent to HTTPS port/i;
