// Read a history `created_by` as the Dockerfile instruction it came from: the classic builder's `/bin/sh -c` and
// `#(nop)` forms, BuildKit's `RUN /bin/sh -c … # buildkit` with its `|N KEY=V` build-argument prefix and `--mount`
// flags, heredocs; and split a RUN's script into its shell steps (`&&`, `||`, `;`, `|`, newlines).

export const INSTRUCTIONS = [
	'RUN',
	'COPY',
	'ADD',
	'ENV',
	'ARG',
	'WORKDIR',
	'CMD',
	'ENTRYPOINT',
	'LABEL',
	'EXPOSE',
	'USER',
	'VOLUME',
	'SHELL',
	'STOPSIGNAL',
	'HEALTHCHECK',
	'ONBUILD',
	'MAINTAINER',
	'FROM',
] as const;
export type Instruction = (typeof INSTRUCTIONS)[number] | 'UNKNOWN';

export interface ShellStep {
	/** The step as written, trimmed (`apt-get install -y jq`). */
	text: string;
	/** Words with quotes removed; leading `VAR=value` assignments, `sudo`, `env`, `exec` dropped. */
	argv: string[];
}

export interface CopyArgs {
	/** `--chown=1:1` -> {chown: '1:1'}. */
	flags: Record<string, string>;
	/** As recorded: names from BuildKit, `file:<hash>` / `dir:<hash>` / `multi:<hash>` from the classic builder. */
	sources: string[];
	dest: string;
}

export interface ParsedCommand {
	instruction: Instruction;
	/** One line for messages: `RUN apt-get update`, `COPY blob.bin /opt/`. */
	text: string;
	/** RUN: the shell script (heredoc script bodies included); null otherwise. */
	script: string | null;
	/** RUN: the script's steps, in order; heredocs that feed a command's stdin are data, not steps. */
	steps: ShellStep[];
	/** RUN flags (`--mount=type=cache,target=/root/.cache`), kept for a merged RUN. */
	runFlags: string[];
	/** Build arguments from the `|N KEY=V` prefix. */
	buildArgs: Record<string, string>;
	copy: CopyArgs | null;
	/** The instruction's arguments, as recorded (after the keyword). */
	args: string;
}

const KEYWORD = new RegExp(`^(${INSTRUCTIONS.join('|')})(?=\\s|$)\\s*`, 'i');
// `/bin/sh -c`, and what a SHELL instruction may make of it: `/bin/bash -o pipefail -c`, `sh -ec`.
const SHELL_PREFIX = /^(?:\/(?:usr\/)?bin\/)?(?:ba|da|a|z)?sh(?:\s+-o\s+\S+|\s+-[a-zA-Z]+)*?\s+-[a-zA-Z]*c\s+/;
const SHELL_ANYWHERE = /\s(?:\/(?:usr\/)?bin\/)?(?:ba|da|a|z)?sh(?:\s+-o\s+\S+|\s+-[a-zA-Z]+)*?\s+-[a-zA-Z]*c\s/;

/**
 * `|2 A=1 B=2 rest` -> [{A:'1',B:'2'}, 'rest']. The builders write the values unquoted, so a value may hold spaces:
 * the arguments run to the shell that follows them, and each starts at a `NAME=`.
 */
function takeBuildArgs(text: string): [Record<string, string>, string] {
	const match = /^\|(\d+)\s+/.exec(text);
	if (!match) return [{}, text];
	let rest = text.slice(match[0].length);
	const shell = SHELL_ANYWHERE.exec(' ' + rest);
	const end = shell ? shell.index : rest.length;
	const args: Record<string, string> = {};
	for (const pair of rest
		.slice(0, end)
		.trim()
		.split(/\s+(?=[A-Za-z_][A-Za-z0-9_]*=)/)) {
		const eq = pair.indexOf('=');
		if (eq > 0) args[pair.slice(0, eq)] = pair.slice(eq + 1);
	}
	rest = rest.slice(end).trimStart();
	return [args, rest];
}

