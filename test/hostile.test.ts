// Hostile input (issue #6): broken and malicious archives give a correct analysis or one clear error line and exit 2,
// never a stack trace, a hang or unbounded memory; no byte from an image reaches the terminal raw; nothing is written.
import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {existsSync, readFileSync, readdirSync, rmSync, symlinkSync} from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {Readable} from 'node:stream';
import {after, before, describe, test} from 'node:test';
import {loadImage} from '../source/sources/load.js';
import {describeError} from '../source/util/errors.js';
import {terminalJson, visible} from '../source/util/sanitize.js';
import {CLI, runCli} from './helpers/cli.js';
import {compress, dockerArchive, makeLayer, ociArchive, ociLayoutDir, sha256, tempDir, writeTemp, type FixtureImage} from './helpers/fixtures.js';
import {
	EVIL,
	EVIL_SHOWN,
	OSC_TITLE,
	TAR_END,
	dockerLayerNames,
	editArchive,
	manyEntriesLayer,
	ociArchiveFile,
	ociParts,
	paxHeader,
	rawControl,
	runBounded,
	setDockerConfig,
	tarHeader,
	tarPadding,
	zeroFileLayer,
	type BoundedResult,
} from './helpers/hostile-fixtures.js';

const SLOW = process.env.LAYERSCOPE_SLOW_TESTS === '1';
const MB = 1024 * 1024;

/** Two layers, a file of 5000 bytes stored then removed: known figures. */
const BASE: FixtureImage = {
	tags: ['base:1'],
	layers: [
		{
			entries: [
				{name: 'etc/a', content: 'hello'},
				{name: 'big', content: Buffer.alloc(5000, 1)},
			],
		},
		{
			entries: [
				{name: 'big', type: 'whiteout'},
				{name: 'etc/b', content: 'xy'},
			],
		},
	],
};

/** The one error line: exit 2, `layerscope: FILE: problem`, no stack, nothing raw. */
function assertOneErrorLine(result: BoundedResult | {code: number | null; stdout: string; stderr: string}, file: string, problem: RegExp): void {
	assert.equal(result.code, 2, `exit code, stderr: ${result.stderr}`);
	assert.equal(result.stdout, '');
	const lines = result.stderr.split('\n');
	assert.equal(lines.length, 2, `one line on stderr, got: ${JSON.stringify(result.stderr)}`);
	assert.equal(lines[1], '');
	assert.ok(lines[0].startsWith(`layerscope: ${file}: `), `names the input: ${lines[0]}`);
	assert.match(lines[0], problem);
	assert.doesNotMatch(result.stderr, /^\s+at /m);
	assert.equal(rawControl(result.stderr), null);
}

function assertSafeOutput(result: {stdout: string; stderr: string}): void {
	assert.equal(rawControl(result.stdout), null, 'stdout has no raw control characters');
	assert.equal(rawControl(result.stderr), null, 'stderr has no raw control characters');
	assert.doesNotMatch(result.stderr, /^\s+at .*:\d+:\d+\)?$/m, 'no stack frames');
}

