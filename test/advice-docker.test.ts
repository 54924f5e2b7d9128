// The advisor on images a real Docker engine built, and its computed savings checked by rebuilding with the fix it
// gives: the rebuilt image must be smaller by the predicted bytes (within 2 %). Runs with LAYERSCOPE_TEST_DOCKER=1
// and an engine (CI); the apt test also needs debian:bookworm-slim (pulled when the network allows).
import assert from 'node:assert/strict';
import {execFile, execFileSync, spawnSync} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {promisify} from 'node:util';
import {advise, type Finding} from '../source/advice/index.js';
import type {ImageAnalysis} from '../source/model/types.js';
import {loadImage} from '../source/sources/load.js';
import {BASE_IMAGE, dockerSave, dockerUnavailable, ensureBaseImage} from './helpers/docker.js';
import {tempDir} from './helpers/fixtures.js';

const reason =
	process.env.LAYERSCOPE_TEST_DOCKER === '1' ? dockerUnavailable() : 'set LAYERSCOPE_TEST_DOCKER=1 to build images with the Docker engine (CI does)';
const execFileAsync = promisify(execFile);
const options = {skip: reason ?? false, timeout: 600_000};

interface Build {
	files?: Record<string, string | Buffer>;
	network?: string;
	buildkit?: boolean;
}

/** `docker build` of a Dockerfile (classic builder unless `buildkit`); async, so a server in this process can answer the build. */
async function build(tag: string, dockerfile: string, spec: Build = {}): Promise<string> {
	ensureBaseImage();
	const context = mkdtempSync(path.join(os.tmpdir(), 'layerscope-advice-'));
	writeFileSync(path.join(context, 'Dockerfile'), dockerfile);
	for (const [name, content] of Object.entries(spec.files ?? {})) writeFileSync(path.join(context, name), content);
	await execFileAsync('docker', ['build', '--force-rm', '--network', spec.network ?? 'none', '-q', '-t', tag, context], {
		env: {...process.env, DOCKER_BUILDKIT: spec.buildkit ? '1' : '0'},
		timeout: 500_000,
	});
	return tag;
}

async function analyse(tag: string): Promise<ImageAnalysis> {
	const file = path.join(tempDir(), 'image.tar');
	dockerSave(tag, file);
	return loadImage(file);
}

const brief = (f: Finding): string => `${f.fix.kind} [${f.fix.layers.join(',')}] saves ${f.savingBytes}${f.inherited ? ' inherited' : ''}`;

/** Rebuild with `fixed` and check the image shrank by the finding's predicted saving, within 2 %. */
async function checkSaving(before: ImageAnalysis, finding: Finding, tag: string, fixed: string, spec: Build = {}): Promise<void> {
	const after = await analyse(await build(tag, fixed, spec));
	const real = before.image.sizeBytes - after.image.sizeBytes;
	assert.ok(Math.abs(real - finding.savingBytes) <= 0.02 * finding.savingBytes, `predicted ${finding.savingBytes} B, rebuilding saved ${real} B`);
}

test('RUN that makes a file, then RUN chmod: one merged RUN, and rebuilding with it saves what was predicted', options, async () => {
	const before = await analyse(
		await build('layerscope-advice-chmod:1', `FROM ${BASE_IMAGE}\nRUN dd if=/dev/zero of=/data.bin bs=1000 count=50\nRUN chmod 600 /data.bin\n`),
	);
	const [finding, ...rest] = advise(before).findings;
	assert.equal(rest.length, 0);
	assert.equal(brief(finding), 'merge-runs [1,2] saves 50000');
	assert.equal(finding.fix.dockerfile, 'RUN dd if=/dev/zero of=/data.bin bs=1000 count=50 && chmod 600 /data.bin');
	await checkSaving(before, finding, 'layerscope-advice-chmod:2', `FROM ${BASE_IMAGE}\n${finding.fix.dockerfile}\n`);
});

test('COPY then RUN chmod: COPY --chmod, saving the file’s size (checked by a BuildKit rebuild)', options, async t => {
	const files = {'blob.bin': Buffer.alloc(64_000, 7)};
	const before = await analyse(await build('layerscope-advice-copy:1', `FROM ${BASE_IMAGE}\nCOPY blob.bin /opt/\nRUN chmod 600 /opt/blob.bin\n`, {files}));
	const [finding, ...rest] = advise(before).findings;
	assert.equal(rest.length, 0);
	assert.equal(brief(finding), 'copy-chmod [1,2] saves 64000');
	assert.equal(finding.fix.dockerfile, 'COPY --chmod=0600 blob.bin /opt/');
	// DOCKER_BUILDKIT=1 needs the buildx plugin; Debian's docker.io CLI has none, and the classic builder rejects --chmod.
	if (!hasBuildx()) {
		t.skip('the COPY --chmod rebuild needs BuildKit: `docker buildx` is not installed (Debian docker.io CLI)');
		return;
	}
	try {
		await checkSaving(before, finding, 'layerscope-advice-copy:2', `FROM ${BASE_IMAGE}\n${finding.fix.dockerfile}\n`, {files, buildkit: true});
	} catch (error) {
		if ((error as {code?: unknown}).code === undefined || error instanceof assert.AssertionError) throw error;
		t.skip(
			`COPY --chmod needs BuildKit, which this engine could not run: ${
				String((error as {stderr?: string}).stderr ?? '')
					.trim()
					.split('\n')[0]
			}`,
		);
	}
});

function hasBuildx(): boolean {
	try {
		execFileSync('docker', ['buildx', 'version'], {stdio: 'ignore'});
		return true;
	} catch {
		return false;
	}
}

