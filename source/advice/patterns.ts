// What a shell step does, for the findings: package-manager operations and the caches and lists they leave,
// downloads, archives unpacked, deletes, in-place rewrites (chmod/chown/chgrp/touch/sed -i), and which paths are
// package bookkeeping that any later install rewrites.
import path from 'node:path';
import type {ContentKind} from '../i18n/catalogue.js';
import type {ShellStep} from './command.js';

export type Manager = 'apt' | 'dpkg' | 'apk' | 'yum' | 'pip' | 'npm' | 'yarn' | 'pnpm' | 'gem' | 'go' | 'cargo' | 'composer';
export type PackageOp = 'update' | 'install' | 'remove' | 'clean' | 'build';
export type RewriteTool = 'chmod' | 'chown' | 'chgrp' | 'touch' | 'sed';

export type StepAction =
	| {kind: 'package'; manager: Manager; op: PackageOp; packages: string[]; options: string[]}
	| {kind: 'download'; url: string; output: string | null}
	| {kind: 'unpack'; archive: string}
	| {kind: 'delete'; paths: string[]}
	| {kind: 'rewrite'; tool: RewriteTool; recursive: boolean; value: string | null; paths: string[]}
	| {kind: 'other'};

/** What the bytes are, for the diagnosis. */
export type Content = Exclude<ContentKind, 'bookkeeping' | 'toolchain'>;

const OPS: Record<string, Partial<Record<string, PackageOp>>> = {
	apt: {
		update: 'update',
		install: 'install',
		upgrade: 'install',
		'dist-upgrade': 'install',
		'full-upgrade': 'install',
		remove: 'remove',
		purge: 'remove',
		autoremove: 'remove',
		clean: 'clean',
		autoclean: 'clean',
	},
	apk: {update: 'update', add: 'install', upgrade: 'install', del: 'remove', cache: 'clean'},
	yum: {
		makecache: 'update',
		install: 'install',
		update: 'install',
		upgrade: 'install',
		reinstall: 'install',
		groupinstall: 'install',
		remove: 'remove',
		erase: 'remove',
		autoremove: 'remove',
		clean: 'clean',
	},
	pip: {install: 'install', download: 'install', uninstall: 'remove', cache: 'clean'},
	npm: {install: 'install', i: 'install', ci: 'install', add: 'install', uninstall: 'remove', remove: 'remove', prune: 'remove', cache: 'clean', run: 'build'},
	yarn: {install: 'install', add: 'install', remove: 'remove', cache: 'clean', build: 'build', run: 'build'},
	pnpm: {install: 'install', i: 'install', add: 'install', remove: 'remove', store: 'clean', run: 'build', build: 'build'},
	gem: {install: 'install', uninstall: 'remove', cleanup: 'clean'},
	go: {get: 'install', install: 'install', build: 'build', mod: 'install', clean: 'clean'},
	cargo: {install: 'install', build: 'build', fetch: 'install', clean: 'clean'},
	composer: {install: 'install', require: 'install', update: 'install', remove: 'remove', 'clear-cache': 'clean', clearcache: 'clean'},
};
const VALUED_OPTIONS: Partial<Record<Manager, string[]>> = {
	apt: ['-o', '--option', '-t', '--target-release', '-c', '--config-file'],
	pip: ['-r', '--requirement', '-c', '--constraint', '-t', '--target', '-i', '--index-url', '--extra-index-url', '-e', '--editable'],
	yum: ['--setopt', '--enablerepo', '--disablerepo', '--installroot'],
};
const TOOLS: Record<string, Manager> = {
	'apt-get': 'apt',
	apt: 'apt',
	aptitude: 'apt',
	apk: 'apk',
	yum: 'yum',
	dnf: 'yum',
	microdnf: 'yum',
	tdnf: 'yum',
	pip: 'pip',
	pip3: 'pip',
	npm: 'npm',
	yarn: 'yarn',
	pnpm: 'pnpm',
	gem: 'gem',
	bundle: 'gem',
	go: 'go',
	cargo: 'cargo',
	composer: 'composer',
};

