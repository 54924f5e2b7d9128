// `--dockerfile PATH`: parse the Dockerfile, take its last stage (the one the image is), and map its instructions
// to the image's history steps by order and command text, from the end backwards (the history ends with the last
// stage's steps; what comes before them is the base). When they do not line up, the result says where, once, and
// maps nothing: a wrong line number is worse than none.
import {readFile} from '../util/files.js';
import type {HistoryItem} from '../model/types.js';
import {describeError, InputError} from '../util/errors.js';
import {visible} from '../util/sanitize.js';
import {INSTRUCTIONS, oneLine, parseCommand, type Instruction} from './command.js';

/** Larger than any Dockerfile; the cap keeps a wrong path (an image, a device) from being read whole. */
const MAX_DOCKERFILE_BYTES = 1 << 20;

/** `--dockerfile PATH`: its text, or bad input naming the option and the path. */
export async function readDockerfile(file: string): Promise<{path: string; text: string}> {
	const where = `--dockerfile ${visible(file)}`;
	let data: Buffer;
	try {
		data = await readFile(file);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new InputError(
			`${where}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : describeError(error)}`,
			code === 'ENOENT' ? 'missing' : 'invalid',
		);
	}
	if (data.length > MAX_DOCKERFILE_BYTES) throw new InputError(`${where}: larger than ${MAX_DOCKERFILE_BYTES} bytes, not a Dockerfile`, 'limit');
	if (data.includes(0)) throw new InputError(`${where}: not a text file`);
	return {path: file, text: data.toString('utf8')};
}

export interface DockerfileInstruction {
	/** 1-based line of the instruction's keyword. */
	line: number;
	instruction: Instruction;
	/** The arguments, continuation lines joined; heredoc bodies kept with their newlines. */
	args: string;
}

export interface DockerfileStage {
	/** The image named by FROM (a build argument stays as written). */
	from: string;
	name: string | null;
	line: number;
	instructions: DockerfileInstruction[];
}

export interface DockerfileMatch {
	/** History index -> Dockerfile line, for every step of the last stage. */
	lines: Map<number, number>;
	/** History index of the last stage's first step; null when the Dockerfile does not match. */
	start: number | null;
	stage: DockerfileStage | null;
	/** Where it stopped matching: the Dockerfile's line and text, and the image step's text (null: no step left). */
	mismatch: {line: number; text: string; image: string | null} | null;
}

export function parseDockerfile(text: string): DockerfileStage[] {
	const lines = text.split(/\r?\n/);
	let escape = '\\';
	const directive = /^#\s*escape\s*=\s*([\\`])\s*$/i;
	for (const line of lines) {
		const match = directive.exec(line);
		if (match) escape = match[1];
		if (!/^#\s*\w+\s*=/.test(line)) break;
	}
	const stages: DockerfileStage[] = [];
	const keyword = new RegExp(`^\\s*(${INSTRUCTIONS.join('|')})(?:\\s+|$)(.*)$`, 'i');
	for (let i = 0; i < lines.length; i++) {
		const match = keyword.exec(lines[i]);
		if (!match || /^\s*#/.test(lines[i])) continue;
		const line = i + 1;
		const instruction = match[1].toUpperCase() as Instruction;
		let args = match[2];
		// Continuation lines; comment lines inside a continuation are dropped, as the builder does.
		while (args.trimEnd().endsWith(escape) && i + 1 < lines.length) {
			args = args.trimEnd().slice(0, -1);
			i++;
			if (/^\s*#/.test(lines[i])) {
				args += escape;
				continue;
			}
			args += ' ' + lines[i];
		}
		// Heredocs (`RUN <<EOF`, `COPY <<EOF /x`): the body runs to the line holding only the word.
		for (const doc of args.matchAll(/<<-?\s*(['"]?)([A-Za-z_][\w-]*)\1/g)) {
			const word = doc[2];
			const body: string[] = [];
			while (i + 1 < lines.length && lines[i + 1].trim() !== word) body.push(lines[++i]);
			i++;
			args += '\n' + body.join('\n') + '\n' + word;
		}
		if (instruction === 'FROM') {
			const words = args
				.trim()
				.split(/\s+/)
				.filter(w => !w.startsWith('--'));
			stages.push({from: words[0] ?? '', name: words[1]?.toUpperCase() === 'AS' ? (words[2] ?? null) : null, line, instructions: []});
		} else if (stages.length > 0) stages.at(-1)!.instructions.push({line, instruction, args: args.trim()});
	}
	return stages;
}

const squeeze = (text: string): string => text.replace(/\s+/g, '');

/** The script a Dockerfile RUN runs, without flags, in the form history records it (exec form joined). */
function runScript(args: string): string {
	const rest = args.replace(/^(--[a-z-]+=\S+\s+)+/, '');
	return parseCommand(`RUN ${rest}`).script ?? rest;
}

function matches(instruction: DockerfileInstruction, item: HistoryItem): boolean {
	const step = parseCommand(item.createdBy);
	if (step.instruction !== instruction.instruction) return false;
	if (instruction.instruction !== 'RUN') return true;
	return squeeze(runScript(instruction.args)) === squeeze(step.script ?? '');
}

export function matchDockerfile(history: HistoryItem[], text: string): DockerfileMatch {
	const stage = parseDockerfile(text).at(-1) ?? null;
	const lines = new Map<number, number>();
	if (!stage) return {lines, start: null, stage, mismatch: {line: 0, text: '', image: null}};
	let j = history.length - 1;
	for (let i = stage.instructions.length - 1; i >= 0; i--) {
		const instruction = stage.instructions[i];
		const here = `${instruction.instruction} ${oneLine(instruction.args)}`;
		if (j >= 0 && matches(instruction, history[j])) {
			lines.set(j--, instruction.line);
			continue;
		}
		// Builders differ on whether an ARG leaves a history entry.
		if (instruction.instruction === 'ARG') continue;
		return {
			lines: new Map(),
			start: null,
			stage,
			mismatch: {line: instruction.line, text: here, image: j >= 0 ? parseCommand(history[j].createdBy).text : null},
		};
	}
	return {lines, start: j + 1, stage, mismatch: null};
}
