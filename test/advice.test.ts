// The advisor on images built in code, one per pattern: the exact findings (fix kind, layers, Dockerfile text,
// computed saving, diagnosis, waste) that every output will show.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {advise, type Finding} from '../source/advice/index.js';
import {analyzeSteps, aptThreeSteps, bookkeepingRewrite, buildkit, bytes, debianBase, nop, run, type Step} from './helpers/advice-fixtures.js';

const findingsOf = async (steps: Step[], labels?: Record<string, string>): Promise<Finding[]> => advise(await analyzeSteps({steps, labels})).findings;
const brief = (f: Finding): string =>
	`${f.fix.kind} [${f.fix.layers.join(',')}] saves ${f.savingBytes} (${f.savingPercent} %)${f.inherited ? ' inherited' : ''}`;
const wasteOf = (f: Finding): string[] =>
	f.waste.map(w => `${w.storedBy}->${w.hiddenBy} ${w.cause} ${w.files} ${w.bytes}: ${w.topPaths.map(t => `${t.path} ${t.files} ${t.bytes}`).join(', ')}`);

test('apt-get update / install / rm -rf lists in three RUNs: one merged RUN saving exactly the lists and the rewritten caches; the base bookkeeping is noise', async () => {
	const analysis = await analyzeSteps(aptThreeSteps);
	assert.equal(analysis.image.sizeBytes, 179_720);
	const [merge, noise, ...rest] = advise(analysis).findings;
	assert.equal(rest.length, 0);
	assert.equal(brief(merge), 'merge-runs [1,2,3] saves 120000 (66.77 %)');
	assert.equal(merge.fix.dockerfile, 'RUN apt-get update && apt-get install -y --no-install-recommends jq && rm -rf /var/lib/apt/lists/*');
	assert.equal(merge.fix.summary, 'merge layers 1–3 into one RUN: a layer stores only what is left at its end');
	assert.equal(
		merge.diagnosis,
		'layer 1 `RUN apt-get update` stored 80.0 kB of package lists; layer 3 `RUN rm -rf /var/lib/apt/lists/*` deleted them, but a delete in a later layer cannot shrink an earlier one; ' +
			'layer 1 `RUN apt-get update` stored 40.0 kB of package cache; layer 2 `RUN apt-get install -y jq` replaced them, and the image keeps both versions',
	);
	assert.deepEqual(wasteOf(merge), ['1->3 removed 3 80000: /var/lib/apt/lists/ 3 80000', '1->2 overwritten 2 40000: /var/cache/apt/ 2 40000']);
	assert.equal(merge.inherited, false);
	assert.equal(merge.dockerfileLine, null);

	assert.equal(brief(noise), 'none [0,2] saves 0 (0 %)');
	assert.equal(noise.fix.dockerfile, null);
	assert.equal(noise.fix.summary, 'nothing to change');
	assert.equal(
		noise.diagnosis,
		'layer 0 (base image) `ADD file:5f6e0b0c8d in /` stored 1.80 kB of package bookkeeping (dpkg status, debconf, ld.so.cache and the like); ' +
			'layer 2 `RUN apt-get install -y jq` rewrote them as a side effect of a package operation; ' +
			'a small, unavoidable cost of installing packages on top of the base image: any package operation rewrites these files',
	);
	assert.deepEqual(wasteOf(noise), ['0->2 overwritten 3 1800: /var/lib/dpkg/status 1 1000, /etc/ld.so.cache 1 500, /var/cache/debconf/config.dat 1 300']);
});

test('the same findings in Simplified Chinese', async () => {
	const [merge, noise] = advise(await analyzeSteps(aptThreeSteps), {lang: 'zh'}).findings;
	assert.equal(merge.fix.summary, '把第 1–3 层合并成一个 RUN：每一层只保存该步骤结束时留下的内容');
	assert.equal(
		merge.diagnosis,
		'第 1 层 `RUN apt-get update` 写入了 80.0 kB 的软件包列表；第 3 层 `RUN rm -rf /var/lib/apt/lists/*` 删除了它们，但后面层中的删除无法缩小前面的层；' +
			'第 1 层 `RUN apt-get update` 写入了 40.0 kB 的软件包缓存；第 2 层 `RUN apt-get install -y jq` 替换了它们，镜像会同时保留两个版本',
	);
	assert.equal(merge.fix.dockerfile, 'RUN apt-get update && apt-get install -y --no-install-recommends jq && rm -rf /var/lib/apt/lists/*');
	assert.equal(noise.fix.summary, '无需修改');
	assert.match(noise.diagnosis, /在执行软件包操作时顺带重写了它们；这是在基础镜像之上安装软件包时不可避免的小开销：任何软件包操作都会重写这些文件$/);
});