function packageAction(argv: string[]): StepAction | null {
	let tool = path.posix.basename(argv[0] ?? '');
	let args = argv.slice(1);
	if (/^python[\d.]*$/.test(tool) && args[0] === '-m' && /^pip\d?$/.test(args[1] ?? '')) {
		tool = 'pip';
		args = args.slice(2);
	}
	if (tool === 'dpkg') {
		const op =
			args.includes('-i') || args.includes('--install')
				? 'install'
				: args.some(a => a === '-r' || a === '-P' || a === '--purge' || a === '--remove')
					? 'remove'
					: null;
		return op ? {kind: 'package', manager: 'dpkg', op, packages: args.filter(a => !a.startsWith('-')), options: args.filter(a => a.startsWith('-'))} : null;
	}
	if (tool === 'bundle' && args[0] === 'install') return {kind: 'package', manager: 'gem', op: 'install', packages: [], options: args.slice(1)};
	const manager = TOOLS[tool];
	if (!manager) return null;
	// Options that take the next word as their value (`apt-get -o Dpkg::Options::=… install`, `pip install -r req.txt`).
	const valued = VALUED_OPTIONS[manager] ?? [];
	const options: string[] = [];
	const rest: string[] = [];
	for (let i = 0; i < args.length; i++) {
		if (!args[i].startsWith('-')) rest.push(args[i]);
		else {
			options.push(args[i]);
			if (valued.includes(args[i])) i++;
		}
	}
	const table = OPS[manager];
	// `yarn` alone installs.
	const op = rest.length === 0 && manager === 'yarn' ? 'install' : table[rest[0] ?? ''];
	if (!op) return null;
	return {kind: 'package', manager, op, packages: rest.slice(1), options};
}

const URL = /^(https?|ftp):\/\//;