export function parseCommand(createdBy: string | null | undefined): ParsedCommand {
	let text = (createdBy ?? '').trim().replace(/\s*# buildkit$/, '');
	let buildArgs: Record<string, string> = {};
	let keyword: Instruction | null;
	const explicit = KEYWORD.exec(text);
	if (explicit) {
		// BuildKit (and podman) record the instruction keyword.
		keyword = explicit[1].toUpperCase() as Instruction;
		text = text.slice(explicit[0].length);
	} else {
		[buildArgs, text] = takeBuildArgs(text);
		const nop = /^(?:(?:\/bin\/)?sh\s+-c\s+)?#\(nop\)\s*/.exec(text);
		if (nop) {
			text = text.slice(nop[0].length);
			const inner = KEYWORD.exec(text);
			if (inner) {
				keyword = inner[1].toUpperCase() as Instruction;
				text = text.slice(inner[0].length);
			} else keyword = 'UNKNOWN';
		} else if (SHELL_PREFIX.test(text)) {
			keyword = 'RUN';
		} else if (text === '' || text.startsWith('#')) {
			keyword = 'UNKNOWN';
		} else keyword = 'RUN';
	}
	const result: ParsedCommand = {instruction: keyword, text: '', script: null, steps: [], runFlags: [], buildArgs, copy: null, args: text.trim()};
	if (keyword === 'RUN') {
		let rest = text;
		for (let flag = /^--[a-z-]+=\S+\s*/.exec(rest); flag; flag = /^--[a-z-]+=\S+\s*/.exec(rest)) {
			result.runFlags.push(flag[0].trim());
			rest = rest.slice(flag[0].length);
		}
		const [args, afterArgs] = takeBuildArgs(rest);
		Object.assign(result.buildArgs, args);
		rest = afterArgs.replace(SHELL_PREFIX, '');
		rest = execForm(rest) ?? rest;
		const {script, data} = heredocs(rest);
		result.script = script.trim();
		result.steps = splitSteps(data);
		result.args = result.script;
	} else if (keyword === 'COPY' || keyword === 'ADD') {
		result.copy = copyArgs(text);
	}
	const shown = keyword === 'RUN' ? scriptLine(result.script ?? '', '; ') : result.args;
	result.text = keyword === 'UNKNOWN' ? oneLine(shown) : oneLine(`${keyword} ${shown}`);
	return result;
}

/** A script's lines (continuations joined, comments dropped) on one line, joined by `separator`. */
export function scriptLine(script: string, separator: string): string {
	return script
		.replace(/\\\n/g, ' ')
		.split('\n')
		.map(line => oneLine(line))
		.filter(line => line !== '' && !line.startsWith('#'))
		.join(separator);
}

/** `["sh","-c","x"]` or `["apt-get","update"]` (exec form) -> the command line, or null. */
function execForm(text: string): string | null {
	if (!text.startsWith('[')) return null;
	try {
		const words = JSON.parse(text) as unknown;
		if (!Array.isArray(words) || !words.every(w => typeof w === 'string')) return null;
		if (words.length >= 3 && /(^|\/)(ba|da|a)?sh$/.test(words[0]) && words[1] === '-c') return words.slice(2).join(' ');
		return words.join(' ');
	} catch {
		return null;
	}
}

/**
 * Heredocs: a script that is itself a heredoc (`<<EOF\napt-get update\nEOF`) runs its body; a heredoc feeding a
 * command (`cat > /etc/x <<EOF`) is data, dropped from the text that is split into steps.
 */
function heredocs(text: string): {script: string; data: string} {
	const whole = /^<<-?\s*(['"]?)([A-Za-z_][\w-]*)\1[^\n]*\n([\s\S]*?)\n[ \t]*\2[ \t]*(?:\n|$)/.exec(text);
	if (whole) {
		const body = whole[3];
		const rest = text.slice(whole[0].length);
		const inner = heredocs(body + (rest ? '\n' + rest : ''));
		return {script: body + (rest ? '\n' + rest : ''), data: inner.data};
	}
	const data = text.replace(/<<-?\s*(['"]?)([A-Za-z_][\w-]*)\1([^\n]*)\n[\s\S]*?\n[ \t]*\2[ \t]*(?=\n|$)/g, (_all, _q, _word, tail: string) => tail);
	return {script: text, data};
}

/** Split a shell script into steps at `&&`, `||`, `;`, `|`, `&` and newlines, outside quotes. */
export function splitSteps(script: string): ShellStep[] {
	const steps: ShellStep[] = [];
	let current = '';
	let quote: string | null = null;
	const flush = (): void => {
		const text = current.trim();
		current = '';
		if (text && !text.startsWith('#')) steps.push({text, argv: words(text)});
	};
	for (let i = 0; i < script.length; i++) {
		const c = script[i];
		if (quote) {
			current += c;
			if (c === '\\' && quote === '"' && i + 1 < script.length) current += script[++i];
			else if (c === quote) quote = null;
			continue;
		}
		if (c === '\\' && script[i + 1] === '\n') {
			current += ' ';
			i++;
		} else if (c === '\\' && i + 1 < script.length) {
			current += c + script[++i];
		} else if (c === "'" || c === '"') {
			quote = c;
			current += c;
		} else if (c === '\n' || c === ';' || c === '|' || c === '&') {
			flush();
			if ((c === '|' || c === '&') && script[i + 1] === c) i++;
		} else if (c === '#' && /\s/.test(script[i - 1] ?? ' ')) {
			// A word starting with # starts a comment, which runs to the end of the line.
			while (i + 1 < script.length && script[i + 1] !== '\n') i++;
		} else current += c;
	}
	flush();
	return steps;
}

/** Shell words with quotes removed; leading assignments and `sudo`/`env`/`exec`/`command` dropped. */
export function words(text: string): string[] {
	const out: string[] = [];
	let word = '';
	let inWord = false;
	let quote: string | null = null;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quote) {
			if (c === quote) quote = null;
			else if (c === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
			else word += c;
		} else if (c === "'" || c === '"') {
			quote = c;
			inWord = true;
		} else if (c === '\\' && i + 1 < text.length) {
			word += text[++i];
			inWord = true;
		} else if (/\s/.test(c)) {
			if (inWord) out.push(word);
			word = '';
			inWord = false;
		} else {
			word += c;
			inWord = true;
		}
	}
	if (inWord) out.push(word);
	while (out.length > 0 && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(out[0]) || ['sudo', 'env', 'exec', 'command', 'time', 'nice'].includes(out[0]))) out.shift();
	return out;
}

/** COPY/ADD arguments: flags, sources, destination; the classic builder's `file:<hash> in /dest`. */
function copyArgs(text: string): CopyArgs {
	const flags: Record<string, string> = {};
	let rest = text.trim();
	for (let flag = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest); flag; flag = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest)) {
		flags[flag[1]] = flag[2] ?? '';
		rest = rest.slice(flag[0].length);
	}
	const classic = /^(\S+)\s+in\s+(.+?)\s*$/.exec(rest);
	if (classic && /^(file|dir|multi):/.test(classic[1])) return {flags, sources: [classic[1]], dest: classic[2]};
	const parts = execForm(rest)?.split(' ') ?? words(rest);
	return {flags, sources: parts.slice(0, -1), dest: parts.at(-1) ?? ''};
}

/** Whitespace (and line continuations) collapsed to single spaces. */
export function oneLine(text: string): string {
	return text.replace(/\\\n/g, ' ').replace(/\s+/g, ' ').trim();
}