test('download then delete in two RUNs: one merged RUN saving the download', async () => {
	const [finding, ...rest] = await findingsOf([
		...debianBase,
		{createdBy: run('curl -fsSL -o /tmp/app.tar.gz https://example.com/app.tar.gz'), entries: [{name: 'tmp/app.tar.gz', content: bytes(50_000)}]},
		{
			createdBy: run('tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz'),
			entries: [
				{name: 'opt/app/bin', content: bytes(30_000)},
				{name: 'tmp/app.tar.gz', type: 'whiteout'},
			],
		},
	]);
	assert.equal(rest.length, 0);
	assert.equal(brief(finding), 'merge-runs [1,2] saves 50000 (54.47 %)');
	assert.equal(
		finding.fix.dockerfile,
		'RUN curl -fsSL -o /tmp/app.tar.gz https://example.com/app.tar.gz && \\\n    tar -xzf /tmp/app.tar.gz -C /opt && \\\n    rm /tmp/app.tar.gz',
	);
	assert.equal(
		finding.diagnosis,
		'layer 1 `RUN curl -fsSL -o /tmp/app.tar.gz https://example.com/app.t…` stored /tmp/app.tar.gz (50.0 kB); layer 2 `RUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz` deleted it, but a delete in a later layer cannot shrink an earlier one',
	);
});

test('ADD URL then a RUN that unpacks and deletes it (BuildKit): download, use and delete in one RUN', async () => {
	const [finding] = await findingsOf([
		...debianBase,
		{...buildkit('ADD https://example.com/app.tar.gz /tmp/'), entries: [{name: 'tmp/app.tar.gz', content: bytes(50_000)}]},
		{
			...buildkit('RUN /bin/sh -c tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz'),
			entries: [
				{name: 'opt/app/bin', content: bytes(30_000)},
				{name: 'tmp/app.tar.gz', type: 'whiteout'},
			],
		},
	]);
	assert.equal(brief(finding), 'download-in-run [1,2] saves 50000 (54.47 %)');
	assert.equal(
		finding.fix.dockerfile,
		'RUN curl -fsSL -o /tmp/app.tar.gz https://example.com/app.tar.gz && \\\n    tar -xzf /tmp/app.tar.gz -C /opt && \\\n    rm /tmp/app.tar.gz',
	);
	assert.equal(finding.fix.summary, 'download, use and delete the file in one RUN instead of ADD');
});

test('COPY then RUN chmod: COPY --chmod, saving exactly the file', async () => {
	const [finding, ...rest] = await findingsOf([
		...debianBase,
		{createdBy: nop('COPY file:0123abcd in /opt/ '), entries: [{name: 'opt/blob.bin', content: bytes(64_000), mode: 0o644}]},
		{createdBy: run('chmod 600 /opt/blob.bin'), entries: [{name: 'opt/blob.bin', content: bytes(64_000), mode: 0o600}]},
	]);
	assert.equal(rest.length, 0);
	assert.equal(brief(finding), 'copy-chmod [1,2] saves 64000 (45.78 %)');
	assert.equal(finding.fix.dockerfile, 'COPY --chmod=0600 blob.bin /opt/');
	assert.equal(
		finding.diagnosis,
		'layer 1 `COPY file:0123abcd in /opt/` stored /opt/blob.bin (64.0 kB); layer 2 `RUN chmod 600 /opt/blob.bin` rewrote it with the same content (a mode, owner or time change), which stores a second full copy',
	);
	assert.deepEqual(wasteOf(finding), ['1->2 duplicate 1 64000: /opt/blob.bin 1 64000']);
});

