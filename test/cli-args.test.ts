// The command line's own flags parser (source/cli-args.ts, in place of meow): what a user sees of it.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {parseCommandLine} from '../source/cli-args.js';
import {runCli} from './helpers/cli.js';

const flags = {
	json: {type: 'boolean', default: false},
	ci: {type: 'boolean'},
	image: {type: 'string'},
	ciConfig: {type: 'string'},
	tag: {type: 'string', isMultiple: true},
} as const;
const parse = (argv: string[]) => parseCommandLine('help', {importMeta: import.meta, argv, flags, allowUnknownFlags: false});

test('flags: booleans, --no-, kebab-case names, values after = or as the next argument, -- and - as input', () => {
	const given = parse(['a.tar', '--json', '--ci-config', 'rules.yml', '--image=x:1', '--tag', 'a', '--tag=b']);
	assert.deepEqual(given.input, ['a.tar']);
	assert.deepEqual(given.flags, {json: true, ci: false, image: 'x:1', ciConfig: 'rules.yml', tag: ['a', 'b']});
	const other = parse(['--no-json', '-', '--', '--ci']);
	assert.deepEqual(other.input, ['-', '--ci']);
	assert.deepEqual(other.flags, {json: false, ci: false, image: undefined, ciConfig: undefined, tag: []});
	assert.equal(parse(['--ciConfig', 'f']).flags.ciConfig, 'f');
	assert.equal(parse(['--image', '-1']).flags.image, '-1');
});

test('flags: an unknown flag, a repeated one and a missing value are errors naming the flag', () => {
	assert.throws(() => parse(['--bogus', '-x']), {message: 'unknown flags --bogus, -x; see --help'});
	assert.throws(() => parse(['--image', 'a', '--image', 'b']), {message: '--image can be given only once'});
	assert.throws(() => parse(['--image']), {message: '--image needs a value; see --help'});
	assert.throws(() => parse(['--image', '--json']), {message: '--image needs a value; see --help'});
});

test('--version and --help print what meow printed; an unknown flag is one line and exit 2', async () => {
	const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string; description: string};
	assert.deepEqual(await runCli(['--version']), {code: 0, stdout: `${pkg.version}\n`, stderr: ''});
	const help = await runCli(['--help']);
	assert.equal(help.code, 0);
	assert.ok(help.stdout.startsWith(`\n  ${pkg.description}\n\n  Usage\n    $ layerscope <image> [options]\n`), help.stdout);
	assert.ok(help.stdout.endsWith('\n  Exit codes: 0 ok (CI: pass), 1 a CI rule failed, 2 bad input or error.\n\n'));
	assert.deepEqual(await runCli(['a.tar', '--bogus']), {code: 2, stdout: '', stderr: 'layerscope: unknown option --bogus; see --help\n'});
});
