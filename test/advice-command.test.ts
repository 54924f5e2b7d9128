// Reading the commands: history `created_by` forms of the classic builder and BuildKit, the shell steps and what
// each does, where the base image ends, and a Dockerfile mapped onto the history.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {findBaseBoundary} from '../source/advice/base-boundary.js';
import {parseCommand} from '../source/advice/command.js';
import {matchDockerfile, parseDockerfile} from '../source/advice/dockerfile.js';
import {isBookkeeping, stepAction, targets} from '../source/advice/patterns.js';
import {advise} from '../source/advice/index.js';
import type {HistoryItem} from '../source/model/types.js';
import {analyzeSteps, aptThreeSteps} from './helpers/advice-fixtures.js';

const brief = (createdBy: string): string => {
	const c = parseCommand(createdBy);
	return `${c.instruction} | ${c.text} | ${c.steps.map(s => s.argv.join(' ')).join(' ; ')}`;
};

test('created_by forms: classic /bin/sh -c and #(nop), BuildKit with # buildkit, build-argument prefixes, --mount flags, exec form', () => {
	assert.equal(
		brief('/bin/sh -c apt-get update && apt-get install -y jq'),
		'RUN | RUN apt-get update && apt-get install -y jq | apt-get update ; apt-get install -y jq',
	);
	assert.equal(brief('/bin/sh -c #(nop)  CMD ["bash"]'), 'CMD | CMD ["bash"] | ');
	assert.equal(brief('/bin/sh -c #(nop) COPY file:0123abcd in /opt/ '), 'COPY | COPY file:0123abcd in /opt/ | ');
	assert.equal(brief('|2 A=1 B=two /bin/sh -c make A=$A'), 'RUN | RUN make A=$A | make A=$A');
	assert.equal(brief('RUN |1 V=3 /bin/sh -c echo $V # buildkit'), 'RUN | RUN echo $V | echo $V');
	assert.equal(
		brief('RUN --mount=type=cache,target=/root/.cache /bin/sh -c pip install -r req.txt # buildkit'),
		'RUN | RUN pip install -r req.txt | pip install -r req.txt',
	);
	assert.deepEqual(parseCommand('RUN --mount=type=cache,target=/root/.cache /bin/sh -c pip install x # buildkit').runFlags, [
		'--mount=type=cache,target=/root/.cache',
	]);
	assert.deepEqual(parseCommand('RUN |2 A=1 B=2 /bin/sh -c true # buildkit').buildArgs, {A: '1', B: '2'});
	assert.equal(brief('RUN ["apt-get","update"]'), 'RUN | RUN apt-get update | apt-get update');
	assert.equal(brief('ENV PATH=/usr/local/bin:/usr/bin'), 'ENV | ENV PATH=/usr/local/bin:/usr/bin | ');
	assert.equal(brief('# debian.sh --arch amd64 out/ bookworm'), 'UNKNOWN | # debian.sh --arch amd64 out/ bookworm | ');
	assert.equal(brief(''), 'UNKNOWN |  | ');
	const copy = parseCommand('COPY --chown=1:1 --chmod=644 a b /dst/ # buildkit').copy;
	assert.deepEqual(copy, {flags: {chown: '1:1', chmod: '644'}, sources: ['a', 'b'], dest: '/dst/'});
	assert.deepEqual(parseCommand('/bin/sh -c #(nop) ADD file:abc in / ').copy, {flags: {}, sources: ['file:abc'], dest: '/'});
});

test('heredocs: a script that is a heredoc runs its lines; a heredoc feeding a command is data', () => {
	assert.equal(
		brief('RUN /bin/sh -c <<EOF\napt-get update\napt-get install -y jq\nEOF # buildkit'),
		'RUN | RUN apt-get update; apt-get install -y jq | apt-get update ; apt-get install -y jq',
	);
	assert.equal(
		parseCommand("/bin/sh -c cat > /etc/x <<'EOF'\na && b\nEOF\nchmod 600 /etc/x")
			.steps.map(s => s.text)
			.join(' ; '),
		'cat > /etc/x ; chmod 600 /etc/x',
	);
});

test('steps split at && || ; | and newlines, not inside quotes; comments, line continuations, sudo and assignments handled', () => {
	const steps = parseCommand(
		'/bin/sh -c set -eux; \\\n  DEBIAN_FRONTEND=noninteractive sudo apt-get install -y \'a b\' || true; echo "x && y" | tee /f # done',
	).steps;
	assert.deepEqual(
		steps.map(s => s.argv),
		[['set', '-eux'], ['apt-get', 'install', '-y', 'a b'], ['true'], ['echo', 'x && y'], ['tee', '/f']],
	);
});

