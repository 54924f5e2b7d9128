// `layerscope images` through the built CLI: routed before the image flags are parsed, the table when stdout is not
// a terminal, JSON, bad arguments and no engine as one line with exit 2, the usage in --help.
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {test} from 'node:test';
import {CLI, runCli} from './helpers/cli.js';
import {dockerArchive, writeTemp, type FixtureImage} from './helpers/fixtures.js';

const skip = existsSync(CLI) ? false : 'dist/cli.js is not built (npm run build)';
const base = {entries: [{name: 'bin/x', content: Buffer.alloc(1000, 1)}]};
const IMAGES: FixtureImage[] = [
	{tags: ['app:1'], layers: [base, {entries: [{name: 'a', content: Buffer.alloc(200, 2)}]}]},
	{tags: ['app:2'], layers: [base, {entries: [{name: 'b', content: Buffer.alloc(300, 3)}]}]},
];

test('layerscope images ARCHIVE: the table (stdout not a terminal) and --json', {skip}, async () => {
	const file = writeTemp(await dockerArchive(IMAGES), 'store-cli-route.tar');
	const table = await runCli(['images', file]);
	assert.deepEqual([table.code, table.stderr], [0, '']);
	assert.match(
		table.stdout,
		/^Images space usage:\n\nREPOSITORY +TAG +IMAGE ID +CREATED +SIZE +SHARED SIZE +UNIQUE SIZE +LAYERS +CONTAINERS +NOTE\napp +2 +[0-9a-f]{12} +2024-01-01 00:00:00 +1\.30 kB +1\.00 kB +300 B +2 +0\n/,
	);
	assert.match(table.stdout, /\nImages +2 +0 +1\.50 kB +1\.50 kB \(100%\)\n$/);
	const json = await runCli(['images', file, '--json']);
	assert.equal(json.code, 0, json.stderr);
	assert.deepEqual(JSON.parse(json.stdout).totals, {images: 2, active: 0, layersBytes: 1500, reclaimableBytes: 1500});
});

test('layerscope images: a bad argument and no engine are one line, exit 2; --help gives the usage', {skip}, async () => {
	assert.deepEqual(await runCli(['images', '--bogus']), {
		code: 2,
		stdout: '',
		stderr:
			'layerscope: images: unknown argument --bogus; usage: layerscope images [docker://|podman://|ARCHIVE] [--json] [--plain] [-a] [--source docker|podman] [--layers] [--analyse]\n',
	});
	assert.deepEqual(await runCli(['images', '--json'], {env: {DOCKER_HOST: 'unix:///nonexistent/docker.sock'}}), {
		code: 2,
		stdout: '',
		stderr: 'layerscope: images: cannot reach the Docker engine at unix:///nonexistent/docker.sock (from DOCKER_HOST): is it running?\n',
	});
	const help = await runCli(['--help']);
	assert.match(help.stdout, /\$ layerscope images \[docker:\/\/\|podman:\/\/\|archive\] \[--json\] \[--plain\] \[-a\] \[--layers\] \[--analyse\]/);
});