function downloadAction(argv: string[]): StepAction | null {
	const tool = path.posix.basename(argv[0] ?? '');
	if (tool !== 'curl' && tool !== 'wget') return null;
	const url = argv.find(a => URL.test(a));
	if (!url) return null;
	let output: string | null = null;
	for (let i = 1; i < argv.length; i++) {
		const a = argv[i];
		if ((tool === 'curl' && (a === '-o' || a === '--output')) || (tool === 'wget' && (a === '-O' || a === '--output-document'))) output = argv[i + 1] ?? null;
		else if (tool === 'curl' && /^-[a-zA-Z]*o$/.test(a) && a !== '-o') output = argv[i + 1] ?? null;
		else if (/^--output(-document)?=/.test(a)) output = a.slice(a.indexOf('=') + 1);
		else if (a === '>') output = argv[i + 1] ?? null;
	}
	const remoteName =
		(tool === 'wget' && output === null && !argv.includes('-O-') && !argv.includes('-qO-')) ||
		(tool === 'curl' && argv.some(a => a === '-O' || a === '--remote-name' || /^-[a-zA-Z]*O[a-zA-Z]*$/.test(a)));
	if (output === '-') output = null;
	if (output === null && remoteName) output = path.posix.basename(url.replace(/[?#].*$/, ''));
	return {kind: 'download', url, output};
}

function unpackAction(argv: string[]): StepAction | null {
	const tool = path.posix.basename(argv[0] ?? '');
	if (tool === 'tar') {
		const flags = argv.slice(1).filter(a => a.startsWith('-') || /^[a-zA-Z]+$/.test(a));
		if (!flags.some(f => /^-?[a-zA-Z]*x/.test(f) || f === '--extract')) return null;
		const index = argv.findIndex((a, i) => i > 0 && (/^-?[a-zA-Z]*f$/.test(a) || a === '--file'));
		const archive = index > 0 ? argv[index + 1] : argv.find(a => a.startsWith('--file='))?.slice(7);
		return archive && archive !== '-' ? {kind: 'unpack', archive} : null;
	}
	if (tool === 'unzip' || tool === 'gunzip' || tool === 'bunzip2' || tool === 'unxz' || tool === '7z') {
		const archive = argv.slice(1).find(a => !a.startsWith('-') && a !== 'x');
		return archive ? {kind: 'unpack', archive} : null;
	}
	return null;
}

function rewriteAction(argv: string[]): StepAction | null {
	const tool = path.posix.basename(argv[0] ?? '');
	if (tool === 'rm') return {kind: 'delete', paths: argv.slice(1).filter(a => !a.startsWith('-'))};
	if (tool === 'chmod' || tool === 'chown' || tool === 'chgrp') {
		const args = argv.slice(1);
		const recursive = args.some(a => /^-[a-zA-Z]*R/.test(a) || a === '--recursive');
		const rest = args.filter(a => !/^-[a-zA-Z]+$/.test(a) && !a.startsWith('--'));
		return {kind: 'rewrite', tool, recursive, value: rest[0] ?? null, paths: rest.slice(1)};
	}
	if (tool === 'touch') return {kind: 'rewrite', tool, recursive: false, value: null, paths: argv.slice(1).filter(a => !a.startsWith('-'))};
	if (tool === 'sed' && argv.some(a => /^-[a-zA-Z]*i/.test(a) || a.startsWith('--in-place'))) {
		// sed -i [-e] SCRIPT FILES: the files are the words after the script.
		const args = argv.slice(1);
		const files: string[] = [];
		let script = false;
		for (let i = 0; i < args.length; i++) {
			const a = args[i];
			if (a === '-e' || a === '--expression') {
				i++;
				script = true;
			} else if (a.startsWith('-')) continue;
			else if (!script) script = true;
			else files.push(a);
		}
		return {kind: 'rewrite', tool: 'sed', recursive: false, value: null, paths: files};
	}
	return null;
}

export function stepAction(step: ShellStep): StepAction {
	const argv = step.argv;
	return packageAction(argv) ?? downloadAction(argv) ?? unpackAction(argv) ?? rewriteAction(argv) ?? {kind: 'other'};
}

/** Package lists and the caches each manager leaves (apt, apk, yum/dnf, pip, npm, yarn, pnpm, gem, go, cargo, composer), by path prefix. */
const CACHES: {prefix: RegExp; content: Content}[] = [
	{prefix: /^\/var\/lib\/apt\/lists\//, content: 'package-lists'},
	{prefix: /^\/var\/cache\/apt\//, content: 'package-cache'},
	{prefix: /^\/var\/cache\/apk\//, content: 'package-cache'},
	{prefix: /^\/var\/cache\/(yum|dnf)\//, content: 'package-cache'},
	{prefix: /^\/(root|home\/[^/]+)\/\.cache\/pip\//, content: 'cache'},
	{prefix: /^\/(root|home\/[^/]+)\/\.npm\//, content: 'cache'},
	{prefix: /^(\/usr\/local\/share\/\.cache\/yarn\/|\/(root|home\/[^/]+)\/\.cache\/yarn\/)/, content: 'cache'},
	{prefix: /^\/(root|home\/[^/]+)\/(\.local\/share\/pnpm\/store|\.cache\/pnpm)\//, content: 'cache'},
	{prefix: /^(\/(root|home\/[^/]+)\/\.gem\/|\/usr\/local\/bundle\/cache\/|\/var\/lib\/gems\/[^/]+\/cache\/)/, content: 'cache'},
	{prefix: /^(\/(root|home\/[^/]+)\/(go\/pkg\/mod|\.cache\/go-build)\/|\/go\/pkg\/mod\/)/, content: 'cache'},
	{prefix: /^\/(usr\/local\/cargo|root\/\.cargo)\/(registry|git)\//, content: 'cache'},
	{prefix: /^\/(root|home\/[^/]+)\/(\.composer\/cache|\.cache\/composer)\//, content: 'cache'},
];

/** What a wasted path holds, from the path and what the steps that stored it did. */
export function contentOf(file: string, stored: StepAction[]): Content {
	const cache = CACHES.find(c => c.prefix.test(file));
	if (cache) return cache.content;
	if (stored.some(a => a.kind === 'download' && a.output !== null && sameFile(a.output, file))) return 'download';
	if (/\.(tar(\.(gz|bz2|xz|zst))?|tgz|zip|whl|deb|rpm|apk|gem|jar)$/.test(file)) return 'archive';
	if (/^\/(root|home\/[^/]+)\/\.cache\//.test(file)) return 'cache';
	return 'files';
}

/**
 * Package bookkeeping: small files every package operation rewrites (debconf's database, dpkg's status and logs,
 * the dynamic linker cache, rpm and apk databases). A copy of one left in a lower layer is the price of installing
 * in more than one step, not something to fix.
 */
const BOOKKEEPING = [
	/^\/var\/cache\/debconf\//,
	/^\/var\/lib\/dpkg\/(status|status-old|available|diversions|statoverride|lock|lock-frontend|triggers\/)/,
	/^\/var\/lib\/dpkg\/info\/[^/]+\.(list|md5sums|triggers|shlibs|symbols)$/,
	/^\/var\/lib\/dpkg\/alternatives\//,
	/^\/var\/log\/(dpkg\.log|alternatives\.log|apt\/|yum\.log|dnf\.)/,
	/^\/var\/lib\/apt\/extended_states$/,
	/^\/etc\/ld\.so\.cache$/,
	/^\/var\/cache\/ldconfig\//,
	/^\/var\/lib\/rpm\//,
	/^\/usr\/lib\/sysimage\/rpm\//,
	/^\/lib\/apk\/db\//,
	/^\/etc\/apk\/world$/,
	/^\/etc\/(passwd|group|shadow|gshadow|subuid|subgid)-?$/,
	/^\/var\/lib\/systemd\/deb-systemd-helper-enabled\//,
	/^\/usr\/share\/info\/dir$/,
	/^\/etc\/alternatives\//,
];

export function isBookkeeping(file: string): boolean {
	return BOOKKEEPING.some(pattern => pattern.test(file));
}

/** A path written in a command (maybe relative to the working directory) against an absolute path. */
export function absolute(target: string, workdir: string): string {
	// The home directory of the root user builds run as, unless a USER step says otherwise.
	target = target.replace(/^(~|\$HOME|\$\{HOME\})(?=\/|$)/, '/root');
	const joined = target.startsWith('/') ? target : path.posix.join(workdir || '/', target);
	return path.posix.normalize(joined).replace(/(.)\/$/, '$1');
}

function sameFile(target: string, file: string, workdir = '/'): boolean {
	return absolute(target, workdir) === file;
}

function globRegex(glob: string): RegExp {
	const body = glob
		.replace(/[.+^${}()|\\]/g, '\\$&')
		.replace(/\*/g, '[^/]*')
		.replace(/\?/g, '[^/]')
		.replace(/\[!/g, '[^');
	return new RegExp(`^${body}$`);
}

// Matchers are made once per target: the findings test every wasted file against the same few targets.
const matchers = new Map<string, (file: string) => boolean>();

function matcher(target: string, workdir: string, recursive: boolean): (file: string) => boolean {
	const key = `${target}\0${workdir}\0${recursive}`;
	let match = matchers.get(key);
	if (match) return match;
	const full = absolute(target.replace(/^['"]|['"]$/g, ''), workdir);
	if (/[*?[]/.test(full)) {
		const pattern = globRegex(full);
		match = file => {
			if (pattern.test(file)) return true;
			if (recursive) for (let dir = path.posix.dirname(file); dir !== '/' && dir !== '.'; dir = path.posix.dirname(dir)) if (pattern.test(dir)) return true;
			return false;
		};
	} else if (full === '/') match = file => recursive || file === '/';
	else match = file => file === full || (recursive && file.startsWith(full + '/'));
	if (matchers.size > 10_000) matchers.clear();
	matchers.set(key, match);
	return match;
}

/** Whether a command's target (a path or glob, relative to `workdir`) names `file` or a directory above it. */
export function targets(target: string, file: string, workdir: string, recursive = true): boolean {
	return matcher(target, workdir, recursive)(file);
}

/** Packages that make a build toolchain, installed to compile and worth leaving behind in a build stage. */
export function isToolchain(pkg: string): boolean {
	return /^(build-essential|build-base|gcc|g\+\+|clang|make|cmake|autoconf|automake|libtool|pkg-config|pkgconf|musl-dev|linux-headers|python3?-dev|golang|rustc|cargo|\.build-deps|\.[\w-]*deps)$|-dev(el)?$/.test(
		pkg,
	);
}