test('what a step does: package managers and their operations, downloads, archives, deletes, rewrites', () => {
	const action = (text: string): string => JSON.stringify(stepAction(parseCommand(`/bin/sh -c ${text}`).steps[0]));
	assert.equal(
		action('apt-get install -y --no-install-recommends jq curl'),
		'{"kind":"package","manager":"apt","op":"install","packages":["jq","curl"],"options":["-y","--no-install-recommends"]}',
	);
	assert.equal(
		action('apt-get -o Dpkg::Options::=--force-confnew -t bookworm-backports install -y jq'),
		'{"kind":"package","manager":"apt","op":"install","packages":["jq"],"options":["-o","-t","-y"]}',
	);
	assert.equal(
		action('pip install -r requirements.txt --target /app/lib'),
		'{"kind":"package","manager":"pip","op":"install","packages":[],"options":["-r","--target"]}',
	);
	assert.equal(action('apt-get purge -y gcc'), '{"kind":"package","manager":"apt","op":"remove","packages":["gcc"],"options":["-y"]}');
	assert.equal(
		action('apk add --no-cache --virtual .build-deps gcc'),
		'{"kind":"package","manager":"apk","op":"install","packages":[".build-deps","gcc"],"options":["--no-cache","--virtual"]}',
	);
	assert.equal(action('apk del .build-deps'), '{"kind":"package","manager":"apk","op":"remove","packages":[".build-deps"],"options":[]}');
	assert.equal(action('microdnf install -y tar'), '{"kind":"package","manager":"yum","op":"install","packages":["tar"],"options":["-y"]}');
	assert.equal(action('dnf clean all'), '{"kind":"package","manager":"yum","op":"clean","packages":["all"],"options":[]}');
	assert.equal(
		action('python3 -m pip install --no-cache-dir flask'),
		'{"kind":"package","manager":"pip","op":"install","packages":["flask"],"options":["--no-cache-dir"]}',
	);
	assert.equal(action('npm ci'), '{"kind":"package","manager":"npm","op":"install","packages":[],"options":[]}');
	assert.equal(action('yarn'), '{"kind":"package","manager":"yarn","op":"install","packages":[],"options":[]}');
	assert.equal(action('pnpm install --frozen-lockfile'), '{"kind":"package","manager":"pnpm","op":"install","packages":[],"options":["--frozen-lockfile"]}');
	assert.equal(action('gem install bundler'), '{"kind":"package","manager":"gem","op":"install","packages":["bundler"],"options":[]}');
	assert.equal(action('go build ./cmd'), '{"kind":"package","manager":"go","op":"build","packages":["./cmd"],"options":[]}');
	assert.equal(action('cargo build --release'), '{"kind":"package","manager":"cargo","op":"build","packages":[],"options":["--release"]}');
	assert.equal(action('composer install --no-dev'), '{"kind":"package","manager":"composer","op":"install","packages":[],"options":["--no-dev"]}');
	assert.equal(action('dpkg -i /tmp/x.deb'), '{"kind":"package","manager":"dpkg","op":"install","packages":["/tmp/x.deb"],"options":["-i"]}');
	assert.equal(action('curl -fsSLo /tmp/a.tgz https://e.com/a.tgz'), '{"kind":"download","url":"https://e.com/a.tgz","output":"/tmp/a.tgz"}');
	assert.equal(action('curl -fsSLO https://e.com/dl/a.tgz?x=1'), '{"kind":"download","url":"https://e.com/dl/a.tgz?x=1","output":"a.tgz"}');
	assert.equal(action('wget -q https://e.com/b.zip'), '{"kind":"download","url":"https://e.com/b.zip","output":"b.zip"}');
	assert.equal(action('wget -qO- https://e.com/b.sh'), '{"kind":"download","url":"https://e.com/b.sh","output":null}');
	assert.equal(action('tar -xzf /tmp/a.tgz -C /opt'), '{"kind":"unpack","archive":"/tmp/a.tgz"}');
	assert.equal(action('unzip -q b.zip'), '{"kind":"unpack","archive":"b.zip"}');
	assert.equal(action('rm -rf /var/lib/apt/lists/* /tmp/x'), '{"kind":"delete","paths":["/var/lib/apt/lists/*","/tmp/x"]}');
	assert.equal(action('chmod -R 755 /app'), '{"kind":"rewrite","tool":"chmod","recursive":true,"value":"755","paths":["/app"]}');
	assert.equal(action('chown app:app /data'), '{"kind":"rewrite","tool":"chown","recursive":false,"value":"app:app","paths":["/data"]}');
	assert.equal(action('touch /etc/x'), '{"kind":"rewrite","tool":"touch","recursive":false,"value":null,"paths":["/etc/x"]}');
	assert.equal(
		action("sed -i 's/a/b/' /etc/x.conf /etc/y.conf"),
		'{"kind":"rewrite","tool":"sed","recursive":false,"value":null,"paths":["/etc/x.conf","/etc/y.conf"]}',
	);
	assert.equal(action('echo hi'), '{"kind":"other"}');
});

