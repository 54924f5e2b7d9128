// Registries with their own TLS, against the real tools: a CA, a server and a client certificate made by openssl in a
// temp dir, Debian's docker-registry serving https with them (one that also requires a client certificate, one with
// a self-signed certificate, one plain http), skopeo pushing a fixture into each. layerscope must refuse an unknown CA with a line naming the fix, trust
// `--ca-cert`, certs.d (LAYERSCOPE_CERTS_D stands for /etc/docker/certs.d), `--cert-dir` and a client certificate
// from certs.d, skip the check with `--tls-verify=false`, and explain an http/https mismatch either way.
import assert from 'node:assert/strict';
import {execFileSync, spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {copyFileSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {certsRoots, hostCertDir} from '../source/sources/registry-tls.js';
import {runCli} from './helpers/cli.js';
import {freePort} from './helpers/fake-registry.js';
import {dockerArchive, tempDir, writeTemp, type FixtureImage} from './helpers/fixtures.js';
import {dir as directory, file, skopeoCopy, whiteout} from './helpers/images.js';

const tools = {
	openssl: spawnSync('openssl', ['version']).status === 0,
	registry: spawnSync('docker-registry', ['--version']).status === 0,
	skopeo: spawnSync('skopeo', ['--version']).status === 0,
};
const missing = Object.entries(tools).find(([, present]) => !present)?.[0];
const skip = missing ? `${missing === 'registry' ? 'docker-registry' : missing} is not installed (.ci/run installs it)` : false;

/** 3000 B removed by layer 1: exact numbers to check each way in reads the same image. */
const IMAGE: FixtureImage = {
	tags: ['tls:1'],
	layers: [
		{entries: [directory('data'), file('data/big', 'b', 3000), file('keep', 'k', 100)], createdBy: '/bin/sh -c add'},
		{entries: [whiteout('data/big')], createdBy: '/bin/sh -c rm /data/big'},
	],
};

function checkImage(stdout: string): void {
	const report = JSON.parse(stdout) as {image: {sizeBytes: number}; layers: {sizeBytes: number}[]; waste: {byCause: Record<string, number>}};
	assert.equal(report.image.sizeBytes, 3100);
	assert.deepEqual(
		report.layers.map(layer => layer.sizeBytes),
		[3100, 0],
	);
	assert.deepEqual(report.waste.byCause, {removed: 3000, overwritten: 0, duplicate: 0});
}

let dir = '';
/** ca.crt, server.crt/.key (for 127.0.0.1), client.cert/.key, all signed by the CA. */
let certs = '';
const registries: ChildProcess[] = [];
const hosts = {tls: '', mtls: '', plain: '', self: ''};

function openssl(args: string[]): void {
	execFileSync('openssl', args, {cwd: certs, stdio: ['ignore', 'ignore', 'pipe']});
}

function makeCertificates(): void {
	const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
	openssl([
		'req',
		'-x509',
		...ec,
		'-keyout',
		'ca.key',
		'-out',
		'ca.crt',
		'-days',
		'2',
		'-subj',
		'/CN=layerscope test CA',
		'-addext',
		'basicConstraints=critical,CA:TRUE',
		'-addext',
		'keyUsage=critical,keyCertSign,cRLSign',
	]);
	for (const [name, usage, san] of [
		['server', 'serverAuth', 'subjectAltName=IP:127.0.0.1'],
		['client', 'clientAuth', 'subjectAltName=DNS:layerscope-client'],
	]) {
		openssl(['req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
		writeFileSync(path.join(certs, `${name}.ext`), `${san}\nextendedKeyUsage=${usage}\nbasicConstraints=CA:FALSE\n`);
		openssl([
			'x509',
			'-req',
			'-in',
			`${name}.csr`,
			'-CA',
			'ca.crt',
			'-CAkey',
			'ca.key',
			'-CAcreateserial',
			'-days',
			'2',
			'-out',
			`${name}.crt`,
			'-extfile',
			`${name}.ext`,
		]);
	}
	copyFileSync(path.join(certs, 'client.crt'), path.join(certs, 'client.cert'));
	// A server certificate that is its own CA, as `openssl req -x509` makes for a quick private registry.
	openssl(['req', '-x509', ...ec, '-keyout', 'self.key', '-out', 'self.crt', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
	// A client certificate no CA of the registry signed.
	openssl([
		'req',
		'-x509',
		...ec,
		'-keyout',
		'stranger.key',
		'-out',
		'stranger.cert',
		'-days',
		'2',
		'-subj',
		'/CN=stranger',
		'-addext',
		'extendedKeyUsage=clientAuth',
	]);
}

/** Answers at all (any status; TLS checked against the test CA, the client certificate offered). */
function answers(address: string, tls: boolean): Promise<boolean> {
	return new Promise(resolve => {
		const done = (response: http.IncomingMessage): void => {
			response.resume();
			resolve(true);
		};
		const file = (name: string): Buffer => readFileSync(path.join(certs, name));
		const request = tls
			? https.get(`https://${address}/v2/`, {ca: file('ca.crt'), cert: file('client.cert'), key: file('client.key')}, done)
			: http.get(`http://${address}/v2/`, done);
		request.on('error', () => resolve(false));
		request.setTimeout(2000, () => request.destroy());
	});
}

async function startRegistry(name: string, tls: 'none' | 'server' | 'client' | 'self'): Promise<string> {
	const address = `127.0.0.1:${await freePort()}`;
	const lines = [
		'version: 0.1',
		'log:',
		'  level: error',
		'storage:',
		'  filesystem:',
		`    rootdirectory: ${dir}/${name}-data`,
		'http:',
		`  addr: ${address}`,
	];
	const server = tls === 'self' ? 'self' : 'server';
	if (tls !== 'none') lines.push('  tls:', `    certificate: ${certs}/${server}.crt`, `    key: ${certs}/${server}.key`);
	if (tls === 'client') lines.push('    clientcas:', `      - ${certs}/ca.crt`);
	writeFileSync(path.join(dir, `${name}.yml`), lines.join('\n') + '\n');
	registries.push(spawn('docker-registry', ['serve', path.join(dir, `${name}.yml`)], {stdio: 'ignore'}));
	for (let i = 0; i < 100 && !(await answers(address, tls !== 'none')); i++) await new Promise(resolve => setTimeout(resolve, 100));
	return address;
}

/** skopeo pushes the fixture, trusting the test CA (and offering the client certificate) from a cert dir. */
function push(archive: string, address: string, plain: boolean): void {
	const certDir = path.join(dir, 'push-certs');
	mkdirSync(certDir, {recursive: true});
	for (const file of ['ca.crt', 'self.crt', 'client.cert', 'client.key']) copyFileSync(path.join(certs, file), path.join(certDir, file));
	const tlsArgs = plain ? ['--dest-tls-verify=false'] : ['--dest-cert-dir', certDir];
	skopeoCopy(`docker-archive:${archive}`, `docker://${address}/tls/fixture:1`, tlsArgs);
}

before(async () => {
	if (skip) return;
	dir = tempDir('layerscope-tls-');
	certs = path.join(dir, 'certs');
	mkdirSync(certs);
	makeCertificates();
	hosts.tls = await startRegistry('tls', 'server');
	hosts.mtls = await startRegistry('mtls', 'client');
	hosts.plain = await startRegistry('plain', 'none');
	hosts.self = await startRegistry('self', 'self');
	const archive = writeTemp(await dockerArchive(IMAGE));
	for (const [name, address] of Object.entries(hosts)) push(archive, address, name === 'plain');
});

after(() => {
	for (const child of registries) child.kill();
});

const ref = (address: string): string => `registry://${address}/tls/fixture:1`;

/** layerscope --json with an empty certs.d (nothing of this machine's /etc is read) unless the test gives one. */
function run(args: string[], certsD = tempDir('layerscope-certs-d-')): ReturnType<typeof runCli> {
	return runCli([...args, '--json'], {env: {LAYERSCOPE_CERTS_D: certsD}});
}

/** A certs.d root holding `files` (names in the test's cert dir -> names in certs.d) for `address`. */
function certsD(address: string, files: Record<string, string>): string {
	const root = tempDir('layerscope-certs-d-');
	mkdirSync(path.join(root, address));
	for (const [from, to] of Object.entries(files)) copyFileSync(path.join(certs, from), path.join(root, address, to));
	return root;
}

/** A registry whose certificate nothing trusts, read with an empty certs.d: one line naming the fixes, exit 2. */
async function refusedUntrusted(address: string, why: string): Promise<void> {
	const root = tempDir('layerscope-certs-d-');
	const result = await run([ref(address)], root);
	assert.deepEqual(
		[result.code, result.stderr],
		[
			2,
			`layerscope: ${ref(address)}: TLS to the registry at https://${address} failed: ${why}; ` +
				`give its CA with --ca-cert FILE or as ${path.join(root, address, 'ca.crt')}, or skip the check with --tls-verify=false\n`,
		],
	);
}

test('a registry whose CA is not trusted is refused with one line naming --ca-cert, certs.d and --tls-verify=false', {skip, timeout: 60_000}, async () => {
	await refusedUntrusted(hosts.tls, 'certificate signed by an unknown authority');
});

test('a self-signed registry is refused with the same fixes; its own certificate given with --ca-cert is trusted', {skip, timeout: 60_000}, async () => {
	await refusedUntrusted(hosts.self, 'self-signed certificate');
	const trusted = await run([ref(hosts.self), '--ca-cert', path.join(certs, 'self.crt')]);
	assert.equal(trusted.stderr, '');
	checkImage(trusted.stdout);
});

test('--ca-cert FILE trusts the registry CA; a file with no certificate is one line', {skip, timeout: 60_000}, async () => {
	const result = await run([ref(hosts.tls), '--ca-cert', path.join(certs, 'ca.crt')]);
	assert.equal(result.stderr, '');
	assert.equal(result.code, 0);
	checkImage(result.stdout);

	const bad = await run([ref(hosts.tls), '--ca-cert', path.join(certs, 'server.ext')]);
	assert.equal(bad.code, 2);
	assert.equal(bad.stderr, `layerscope: ${ref(hosts.tls)}: --ca-cert ${path.join(certs, 'server.ext')}: no PEM certificate in it\n`);
});

test('NODE_EXTRA_CA_CERTS trusts the registry CA, in the installed bin (its launcher defers the file) as under node', {skip, timeout: 60_000}, async () => {
	const env = {LAYERSCOPE_CERTS_D: tempDir('layerscope-certs-d-'), NODE_EXTRA_CA_CERTS: path.join(certs, 'ca.crt')};
	for (const program of [true, false]) {
		const result = await runCli([ref(hosts.tls), '--json'], {env, program});
		assert.deepEqual([result.code, result.stderr], [0, ''], `program: ${program}`);
		checkImage(result.stdout);
	}
	// The deferred file adds to the bundled CAs; it does not stand for a CA it does not hold.
	const other = await runCli([ref(hosts.tls), '--json'], {env: {...env, NODE_EXTRA_CA_CERTS: path.join(certs, 'self.crt')}, program: true});
	assert.equal(other.code, 2);
	assert.match(other.stderr, /certificate signed by an unknown authority/);
});

test('certs.d/HOST:PORT/ca.crt (LAYERSCOPE_CERTS_D for /etc/docker/certs.d) trusts the registry CA; --cert-dir DIR too', {skip, timeout: 60_000}, async () => {
	const root = certsD(hosts.tls, {'ca.crt': 'ca.crt'});
	const result = await run([ref(hosts.tls)], root);
	assert.equal(result.stderr, '');
	checkImage(result.stdout);

	const viaDir = await run([ref(hosts.tls), '--cert-dir', path.join(root, hosts.tls)]);
	assert.equal(viaDir.stderr, '');
	checkImage(viaDir.stdout);
});

test('a registry that requires a client certificate: asked for by name, then given through certs.d', {skip, timeout: 60_000}, async () => {
	const caOnly = certsD(hosts.mtls, {'ca.crt': 'ca.crt'});
	const without = await run([ref(hosts.mtls)], caOnly);
	assert.equal(without.code, 2);
	assert.equal(
		without.stderr,
		`layerscope: ${ref(hosts.mtls)}: the registry at https://${hosts.mtls} asks for a client certificate; put client.cert and client.key in ${path.join(caOnly, hosts.mtls)} (or give a directory with --cert-dir DIR)\n`,
	);

	const full = certsD(hosts.mtls, {'ca.crt': 'ca.crt', 'client.cert': 'client.cert', 'client.key': 'client.key'});
	const result = await run([ref(hosts.mtls)], full);
	assert.equal(result.stderr, '');
	checkImage(result.stdout);

	const stranger = certsD(hosts.mtls, {'ca.crt': 'ca.crt', 'stranger.cert': 'stranger.cert', 'stranger.key': 'stranger.key'});
	const refused = await run([ref(hosts.mtls)], stranger);
	assert.equal(refused.code, 2);
	assert.equal(
		refused.stderr,
		`layerscope: ${ref(hosts.mtls)}: the registry at https://${hosts.mtls} refused the client certificate ${path.join(stranger, hosts.mtls, 'stranger.cert')} (TLS alert: bad certificate)\n`,
	);

	// Docker's rule and words: a .cert needs the .key of the same name (a CA must be .crt).
	const noKey = certsD(hosts.mtls, {'ca.crt': 'ca.crt', 'client.cert': 'client.cert'});
	const broken = await run([ref(hosts.mtls)], noKey);
	assert.equal(broken.code, 2);
	assert.equal(
		broken.stderr,
		`layerscope: ${ref(hosts.mtls)}: ${path.join(noKey, hosts.mtls)}: missing key client.key for client certificate client.cert. CA certificates must use the extension .crt\n`,
	);
});

test('--tls-verify=false reads a registry whose CA is not trusted, over https', {skip, timeout: 60_000}, async () => {
	const result = await run([ref(hosts.tls), '--tls-verify=false']);
	assert.equal(result.stderr, '');
	checkImage(result.stdout);
});

test('an http/https mismatch is one line naming the flag: --insecure against TLS, https against plain http', {skip, timeout: 60_000}, async () => {
	const insecure = await run([ref(hosts.tls), '--insecure']);
	assert.equal(insecure.code, 2);
	assert.equal(
		insecure.stderr,
		`layerscope: ${ref(hosts.tls)}: registry ${hosts.tls} speaks https, and --insecure asked it in plain http: drop --insecure (for a self-signed certificate give --ca-cert FILE, or --tls-verify=false)\n`,
	);

	const tlsToPlain = await run([ref(hosts.plain)]);
	assert.equal(tlsToPlain.code, 2);
	assert.equal(
		tlsToPlain.stderr,
		`layerscope: ${ref(hosts.plain)}: the registry at https://${hosts.plain} answered in plain http, not TLS; for a plain-http registry use --insecure\n`,
	);

	const plain = await run([ref(hosts.plain), '--insecure']);
	assert.equal(plain.stderr, '');
	checkImage(plain.stdout);
});

test('certs.d rules that need no registry: a key without its .cert, a .crt with no certificate, the roots looked in', async () => {
	// The certs directory is read before any connection: nothing listens on port 9, and nothing needs to.
	const address = '127.0.0.1:9';
	const root = tempDir('layerscope-certs-d-');
	mkdirSync(path.join(root, address));
	writeFileSync(path.join(root, address, 'client.key'), 'not read');
	const keyOnly = await run([ref(address)], root);
	assert.equal(keyOnly.code, 2);
	assert.equal(keyOnly.stderr, `layerscope: ${ref(address)}: ${path.join(root, address)}: missing client certificate client.cert for key client.key\n`);

	const junk = tempDir('layerscope-certs-d-');
	mkdirSync(path.join(junk, address));
	writeFileSync(path.join(junk, address, 'ca.crt'), 'no certificate here\n');
	const noPem = await run([ref(address)], junk);
	assert.equal(noPem.code, 2);
	assert.equal(noPem.stderr, `layerscope: ${ref(address)}: CA certificate ${path.join(junk, address, 'ca.crt')}: no PEM certificate in it\n`);

	// containers/image's order (Docker reads only the last); LAYERSCOPE_CERTS_D replaces them all.
	assert.deepEqual(certsRoots({HOME: '/home/u'}), ['/home/u/.config/containers/certs.d', '/etc/containers/certs.d', '/etc/docker/certs.d']);
	assert.deepEqual(certsRoots({HOME: '/home/u', LAYERSCOPE_CERTS_D: root}), [root]);
	assert.equal(hostCertDir(address, {LAYERSCOPE_CERTS_D: root}), path.join(root, address));
});