/** The host's address on Docker's default bridge, where a build step reaches the test's HTTP server. */
function bridgeGateway(): string {
	const stated = execFileSync('docker', ['network', 'inspect', 'bridge', '-f', '{{range .IPAM.Config}}{{.Gateway}}{{end}}'], {encoding: 'utf8'}).trim();
	if (stated) return stated;
	const docker0 = os.networkInterfaces().docker0?.find(address => address.family === 'IPv4');
	return docker0?.address ?? '172.17.0.1';
}

test('a download then a delete: merged into one RUN (and ADD URL: download in the RUN), savings as predicted', options, async () => {
	const payload = Buffer.alloc(120_000, 1);
	const archive = execFileSync('tar', ['-c', '-C', mkdtempSync(path.join(os.tmpdir(), 'layerscope-dl-')), '.'], {maxBuffer: 1 << 24});
	const server = http.createServer((request, response) => response.end(request.url === '/app.tar' ? archive : payload));
	await new Promise<void>(resolve => server.listen(0, '0.0.0.0', resolve));
	try {
		const port = (server.address() as AddressInfo).port;
		const gateway = bridgeGateway();
		const dockerfile = `FROM ${BASE_IMAGE}\nRUN busybox wget -q -O /tmp/blob.bin http://${gateway}:${port}/blob.bin\nRUN rm /tmp/blob.bin\n`;
		const before = await analyse(await build('layerscope-advice-dl:1', dockerfile, {network: 'bridge'}));
		const [finding] = advise(before).findings;
		assert.equal(brief(finding), 'merge-runs [1,2] saves 120000');
		assert.equal(finding.fix.dockerfile, `RUN busybox wget -q -O /tmp/blob.bin http://${gateway}:${port}/blob.bin && rm /tmp/blob.bin`);
		await checkSaving(before, finding, 'layerscope-advice-dl:2', `FROM ${BASE_IMAGE}\n${finding.fix.dockerfile}\n`, {network: 'bridge'});

		// ADD fetches on the engine's host. The classic builder records only the content's sha256: the URL comes
		// from the Dockerfile.
		const addDockerfile = `FROM ${BASE_IMAGE}\nADD http://127.0.0.1:${port}/blob.bin /tmp/\nRUN rm /tmp/blob.bin\n`;
		const added = await analyse(await build('layerscope-advice-add:1', addDockerfile));
		const [download] = advise(added).findings;
		assert.equal(brief(download), 'download-in-run [1,2] saves 120000');
		assert.equal(download.fix.dockerfile, 'RUN curl -fsSL -o /tmp/blob.bin <the URL the ADD fetched> && rm /tmp/blob.bin');
		const [mapped] = advise(added, {dockerfile: {path: 'Dockerfile', text: addDockerfile}}).findings;
		assert.equal(mapped.fix.dockerfile, `RUN curl -fsSL -o /tmp/blob.bin http://127.0.0.1:${port}/blob.bin && rm /tmp/blob.bin`);
		assert.equal(mapped.dockerfileLine, 2);
	} finally {
		server.close();
	}
});

test('an image built FROM one that wastes bytes: the parent’s waste is inherited, the child’s own is not', options, async () => {
	await build('layerscope-advice-parent:1', `FROM ${BASE_IMAGE}\nRUN dd if=/dev/zero of=/big bs=1000 count=100\nRUN rm /big\nCMD ["sh"]\n`);
	const child = await analyse(
		await build('layerscope-advice-child:1', 'FROM layerscope-advice-parent:1\nRUN dd if=/dev/zero of=/c bs=1000 count=30\nRUN rm /c\n'),
	);
	const advice = advise(child);
	assert.equal(advice.base.method, 'classic');
	assert.deepEqual(advice.findings.map(brief), ['merge-runs [3,4] saves 30000', 'slimmer-base [1,2] saves 100000 inherited']);
});

test('FROM debian: apt-get update / install / rm -rf lists; rebuilding with the merged RUN saves the predicted bytes within 2 %', options, async t => {
	const debian = 'debian:bookworm-slim';
	if (
		spawnSync('docker', ['image', 'inspect', debian], {stdio: 'ignore'}).status !== 0 &&
		spawnSync('docker', ['pull', '-q', debian], {stdio: 'ignore', timeout: 300_000}).status !== 0
	) {
		t.skip(`${debian} is not here and cannot be pulled (no network)`);
		return;
	}
	const steps = 'RUN apt-get update\nRUN apt-get install -y jq\nRUN rm -rf /var/lib/apt/lists/*\n';
	const before = await analyse(await build('layerscope-advice-apt:1', `FROM ${debian}\n${steps}`, {network: 'bridge'}));
	const advice = advise(before, {dockerfile: {path: 'Dockerfile', text: `FROM ${debian}\n${steps}`}});
	const [merge] = advice.findings;
	assert.equal(merge.fix.kind, 'merge-runs');
	assert.equal(merge.dockerfileLine, 2);
	assert.equal(merge.fix.dockerfile, 'RUN apt-get update && apt-get install -y --no-install-recommends jq && rm -rf /var/lib/apt/lists/*');
	assert.ok(advice.findings.filter(f => f.fix.kind === 'none').every(f => f.savingBytes === 0));
	assert.ok(advice.findings.every(f => !f.inherited || f.fix.layers.every(layer => layer < advice.base.firstLayer)));
	await checkSaving(before, merge, 'layerscope-advice-apt:2', `FROM ${debian}\n${merge.fix.dockerfile}\n`, {network: 'bridge'});
});