test('targets: globs, directories above a file, paths relative to the working directory', () => {
	assert.equal(targets('/var/lib/apt/lists/*', '/var/lib/apt/lists/x_Packages', '/'), true);
	assert.equal(targets('/var/lib/apt/lists/*', '/var/lib/apt/other', '/'), false);
	assert.equal(targets('tests', '/app/tests/a.js', '/app'), true);
	assert.equal(targets('/app', '/app/tests/a.js', '/', false), false);
	assert.equal(isBookkeeping('/var/lib/dpkg/status'), true);
	assert.equal(isBookkeeping('/var/cache/debconf/templates.dat'), true);
	assert.equal(isBookkeeping('/etc/ld.so.cache'), true);
	assert.equal(isBookkeeping('/var/cache/apt/pkgcache.bin'), false);
});

const item = (createdBy: string, layerIndex: number | null, comment?: string): HistoryItem => ({
	createdBy,
	created: null,
	emptyLayer: layerIndex === null,
	layerIndex,
	...(comment ? {comment} : {}),
});

test('base boundary: BuildKit comments, the classic closing CMD, a root filesystem, annotations, the Dockerfile', () => {
	const classic = [
		item('/bin/sh -c #(nop) ADD file:a in / ', 0),
		item('/bin/sh -c #(nop)  CMD ["bash"]', null),
		item('/bin/sh -c apt-get update', 1),
		item('/bin/sh -c #(nop)  CMD ["app"]', null),
	];
	assert.deepEqual(findBaseBoundary(classic, 2), {firstStep: 2, firstLayer: 1, method: 'classic', baseName: null});
	const bk = 'buildkit.dockerfile.v0';
	const buildkit = [
		item('/bin/sh -c #(nop) ADD file:a in / ', 0),
		item('/bin/sh -c #(nop)  CMD ["bash"]', null),
		item('RUN /bin/sh -c make # buildkit', 1, bk),
		item('CMD ["app"]', null, bk),
	];
	assert.deepEqual(findBaseBoundary(buildkit, 2, {annotations: {'org.opencontainers.image.base.name': 'debian:bookworm'}}), {
		firstStep: 2,
		firstLayer: 1,
		method: 'buildkit',
		baseName: 'debian:bookworm',
	});
	// A base built by BuildKit too: every entry has the comment, and the base's closing CMD decides.
	const both = [item('ADD rootfs.tar / # buildkit', 0, bk), item('CMD ["sh"]', null, bk), item('RUN /bin/sh -c make # buildkit', 1, bk)];
	assert.equal(findBaseBoundary(both, 2).method, 'classic');
	assert.equal(findBaseBoundary(both, 2).firstLayer, 1);
	const imported = [item('', 0, 'Imported from -'), item('/bin/sh -c dd if=/dev/zero of=/x', 1)];
	assert.deepEqual(findBaseBoundary(imported, 2, {labels: {'org.opencontainers.image.base.digest': 'sha256:abc'}}), {
		firstStep: 1,
		firstLayer: 1,
		method: 'rootfs',
		baseName: 'sha256:abc',
	});
	assert.deepEqual(findBaseBoundary([item('COPY app / # buildkit', 0, bk)], 1), {firstStep: 0, firstLayer: 0, method: 'none', baseName: null});
	assert.deepEqual(findBaseBoundary(classic, 2, {dockerfileStart: 3}), {firstStep: 3, firstLayer: 2, method: 'dockerfile', baseName: null});
});

test('Dockerfile: the last stage, continuation lines, comments inside them, heredocs, the escape directive', () => {
	const stages = parseDockerfile(
		'# escape=`\nFROM golang:1.22 AS build\nRUN go build `\n  # a comment\n  -o /app .\nFROM debian:bookworm\nCOPY --from=build /app /app\nRUN <<EOF\nset -e\ntouch /x\nEOF\nCMD ["/app"]\n',
	);
	assert.deepEqual(
		stages.map(s => `${s.line} ${s.from} ${s.name}`),
		['2 golang:1.22 build', '6 debian:bookworm null'],
	);
	assert.deepEqual(
		stages[0].instructions.map(i => `${i.line} ${i.instruction} ${i.args}`),
		['3 RUN go build    -o /app .'],
	);
	assert.deepEqual(
		stages[1].instructions.map(i => `${i.line} ${i.instruction}`),
		['7 COPY', '8 RUN', '12 CMD'],
	);
	assert.equal(stages[1].instructions[1].args, '<<EOF\nset -e\ntouch /x\nEOF');
});