test('COPY then RUN chown (BuildKit): COPY --chown', async () => {
	const [finding] = await findingsOf([
		...debianBase,
		{...buildkit('COPY app.conf /etc/app/'), entries: [{name: 'etc/app/app.conf', content: bytes(4000)}]},
		{...buildkit('RUN /bin/sh -c chown 1000:1000 /etc/app/app.conf'), entries: [{name: 'etc/app/app.conf', content: bytes(4000), uid: 1000, gid: 1000}]},
	]);
	assert.equal(brief(finding), 'copy-chown [1,2] saves 4000 (20.2 %)');
	assert.equal(finding.fix.dockerfile, 'COPY --chown=1000:1000 app.conf /etc/app/');
});

test('a RUN that makes a file, then a RUN chmod: one merged RUN', async () => {
	const [finding, ...rest] = await findingsOf([
		...debianBase,
		{createdBy: run('dd if=/dev/zero of=/data.bin bs=1000 count=50'), entries: [{name: 'data.bin', content: bytes(50_000)}]},
		{createdBy: run('chmod 600 /data.bin'), entries: [{name: 'data.bin', content: bytes(50_000), mode: 0o600}]},
	]);
	assert.equal(rest.length, 0);
	assert.equal(brief(finding), 'merge-runs [1,2] saves 50000 (44.72 %)');
	assert.equal(finding.fix.dockerfile, 'RUN dd if=/dev/zero of=/data.bin bs=1000 count=50 && chmod 600 /data.bin');
});

test('a RUN that makes a file, a COPY, then a RUN chmod: the chmod moves into the RUN that made the file', async () => {
	const [finding] = await findingsOf([
		...debianBase,
		{createdBy: run('dd if=/dev/zero of=/data.bin bs=1000 count=50'), entries: [{name: 'data.bin', content: bytes(50_000)}]},
		{createdBy: nop('COPY file:77aa in /etc/app.conf '), entries: [{name: 'etc/app.conf', content: 'x=1\n'}]},
		{createdBy: run('echo done && chmod 600 /data.bin'), entries: [{name: 'data.bin', content: bytes(50_000), mode: 0o600}]},
	]);
	assert.equal(brief(finding), 'move-into-run [1,3] saves 50000 (44.72 %)');
	assert.equal(finding.fix.dockerfile, 'RUN dd if=/dev/zero of=/data.bin bs=1000 count=50 && chmod 600 /data.bin');
	assert.equal(finding.fix.summary, 'run `chmod 600 /data.bin` in the RUN of layer 1 that made the files');
});

test('waste stored and hidden inside the base image is inherited; the build’s own waste is not', async () => {
	const findings = await findingsOf([
		{
			createdBy: nop('ADD file:aa in / '),
			entries: [
				{name: 'usr/big', content: bytes(30_000)},
				{name: 'bin/sh', content: bytes(100)},
			],
		},
		{createdBy: run('rm /usr/big'), entries: [{name: 'usr/big', type: 'whiteout'}]},
		{createdBy: nop(' CMD ["sh"]')},
		{createdBy: run('echo hi > /hello'), entries: [{name: 'hello', content: 'hi\n'}]},
		{createdBy: run('dd if=/dev/zero of=/x bs=1000 count=20'), entries: [{name: 'x', content: bytes(20_000)}]},
		{createdBy: run('rm /x'), entries: [{name: 'x', type: 'whiteout'}]},
	]);
	assert.deepEqual(findings.map(brief), ['merge-runs [3,4] saves 20000 (39.92 %)', 'slimmer-base [0,1] saves 30000 (59.88 %) inherited']);
	const inherited = findings[1];
	assert.equal(inherited.fix.dockerfile, null);
	assert.equal(inherited.fix.summary, "inherited from the base image: use a slimmer base image or fix the base image's own Dockerfile");
	assert.equal(
		inherited.diagnosis,
		'layer 0 (base image) `ADD file:aa in /` stored /usr/big (30.0 kB); layer 1 (base image) `RUN rm /usr/big` deleted it, but a delete in a later layer cannot shrink an earlier one; both layers belong to the base image, so no step of this Dockerfile can remove it',
	);
});

test('an install rewriting dpkg status, debconf and ld.so.cache of the base: unavoidable noise, no advice', async () => {
	const findings = await findingsOf([
		...debianBase,
		{createdBy: run('apt-get install -y curl'), entries: [{name: 'usr/bin/curl', content: bytes(3000)}, ...bookkeepingRewrite]},
	]);
	assert.deepEqual(findings.map(brief), ['none [0,1] saves 0 (0 %)']);
	assert.equal(findings[0].fix.dockerfile, null);
});

