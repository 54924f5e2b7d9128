// The advisor on images a real Docker engine built, and its computed savings checked by rebuilding with the fix it
// gives: the engine must report the rebuilt image smaller by the predicted bytes (within 2 %). Runs with
// LAYERSCOPE_TEST_DOCKER=1 and an engine (CI); the apt tests also need the Debian base .ci/run makes with debootstrap
// (Docker Hub is out of reach) and deb.debian.org, the BuildKit builds a client that can drive BuildKit.
import assert from 'node:assert/strict';
import {execFile, execFileSync} from 'node:child_process';
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
import {
	BASE_IMAGE,
	buildkitClient,
	DEBIAN_IMAGE,
	debianImageMissing,
	dockerSave,
	dockerUnavailable,
	engineImageSize,
	ensureBaseImage,
} from './helpers/docker.js';
import {tempDir} from './helpers/fixtures.js';

const reason =
	process.env.LAYERSCOPE_TEST_DOCKER === '1' ? dockerUnavailable() : 'set LAYERSCOPE_TEST_DOCKER=1 to build images with the Docker engine (CI does)';
const execFileAsync = promisify(execFile);
const options = {skip: reason ?? false, timeout: 600_000};

interface Build {
	files?: Record<string, string | Buffer>;
	/** `none` (the default) or `bridge`; BuildKit has no `bridge` mode, its default network is the same. */
	network?: 'none' | 'bridge';
	buildkit?: boolean;
	/** Build every step afresh: two builds compared for size must fetch from the mirror at the same time. */
	noCache?: boolean;
}

const builder = reason === null ? buildkitClient() : {reason};
const buildkitMissing = 'reason' in builder ? builder.reason : null;

/** `docker build` of a Dockerfile (classic builder unless `buildkit`); async, so a server in this process can answer the build. */
async function build(tag: string, dockerfile: string, spec: Build = {}): Promise<string> {
	ensureBaseImage();
	const context = mkdtempSync(path.join(os.tmpdir(), 'layerscope-advice-'));
	writeFileSync(path.join(context, 'Dockerfile'), dockerfile);
	for (const [name, content] of Object.entries(spec.files ?? {})) writeFileSync(path.join(context, name), content);
	const network = spec.network ?? 'none';
	const args = ['build', '--force-rm', ...(spec.buildkit && network === 'bridge' ? [] : ['--network', network])];
	if (spec.noCache) args.push('--no-cache');
	// BuildKit through the client that has it built in (Debian's 20.10 /usr/bin/docker: buildkitClient says why).
	const client = spec.buildkit && 'client' in builder ? builder.client : 'docker';
	await execFileAsync(client, [...args, '-q', '-t', tag, context], {env: {...process.env, DOCKER_BUILDKIT: spec.buildkit ? '1' : '0'}, timeout: 500_000});
	return tag;
}

async function analyse(tag: string): Promise<ImageAnalysis> {
	const file = path.join(tempDir(), 'image.tar');
	dockerSave(tag, file);
	return loadImage(file);
}

const brief = (f: Finding): string => `${f.fix.kind} [${f.fix.layers.join(',')}] saves ${f.savingBytes}${f.inherited ? ' inherited' : ''}`;

/**
 * Rebuild with `fixed` and check the engine's size of the image shrank by the finding's predicted saving, within
 * 2 %; returns the rebuilt image's analysis.
 */
async function checkSaving(beforeTag: string, finding: Finding, tag: string, fixed: string, spec: Build = {}): Promise<ImageAnalysis> {
	await build(tag, fixed, spec);
	const real = engineImageSize(beforeTag) - engineImageSize(tag);
	assert.ok(Math.abs(real - finding.savingBytes) <= 0.02 * finding.savingBytes, `predicted ${finding.savingBytes} B, rebuilding saved ${real} B`);
	return analyse(tag);
}

