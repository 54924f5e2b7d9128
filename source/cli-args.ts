// The command line's flags, parsed the way meow parses them (same flag specs, same results, --help and --version) at a
// fraction of its start-up cost: importing meow ran ~35 ms of module-level work (its bundled SPDX licence tables) and
// took ~10 MB on every run, a report on a small image included.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';

export interface FlagSpec {
	type: 'boolean' | 'string' | 'number';
	default?: boolean | string | number | readonly (boolean | string | number)[];
	shortFlag?: string;
	aliases?: readonly string[];
	isMultiple?: boolean;
}

type Value<F extends FlagSpec> = F['type'] extends 'boolean' ? boolean : F['type'] extends 'number' ? number : string;
type FlagValue<F extends FlagSpec> = F extends {isMultiple: true}
	? Value<F>[]
	: F extends {type: 'boolean'}
		? boolean
		: F extends {default: unknown}
			? Value<F>
			: Value<F> | undefined;

export interface CommandLineOptions<Flags extends Record<string, FlagSpec>> {
	/** Where package.json is looked for, upwards (its version and description). */
	importMeta: ImportMeta;
	argv?: readonly string[];
	flags: Flags;
	allowUnknownFlags?: boolean;
}

export interface CommandLine<Flags extends Record<string, FlagSpec>> {
	input: string[];
	flags: {[K in keyof Flags]: FlagValue<Flags[K]>};
	/** Print the help and exit with `code` (default 2, an incorrect usage). */
	showHelp(code?: number): never;
	showVersion(): never;
}

/** `ciConfig` is `--ci-config`. */
const kebab = (key: string): string => key.replace(/[A-Z]/g, letter => '-' + letter.toLowerCase());

function readPackage(importMeta: ImportMeta): {version?: string; description?: string} {
	let dir = path.dirname(fileURLToPath(importMeta.url));
	for (;;) {
		try {
			const found = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {name?: string; version?: string; description?: string};
			// dist/package.json only says its .js files are CommonJS (scripts/bundle.ts); the package's is above.
			if (found.name !== undefined) return found;
		} catch {
			// none here: look in the parent
		}
		const parent = path.dirname(dir);
		if (parent === dir) return {};
		dir = parent;
	}
}

/** meow's layout of the help: the package description, then the text with its common indentation made two spaces. */
function helpText(text: string, description: string | undefined): string {
	const reindent = (block: string): string => {
		const indents = block.match(/^[ \t]*(?=\S)/gm) ?? [];
		const strip = Math.min(...indents.map(indent => indent.length));
		return block
			.split('\n')
			.map(line => (line.trim() === '' ? line.slice(Math.min(strip, line.length)) : '  ' + line.slice(strip)))
			.join('\n');
	};
	const body = text.replace(/\t+\n*$/, '').replace(/^\n+|\n+$/g, '');
	const head = description ? reindent(`\n${description}\n`) : '';
	return `${head}\n${body.includes('\n') ? reindent(body) : body}\n`;
}

/**
 * Parse `argv` against `flags` (`help`: the text, or what makes it when it is shown). An unknown flag, a repeated one
 * or a missing value throws (the CLI's usage error).
 */
export function parseCommandLine<const Flags extends Record<string, FlagSpec>>(
	help: string | (() => string),
	options: CommandLineOptions<Flags>,
): CommandLine<Flags> {
	const argv = options.argv ?? process.argv.slice(2);
	const specs = new Map<string, [key: string, spec: FlagSpec]>();
	for (const [key, spec] of Object.entries(options.flags)) {
		for (const name of [kebab(key), key, ...(spec.aliases ?? [])]) specs.set('--' + name, [key, spec]);
		if (spec.shortFlag) specs.set('-' + spec.shortFlag, [key, spec]);
	}
	const pkg = readPackage(options.importMeta);
	const showHelp = (code = 2): never => {
		process.stdout.write(helpText(typeof help === 'string' ? help : help(), pkg.description) + '\n');
		process.exit(code);
	};
	const showVersion = (): never => {
		process.stdout.write(`${pkg.version ?? 'No version found'}\n`);
		process.exit(0);
	};
	// meow knows --help and --version without a spec, as booleans nobody reads.
	if (!specs.has('--help')) specs.set('--help', ['help', {type: 'boolean'}]);
	if (!specs.has('--version')) specs.set('--version', ['version', {type: 'boolean'}]);
	const input: string[] = [];
	const values = new Map<string, unknown[]>();
	const unknown: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const argument = argv[i];
		if (argument === '--') {
			input.push(...argv.slice(i + 1));
			break;
		}
		if (argument.length < 2 || !argument.startsWith('-') || /^-\d/.test(argument)) {
			input.push(argument);
			continue;
		}
		const equals = argument.indexOf('=');
		let name = equals === -1 ? argument : argument.slice(0, equals);
		let inline: string | undefined = equals === -1 ? undefined : argument.slice(equals + 1);
		let negated = false;
		if (!specs.has(name) && name.startsWith('--no-') && specs.get('--' + name.slice(5))?.[1].type === 'boolean') {
			name = '--' + name.slice(5);
			negated = true;
		}
		const found = specs.get(name);
		if (!found) {
			unknown.push(argument);
			continue;
		}
		const [key, spec] = found;
		let value: unknown;
		if (spec.type === 'boolean') value = negated ? false : inline === undefined ? true : inline !== 'false';
		else {
			// As yargs: the next argument is the value unless it is a flag (`-`, stdin, and negative numbers are values).
			const following = argv[i + 1];
			if (inline === undefined && following !== undefined && (following === '-' || !following.startsWith('-') || /^-\.?\d/.test(following))) inline = argv[++i];
			if (inline === undefined) throw new Error(`${name} needs a value; see --help`);
			value = spec.type === 'number' ? Number(inline) : inline;
		}
		const list = values.get(key) ?? [];
		list.push(value);
		values.set(key, list);
	}
	// As meow: help and version act only as the one argument.
	if (argv.length === 1 && values.get('help')?.[0] === true) showHelp(0);
	if (argv.length === 1 && values.get('version')?.[0] === true) showVersion();
	if (unknown.length > 0 && !options.allowUnknownFlags) throw new Error(`unknown flag${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; see --help`);

	const flags: Record<string, unknown> = {};
	for (const [key, spec] of Object.entries(options.flags)) {
		const given = values.get(key);
		if (spec.isMultiple) flags[key] = given ?? spec.default ?? [];
		// A switch said twice is said (`--help --help`); a value given twice is ambiguous.
		else if (given && given.length > 1 && spec.type !== 'boolean') throw new Error(`--${kebab(key)} can be given only once`);
		else flags[key] = given?.[given.length - 1] ?? spec.default ?? (spec.type === 'boolean' ? false : undefined);
	}
	return {input, flags: flags as CommandLine<Flags>['flags'], showHelp, showVersion};
}