test('Dockerfile mapped onto the history by order and command text: each finding names its line; a mismatch is said once', async () => {
	const analysis = await analyzeSteps(aptThreeSteps);
	const dockerfile = 'FROM debian:bookworm\n# the lists\nRUN apt-get update\nRUN apt-get install \\\n    -y jq\nRUN rm -rf /var/lib/apt/lists/*\n';
	const match = matchDockerfile(analysis.history, dockerfile);
	assert.deepEqual(
		[...match.lines],
		[
			[4, 6],
			[3, 4],
			[2, 3],
		],
	);
	assert.equal(match.start, 2);
	const advice = advise(analysis, {dockerfile: {path: 'Dockerfile', text: dockerfile}});
	assert.deepEqual(advice.dockerfile, {path: 'Dockerfile', matched: true, note: null});
	assert.equal(advice.base.method, 'dockerfile');
	assert.deepEqual(
		advice.findings.map(f => [f.fix.kind, f.dockerfileLine]),
		[
			['merge-runs', 3],
			['none', null],
		],
	);

	const wrong = advise(analysis, {dockerfile: {path: 'docker/Dockerfile', text: dockerfile.replace('jq', 'curl')}});
	assert.deepEqual(wrong.dockerfile, {
		path: 'docker/Dockerfile',
		matched: false,
		note: 'the Dockerfile does not match the image at line 4 `RUN apt-get install -y curl` (the image has `RUN apt-get install -y jq`); findings name no Dockerfile lines',
	});
	assert.equal(wrong.base.method, 'classic');
	assert.deepEqual(
		wrong.findings.map(f => f.dockerfileLine),
		[null, null],
	);
	const longer = advise(analysis, {dockerfile: {path: 'Dockerfile', text: 'FROM debian\nRUN a\nRUN b\nRUN c\nRUN d\nRUN e\nRUN f\n'}, lang: 'zh'});
	assert.equal(longer.dockerfile?.note, 'Dockerfile 与镜像不符：第 7 行 `RUN f`（镜像中是 `RUN rm -rf /var/lib/apt/lists/*`）；发现不标注 Dockerfile 行号');
});

test('a COPY the classic builder recorded as file:<hash> takes its source name from the Dockerfile', async () => {
	const {nop, run, bytes, debianBase} = await import('./helpers/advice-fixtures.js');
	const analysis = await analyzeSteps([
		...debianBase,
		{createdBy: nop('COPY file:0123abcd in /opt/data '), entries: [{name: 'opt/data', content: bytes(9000), mode: 0o644}]},
		{createdBy: run('chmod 400 /opt/data'), entries: [{name: 'opt/data', content: bytes(9000), mode: 0o400}]},
	]);
	const advice = advise(analysis, {dockerfile: {path: 'Dockerfile', text: 'FROM debian\nCOPY seed.bin /opt/data\nRUN chmod 400 /opt/data\n'}});
	assert.deepEqual(
		advice.findings.map(f => [f.fix.kind, f.fix.dockerfile, f.dockerfileLine, f.savingBytes]),
		[['copy-chmod', 'COPY --chmod=0400 seed.bin /opt/data', 2, 9000]],
	);
});