// The three groups run side by side: most of the time is spent waiting on child processes.
describe('hostile input', {concurrency: 3}, () => {
	describe('broken archives: one clear error line, exit 2', {concurrency: 4}, async () => {
		const docker = await dockerArchive(BASE);
		const oci = await ociArchive(BASE, {compression: 'gzip'});
		const ociZstd = await ociArchive(BASE, {compression: 'zstd'});
		const cases: {name: string; archive: () => Promise<Buffer> | Buffer; problem: RegExp}[] = [
			{
				name: 'manifest naming a missing layer',
				archive: () => editArchive(docker, files => void files.delete(dockerLayerNames(files)[1])),
				problem: /the manifest names layer 1 \(.*layer\.tar\), which is missing$/,
			},
			{
				name: 'invalid JSON in manifest.json',
				archive: () => editArchive(docker, files => void files.set('manifest.json', Buffer.from('[{"Config": '))),
				problem: /manifest manifest\.json is not valid JSON/,
			},
			{
				name: 'manifest.json that is no list',
				archive: () => editArchive(docker, files => void files.set('manifest.json', Buffer.from('{"a": 1}'))),
				problem: /manifest\.json lists no image$/,
			},
			{
				name: 'invalid JSON in index.json',
				archive: () => editArchive(oci, files => void files.set('index.json', Buffer.from('{"manifests": ['))),
				problem: /index index\.json is not valid JSON/,
			},
			{
				name: 'invalid JSON in the config',
				archive: () =>
					editArchive(docker, files => {
						setDockerConfig(files, Buffer.from('{not json'));
					}),
				problem: /config .*\.json is not valid JSON/,
			},
			{
				name: 'a config nested 100,000 levels deep',
				archive: () =>
					editArchive(docker, files => {
						const manifest = JSON.parse(files.get('manifest.json')!.toString()) as {Config: string}[];
						const config = files.get(manifest[0].Config)!.toString();
						setDockerConfig(files, Buffer.from(config.replace('"config":{', `"config":{"Deep":${'['.repeat(100_000)}${']'.repeat(100_000)},`)));
					}),
				problem: /config .*\.json nests deeper than 512 levels$/,
			},
			{
				name: 'an ordinary tarball that is no image',
				archive: () =>
					makeLayer([
						{name: 'hello.txt', content: 'hi'},
						{name: 'etc/passwd', content: 'root'},
					]),
				problem: /not a container image archive \(no manifest\.json or index\.json\)$/,
			},
			{
				name: 'a layer whose bytes do not match its digest',
				archive: () => editArchive(oci, files => void files.set(ociParts(files).layers[0], compress(Buffer.alloc(1024), 'gzip'))),
				problem: /layer 0 \(blobs\/sha256\/[0-9a-f]{64}\) does not match its digest sha256:[0-9a-f]{64} \(read sha256:[0-9a-f]{64}\)$/,
			},
			{
				name: 'a docker save layer that does not match its diffID',
				archive: () => editArchive(docker, files => void files.set(dockerLayerNames(files)[0], files.get(dockerLayerNames(files)[1])!)),
				problem: /layer 0 \(.*layer\.tar\) does not match its diffID sha256:[0-9a-f]{64} \(read sha256:[0-9a-f]{64}\)$/,
			},
			{
				name: 'a gzip layer cut short',
				archive: () =>
					editArchive(oci, files => {
						const name = ociParts(files).layers[0];
						files.set(name, files.get(name)!.subarray(0, 60));
					}),
				problem: /layer 0: blobs\/sha256\/[0-9a-f]{64}: truncated compressed data/,
			},
			{
				name: 'a corrupt zstd frame',
				archive: () =>
					editArchive(ociZstd, files => {
						const name = ociParts(files).layers[0];
						const blob = Buffer.from(files.get(name)!);
						for (let i = 8; i < blob.length - 4; i += 7) blob[i] ^= 0x5a;
						files.set(name, blob);
					}),
				problem: /layer 0: blobs\/sha256\/[0-9a-f]{64}: corrupt zstd data/,
			},
			{
				name: 'a layer member that looks like JSON',
				archive: () => editArchive(docker, files => void files.set(dockerLayerNames(files)[0], Buffer.from('{"this is": "no tar"}'))),
				problem: /layer 0: .*layer\.tar: (not a tar archive|truncated)/,
			},
			{
				name: 'a gzip archive cut short',
				archive: () => compress(docker, 'gzip').subarray(0, 300),
				problem: /truncated compressed data \(unexpected end of file\)$/,
			},
			{
				name: 'a PAX header claiming a huge size (layer)',
				archive: () =>
					dockerArchive({
						layers: [{tar: Buffer.concat([paxHeader({size: '99999999999999'}), tarHeader('f', 5), Buffer.from('hello'), tarPadding(5), TAR_END])}],
					}),
				problem: /layer 0: .*layer\.tar: truncated \(unexpected end of data\)$/,
			},
			{
				name: 'a PAX header claiming a huge size (archive)',
				archive: () => Buffer.concat([paxHeader({size: '99999999999999'}), tarHeader('manifest.json', 5), Buffer.from('hello'), tarPadding(5), TAR_END]),
				problem: /truncated \(unexpected end of data\)$/,
			},
			{name: 'text that is no archive at all', archive: () => Buffer.from('this is not an archive\n'), problem: /(not a tar archive|truncated)/},
			{name: 'an empty file', archive: () => Buffer.alloc(0), problem: /empty input/},
		];

		for (const {name, archive, problem} of cases) {
			test(name, async () => {
				const file = writeTemp(await archive());
				for (const mode of ['--json', '--plain']) assertOneErrorLine(await runBounded([file, mode], {timeoutMs: 30_000}), file, problem);
				// The same bytes on stdin: the input is named `stdin`.
				assertOneErrorLine(await runBounded(['--json'], {input: await archive(), timeoutMs: 30_000}), 'stdin', problem);
			});
		}

		test('endless input: /dev/zero as the image, zero blocks on stdin, /dev/zero in an OCI layout', async () => {
			if (existsSync('/dev/zero')) {
				assertOneErrorLine(await runBounded(['/dev/zero', '--json'], {timeoutMs: 30_000}), '/dev/zero', /no tar entry in the last 64 MiB/);
			}
			assertOneErrorLine(await runBounded(['--plain'], {input: Buffer.alloc(80 * MB), timeoutMs: 30_000}), 'stdin', /no tar entry in the last 64 MiB/);
			const image: FixtureImage = {layers: [{entries: [{name: 'a', content: 'x'}]}]};
			for (const target of ['index', 'layer'] as const) {
				const dir = await ociLayoutDir(image, {compression: 'gzip'});
				const index = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8')) as {manifests: {digest: string}[]};
				const manifest = JSON.parse(readFileSync(path.join(dir, 'blobs/sha256', index.manifests[0].digest.slice(7)), 'utf8')) as {layers: {digest: string}[]};
				const file = target === 'index' ? path.join(dir, 'index.json') : path.join(dir, 'blobs/sha256', manifest.layers[0].digest.slice(7));
				rmSync(file);
				symlinkSync('/dev/zero', file);
				assertOneErrorLine(
					await runBounded([dir, '--json'], {timeoutMs: 30_000}),
					dir,
					target === 'index' ? /index\.json is not a regular file$/ : /layer 0: blobs\/sha256\/[0-9a-f]{64} is not a regular file$/,
				);
			}
		});

		test('tar oddities inside a layer: the analysis or one clear line', async () => {
			const body = (text: string): Buffer => Buffer.concat([Buffer.from(text), tarPadding(text.length)]);
			/** A header for `f` (5 bytes) changed by `edit`, its checksum made right again. */
			const edited = (edit: (header: Buffer) => void, name = 'f'): Buffer => {
				const header = tarHeader(name, 5);
				edit(header);
				header.fill(0x20, 148, 156);
				let sum = 0;
				for (const byte of header) sum += byte;
				header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
				return header;
			};
			const hello = body('hello');
			const badChecksum = tarHeader('f', 5);
			badChecksum[0] = 0x67;
			// Expected: [image size, file count] after the base layer's 1-byte file, or the error.
			const cases: [string, Buffer, [number, number] | RegExp][] = [
				[
					'a GNU long name',
					Buffer.concat([tarHeader('././@LongLink', 3000, 'L' as '0'), body('x/'.repeat(1499) + 'f\0'), tarHeader('short', 5), hello, TAR_END]),
					[6, 2],
				],
				['a negative PAX size', Buffer.concat([paxHeader({size: '-5'}), tarHeader('f', 5), hello, TAR_END]), /a corrupt tar header \(invalid size\)$/],
				[
					'a PAX size that is no number',
					Buffer.concat([paxHeader({size: 'abc'}), tarHeader('f', 5), hello, TAR_END]),
					/a corrupt tar header \(invalid size\)$/,
				],
				[
					'absurd PAX uid, gid and mtime',
					Buffer.concat([paxHeader({uid: '9'.repeat(30), gid: '-1', mtime: '1e308'}), tarHeader('f', 5), hello, TAR_END]),
					[6, 2],
				],
				['a base-256 size', Buffer.concat([edited(h => void (h.fill(0, 124, 136), (h[124] = 0x80), (h[135] = 5))), hello, TAR_END]), [6, 2]],
				[
					'a huge base-256 size',
					Buffer.concat([edited(h => void (h.fill(0xff, 124, 136), (h[124] = 0x80))), hello, TAR_END]),
					/truncated \(unexpected end of data\)$/,
				],
				// All 0xff is -1 in two's complement (it was read as -0, a 0-byte file): a size error, whatever follows.
				['a negative base-256 size', Buffer.concat([edited(h => void h.fill(0xff, 124, 136)), hello, TAR_END]), /a corrupt tar header \(invalid size\)$/],
				['a negative base-256 size and no body', Buffer.concat([edited(h => void h.fill(0xff, 124, 136)), TAR_END]), /a corrupt tar header \(invalid size\)$/],
				['a bad checksum', Buffer.concat([badChecksum, hello, TAR_END]), /not a tar archive, or a corrupt one$/],
				['a hard link to itself', Buffer.concat([tarHeader('a', 0, '1', 'a'), TAR_END]), [1, 2]],
				['hard links to each other', Buffer.concat([tarHeader('a', 0, '1', 'b'), tarHeader('b', 0, '1', 'a'), TAR_END]), [1, 3]],
				[
					'symlinks to each other, and a file under one',
					Buffer.concat([tarHeader('a', 0, '2', 'b'), tarHeader('b', 0, '2', 'a'), tarHeader('a/x', 5), hello, TAR_END]),
					[8, 3],
				], // the two 1-byte targets count
				['no end-of-archive blocks', Buffer.concat([tarHeader('f', 5), hello]), [6, 2]],
				[
					'whiteouts of the root, and of nothing',
					Buffer.concat([tarHeader('.wh..wh..opq', 0), tarHeader('.wh.', 0), tarHeader('.wh..', 0), tarHeader('..', 0, '5'), TAR_END]),
					[1, 0],
				],
				[
					'`..`, `/`, `.` and `./` entries',
					Buffer.concat([
						tarHeader('../', 0, '5'),
						tarHeader('../../etc/passwd', 5),
						hello,
						tarHeader('/', 0, '5'),
						tarHeader('./', 0, '5'),
						tarHeader('.', 0, '5'),
						TAR_END,
					]),
					[6, 2],
				],
			];
			for (const [name, layer, expected] of cases) {
				const file = writeTemp(await dockerArchive({layers: [{entries: [{name: 'base', content: 'b'}]}, {tar: layer}]}));
				const result = await runBounded([file, '--json'], {timeoutMs: 30_000});
				if (expected instanceof RegExp) {
					assertOneErrorLine(result, file, new RegExp(`layer 1: [0-9a-f]{64}/layer\\.tar: ${expected.source}`));
					continue;
				}
				assert.equal(result.code, 0, `${name}: ${result.stderr}`);
				const report = JSON.parse(result.stdout);
				assert.deepEqual([report.image.sizeBytes, report.image.fileCount], expected, name);
			}
		});

		test('a hostile registry: endless manifest, endless layer, endless error body, escapes in its messages', async () => {
			const config = Buffer.from(
				JSON.stringify({architecture: 'amd64', os: 'linux', rootfs: {type: 'layers', diff_ids: [`sha256:${'0'.repeat(64)}`]}, history: []}),
			);
			const configDigest = sha256(config);
			const manifest = Buffer.from(
				JSON.stringify({
					schemaVersion: 2,
					mediaType: 'application/vnd.oci.image.manifest.v1+json',
					config: {mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length},
					layers: [{mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: `sha256:${'1'.repeat(64)}`, size: 1024}],
				}),
			);
			/** Write the same chunk for as long as the client reads. */
			const endless = (response: http.ServerResponse, chunk: Buffer): void => {
				const pump = (): void => {
					while (!response.destroyed && response.write(chunk));
					if (!response.destroyed) response.once('drain', pump);
				};
				response.on('close', () => response.destroy());
				pump();
			};
			let mode = '';
			const server = http.createServer((request, response) => {
				const url = request.url ?? '';
				if (url === '/v2/') return void response.end('{}');
				if (url.includes('/manifests/')) {
					if (mode === 'error') {
						response.statusCode = 500;
						return void response.end(JSON.stringify({errors: [{code: 'MANIFEST_UNKNOWN', message: `no such tag ${EVIL}`}]}));
					}
					if (mode === 'endless-error') {
						response.statusCode = 500;
						return endless(response, Buffer.alloc(1 << 20, 0x20));
					}
					response.setHeader('content-type', 'application/vnd.oci.image.manifest.v1+json');
					return mode === 'manifest' ? endless(response, Buffer.alloc(1 << 20, 0x20)) : void response.end(manifest);
				}
				if (url.endsWith(`/blobs/${configDigest}`)) return void response.end(config);
				if (url.includes('/blobs/')) return endless(response, Buffer.alloc(1 << 20));
				response.statusCode = 404;
				response.end();
			});
			await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
			try {
				const reference = `registry://127.0.0.1:${(server.address() as AddressInfo).port}/hostile:tag`;
				const cases: [string, RegExp][] = [
					['manifest', /: registry 127\.0\.0\.1:\d+ sent manifest tag over 4 MiB$/],
					['layer', /: layer 0: registry 127\.0\.0\.1:\d+ sent more than the 1,024 bytes the manifest gives for the layer$/],
					['error', /: registry 127\.0\.0\.1:\d+ answered HTTP 500 for manifest tag \(3 tries\): no such tag evil\\e\[2J\\e\]0;PWNED\\a/],
					['endless-error', /: registry 127\.0\.0\.1:\d+ answered HTTP 500 for manifest tag \(3 tries\)$/],
				];
				for (const [name, problem] of cases) {
					mode = name;
					assertOneErrorLine(
						await runBounded([reference, '--insecure', '--json'], {timeoutMs: 30_000, nodeArgs: ['--max-old-space-size=256']}),
						reference,
						problem,
					);
				}
			} finally {
				server.closeAllConnections();
				server.close();
			}
		});

		test('an archive truncated at any offset: the full analysis (only the end blocks cut) or one error line', async () => {
			const full = await loadImage('-', {stdin: Readable.from([docker])});
			// Offsets around every tar block boundary of the first 4 kB, then spread over the whole archive.
			const offsets = new Set<number>([1, 100, 511, 512, 513, 1023, 1024, 1536]);
			for (let i = 1; i < 24; i++) offsets.add(Math.floor((docker.length * i) / 24));
			offsets.add(docker.length - 1024);
			offsets.add(docker.length - 512);
			offsets.add(docker.length - 1);
			let analysed = 0;
			for (const offset of offsets) {
				const cut = docker.subarray(0, offset);
				try {
					const analysis = await loadImage('-', {stdin: Readable.from([cut])});
					assert.ok(offset >= docker.length - 1024, `truncated at ${offset} of ${docker.length} yet analysed`);
					assert.equal(analysis.image.sizeBytes, full.image.sizeBytes);
					assert.equal(analysis.waste.totalBytes, full.waste.totalBytes);
					analysed++;
				} catch (error) {
					assert.ok(error instanceof Error, `offset ${offset}: threw a non-Error`);
					assert.doesNotMatch(describeError(error), /\n/);
				}
			}
			assert.ok(analysed <= 3);
			// And through the CLI, a few of them.
			for (const offset of [100, 1024, Math.floor(docker.length / 2)]) {
				const file = writeTemp(docker.subarray(0, offset));
				assertOneErrorLine(await runBounded([file, '--json'], {timeoutMs: 30_000}), file, /truncated|not a tar archive|not a container image/);
			}
		});
	});

	describe('hostile names, tags and history', async () => {
		const marker = `layerscope-hostile-${process.pid}-${Date.now()}`;
		const evilImage: FixtureImage = {
			tags: [`evil:${EVIL}`],
			layers: [
				{
					createdBy: `/bin/sh -c echo ${EVIL}`,
					entries: [
						{name: `../../tmp/${marker}`, content: 'climb'},
						{name: `/tmp/${marker}-abs`, content: 'absolute'},
						{name: `dir/${EVIL}`, content: Buffer.alloc(100, 7)},
						{name: `link${EVIL}`, type: 'symlink', linkname: `../../${EVIL}`},
					],
				},
				{createdBy: `/bin/sh -c rm ${EVIL}`, entries: [{name: `dir/${EVIL}`, type: 'whiteout'}]},
			],
		};
		// The config's own strings too: creation times, history comments, labels, environment, command, user.
		const evilFile = writeTemp(
			await editArchive(await dockerArchive(evilImage), files => {
				const manifest = JSON.parse(files.get('manifest.json')!.toString()) as {Config: string}[];
				const config = JSON.parse(files.get(manifest[0].Config)!.toString());
				config.created = EVIL;
				config.history[0] = {...config.history[0], created: EVIL, comment: EVIL, author: EVIL};
				config.config = {...config.config, Env: [`A=${EVIL}`], Cmd: [EVIL], Labels: {[EVIL]: EVIL}, User: EVIL, WorkingDir: EVIL};
				setDockerConfig(files, Buffer.from(JSON.stringify(config)));
			}),
		);

		test('--json: the JSON is safe to print and parses back to the exact names, tags and history', async () => {
			const result = await runCli([evilFile, '--json', '--files']);
			assert.equal(result.code, 0, result.stderr);
			assertSafeOutput(result);
			const report = JSON.parse(result.stdout);
			assert.deepEqual(report.image.tags, [`evil:${EVIL}`]);
			assert.equal(report.layers[0].createdBy, `/bin/sh -c echo ${EVIL}`);
			assert.equal(report.history[1].createdBy, `/bin/sh -c rm ${EVIL}`);
			assert.equal(report.image.created, EVIL);
			assert.deepEqual(report.image.config.Labels, {[EVIL]: EVIL});
			assert.deepEqual(report.waste.files, [{path: `/dir/${EVIL}`, layerIndex: 0, sizeBytes: 100, cause: 'removed', hiddenByLayerIndex: 1}]);
			const paths = report.layers[0].changes.map((change: {path: string}) => change.path).sort();
			// `..` is kept as written, never resolved; an absolute name is the same path as a relative one.
			assert.deepEqual(paths, [`/../../tmp/${marker}`, `/dir/${EVIL}`, `/link${EVIL}`, `/tmp/${marker}-abs`].sort());
			const link = report.layers[0].changes.find((change: {path: string}) => change.path === `/link${EVIL}`);
			assert.equal(link.linkTarget, `../../${EVIL}`);
			assert.equal(report.image.sizeBytes, 5 + 8 + 100 + Buffer.byteLength(`../../${EVIL}`)); // the symlink's target counts, as in Docker
		});

		test('--plain: every name, tag and command is shown escaped', async () => {
			const result = await runCli([evilFile, '--plain']);
			assert.equal(result.code, 0, result.stderr);
			assertSafeOutput(result);
			assert.ok(result.stdout.includes(`Image: evil:${EVIL_SHOWN}`), result.stdout);
			assert.ok(result.stdout.includes(`RUN echo ${EVIL_SHOWN}`), result.stdout);
			assert.ok(result.stdout.includes('/dir/evil\\e[2J\\e]0;PWNED\\a'), result.stdout);
		});

		test('--list, --image and error messages escape names from the image', async () => {
			const list = await runCli([evilFile, '--list']);
			assert.equal(list.code, 0, list.stderr);
			assertSafeOutput(list);
			assert.equal(list.stdout, `evil:${EVIL_SHOWN}\n`);

			const missing = await runCli([evilFile, '--image', `nope${OSC_TITLE}`, '--json']);
			assertOneErrorLine(missing, evilFile, /no image nope\\e\]0;PWNED\\a in the archive; it holds: evil:evil\\e\[2J/);

			// The user's own file name, when it holds escapes.
			const evilPath = writeTemp(Buffer.from('no archive'), `image${OSC_TITLE}.tar`);
			const named = await runCli([evilPath, '--plain']);
			assert.equal(named.code, 2);
			assert.ok(named.stderr.startsWith(`layerscope: ${path.dirname(evilPath)}/image\\e]0;PWNED\\a.tar: `), named.stderr);
			assertSafeOutput(named);

			// A manifest naming a layer whose name is an escape sequence.
			const badName = writeTemp(
				await editArchive(await dockerArchive(BASE), files => {
					const manifest = JSON.parse(files.get('manifest.json')!.toString()) as {Layers: string[]}[];
					manifest[0].Layers[1] = `x${EVIL}/layer.tar`;
					files.set('manifest.json', Buffer.from(JSON.stringify(manifest)));
				}),
			);
			assertOneErrorLine(
				await runCli([badName, '--plain']),
				badName,
				/names layer 1 \(xevil\\e\[2J\\e\]0;PWNED\\a\\x9b31m\\r\\u202e\/layer\.tar\), which is missing$/,
			);
		});

		test('CI output and diff output escape names from the image', async () => {
			for (const format of ['text', 'markdown', 'junit', 'json']) {
				const result = await runCli([evilFile, '--ci', '--format', format, '--lowest-efficiency', '0.5']);
				assert.ok(result.code === 0 || result.code === 1, `--ci --format ${format}: exit ${result.code}, ${result.stderr}`);
				assertSafeOutput(result);
				if (format === 'json') JSON.parse(result.stdout);
			}
			const other = writeTemp(await dockerArchive(BASE));
			for (const json of [[], ['--json']]) {
				const result = await runCli(['diff', other, evilFile, ...json]);
				assert.equal(result.code, 0, result.stderr);
				assertSafeOutput(result);
			}
		});

		test('nothing is written to disk: HOME, TMPDIR and the working directory stay empty, `..` names go nowhere', async () => {
			const home = tempDir();
			const tmp = tempDir();
			const cwd = path.join(tempDir(), 'a', 'b');
			execFileSync('mkdir', ['-p', cwd]);
			const env = {HOME: home, TMPDIR: tmp, XDG_CACHE_HOME: undefined, XDG_CONFIG_HOME: undefined};
			for (const args of [['--json', '--files'], ['--plain'], ['--list'], ['--ci']]) {
				const result = await runBounded([evilFile, ...args], {env, cwd, timeoutMs: 30_000});
				assert.ok(result.code !== null && result.code <= 1, `${args.join(' ')}: exit ${result.code}, ${result.stderr}`);
			}
			// From stdin too.
			await runBounded(['--plain'], {env, cwd, input: await dockerArchive(evilImage), timeoutMs: 30_000});
			assert.deepEqual(readdirSync(home), []);
			assert.deepEqual(readdirSync(tmp), []);
			assert.deepEqual(readdirSync(cwd), []);
			assert.deepEqual(readdirSync(path.dirname(cwd)), ['b']);
			assert.equal(existsSync(`/tmp/${marker}`), false);
			assert.equal(existsSync(`/tmp/${marker}-abs`), false);
			assert.equal(existsSync(path.resolve(cwd, '../..', 'tmp', marker)), false);
		});

		describe('the real terminal screen (tmux)', () => {
			const haveTmux = spawnSync('tmux', ['-V']).status === 0;
			const socket = `layerscope-hostile-${process.pid}`;
			const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], {encoding: 'utf8'});
			after(() => {
				if (haveTmux) spawnSync('tmux', ['-L', socket, 'kill-server']);
			});

			/** Run a shell command in a fresh 120x40 pane; return the screen and the pane title once `done` shows. */
			/**
			 * Run a shell command in a fresh 120x40 pane (in `cwd`); once `done` shows, send `keys` one by one. Returns the
			 * screen after each key (`frames`), the last one (`text`) and the pane title.
			 */
			async function screen(
				session: string,
				command: string,
				done: RegExp,
				keys: (string | [string, RegExp])[] = [],
				cwd?: string,
			): Promise<{text: string; title: string; frames: string[]}> {
				tmux(
					'new-session',
					'-d',
					'-s',
					session,
					'-x',
					'120',
					'-y',
					'40',
					...(cwd ? ['-c', cwd] : []),
					`printf 'SENTINEL-BEFORE\\n'; ${command}; printf 'SENTINEL-AFTER\\n'; sleep 30`,
				);
				tmux('select-pane', '-t', session, '-T', 'layerscope-test-title');
				const capture = (): string => tmux('capture-pane', '-p', '-J', '-t', session);
				const deadline = Date.now() + 20_000;
				let text = '';
				while (Date.now() < deadline) {
					text = capture();
					if (done.test(text)) break;
					await new Promise(resolve => setTimeout(resolve, 200));
				}
				const frames: string[] = [];
				for (const step of keys) {
					// A step may name what its frame must show: wait for it (up to 10 s) rather than a fixed delay.
					const [key, until] = typeof step === 'string' ? [step, null] : step;
					tmux('send-keys', '-t', session, key);
					const stepDeadline = Date.now() + (until ? 10_000 : 300);
					do {
						await new Promise(resolve => setTimeout(resolve, until ? 100 : 300));
						text = capture();
					} while (until && !until.test(text) && Date.now() < stepDeadline);
					frames.push(text);
				}
				const title = tmux('display', '-p', '-t', session, '#{pane_title}').trim();
				tmux('kill-session', '-t', session);
				return {text, title, frames};
			}

			test('the plain report in a terminal: escaped names, the title kept, the screen not cleared', async t => {
				if (!haveTmux) return t.skip('tmux is not installed');
				const {text, title} = await screen('plain', `NO_COLOR=1 ${process.execPath} ${CLI} ${evilFile} --plain`, /SENTINEL-AFTER/);
				assert.match(text, /SENTINEL-BEFORE/, 'the screen was not cleared');
				assert.ok(text.includes('Image: evil:evil\\e[2J\\e]0;PWNED\\a\\x9b31m\\r\\u202e'), text);
				assert.ok(text.includes('RUN echo evil\\e[2J\\e]0;PWNED\\a'), text);
				assert.equal(title, 'layerscope-test-title');
			});

			test('the interactive explorer in a terminal: the title kept, nothing raw', async t => {
				if (!haveTmux) return t.skip('tmux is not installed');
				// The explorer draws the layers and the image details; Tab moves to the file tree.
				const {text, title} = await screen('tui', `NO_COLOR=1 ${process.execPath} ${CLI} ${evilFile}`, /Layers \(|SENTINEL-AFTER/, [
					'Tab',
					['Down', /evil\\e\[2J/],
				]);
				assert.ok(text.includes('RUN echo evil\\e[2J\\e]0;PWNED\\a'), text);
				assert.ok(text.includes('evil:evil\\e[2J\\e]0;PWNED\\a'), text);
				assert.ok(text.includes('evil\\e[2J\\e]0;PWNED\\a\\x9b'), text);
				assert.match(text, /Created +evil\\e\[2J\\e\]0;PWNED\\a/, text);
				assert.match(text, /Comment +evil\\e\[2J\\e\]0;PWNED\\a/, text);
				assert.doesNotMatch(text, /PWNED(?!\\a)/, 'PWNED only in its escaped form');
				assert.equal(title, 'layerscope-test-title');
			});

			test('export from the explorer writes only the path typed: a `..` name gives its base name, an escape name none', async t => {
				if (!haveTmux) return t.skip('tmux is not installed');
				const exportMarker = `${marker}-export`;
				const image = writeTemp(
					await dockerArchive({
						layers: [
							{
								entries: [
									{name: `../../tmp/${exportMarker}`, content: 'climbed'},
									{name: `zz${EVIL}`, content: 'evil'},
								],
							},
						],
					}),
				);
				const home = tempDir();
				const tmp = tempDir();
				const cwd = tempDir();
				const command = `HOME=${home} TMPDIR=${tmp} NO_COLOR=1 ${process.execPath} ${CLI} ${image}`;
				// Search the `..` file, export it with the name offered; then the escape-named file: no name is offered.
				const keys: (string | [string, RegExp])[] = [
					'/',
					exportMarker,
					'Enter',
					['e', /to: /],
					['Enter', /exported|cancelled|rror/],
					'/',
					'zz',
					'Enter',
					['e', /to: /],
					['Enter', /cancelled|exported|rror/],
				];
				const {frames, title} = await screen('tui-export', command, /Layers \(/, keys, cwd);
				assert.match(frames[3], new RegExp(`to: ${exportMarker}`), frames[3]);
				assert.match(frames[4], /exported 7 bytes to/, frames[4]);
				assert.match(frames[9], /export cancelled: no path/, frames[9]);
				assert.deepEqual(readdirSync(cwd), [exportMarker]);
				assert.equal(readFileSync(path.join(cwd, exportMarker), 'utf8'), 'climbed');
				assert.equal(existsSync(`/tmp/${exportMarker}`), false);
				assert.deepEqual(readdirSync(home), []);
				assert.deepEqual(readdirSync(tmp), []);
				for (const frame of frames) assert.doesNotMatch(frame, /PWNED(?!\\a)/);
				assert.equal(title, 'layerscope-test-title');
			});

			test('an error on a terminal replaces the progress line instead of running on after it', async t => {
				if (!haveTmux) return t.skip('tmux is not installed');
				const broken = writeTemp(
					await editArchive(
						await dockerArchive({layers: [{entries: [{name: 'a', content: Buffer.alloc(3_000_000, 1)}]}, {entries: [{name: 'b', content: 'x'}]}]}),
						files => void files.delete(dockerLayerNames(files)[1]),
					),
				);
				for (const mode of ['--plain', '--json']) {
					const {text} = await screen(`progress${mode}`, `${process.execPath} ${CLI} ${broken} ${mode}; printf 'EXIT=%s\\n' $?`, /EXIT=\d/);
					const lines = text.split('\n').filter(line => line.includes('layerscope: '));
					assert.equal(lines.length, 1, text);
					assert.ok(lines[0].startsWith(`layerscope: ${broken}: the manifest names layer 1`), text);
					assert.match(text, /EXIT=2/);
				}
			});

			test('the explorer on a broken archive: one escaped error line on the screen, exit 2', async t => {
				if (!haveTmux) return t.skip('tmux is not installed');
				const broken = writeTemp(
					await editArchive(await dockerArchive(evilImage), files => {
						const manifest = JSON.parse(files.get('manifest.json')!.toString()) as {Layers: string[]}[];
						manifest[0].Layers[1] = `gone${EVIL}`;
						files.set('manifest.json', Buffer.from(JSON.stringify(manifest)));
					}),
				);
				const {text, title} = await screen('tui-broken', `NO_COLOR=1 ${process.execPath} ${CLI} ${broken}; printf 'EXIT=%s\\n' $?`, /EXIT=\d/);
				assert.match(text, /EXIT=2/, text);
				const lines = text.split('\n').filter(line => line.startsWith('layerscope: '));
				assert.equal(lines.length, 1, text);
				assert.ok(lines[0].includes('(goneevil\\e[2J\\e]0;PWNED\\a'), text);
				assert.doesNotMatch(text, /^\s+at /m);
				assert.match(text, /SENTINEL-BEFORE/, 'the screen was not cleared');
				assert.equal(title, 'layerscope-test-title');
			});
		});
	});

	describe('hostile shapes: correct figures, bounded time and memory', {concurrency: 2}, () => {
		test('a path 3,000 directories deep, and one 30,000 deep', async () => {
			for (const depth of [3000, 30_000]) {
				const name = 'a/'.repeat(depth) + 'f';
				const layer = Buffer.concat([paxHeader({path: name}), tarHeader('placeholder', 4), Buffer.from('deep'), tarPadding(4), TAR_END]);
				const file = writeTemp(await dockerArchive({layers: [{tar: layer}, {entries: [{name: 'a/a/x', content: 'x'}]}]}));
				const result = await runBounded([file, '--json', '--files'], {timeoutMs: 30_000, nodeArgs: ['--max-old-space-size=512']});
				assert.equal(result.code, 0, result.stderr);
				const report = JSON.parse(result.stdout);
				assert.equal(report.image.sizeBytes, 5);
				assert.equal(report.layers[0].changes.find((change: {type: string}) => change.type === 'file').path, '/' + name);
				assert.ok(result.ms < 20_000, `${depth} deep took ${result.ms} ms`);
			}
		});

		test('8 kB of gzip naming 400,000 directories, over the heap: one clear line with the remedy, not an out-of-memory crash', async () => {
			// 400 entries, each 1,000 directories deep in its own branch: 400,000 paths from 8 kB of gzip.
			const entries: Buffer[] = [];
			for (let i = 0; i < 400; i++) entries.push(paxHeader({path: `b${i}/${'a/'.repeat(1000)}f`}), tarHeader('p', 0));
			const file = writeTemp(compress(await dockerArchive({layers: [{tar: Buffer.concat([...entries, TAR_END])}]}), 'gzip'));
			const result = await runBounded([file, '--json'], {timeoutMs: 60_000, nodeArgs: ['--max-old-space-size=128']});
			assertOneErrorLine(
				result,
				file,
				/the image names more than [\d,]+ paths \(parent directories included\): more than \d+ MB of memory holds; raise it with NODE_OPTIONS=--max-old-space-size=\d+$/,
			);
			// With the memory it asks for, the same image analyses.
			const heap = /max-old-space-size=(\d+)/.exec(result.stderr)![1];
			const again = await runBounded([file, '--json'], {timeoutMs: 60_000, nodeArgs: [`--max-old-space-size=${heap}`]});
			assert.equal(again.code, 0, again.stderr);
			assert.equal(JSON.parse(again.stdout).image.fileCount, 400);
			// The object tree `diff` walks (objects per path) needs three times the heap a column-only report does.
			const diff = await runBounded(['diff', file, file], {timeoutMs: 60_000, nodeArgs: [`--max-old-space-size=${heap}`]});
			assertOneErrorLine(diff, file, /the image names more than [\d,]+ paths/);
		});

		test('the same path written 3,000 times in one layer', async () => {
			// 1000 copies of `a` (1 byte), then 2000 of `bb` (2 bytes): only the last stays.
			const entries = Array.from({length: 3000}, (_, i) => ({name: 'same', content: i < 1000 ? 'a' : 'bb'}));
			const file = writeTemp(await dockerArchive({layers: [{entries}]}));
			const result = await runBounded([file, '--json'], {timeoutMs: 30_000});
			assert.equal(result.code, 0, result.stderr);
			const report = JSON.parse(result.stdout);
			assert.equal(report.image.sizeBytes, 1000 + 4000);
			assert.equal(report.image.fileCount, 1);
			assert.deepEqual(report.waste.byCause, {removed: 0, overwritten: 1, duplicate: 999 + 1999 * 2});
			assert.equal(report.waste.files.length, 2999);
			assert.equal(report.layers[0].counts.added, 1);
		});

		test('2,000 layers', async () => {
			const count = 2000;
			const layers = Array.from({length: count}, (_, i) => ({entries: [{name: `f${i % 7}`, content: String(i)}]}));
			const file = writeTemp(await dockerArchive({layers}));
			const result = await runBounded([file, '--json'], {timeoutMs: 60_000});
			assert.equal(result.code, 0, result.stderr);
			const report = JSON.parse(result.stdout);
			const total = layers.reduce((sum, _, i) => sum + String(i).length, 0);
			// The last 7 layers hold the visible copy of each of the 7 paths.
			const visible = Array.from({length: 7}, (_, k) => String(count - 7 + k).length).reduce((a, b) => a + b, 0);
			assert.equal(report.layers.length, count);
			assert.equal(report.image.sizeBytes, total);
			assert.equal(report.image.fileCount, 7);
			assert.deepEqual(report.waste.byCause, {removed: 0, overwritten: total - visible, duplicate: 0});
		});

		test('a 2 GiB file of zeros (gzip: a few MB): exact size, memory bounded', async () => {
			const layer = await zeroFileLayer(2 * 1024 * MB);
			assert.ok(layer.size < 4 * MB, `compressed to ${layer.size} bytes`);
			const file = await ociArchiveFile([layer]);
			const result = await runBounded([file, '--json'], {timeoutMs: 120_000, nodeArgs: ['--max-old-space-size=256']});
			assert.equal(result.code, 0, result.stderr);
			const report = JSON.parse(result.stdout);
			assert.equal(report.image.sizeBytes, 2 * 1024 * MB);
			assert.equal(report.image.compressedSizeBytes, layer.size);
			assert.equal(report.image.fileCount, 1);
			assert.equal(report.layers[0].diffId, layer.diffId);
			// Streaming: peak memory does not grow with the 2 GiB.
			assert.ok(result.maxRssBytes < 400 * MB, `peak RSS ${Math.round(result.maxRssBytes / MB)} MB`);
		});

		for (const count of SLOW ? [200_000, 1_000_000] : [200_000]) {
			test(`${count.toLocaleString('en')} entries in one layer: exact counts, memory bounded`, async () => {
				const layer = await manyEntriesLayer(count);
				const file = await ociArchiveFile([layer]);
				// Stated bound: the analysis needs at most about 2 kB of heap per entry.
				const heapMb = Math.ceil((count * 2048) / MB) + 128;
				const result = await runBounded([file, '--json'], {timeoutMs: SLOW ? 600_000 : 120_000, nodeArgs: [`--max-old-space-size=${heapMb}`]});
				assert.equal(result.code, 0, result.stderr);
				const report = JSON.parse(result.stdout);
				assert.equal(report.image.fileCount, layer.files);
				assert.equal(report.image.sizeBytes, layer.files);
				assert.equal(report.layers[0].counts.added, count);
				assert.ok(result.maxRssBytes < (heapMb + 256) * MB, `peak RSS ${Math.round(result.maxRssBytes / MB)} MB`);
				console.log(`# ${count} entries: ${result.ms} ms, peak RSS ${Math.round(result.maxRssBytes / MB)} MB (heap bound ${heapMb} MB)`);
			});
		}
	});
});

describe('issue #12, small ones: nothing raw, nothing merged', () => {
	test('an unknown option is one error line, escaped, exit 2', async () => {
		const result = await runCli([`--${OSC_TITLE}`, 'x.tar']);
		assert.equal(result.code, 2);
		assert.equal(result.stdout, '');
		assert.equal(result.stderr, 'layerscope: unknown option --\\e]0;PWNED\\a; see --help\n');
		const typo = await runCli(['--jsn']);
		assert.equal(typo.stderr, 'layerscope: unknown option --jsn; see --help\n');
		assert.equal(typo.code, 2);
		// Known options in every spelling still parse: `--opt=value`, `--no-files`, a value after its option.
		const fine = await runCli([writeTemp(await dockerArchive(BASE)), '--json', '--no-files', '--image=base:1', '--timeout', '5']);
		assert.equal(fine.code, 0, fine.stderr);
	});

	test('names that differ only in invalid UTF-8 bytes stay two paths, shown escaped', async () => {
		/** A header whose name is `bytes`, its checksum made right. */
		const rawName = (bytes: number[], size: number): Buffer => {
			const header = tarHeader('x'.repeat(bytes.length), size);
			Buffer.from(bytes).copy(header, 0);
			header.fill(0x20, 148, 156);
			let sum = 0;
			for (const byte of header) sum += byte;
			header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
			return header;
		};
		const member = (bytes: number[], content: string): Buffer =>
			Buffer.concat([rawName(bytes, content.length), Buffer.from(content), tarPadding(content.length)]);
		const a = 0x61;
		// a\xff, a\xfe (each no UTF-8), aÿ (c3 bf: valid), a\xc3 (a sequence cut short), and an overlong `/` (c0 af).
		const layer = Buffer.concat([
			member([a, 0xff], 'one'),
			member([a, 0xfe], 'two'),
			member([a, 0xc3, 0xbf], 'six'),
			member([a, 0xc3], 'four'),
			member([a, 0xc0, 0xaf], 'five'),
			TAR_END,
		]);
		const file = writeTemp(await dockerArchive({layers: [{tar: layer}]}));
		const result = await runCli([file, '--json', '--files']);
		assert.equal(result.code, 0, result.stderr);
		const report = JSON.parse(result.stdout);
		const paths = (report.layers[0].changes as {path: string; sizeBytes: number}[]).map(change => [change.path, change.sizeBytes]).sort();
		assert.deepEqual(
			paths,
			[
				['/a\udcc0\udcaf', 4],
				['/a\udcc3', 4],
				['/a\udcfe', 3],
				['/a\udcff', 3],
				['/aÿ', 3],
			].sort(),
		);
		assert.equal(report.image.fileCount, 5);
		assert.equal(report.image.sizeBytes, 17);
		// The JSON report escapes them (\udcff), and nothing raw reaches the terminal.
		assert.match(result.stdout, /"\/a\\udcff"/);
		assertSafeOutput(result);
		assert.equal(visible('/a\udcff'), '/a\\xff');
	});

	test('every invisible and bidi character is escaped alike, in text and in JSON', () => {
		const invisible = [
			0x00ad,
			0x061c,
			0x180e,
			...range(0x200b, 0x200f),
			...range(0x202a, 0x202e),
			...range(0x2060, 0x2064),
			...range(0x2066, 0x2069),
			0xfeff,
			0xfff9,
			0x2028,
			0x2029,
		];
		for (const code of invisible) {
			const ch = String.fromCodePoint(code);
			const escape = code <= 0xff ? `\\x${code.toString(16)}` : `\\u${code.toString(16).padStart(4, '0')}`;
			assert.equal(visible(`a${ch}b`), `a${escape}b`, `U+${code.toString(16)}`);
			const json = terminalJson({name: `a${ch}b`});
			assert.ok(!json.includes(ch), `U+${code.toString(16)} raw in JSON`);
			assert.equal(JSON.parse(json).name, `a${ch}b`);
		}
		// Outside the BMP (a language tag), and a lone surrogate that is not an escaped byte.
		assert.equal(visible('a\u{e0001}b'), 'a\\u{e0001}b');
		assert.equal(JSON.parse(terminalJson('a\u{e0001}b')), 'a\u{e0001}b');
		assert.equal(visible('a\ud800b'), 'a\\ud800b');
		// Visible text and emoji pass untouched.
		assert.equal(visible('héllo wörld ✓ 😀 日本'), 'héllo wörld ✓ 😀 日本');
	});

	test('a zero-width space in a file name is shown escaped by the plain report', async () => {
		const file = writeTemp(
			await dockerArchive({
				layers: [{entries: [{name: 'big\u200bfile', content: Buffer.alloc(200, 1)}]}, {entries: [{name: 'big\u200bfile', type: 'whiteout'}]}],
			}),
		);
		const result = await runCli([file, '--plain']);
		assert.equal(result.code, 0, result.stderr);
		assert.ok(!result.stdout.includes('\u200b'));
		assert.match(result.stdout, /big\\u200bfile/);
	});
});

function range(from: number, to: number): number[] {
	return Array.from({length: to - from + 1}, (_, i) => from + i);
}

before(() => {
	assert.ok(existsSync(CLI), 'dist/cli.js: run `npm run build` first');
});