test('the base’s bookkeeping an install rewrote, some with new content and some with the same: one noise pair told once, the cost of installing on a base', async () => {
	const [noise, ...rest] = await findingsOf([
		...debianBase,
		{
			createdBy: run('apt-get install -y curl'),
			entries: [
				{name: 'usr/bin/curl', content: bytes(3000)},
				{name: 'var/lib/dpkg/status', content: bytes(1100, 'b')},
				// debconf's config written again unchanged: a duplicate, but bookkeeping like the rest.
				{name: 'var/cache/debconf/config.dat', content: bytes(300, 'a')},
			],
		},
	]);
	assert.equal(rest.length, 0);
	assert.equal(brief(noise), 'none [0,1] saves 0 (0 %)');
	assert.deepEqual(wasteOf(noise), ['0->1 overwritten 1 1000: /var/lib/dpkg/status 1 1000', '0->1 duplicate 1 300: /var/cache/debconf/config.dat 1 300']);
	assert.equal(
		noise.diagnosis,
		'layer 0 (base image) `ADD file:5f6e0b0c8d in /` stored 1.30 kB of package bookkeeping (dpkg status, debconf, ld.so.cache and the like); ' +
			'layer 1 `RUN apt-get install -y curl` rewrote them as a side effect of a package operation; ' +
			'a small, unavoidable cost of installing packages on top of the base image: any package operation rewrites these files',
	);
});

test('bookkeeping one install of this build stored and the next rewrote: noise, the cost of installing in more than one step', async () => {
	const [noise, ...rest] = await findingsOf([
		...debianBase,
		{createdBy: run('apt-get install -y curl'), entries: [{name: 'usr/bin/curl', content: bytes(3000)}, ...bookkeepingRewrite]},
		{
			createdBy: run('apt-get install -y jq'),
			entries: [
				{name: 'usr/bin/jq', content: bytes(2000)},
				{name: 'var/lib/dpkg/status', content: bytes(1200, 'c')},
			],
		},
	]);
	assert.equal(rest.length, 0);
	assert.equal(brief(noise), 'none [0,1,2] saves 0 (0 %)');
	assert.equal(
		noise.diagnosis,
		'layer 0 (base image) `ADD file:5f6e0b0c8d in /` stored 1.80 kB of package bookkeeping (dpkg status, debconf, ld.so.cache and the like); ' +
			'layer 1 `RUN apt-get install -y curl` rewrote them as a side effect of a package operation; ' +
			'layer 1 `RUN apt-get install -y curl` stored /var/lib/dpkg/status (1.10 kB); layer 2 `RUN apt-get install -y jq` rewrote it as a side effect of a package operation; ' +
			'a small, unavoidable cost of installing packages in more than one step',
	);
});

test('two RUNs of update and install: merged; the package caches and the bookkeeping beside them told apart, the paths of the caches first', async () => {
	const install = (name: string, ch: string): Step => ({
		createdBy: run(`apt-get update && apt-get install -y ${name} && rm -rf /var/lib/apt/lists/*`),
		entries: [
			{name: `usr/bin/${name}`, content: bytes(2000, ch)},
			{name: 'var/cache/apt/pkgcache.bin', content: bytes(40_000, ch)},
			{name: 'var/cache/apt/srcpkgcache.bin', content: bytes(39_000, ch)},
			{name: 'var/lib/dpkg/status', content: bytes(1100, ch)},
			{name: 'var/log/dpkg.log', content: bytes(400, ch)},
			{name: 'var/cache/ldconfig/aux-cache', content: bytes(50, ch)},
			{name: 'etc/ld.so.cache', content: bytes(500, ch)},
			{name: 'var/cache/debconf/templates.dat', content: bytes(700, 't')},
		],
	});
	const [merge, ...rest] = await findingsOf([debianBase[0], debianBase[1], install('jq', 'j'), install('curl', 'k')]);
	assert.equal(brief(merge), 'merge-runs [1,2] saves 81750 (45.59 %)');
	// The noise of layer 0 the first install rewrote is its own finding.
	assert.deepEqual(rest.map(brief), ['none [0,1] saves 0 (0 %)']);
	assert.deepEqual(wasteOf(merge), [
		'1->2 overwritten 6 81050: /var/cache/apt/ 2 79000, /var/lib/dpkg/status 1 1100, /etc/ld.so.cache 1 500',
		'1->2 duplicate 1 700: /var/cache/debconf/templates.dat 1 700',
	]);
	assert.equal(
		merge.diagnosis,
		'layer 1 `RUN apt-get update && apt-get install -y jq && rm -rf /var/…` stored 79.0 kB of package cache; ' +
			'layer 2 `RUN apt-get update && apt-get install -y curl && rm -rf /va…` replaced them, and the image keeps both versions; ' +
			'layer 1 `RUN apt-get update && apt-get install -y jq && rm -rf /var/…` stored 2.75 kB of package bookkeeping (dpkg status, debconf, ld.so.cache and the like); ' +
			'layer 2 `RUN apt-get update && apt-get install -y curl && rm -rf /va…` rewrote them as a side effect of a package operation',
	);
});