test('RUN that makes a file, then RUN chmod: one merged RUN, and rebuilding with it saves what was predicted', options, async () => {
	const tag = await build('layerscope-advice-chmod:1', `FROM ${BASE_IMAGE}\nRUN dd if=/dev/zero of=/data.bin bs=1000 count=50\nRUN chmod 600 /data.bin\n`);
	const [finding, ...rest] = advise(await analyse(tag)).findings;
	assert.equal(rest.length, 0);
	assert.equal(brief(finding), 'merge-runs [1,2] saves 50000');
	assert.equal(finding.fix.dockerfile, 'RUN dd if=/dev/zero of=/data.bin bs=1000 count=50 && chmod 600 /data.bin');
	const after = await checkSaving(tag, finding, 'layerscope-advice-chmod:2', `FROM ${BASE_IMAGE}\n${finding.fix.dockerfile}\n`);
	assert.deepEqual(advise(after).findings, []);
});

/** The mode bits of `file` as the last layer that wrote it stored them. */
function modeOf(analysis: ImageAnalysis, file: string): string {
	const change = analysis.layers.flatMap(layer => layer.changes).findLast(c => c.path === file);
	assert.ok(change, `${file} is in no layer`);
	return (change.mode & 0o7777).toString(8);
}

for (const buildkit of [false, true]) {
	const by = buildkit ? 'BuildKit' : 'the classic builder';
	test(`COPY then RUN chmod, built by ${by}: COPY --chmod, saving the file’s size (checked by a BuildKit rebuild)`, options, async t => {
		const files = {'blob.bin': Buffer.alloc(64_000, 7)};
		const dockerfile = `FROM ${BASE_IMAGE}\nCOPY blob.bin /opt/\nRUN chmod 600 /opt/blob.bin\n`;
		if (buildkit && buildkitMissing) return t.skip(buildkitMissing);
		const tag = await build(`layerscope-advice-copy:${buildkit ? 'bk' : 'classic'}`, dockerfile, {files, buildkit});
		const advice = advise(await analyse(tag));
		assert.equal(advice.base.method, buildkit ? 'buildkit' : 'rootfs');
		const [finding, ...rest] = advice.findings;
		assert.equal(rest.length, 0);
		assert.equal(brief(finding), 'copy-chmod [1,2] saves 64000');
		assert.equal(finding.fix.dockerfile, 'COPY --chmod=0600 blob.bin /opt/');
		// The classic builder rejects COPY --chmod; the daemon's own BuildKit frontend (no `# syntax=` image to pull)
		// accepts it.
		if (buildkitMissing) return t.skip(`the COPY --chmod rebuild needs BuildKit: ${buildkitMissing}`);
		const fixed = `FROM ${BASE_IMAGE}\n${finding.fix.dockerfile}\n`;
		const after = await checkSaving(tag, finding, `layerscope-advice-copy:${buildkit ? 'bk' : 'classic'}-fixed`, fixed, {files, buildkit: true});
		assert.equal(modeOf(after, '/opt/blob.bin'), '600');
		assert.deepEqual(advise(after).findings, []);
	});
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
		await checkSaving('layerscope-advice-dl:1', finding, 'layerscope-advice-dl:2', `FROM ${BASE_IMAGE}\n${finding.fix.dockerfile}\n`, {network: 'bridge'});

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

/** A finding without its saving, which for the apt image depends on the mirror's lists that day. */
const shape = (f: Finding): string => `${f.fix.kind} [${f.fix.layers.join(',')}]${f.inherited ? ' inherited' : ''}`;
const wasteOf = (f: Finding): string[] => f.waste.map(w => `${w.storedBy}->${w.hiddenBy} ${w.cause} ${w.files}: ${w.topPaths.map(p => p.path).join(', ')}`);

for (const buildkit of [false, true]) {
	const by = buildkit ? 'BuildKit' : 'the classic builder';
	const skip = reason ?? (buildkit ? buildkitMissing : null) ?? debianImageMissing() ?? false;
	test(
		`FROM debian, built by ${by}: apt-get update / install / rm -rf lists; rebuilding with the merged RUN saves the predicted bytes within 2 %`,
		{skip, timeout: 600_000},
		async t => {
			const name = `layerscope-advice-apt:${buildkit ? 'bk' : 'classic'}`;
			t.after(() => execFileSync('docker', ['rmi', '-f', name, `${name}-merged`], {stdio: 'ignore'}));
			const dockerfile = `FROM ${DEBIAN_IMAGE}\nRUN apt-get update\nRUN apt-get install -y jq\nRUN rm -rf /var/lib/apt/lists/*\n`;
			const tag = await build(name, dockerfile, {network: 'bridge', buildkit, noCache: true});
			const before = await analyse(tag);
			const advice = advise(before);
			// A `docker import` base has one history entry (comment `Imported from -`), which the classic builder's steps
			// follow with nothing to mark the boundary but that root filesystem; BuildKit marks its own steps.
			assert.deepEqual(advice.base, {firstStep: 1, firstLayer: 1, method: buildkit ? 'buildkit' : 'rootfs', baseName: null});
			assert.deepEqual(advice.findings.map(shape), ['merge-runs [1,2,3]', 'none [0,2]']);
			const [merge, noise] = advice.findings;
			assert.equal(merge.fix.dockerfile, 'RUN apt-get update && apt-get install -y --no-install-recommends jq && rm -rf /var/lib/apt/lists/*');
			// The lists apt-get update fetched (bookworm main: InRelease, Packages, Translation-en) and the package cache
			// apt-get install rewrote.
			assert.deepEqual(wasteOf(merge), ['1->3 removed 3: /var/lib/apt/lists/', '1->2 overwritten 1: /var/cache/apt/pkgcache.bin']);
			assert.equal(
				merge.savingBytes,
				merge.waste.reduce((sum, w) => sum + w.bytes, 0),
			);
			assert.match(
				merge.diagnosis,
				/^layer 1 `RUN apt-get update` stored [\d.]+ MB of package lists; layer 3 `RUN rm -rf \/var\/lib\/apt\/lists\/\*` deleted them/,
			);
			// dpkg's status and log, debconf's templates, the linker cache the base shipped and the install rewrote: noise.
			assert.equal(noise.savingBytes, 0);
			assert.equal(noise.fix.dockerfile, null);
			assert.ok(
				noise.waste.every(w => w.storedBy === 0 && w.hiddenBy === 2),
				JSON.stringify(noise.waste),
			);
			assert.deepEqual(
				before.waste.files
					.filter(f => f.layerIndex === 0)
					.map(f => f.path)
					.sort(),
				[
					'/etc/ld.so.cache',
					'/var/cache/debconf/config.dat',
					'/var/cache/debconf/templates.dat',
					'/var/cache/ldconfig/aux-cache',
					'/var/lib/dpkg/status',
					'/var/lib/dpkg/status-old',
					'/var/log/dpkg.log',
				],
			);
			assert.match(
				noise.diagnosis,
				/^layer 0 \(base image\) stored [\d.]+ kB of package bookkeeping \(dpkg status, debconf, ld\.so\.cache and the like\); layer 2 `RUN apt-get install -y jq` rewrote them as a side effect of a package operation; a small, unavoidable cost of installing packages on top of the base image: any package operation rewrites these files$/,
			);
			assert.deepEqual(
				// The third path of the overwritten files is whichever of ld.so's two caches is the larger.
				noise.waste.map(
					w =>
						`${w.cause}: ${w.topPaths
							.slice(0, 2)
							.map(p => p.path)
							.join(', ')}`,
				),
				['duplicate: /var/cache/debconf/', 'overwritten: /var/lib/dpkg/, /var/log/dpkg.log'],
			);

			const mapped = advise(before, {dockerfile: {path: 'Dockerfile', text: dockerfile}});
			assert.equal(mapped.base.method, 'dockerfile');
			assert.deepEqual(mapped.findings.map(shape), ['merge-runs [1,2,3]', 'none [0,2]']);
			assert.equal(mapped.findings[0].dockerfileLine, 2);

			const fixed = `FROM ${DEBIAN_IMAGE}\n${merge.fix.dockerfile}\n`;
			const after = await checkSaving(tag, merge, `${name}-merged`, fixed, {network: 'bridge', buildkit, noCache: true});
			// What is left is the bookkeeping the one install rewrote.
			assert.deepEqual(advise(after).findings.map(shape), ['none [0,1]']);
		},
	);
}
