// Credential helpers named in ~/.docker/config.json (DOCKER_CONFIG), as Docker runs them: `docker-credential-X get`
// with the registry on stdin. A helper that answers is used (a shell-script helper on a PATH the test makes, in
// front of a loopback registry that wants Basic auth); a missing one is Docker's own "error getting credentials"
// line naming it, exit 2; "credentials not found" is not logged in; a failing helper is its exit status and words.
import assert from 'node:assert/strict';
import {chmodSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {runCli} from './helpers/cli.js';
import {fakeRegistry, registryImage, type FakeServer} from './helpers/fake-registry.js';
import {tempDir, type FixtureImage} from './helpers/fixtures.js';

/** 2000 B overwritten by layer 1. */
const IMAGE: FixtureImage = {
	layers: [
		{entries: [{name: 'conf', content: 'a'.repeat(2000)}], createdBy: '/bin/sh -c write conf'},
		{entries: [{name: 'conf', content: 'b'.repeat(500)}], createdBy: '/bin/sh -c rewrite conf'},
	],
};
const USER = 'helper-user';
const SECRET = 'helper-secret-value';

let server: FakeServer;
let reference = '';
/** What each helper run was given: its arguments and its stdin. */
let helperLog = '';

before(async () => {
	const image = await registryImage(IMAGE);
	const expected = 'Basic ' + Buffer.from(`${USER}:${SECRET}`).toString('base64');
	server = await fakeRegistry(image, (request, response) => {
		if (request.headers.authorization === expected) return false;
		response.writeHead(401, {'WWW-Authenticate': 'Basic realm="test"', 'Content-Type': 'application/json'});
		response.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
		return true;
	});
	reference = `registry://${server.host}/repo:tag`;
	helperLog = path.join(tempDir(), 'helper.log');
});

after(() => server.close());

/** A DOCKER_CONFIG dir holding `config`, and a PATH dir holding `docker-credential-<name>` scripts with these bodies. */
function setup(config: Record<string, unknown>, helpers: Record<string, string> = {}): Record<string, string> {
	const configDir = tempDir();
	writeFileSync(path.join(configDir, 'config.json'), JSON.stringify(config));
	const bin = path.join(tempDir(), 'bin');
	mkdirSync(bin);
	for (const [name, body] of Object.entries(helpers)) {
		const file = path.join(bin, `docker-credential-${name}`);
		writeFileSync(file, `#!/bin/sh\necho "$@ $(cat)" >> '${helperLog}'\n${body}\n`);
		chmodSync(file, 0o755);
	}
	return {DOCKER_CONFIG: configDir, PATH: `${bin}:/usr/bin:/bin`};
}

const answering = `printf '{"ServerURL":"x","Username":"${USER}","Secret":"${SECRET}"}'`;

test('credsStore naming a helper that answers: its credentials are used, never printed', async () => {
	writeFileSync(helperLog, '');
	const env = setup({auths: {[server.host]: {}}, credsStore: 'fake'}, {fake: answering});
	const result = await runCli([reference, '--insecure', '--json'], {env});
	assert.equal(result.stderr, '');
	assert.equal(result.code, 0);
	const report = JSON.parse(result.stdout) as {image: {sizeBytes: number}; waste: {byCause: Record<string, number>}};
	assert.equal(report.image.sizeBytes, 2500);
	assert.deepEqual(report.waste.byCause, {removed: 0, overwritten: 2000, duplicate: 0});
	assert.ok(!result.stdout.includes(SECRET));
	// `get`, with the registry as written on stdin (one run: the answer is kept for the other requests).
	assert.equal(readFileSync(helperLog, 'utf8'), `get ${server.host}\n`);
});

test("a helper started by the bin as a program gets the user's environment, not the launcher's", async () => {
	const envLog = path.join(tempDir(), 'env.log');
	const env = setup({credsStore: 'fake'}, {fake: `env > '${envLog}'\n${answering}`});
	env.PATH += `:${path.dirname(process.execPath)}`;
	const run = (extra: Record<string, string | undefined>) =>
		runCli([reference, '--insecure', '--json'], {env: {...env, MALLOC_MMAP_THRESHOLD_: undefined, ...extra}, program: true});
	const helperEnv = (): string[] =>
		readFileSync(envLog, 'utf8')
			.split('\n')
			.filter(line => /^(MALLOC_MMAP_THRESHOLD_|LAYERSCOPE_OWN_MMAP_THRESHOLD|LAYERSCOPE_DEFERRED_EXTRA_CA_CERTS|NODE_EXTRA_CA_CERTS)=/.test(line));

	assert.equal((await run({NODE_EXTRA_CA_CERTS: '/nonexistent/ca.pem'})).code, 0);
	assert.deepEqual(helperEnv(), ['NODE_EXTRA_CA_CERTS=/nonexistent/ca.pem']);
	assert.equal((await run({NODE_EXTRA_CA_CERTS: undefined, MALLOC_MMAP_THRESHOLD_: '262144'})).code, 0);
	assert.deepEqual(helperEnv(), ['MALLOC_MMAP_THRESHOLD_=262144']);
});

test('credHelpers for the registry win over credsStore', async () => {
	const env = setup({credsStore: 'absent', credHelpers: {[server.host]: 'mine'}}, {mine: answering});
	const result = await runCli([reference, '--insecure', '--json'], {env});
	assert.equal(result.stderr, '');
	assert.equal(result.code, 0);
});

test('a credsStore helper missing from PATH is named in Docker words, exit 2', async () => {
	const env = setup({auths: {}, credsStore: 'desktop'});
	const result = await runCli([reference, '--insecure', '--json'], {env});
	assert.equal(result.code, 2);
	assert.equal(
		result.stderr,
		`layerscope: ${reference}: error getting credentials - err: exec: "docker-credential-desktop": executable file not found in $PATH, out: \`\` (credsStore in ${path.join(env.DOCKER_CONFIG, 'config.json')})\n`,
	);
});

test('a helper that holds nothing for the registry is "not logged in"; one that fails gives its status and words', async () => {
	const none = setup({credHelpers: {[server.host]: 'empty'}}, {empty: 'echo "credentials not found in native keychain"; exit 1'});
	const empty = await runCli([reference, '--insecure', '--json'], {env: none});
	assert.equal(empty.code, 2);
	assert.equal(empty.stderr, `layerscope: ${reference}: the registry ${server.host} requires authentication; run \`docker login ${server.host}\`\n`);

	const failing = setup({credHelpers: {[server.host]: 'pass'}}, {pass: 'echo "pass not initialized"; exit 3'});
	const failed = await runCli([reference, '--insecure', '--json'], {env: failing});
	assert.equal(failed.code, 2);
	assert.equal(
		failed.stderr,
		`layerscope: ${reference}: error getting credentials - err: exit status 3, out: \`pass not initialized\` (credHelpers in ${path.join(failing.DOCKER_CONFIG, 'config.json')})\n`,
	);
});