test('a chown -R over files the base image shipped: this build’s to fix, not inherited', async () => {
	const shipped = ['a', 'b', 'c'].map((name, i) => ({name: `usr/share/app/${name}`, content: bytes(10_000, String(i))}));
	const [finding, ...rest] = await findingsOf([
		debianBase[0],
		{createdBy: nop('ADD file:bb in /usr/share/app/ '), entries: shipped},
		debianBase[1],
		{createdBy: run('chown -R 1000:1000 /usr/share/app'), entries: shipped.map(entry => ({...entry, uid: 1000}))},
	]);
	assert.equal(rest.length, 0);
	assert.equal(brief(finding), 'base-rewrite [1,2] saves 30000 (41.78 %)');
	assert.equal(
		finding.diagnosis,
		"layer 1 (base image) `ADD file:bb in /usr/share/app/` stored 30.0 kB of files; layer 2 `RUN chown -R 1000:1000 /usr/share/app` rewrote them with the same content (a mode, owner or time change), which stores a second full copy; the step is this build's, so this is this build's to fix",
	);
	assert.deepEqual(wasteOf(finding), ['1->2 duplicate 3 30000: /usr/share/app/ 3 30000']);
});

test('COPY . then rm -rf: .dockerignore lines relative to the context', async () => {
	const [finding] = await findingsOf([
		...debianBase,
		buildkit('WORKDIR /app'),
		{
			...buildkit('COPY . .'),
			entries: [
				{name: 'app/main.js', content: bytes(1000)},
				{name: 'app/tests/a.test.js', content: bytes(2000)},
				{name: 'app/tests/b.test.js', content: bytes(3000)},
			],
		},
		{...buildkit('RUN /bin/sh -c rm -rf tests'), entries: [{name: 'app/tests', type: 'whiteout'}]},
	]);
	assert.equal(brief(finding), 'dockerignore [1,2] saves 5000 (28.09 %)');
	assert.equal(finding.fix.dockerfile, 'tests/');
	assert.equal(
		finding.diagnosis,
		'layer 1 `COPY . .` stored 5.00 kB of files; layer 2 `RUN rm -rf tests` deleted them, but a delete in a later layer cannot shrink an earlier one',
	);
});

test('a toolchain installed, used, then purged: a multi-stage build from the base the image names', async () => {
	const [finding, ...rest] = await findingsOf(
		[
			{createdBy: nop('ADD file:cc in / '), entries: [{name: 'bin/sh', content: bytes(100)}]},
			{createdBy: nop(' CMD ["/bin/sh"]')},
			{
				createdBy: run('apk add --virtual .build-deps gcc musl-dev'),
				entries: [
					{name: 'usr/bin/gcc', content: bytes(40_000)},
					{name: 'usr/lib/libc.a', content: bytes(10_000)},
					{name: 'lib/apk/db/installed', content: bytes(700, 'i')},
				],
			},
			{createdBy: run('make && make install'), entries: [{name: 'usr/local/bin/app', content: bytes(5000)}]},
			{
				createdBy: run('apk del .build-deps'),
				entries: [
					{name: 'usr/bin/gcc', type: 'whiteout'},
					{name: 'usr/lib/libc.a', type: 'whiteout'},
					{name: 'lib/apk/db/installed', content: bytes(100, 'j')},
				],
			},
		],
		{'org.opencontainers.image.base.name': 'docker.io/library/alpine:3.20'},
	);
	assert.equal(rest.length, 0);
	assert.equal(brief(finding), 'multi-stage [1,2,3] saves 50700 (90.7 %)');
	assert.equal(
		finding.fix.dockerfile,
		[
			'FROM docker.io/library/alpine:3.20 AS build',
			'RUN apk add --virtual .build-deps gcc musl-dev && make && make install',
			'FROM docker.io/library/alpine:3.20',
			'# COPY --from=build <what the build made> <where it goes>',
		].join('\n'),
	);
	assert.match(
		finding.diagnosis,
		/^layer 1 `RUN apk add --virtual \.build-deps gcc musl-dev` stored 50\.0 kB of build tools; layer 3 `RUN apk del \.build-deps` deleted them/,
	);
});

