// The bin's shell launcher (cli/launcher.ts): run as a program, layerscope starts Node without its start-up read of
// NODE_EXTRA_CA_CERTS (Node warns at start about a file it cannot read: that warning is the witness), passes every
// argument and the exit code through, and gives the file back to the run: the variable for the programs it starts,
// the certificates to the TLS it opens (sources/system-cas.ts). It also starts Node with glibc's mmap threshold fixed
// (unless the user set one), which the bin takes out of the environment again.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {chmodSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, test} from 'node:test';
import {rootCertificates} from 'node:tls';
import {DEFERRED, DEFERRED_CA_FILE, LAUNCHER, MMAP_THRESHOLD, OWN_MMAP_THRESHOLD, takeLauncherEnv} from '../source/cli/launcher.js';
import {resetSystemCas, systemCas} from '../source/sources/system-cas.js';
import {ROOT, runCli} from './helpers/cli.js';
import {tempDir} from './helpers/fixtures.js';

const DEMO = path.join(ROOT, 'media/demo-image.tar.gz');
const NODE_WARNING = 'Warning: Ignoring extra certs from `/nonexistent/ca.pem`, load failed';

test('run as a program, the bin spares Node its read of NODE_EXTRA_CA_CERTS; run by node, Node reads it', async () => {
	const env = {NODE_EXTRA_CA_CERTS: '/nonexistent/ca.pem'};
	const program = await runCli([DEMO, '--json'], {env, program: true});
	assert.deepEqual([program.code, program.stderr], [0, '']);
	const underNode = await runCli([DEMO, '--json'], {env});
	assert.equal(underNode.code, 0);
	assert.match(underNode.stderr, new RegExp(NODE_WARNING.replace(/[`/.]/g, '\\$&')));
	assert.equal(program.stdout, underNode.stdout);
});

test('the launcher passes arguments with spaces and quotes, and the exit code, through', async () => {
	const dir = tempDir('layerscope-launcher-');
	const odd = path.join(dir, `an "odd" name's image.tar`);
	writeFileSync(odd, 'not a tar');
	const result = await runCli([odd, '--json'], {program: true, env: {NODE_EXTRA_CA_CERTS: undefined}});
	assert.equal(result.code, 2);
	assert.match(result.stderr, new RegExp(`^layerscope: ${odd.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
	assert.equal(result.stderr.split('\n').length, 2);
});

test('the launcher is shell and a no-op statement to Node', () => {
	assert.match(LAUNCHER, /^#!\/bin\/sh\n':' \/\/;[^\n]*exec node "\$0" "\$@"\n$/);
});

const holder = globalThis as {[DEFERRED_CA_FILE]?: string};
afterEach(() => {
	delete holder[DEFERRED_CA_FILE];
	resetSystemCas();
});

test('the bin puts NODE_EXTRA_CA_CERTS back and drops the launcher variable; a value the user emptied stays empty', () => {
	const env: NodeJS.ProcessEnv = {[DEFERRED]: '/etc/extra.pem', NODE_EXTRA_CA_CERTS: ''};
	takeLauncherEnv(env);
	assert.deepEqual(env, {NODE_EXTRA_CA_CERTS: '/etc/extra.pem'});
	assert.equal(holder[DEFERRED_CA_FILE], '/etc/extra.pem');

	delete holder[DEFERRED_CA_FILE];
	const untouched: NodeJS.ProcessEnv = {NODE_EXTRA_CA_CERTS: '/etc/other.pem'};
	takeLauncherEnv(untouched);
	assert.deepEqual(untouched, {NODE_EXTRA_CA_CERTS: '/etc/other.pem'});
	assert.equal(holder[DEFERRED_CA_FILE], undefined);
});

test("TLS without CAs of its own: Node's store as it is, or the bundled CAs and the deferred file's", () => {
	assert.equal(systemCas(), undefined);
	resetSystemCas();
	const file = path.join(tempDir('layerscope-cas-'), 'extra.pem');
	writeFileSync(file, `# two CAs\n${rootCertificates[0]}\n${rootCertificates[1]}\n`);
	holder[DEFERRED_CA_FILE] = file;
	assert.deepEqual(systemCas(), [...rootCertificates, rootCertificates[0], rootCertificates[1]]);
});

test("a deferred file that cannot be read gets Node's warning, and Node's bundled CAs alone", async () => {
	holder[DEFERRED_CA_FILE] = '/nonexistent/ca.pem';
	const warnings: string[] = [];
	const listener = (warning: Error): void => void warnings.push(warning.message);
	process.on('warning', listener);
	try {
		assert.equal(systemCas(), undefined);
		await new Promise(resolve => setImmediate(resolve));
	} finally {
		process.off('warning', listener);
	}
	assert.deepEqual(warnings, ['Ignoring extra certs from `/nonexistent/ca.pem`, load failed: ENOENT']);
});

/** The environment the launcher gives `node` (a stand-in on PATH that prints it), from `env`. */
function launchedEnv(env: NodeJS.ProcessEnv): Record<string, string> {
	const dir = tempDir('layerscope-launcher-env-');
	writeFileSync(path.join(dir, 'node'), '#!/bin/sh\nenv\n');
	chmodSync(path.join(dir, 'node'), 0o755);
	const script = path.join(dir, 'bin.js');
	writeFileSync(script, LAUNCHER);
	const run = spawnSync('/bin/sh', [script], {env: {...env, PATH: `${dir}:/usr/bin:/bin`}, encoding: 'utf8'});
	assert.equal(run.status, 0, run.stderr);
	return Object.fromEntries(
		run.stdout
			.split('\n')
			.filter(Boolean)
			.map(line => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
	);
}

test("the launcher fixes glibc's mmap threshold unless the user set one, and the bin takes it out again", () => {
	const ours = launchedEnv({});
	assert.equal(ours.MALLOC_MMAP_THRESHOLD_, String(MMAP_THRESHOLD));
	assert.equal(ours[OWN_MMAP_THRESHOLD], '1');
	const env: NodeJS.ProcessEnv = {MALLOC_MMAP_THRESHOLD_: ours.MALLOC_MMAP_THRESHOLD_, [OWN_MMAP_THRESHOLD]: '1', HOME: '/root'};
	takeLauncherEnv(env);
	assert.deepEqual(env, {HOME: '/root'});

	for (const value of ['65536', '']) {
		const theirs = launchedEnv({MALLOC_MMAP_THRESHOLD_: value});
		assert.equal(theirs.MALLOC_MMAP_THRESHOLD_, value);
		assert.equal(theirs[OWN_MMAP_THRESHOLD], undefined);
		const kept: NodeJS.ProcessEnv = {MALLOC_MMAP_THRESHOLD_: value};
		takeLauncherEnv(kept);
		assert.deepEqual(kept, {MALLOC_MMAP_THRESHOLD_: value});
	}
});
