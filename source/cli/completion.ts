// `layerscope completion bash|zsh|fish`: a completion script made from the help's table (help.ts), so every flag the
// help lists completes, with the values it takes where they are a fixed list or files.
import process from 'node:process';
import {CommandFailure} from '../util/error-line.js';
import {COMMANDS, OPTIONS, SHELLS, type OptionHelp, type Shell} from './help.js';

const takesValue = (option: OptionHelp): boolean => option.arg !== undefined && !option.arg.startsWith('=');
const words = (list: readonly string[]): string => list.join(' ');

function bash(): string {
	const flags = OPTIONS.flatMap(option => (option.short ? [option.short, option.flag] : [option.flag]));
	const valueCases = OPTIONS.filter(takesValue).map(option => {
		const reply =
			option.complete === 'file'
				? 'COMPREPLY=($(compgen -f -- "$cur"))'
				: option.complete
					? `COMPREPLY=($(compgen -W '${words(option.complete)}' -- "$cur"))`
					: 'COMPREPLY=()';
		return `\t\t${option.flag}) ${reply}; return ;;`;
	});
	const subcommandCases = COMMANDS.filter(command => command.complete).map(
		command => `\t\t${command.name}) COMPREPLY=($(compgen -W '${words(command.complete!)}' -- "$cur")); return ;;`,
	);
	return `# layerscope completion for bash: eval "$(layerscope completion bash)" in ~/.bashrc,
# or save it as ~/.local/share/bash-completion/completions/layerscope
_layerscope() {
	local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
${valueCases.join('\n')}
	esac
	if [[ $COMP_CWORD -eq 2 ]]; then
		case \${COMP_WORDS[1]} in
${subcommandCases.join('\n')}
		esac
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '${words(flags)}' -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -- "$cur"))
	if [[ $COMP_CWORD -eq 1 ]]; then
		COMPREPLY+=($(compgen -W '${words(COMMANDS.map(command => command.name))}' -- "$cur"))
	fi
}
complete -o filenames -F _layerscope layerscope
`;
}

/** Text inside a single-quoted zsh _arguments spec: quotes closed and reopened, brackets escaped, and colons too in a
 * value's message (they separate the spec's fields). */
function zshText(text: string, message = false): string {
	const quoted = text.replaceAll("'", "'\\''").replaceAll('[', '\\[').replaceAll(']', '\\]');
	return message ? quoted.replaceAll(':', '\\:') : quoted;
}

function zsh(): string {
	const specs = OPTIONS.map(option => {
		const action = option.complete === 'file' ? '_files' : option.complete ? `(${words(option.complete)})` : ' ';
		const value = takesValue(option) ? `:${zshText(option.arg!.replace(/[<>]/g, ''), true)}:${action}` : '';
		const names = option.short ? `'(${option.short} ${option.flag})'{${option.short},${option.flag}}` : `'${option.flag}`;
		const open = option.short ? "'" : '';
		return `\t\t${names}${open}[${zshText(option.text)}]${value}'`;
	});
	const subcommands = COMMANDS.filter(command => command.complete).map(
		command => `\tif (( CURRENT == 3 )) && [[ $words[2] == ${command.name} ]]; then _values ${command.name} ${words(command.complete!)}; return; fi`,
	);
	const commandList = COMMANDS.map(command => `'${command.name}:${command.text.replaceAll("'", "'\\''")}'`).join(' ');
	return `#compdef layerscope
# layerscope completion for zsh: save as _layerscope in a directory of $fpath, or eval "$(layerscope completion zsh)"
_layerscope_first() {
	local -a commands=(${commandList})
	_describe -t commands command commands
	_files
}
_layerscope() {
${subcommands.join('\n')}
	_arguments -s \\
${specs.join(' \\\n')} \\
		'1: :_layerscope_first' \\
		'*:image:_files'
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
	_layerscope "$@"
else
	compdef _layerscope layerscope
fi
`;
}

/** Text inside a single-quoted fish string. */
function fishText(text: string): string {
	return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

function fish(): string {
	const lines = ['# layerscope completion for fish: save as ~/.config/fish/completions/layerscope.fish, or layerscope completion fish | source'];
	const names = COMMANDS.map(command => command.name).join(' ');
	for (const command of COMMANDS) {
		lines.push(`complete -c layerscope -n 'not __fish_seen_subcommand_from ${names}' -a ${command.name} -d ${fishText(command.text)}`);
		if (command.complete) lines.push(`complete -c layerscope -n '__fish_seen_subcommand_from ${command.name}' -f -a ${fishText(words(command.complete))}`);
	}
	for (const option of OPTIONS) {
		const short = option.short ? ` -s ${option.short.slice(1)}` : '';
		const value = option.complete === 'file' ? ' -r -F' : option.complete ? ` -x -a ${fishText(words(option.complete))}` : takesValue(option) ? ' -x' : '';
		lines.push(`complete -c layerscope${short} -l ${option.flag.slice(2)}${value} -d ${fishText(option.text)}`);
	}
	return lines.join('\n') + '\n';
}

const SCRIPTS: Record<Shell, () => string> = {bash, zsh, fish};

export function completionScript(shell: Shell): string {
	return SCRIPTS[shell]();
}

/** `layerscope completion SHELL`: the script on stdout, exit 0. */
export function runCompletion(args: readonly string[]): number {
	const [shell, ...rest] = args;
	const known = (name: string | undefined): name is Shell => SHELLS.includes(name as Shell);
	if (!known(shell) || rest.length > 0) {
		const problem = shell === undefined ? 'name a shell' : rest.length > 0 ? 'one shell at a time' : `no completion for shell '${shell}'`;
		throw new CommandFailure('completion', new Error(`${problem} (${SHELLS.join(', ')})`));
	}
	process.stdout.write(completionScript(shell));
	return 0;
}