test('a pip cache deleted in a later RUN: merged, the cache named as such', async () => {
	const [finding] = await findingsOf([
		...debianBase,
		{
			createdBy: run('pip install flask'),
			entries: [
				{name: 'root/.cache/pip/http/a', content: bytes(7000)},
				{name: 'root/.cache/pip/http/b', content: bytes(3000)},
				{name: 'usr/lib/python3/flask.py', content: bytes(900)},
			],
		},
		{createdBy: run('rm -rf /root/.cache'), entries: [{name: 'root/.cache', type: 'whiteout'}]},
	]);
	assert.equal(brief(finding), 'merge-runs [1,2] saves 10000 (44.05 %)');
	assert.equal(finding.fix.dockerfile, 'RUN pip install flask && rm -rf /root/.cache');
	assert.match(finding.diagnosis, /^layer 1 `RUN pip install flask` stored 10\.0 kB of cache files; /);
});

test('an image without waste has no findings', async () => {
	assert.deepEqual(await findingsOf([...debianBase, {createdBy: run('echo hi > /hello'), entries: [{name: 'hello', content: 'hi\n'}]}]), []);
});

test('ADD of a URL by the classic builder (recorded as a bare sha256): the URL from the Dockerfile, else said to be missing', async () => {
	const steps: Step[] = [
		...debianBase,
		{createdBy: nop(`ADD ${'6'.repeat(64)} in /tmp/ `), entries: [{name: 'tmp/blob.bin', content: bytes(12_000)}]},
		{createdBy: run('rm /tmp/blob.bin'), entries: [{name: 'tmp/blob.bin', type: 'whiteout'}]},
	];
	const analysis = await analyzeSteps(steps);
	const [bare] = advise(analysis).findings;
	assert.equal(brief(bare), 'download-in-run [1,2] saves 12000 (50.42 %)');
	assert.equal(bare.fix.dockerfile, 'RUN curl -fsSL -o /tmp/blob.bin <the URL the ADD fetched> && rm /tmp/blob.bin');
	const [mapped] = advise(analysis, {
		dockerfile: {path: 'Dockerfile', text: 'FROM debian\nADD https://example.com/blob.bin /tmp/\nRUN rm /tmp/blob.bin\n'},
	}).findings;
	assert.equal(mapped.fix.dockerfile, 'RUN curl -fsSL -o /tmp/blob.bin https://example.com/blob.bin && rm /tmp/blob.bin');
	assert.equal(mapped.dockerfileLine, 2);
});

test('COPY . then chown -R of the destination: COPY --chown; a chmod of some of the files or a sed -i: edit them in the build context', async () => {
	const copied = [
		{name: 'app/bin/server', content: bytes(6000, 's')},
		{name: 'app/config.yaml', content: bytes(800, 'c')},
	];
	const chown = await findingsOf([
		...debianBase,
		{...buildkit('COPY . /app'), entries: copied},
		{...buildkit('RUN /bin/sh -c chown -R app:app /app'), entries: copied.map(entry => ({...entry, uid: 1000, gid: 1000}))},
	]);
	assert.deepEqual(
		chown.map(f => [brief(f), f.fix.dockerfile]),
		[['copy-chown [1,2] saves 6800 (26.77 %)', 'COPY --chown=app:app . /app']],
	);
	const some = await findingsOf([
		...debianBase,
		{...buildkit('COPY . /app'), entries: copied},
		{...buildkit('RUN /bin/sh -c chmod +x /app/bin/server'), entries: [{...copied[0], mode: 0o755}]},
		{...buildkit("RUN /bin/sh -c sed -i 's/debug: true/debug: false/' /app/config.yaml"), entries: [{name: 'app/config.yaml', content: bytes(801, 'd')}]},
	]);
	assert.deepEqual(
		some.map(f => [brief(f), f.fix.dockerfile]),
		[
			['edit-in-context [1,2] saves 6000 (23.62 %)', null],
			['edit-in-context [1,3] saves 800 (3.15 %)', null],
		],
	);
	assert.equal(
		some[0].fix.summary,
		'change the file in the build context instead of rewriting the copy in a later layer (COPY keeps the content and the mode it finds)',
	);
});