test('top paths: a directory holding several of the files summarises them; sibling directories fold a level at a time, until the largest few hold 90 % of the bytes', async () => {
	const {topPaths} = await import('../source/advice/top-paths.js');
	const file = (p: string, sizeBytes = 10): {path: string; sizeBytes: number} => ({path: p, sizeBytes});
	assert.deepEqual(topPaths([file('/var/lib/apt/lists/a', 50), file('/var/lib/apt/lists/b', 30), file('/etc/x', 5)]), [
		{path: '/var/lib/apt/lists/', files: 2, bytes: 80},
		{path: '/etc/x', files: 1, bytes: 5},
	]);
	const modules = Array.from({length: 40}, (_, i) => file(`/app/node_modules/p${i}/index.js`));
	assert.deepEqual(topPaths([...modules, file('/app/a.js'), file('/app/b.js')]), [
		{path: '/app/node_modules/', files: 40, bytes: 400},
		{path: '/app/', files: 2, bytes: 20},
	]);
	assert.deepEqual(topPaths(modules, 10), [{path: '/app/node_modules/', files: 40, bytes: 400}]);
	// apt's two caches hold nearly all the bytes: they are shown with the next largest, not folded with dpkg's files
	// into `/var/`; the small rest is left out.
	const rewritten = [
		file('/var/cache/apt/pkgcache.bin', 39_000),
		file('/var/cache/apt/srcpkgcache.bin', 39_000),
		file('/var/lib/dpkg/status', 80),
		file('/var/lib/dpkg/status-old', 80),
		file('/var/log/dpkg.log', 45),
		file('/var/cache/ldconfig/aux-cache', 5),
		file('/etc/ld.so.cache', 4),
	];
	assert.deepEqual(topPaths(rewritten), [
		{path: '/var/cache/apt/', files: 2, bytes: 78_000},
		{path: '/var/lib/dpkg/', files: 2, bytes: 160},
		{path: '/var/log/dpkg.log', files: 1, bytes: 45},
	]);
	// Empty files fold as before: with no bytes, the largest few hold nothing.
	assert.deepEqual(topPaths(modules.map(m => ({...m, sizeBytes: 0}))), [{path: '/app/node_modules/', files: 40, bytes: 0}]);
});

test('a Dockerfile without FROM is said once not to match', async () => {
	const advice = advise(await analyzeSteps(aptThreeSteps), {dockerfile: {path: 'Dockerfile', text: '# nothing here\n'}});
	assert.deepEqual(advice.dockerfile, {
		path: 'Dockerfile',
		matched: false,
		note: 'the Dockerfile has no FROM, so it cannot be matched with the image; findings name no Dockerfile lines',
	});
});

test('--dockerfile: read as text; a missing file, a directory, a binary or huge file is bad input naming the option', async () => {
	const {readDockerfile} = await import('../source/advice/dockerfile.js');
	const {tempDir} = await import('./helpers/fixtures.js');
	const {writeFileSync} = await import('node:fs');
	const dir = tempDir();
	writeFileSync(`${dir}/Dockerfile`, 'FROM debian\n');
	assert.deepEqual(await readDockerfile(`${dir}/Dockerfile`), {path: `${dir}/Dockerfile`, text: 'FROM debian\n'});
	const problem = async (file: string): Promise<string> =>
		readDockerfile(file).then(
			() => 'read',
			(error: Error) => error.message,
		);
	assert.equal(await problem(`${dir}/nope`), `--dockerfile ${dir}/nope: no such file`);
	assert.equal(await problem(dir), `--dockerfile ${dir}: is a directory`);
	writeFileSync(`${dir}/binary`, Buffer.from([0x46, 0x00, 0x52]));
	assert.equal(await problem(`${dir}/binary`), `--dockerfile ${dir}/binary: not a text file`);
	writeFileSync(`${dir}/huge`, Buffer.alloc((1 << 20) + 1, 0x20));
	assert.equal(await problem(`${dir}/huge`), `--dockerfile ${dir}/huge: larger than 1048576 bytes, not a Dockerfile`);
	assert.equal(targets('~/.cache', '/root/.cache/pip/x', '/app'), true);
	assert.equal(targets('$HOME/.npm', '/root/.npm/_cacache/a', '/'), true);
});

test('a base name label that is not a string is ignored', () => {
	const history = [item('/bin/sh -c #(nop) ADD file:a in / ', 0), item('/bin/sh -c #(nop)  CMD ["bash"]', null), item('/bin/sh -c make', 1)];
	assert.equal(
		findBaseBoundary(history, 2, {labels: {'org.opencontainers.image.base.name': {evil: true}, 'org.opencontainers.image.base.digest': 'sha256:1'}}).baseName,
		'sha256:1',
	);
});

test('build arguments whose values hold spaces, and shells a SHELL instruction set', () => {
	const c = parseCommand('|2 MSG=hello world N=3 /bin/sh -c echo $MSG');
	assert.deepEqual([c.instruction, c.text, c.buildArgs], ['RUN', 'RUN echo $MSG', {MSG: 'hello world', N: '3'}]);
	assert.equal(parseCommand('RUN /bin/bash -o pipefail -c curl -fsSL https://e.com/x | tar -x # buildkit').text, 'RUN curl -fsSL https://e.com/x | tar -x');
	assert.equal(parseCommand('/bin/sh -ec apt-get update').text, 'RUN apt-get update');
	assert.equal(parseCommand('RUN |1 V=1 bash -eux -o pipefail -c make # buildkit').text, 'RUN make');
});
