// The man page, in roff, made from the help's table (help.ts): scripts/make-man.ts writes it at build.
import {COMMANDS, EXIT_CODES, IMAGE_FORMS, OPTIONS, optionLabel} from './help.js';

/** Text for a roff line: backslashes and dashes escaped, no line starting with a control character. */
function roff(text: string): string {
	const escaped = text.replaceAll('\\', '\\e').replaceAll('-', '\\-').replaceAll('…', '...');
	return /^[.']/.test(escaped) ? `\\&${escaped}` : escaped;
}

function entry(term: string, text: string): string[] {
	return ['.TP', `.B ${roff(term)}`, roff(text)];
}

export function manPage(version: string, description: string): string {
	return [
		`.TH LAYERSCOPE 1 "" "layerscope ${roff(version)}" "User Commands"`,
		'.SH NAME',
		`layerscope \\- ${roff(description.replace(/^./, first => first.toLowerCase()))}`,
		'.SH SYNOPSIS',
		'.B layerscope',
		'.RI [ options ] " image"',
		'.br',
		'.B layerscope \\-\\-demo',
		'.RI [ options ]',
		'.br',
		...COMMANDS.flatMap(command => [`.B layerscope ${roff(command.name)}`, `.I ${roff(command.args)}`, '.br']),
		'.SH DESCRIPTION',
		'On a terminal, layerscope opens a full\\-screen explorer of the image: its layers with their size and the',
		'command that made them, the file tree of each layer with every path marked added, modified, removed or',
		'unchanged, and the bytes the image ships that no path of the final image shows (wasted bytes), with the fix.',
		'When stdout is not a terminal, or with',
		'.BR \\-\\-plain ,',
		'it prints a plain report instead;',
		'.B \\-\\-json',
		'prints the JSON report and',
		'.B \\-\\-ci',
		'evaluates CI rules.',
		'.SH IMAGE',
		...IMAGE_FORMS.flatMap(([form, text]) => entry(form, text)),
		'.SH COMMANDS',
		...COMMANDS.flatMap(command => entry(`${command.name} ${command.args}`, command.text)),
		'.SH OPTIONS',
		...OPTIONS.flatMap(option => entry(optionLabel(option), option.text)),
		'.SH EXIT STATUS',
		roff(EXIT_CODES),
		'.SH ENVIRONMENT',
		...entry('CI', 'true, with stdout not a terminal: CI mode unless --json, --plain or --list'),
		...entry('COLUMNS', 'the width the plain report fits on a terminal (nothing is cut when stdout is not a terminal)'),
		...entry('NO_COLOR', 'no colour in the explorer'),
		...entry('DOCKER_HOST', 'the Docker engine to read name:tag from'),
		...entry('CONTAINER_HOST', 'the Podman socket to read podman://name:tag from'),
		...entry('LAYERSCOPE_MOUSE', '0: no mouse capture in the explorer'),
		'.SH SEE ALSO',
		'.BR docker-history (1),',
		'.BR dive (1)',
		'',
	].join('\n');
}
