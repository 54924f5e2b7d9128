// `layerscope completion bash|zsh|fish`: scripts the real shells accept and that complete the help's flags, values and
// commands (bash through its completion function, fish through `complete -C`; zsh is parsed and loaded).
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {OPTIONS} from '../source/cli/help.js';
import {tempDir} from './helpers/fixtures.js';
import {runCli} from './helpers/cli.js';

const has = (shell: string): boolean => spawnSync(shell, ['-c', 'exit 0']).status === 0;

async function script(shell: string): Promise<string> {
	const result = await runCli(['completion', shell]);
	assert.equal(result.code, 0, result.stderr);
	assert.equal(result.stderr, '');
	const file = path.join(tempDir(), `layerscope.${shell}`);
	writeFileSync(file, result.stdout);
	return file;
}

function shell(program: string, args: string[], cwd?: string): string {
	const run = spawnSync(program, args, {encoding: 'utf8', timeout: 30_000, cwd, env: {...process.env, HOME: tempDir()}});
	assert.equal(run.status, 0, `${program} ${args.join(' ')}: ${run.stderr}`);
	return run.stdout;
}

test('bash: the script parses, and completes flags, their values, commands and shells', {skip: has('bash') ? false : 'no bash'}, async () => {
	const file = await script('bash');
	shell('bash', ['-n', file]);
	const dir = tempDir();
	writeFileSync(path.join(dir, 'image.tar'), '');
	// The same call bash makes on Tab: COMP_WORDS/COMP_CWORD set, the function fills COMPREPLY.
	const complete = (...words: string[]): string[] =>
		shell(
			'bash',
			['-c', `source "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _layerscope; printf '%s\\n' "\${COMPREPLY[@]}"`, file, 'layerscope', ...words],
			dir,
		)
			.split('\n')
			.filter(Boolean);
	assert.deepEqual(complete('--js'), ['--json']);
	assert.deepEqual(complete('--highest-layer'), ['--highest-layerscope-wasted-bytes', '--highest-layer-wasted-bytes']);
	assert.deepEqual(
		complete('-'),
		OPTIONS.flatMap(option => (option.short ? [option.short, option.flag] : [option.flag])),
	);
	assert.deepEqual(complete('--format', 'j'), ['junit', 'json']);
	assert.deepEqual(complete('--image', ''), []);
	assert.deepEqual(complete('--ci-config', 'im'), ['image.tar']);
	assert.deepEqual(complete('di'), ['diff']);
	assert.deepEqual(complete('im'), ['image.tar', 'images']); // a file and the images command
	assert.deepEqual(complete('completion', ''), ['bash', 'zsh', 'fish']);
	// `complete` registers the function for the command.
	assert.match(shell('bash', ['-c', 'source "$0"; complete -p layerscope', file]), /complete -o filenames -F _layerscope layerscope/);
});

test('fish: the script parses, and `complete -C` gives the flags, values and commands', {skip: has('fish') ? false : 'no fish'}, async () => {
	const file = await script('fish');
	shell('fish', ['--no-execute', file]);
	const complete = (line: string): string[] =>
		shell('fish', ['-c', `source ${JSON.stringify(file)}; complete -C ${JSON.stringify(line)}`])
			.split('\n')
			.filter(Boolean)
			.map(row => row.split('\t')[0]);
	assert.deepEqual(complete('layerscope --js'), ['--json']);
	assert.deepEqual(complete('layerscope --format=').sort(), ['--format=json', '--format=junit', '--format=markdown', '--format=text']);
	assert.deepEqual(complete('layerscope completion ').sort(), ['bash', 'fish', 'zsh']);
	assert.ok(complete('layerscope d').includes('diff'));
});

test('zsh: the script parses and loads as a completion function', {skip: has('zsh') ? false : 'no zsh'}, async () => {
	const file = await script('zsh');
	shell('zsh', ['-n', file]);
	const loaded = shell('zsh', ['-fc', `autoload -Uz compinit && compinit -u -D && source ${JSON.stringify(file)} && print -r -- $_comps[layerscope]`]);
	assert.equal(loaded.trim(), '_layerscope');
});

test('completion: an unknown or missing shell is one error line and exit 2', async () => {
	for (const [args, line] of [
		[['completion', 'tcsh'], "layerscope: completion: no completion for shell 'tcsh' (bash, zsh, fish)\n"],
		[['completion'], 'layerscope: completion: name a shell (bash, zsh, fish)\n'],
		[['completion', 'bash', 'zsh'], 'layerscope: completion: one shell at a time (bash, zsh, fish)\n'],
	] as const) {
		const result = await runCli([...args]);
		assert.deepEqual([result.code, result.stdout, result.stderr], [2, '', line]);
	}
});
