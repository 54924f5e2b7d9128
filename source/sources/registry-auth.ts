// Registry credentials and the distribution auth handshake (Bearer token or Basic). Credentials come from the
// docker config (`auths`, `credHelpers`, `credsStore`) or the containers auth file; they are never printed.
import {execFile} from 'node:child_process';
import path from 'node:path';
import {InputError} from '../util/errors.js';
import {visible} from '../util/sanitize.js';
import {dockerConfigDir, readJsonFile} from './engine-endpoint.js';

export interface Credentials {
	username: string;
	password: string;
	/** An OAuth2 refresh token `docker login` stored instead of a password (`identitytoken`). */
	identityToken?: string;
	/** Which file or helper they came from (a path or a helper name, never the secret). */
	origin: string;
}

/** The keys `docker login` may have stored a registry under. */
function keysFor(registry: string): string[] {
	if (registry === 'docker.io') return ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];
	return [registry, `https://${registry}`, `http://${registry}`, `https://${registry}/v1/`, `https://${registry}/v2/`];
}

function fromAuths(auths: unknown, registry: string, origin: string): Credentials | undefined {
	if (!auths || typeof auths !== 'object') return undefined;
	for (const key of keysFor(registry)) {
		const entry = (auths as Record<string, {auth?: unknown; username?: unknown; password?: unknown; identitytoken?: unknown}>)[key];
		if (!entry) continue;
		if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '') return {username: '', password: '', identityToken: entry.identitytoken, origin};
		if (typeof entry.auth === 'string' && entry.auth !== '') {
			const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
			const colon = decoded.indexOf(':');
			if (colon > 0) return {username: decoded.slice(0, colon), password: decoded.slice(colon + 1), origin};
		}
		if (typeof entry.username === 'string' && typeof entry.password === 'string') return {username: entry.username, password: entry.password, origin};
	}
	return undefined;
}

/** What a helper says when it holds nothing for the registry (docker-credential-helpers' ErrCredentialsNotFound). */
const NOT_FOUND = 'credentials not found in native keychain';

/**
 * Ask `docker-credential-<helper> get`, as Docker does: nothing stored is no credentials; a helper that is missing or
 * fails is an error in Docker's words (`error getting credentials - err: …, out: \`…\``), naming the config entry.
 */
function fromHelper(helper: string, registry: string, entry: string): Promise<Credentials | undefined> {
	const program = `docker-credential-${helper}`;
	return new Promise((resolve, reject) => {
		const child = execFile(program, ['get'], {timeout: 10_000, maxBuffer: 1024 * 1024}, (error, stdout) => {
			if (error) {
				const out = stdout.trim();
				if (out === NOT_FOUND) return resolve(undefined);
				const code = (error as NodeJS.ErrnoException).code;
				const err =
					code === 'ENOENT'
						? `exec: "${program}": executable file not found in $PATH`
						: error.killed
							? 'killed after 10 s'
							: `exit status ${typeof code === 'number' ? code : (code ?? 'unknown')}`;
				// One line: the helper's own message, never a secret (it printed no credentials if it failed).
				const said = out.split('\n')[0].slice(0, 200);
				return reject(new InputError(`error getting credentials - err: ${visible(err)}, out: \`${visible(said)}\` (${visible(entry)})`));
			}
			try {
				const {Username, Secret} = JSON.parse(stdout) as {Username?: unknown; Secret?: unknown};
				// `<token>` as the user name: the secret is an identity token (docker/cli's tokenUsername).
				if (Username === '<token>' && typeof Secret === 'string' && Secret !== '')
					return resolve({username: '', password: '', identityToken: Secret, origin: program});
				if (typeof Username === 'string' && typeof Secret === 'string' && Secret !== '')
					return resolve({username: Username, password: Secret, origin: program});
			} catch {}
			reject(new InputError(`${program} get: the answer is not the credentials JSON (${visible(entry)})`));
		});
		child.stdin?.on('error', () => {});
		child.stdin?.end(registry === 'docker.io' ? 'https://index.docker.io/v1/' : registry);
	});
}

export async function findCredentials(registry: string, env: NodeJS.ProcessEnv = process.env): Promise<Credentials | undefined> {
	const configFile = path.join(dockerConfigDir(env), 'config.json');
	const config = readJsonFile(configFile);
	if (config) {
		const helpers = config.credHelpers as Record<string, unknown> | undefined;
		const helper = keysFor(registry)
			.map(key => helpers?.[key])
			.find((name): name is string => typeof name === 'string');
		if (helper && /^[\w.-]+$/.test(helper)) return fromHelper(helper, registry, `credHelpers in ${configFile}`);
		const found = fromAuths(config.auths, registry, configFile);
		if (found) return found;
		if (typeof config.credsStore === 'string' && /^[\w.-]+$/.test(config.credsStore)) {
			const stored = await fromHelper(config.credsStore, registry, `credsStore in ${configFile}`);
			if (stored) return stored;
		}
	}
	const authFile = env.REGISTRY_AUTH_FILE || (env.XDG_RUNTIME_DIR ? path.join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json') : undefined);
	if (authFile) return fromAuths(readJsonFile(authFile)?.auths, registry, authFile);
	return undefined;
}

export interface Challenge {
	scheme: string;
	params: Record<string, string>;
}

/** `Bearer realm="https://auth",service="registry",scope="repository:x:pull"` -> scheme and parameters. */
export function parseChallenge(header: string | null): Challenge | undefined {
	if (!header) return undefined;
	const match = /^\s*(\w+)\s*(.*)$/s.exec(header);
	if (!match) return undefined;
	const params: Record<string, string> = {};
	const pair = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?/g;
	for (let m = pair.exec(match[2]); m; m = pair.exec(match[2])) params[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3];
	return {scheme: match[1].toLowerCase(), params};
}

export function basicHeader(credentials: Credentials): string {
	return 'Basic ' + Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
}