test('the bundled demo image: the findings every output will show', async () => {
	const {loadImage} = await import('../source/sources/load.js');
	const advice = advise(await loadImage('media/demo-image.tar.gz'));
	assert.deepEqual(
		advice.findings.map(f => [brief(f), f.fix.dockerfile]),
		[
			[
				'merge-runs [1,2] saves 224000 (23.72 %)',
				'RUN apt-get update && \\\n    apt-get install -y --no-install-recommends curl ca-certificates && \\\n    rm -rf /var/lib/apt/lists/*',
			],
			['merge-runs [5,6] saves 184000 (19.48 %)', 'RUN pip install --target /app/lib -r requirements.txt && rm -rf /root/.cache'],
			['edit-in-context [3,4] saves 135000 (14.29 %)', null],
			['edit-in-context [3,7] saves 800 (0.08 %)', null],
		],
	);
});

test('a finding over many pairs of layers describes the three largest and sums the rest; layers without history are named alone', async () => {
	const [merge] = await findingsOf([
		...debianBase,
		{createdBy: run('make all'), entries: ['a', 'b', 'c', 'd'].map((name, i) => ({name: `out/${name}`, content: bytes(4000 - i * 1000)}))},
		...['a', 'b', 'c', 'd'].map(name => ({createdBy: run(`rm /out/${name}`), entries: [{name: `out/${name}`, type: 'whiteout' as const}]})),
	]);
	assert.equal(brief(merge), 'merge-runs [1,2,3,4,5] saves 10000 (45.87 %)');
	assert.equal(merge.fix.dockerfile, 'RUN make all && rm /out/a && rm /out/b && rm /out/c && rm /out/d');
	assert.match(
		merge.diagnosis,
		/; layer 1 `RUN make all` stored \/out\/c \(2\.00 kB\); layer 4 `RUN rm \/out\/c` deleted it, but a delete in a later layer cannot shrink an earlier one; and 1\.00 kB more in 1 other pair of layers$/,
	);
	const [bare] = await findingsOf([
		{createdBy: '', entries: [{name: 'x', content: bytes(500)}]},
		{createdBy: '', entries: [{name: 'x', type: 'whiteout'}]},
	]);
	assert.equal(brief(bare), 'single-write [0,1] saves 500 (100 %)');
	assert.equal(bare.diagnosis, 'layer 0 stored /x (500 B); layer 1 deleted it, but a delete in a later layer cannot shrink an earlier one');
});

test('COPY of a directory then rm of part of it: the .dockerignore line is under the source directory', async () => {
	const [finding] = await findingsOf([
		...debianBase,
		{
			...buildkit('COPY src/ /app/src/'),
			entries: [
				{name: 'app/src/main.c', content: bytes(1000)},
				{name: 'app/src/testdata/big.bin', content: bytes(7000)},
			],
		},
		{...buildkit('RUN /bin/sh -c rm -rf /app/src/testdata'), entries: [{name: 'app/src/testdata', type: 'whiteout'}]},
	]);
	assert.deepEqual([brief(finding), finding.fix.dockerfile], ['dockerignore [1,2] saves 7000 (35.35 %)', 'src/testdata/big.bin']);
});

test('an archive COPYed, unpacked and deleted by a later RUN: the RUN with the archive bind-mounted, without the delete', async () => {
	const [finding, ...rest] = await findingsOf([
		...debianBase,
		{createdBy: nop('COPY file:99aa in /tmp/ '), entries: [{name: 'tmp/app.tar.gz', content: bytes(30_000)}]},
		{
			createdBy: run('tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz'),
			entries: [
				{name: 'opt/app', content: bytes(40_000)},
				{name: 'tmp/app.tar.gz', type: 'whiteout'},
			],
		},
	]);
	assert.equal(rest.length, 0);
	assert.equal(brief(finding), 'bind-mount [1,2] saves 30000 (36.67 %)');
	assert.equal(finding.fix.dockerfile, 'RUN --mount=type=bind,source=app.tar.gz,target=/tmp/app.tar.gz tar -xzf /tmp/app.tar.gz -C /opt');
	assert.match(finding.diagnosis, /^layer 1 `COPY file:99aa in \/tmp\/` stored \/tmp\/app\.tar\.gz \(30\.0 kB\); layer 2 /);
});

test('each package manager’s cache, filled by one RUN and deleted by the next: merged, the bytes named as its cache', async () => {
	const cases: [string, string, string, string][] = [
		['dnf install -y tar', '/var/cache/dnf/repo/a.rpm', 'rm -rf /var/cache/dnf', 'package cache'],
		['apk add curl', '/var/cache/apk/APKINDEX.tar.gz', 'rm -rf /var/cache/apk/*', 'package cache'],
		['npm ci', '/root/.npm/_cacache/index', 'rm -rf /root/.npm', 'cache files'],
		['yarn install', '/usr/local/share/.cache/yarn/v6/pkg', 'yarn cache clean', 'cache files'],
		['pnpm install', '/root/.local/share/pnpm/store/v3/x', 'rm -rf ~/.local/share/pnpm/store', 'cache files'],
		['gem install rails', '/usr/local/bundle/cache/rails.gem', 'rm -rf /usr/local/bundle/cache', 'cache files'],
		['go mod download', '/go/pkg/mod/cache/download/x.zip', 'go clean -modcache', 'cache files'],
		['cargo build --release', '/usr/local/cargo/registry/cache/x.crate', 'rm -rf /usr/local/cargo/registry', 'cache files'],
		['composer install', '/root/.composer/cache/files/x.zip', 'composer clear-cache', 'cache files'],
	];
	for (const [install, file, clean, what] of cases) {
		const name = file.slice(1);
		const [finding, ...rest] = await findingsOf([
			...debianBase,
			{
				createdBy: run(install),
				entries: [
					{name, content: bytes(3000)},
					{name: `${name}.2`, content: bytes(2000)},
				],
			},
			{
				createdBy: run(clean),
				entries: [
					{name, type: 'whiteout'},
					{name: `${name}.2`, type: 'whiteout'},
				],
			},
		]);
		assert.equal(rest.length, 0, install);
		assert.equal(brief(finding), 'merge-runs [1,2] saves 5000 (29.76 %)', install);
		assert.equal(finding.fix.dockerfile, `RUN ${install} && ${clean}`);
		assert.ok(finding.diagnosis.startsWith(`layer 1 \`RUN ${install}\` stored 5.00 kB of ${what}; layer 2 \`RUN ${clean}\` deleted them`), finding.diagnosis);
	}
});

// No clock here (speed lives in the bench); a quadratic grouping would show as this test running for minutes.
test('200,000 wasted files: one inherited finding, their paths summarised as one directory', async () => {
	const base = await analyzeSteps([
		{createdBy: nop('ADD file:aa in / '), entries: [{name: 'bin/sh', content: bytes(10)}]},
		{createdBy: run('rm -rf /usr/share/doc'), entries: []},
		{createdBy: nop(' CMD ["sh"]')},
		{createdBy: run('echo hi > /hello'), entries: [{name: 'hello', content: 'hi\n'}]},
	]);
	const files = Array.from({length: 200_000}, (_, i) => ({
		path: `/usr/share/doc/p${i % 1000}/f${i}`,
		layerIndex: 0,
		sizeBytes: 10,
		cause: 'removed' as const,
		hiddenByLayerIndex: 1,
	}));
	const analysis = {
		...base,
		image: {...base.image, sizeBytes: 2_000_013},
		waste: {totalBytes: 2_000_000, byCause: {removed: 2_000_000, overwritten: 0, duplicate: 0}, files},
	};
	const findings = advise(analysis).findings;
	assert.deepEqual(findings.map(brief), ['slimmer-base [0,1] saves 2000000 (100 %) inherited']);
	assert.deepEqual(findings[0].waste[0].topPaths, [{path: '/usr/share/doc/', files: 200_000, bytes: 2_000_000}]);
});
