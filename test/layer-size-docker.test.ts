// Layer and image sizes against the real Docker engine: every layer's size must be byte-exact with
// `docker history --human=false` and the image's with `docker image inspect`, for layers holding symlinks (short, long,
// non-ASCII, dangling), hard links, empty files, directories, whiteouts and opaque directories.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import path from 'node:path';
import {test} from 'node:test';
import {dockerBuild, dockerSave, dockerUnavailable, BASE_IMAGE} from './helpers/docker.js';
import {tempDir} from './helpers/fixtures.js';
import {runCli} from './helpers/cli.js';

const reason = dockerUnavailable();
const LONG_TARGET = '/' + 'long-target-component/'.repeat(12) + 'end';

// No metadata-only instructions (ENV, CMD…): every history row of the image is then a layer.
const DOCKERFILE = `FROM ${BASE_IMAGE}
RUN mkdir -p /data/dir/sub /data/keep && echo hello > /data/a.txt && touch /data/empty /data/dir/sub/empty && ln -s /data/a.txt /data/abs && ln -s a.txt /data/rel && ln -s ${LONG_TARGET} /data/long && ln -s 'héllo-wörld' /data/utf8 && ln -s /nowhere /data/dangling
RUN dd if=/dev/zero of=/data/big bs=1000 count=5 && ln /data/big /data/big-hard && ln /data/big /data/keep/big-hard2
RUN rm /data/a.txt /data/abs && rm -rf /data/dir && mkdir /data/dir && echo x > /data/dir/new && ln -s new /data/dir/link
RUN chmod 600 /data/big && ln -sf /elsewhere/entirely /data/rel
RUN rm /data/rel /data/utf8
RUN mkdir /empty-dir && touch /empty-dir/a /empty-dir/b
`;

function docker(...args: string[]): string {
	return execFileSync('docker', args, {encoding: 'utf8', timeout: 60_000}).trim();
}

test('every layer size and the image size equal Docker’s, byte for byte', {skip: reason ?? false, timeout: 600_000}, async () => {
	const tag = dockerBuild('layerscope-test-sizes:1', DOCKERFILE);
	const history = docker('history', '--human=false', '--no-trunc', '--format', '{{.Size}}', tag).split('\n').map(Number).reverse();
	const imageSize = Number(docker('image', 'inspect', '-f', '{{.Size}}', tag));
	const archive = path.join(tempDir(), 'sizes.tar');
	dockerSave(tag, archive);

	for (const source of [archive, `docker://${tag}`]) {
		const result = await runCli([source, '--json'], {timeoutMs: 120_000});
		assert.equal(result.code, 0, result.stderr);
		const report = JSON.parse(result.stdout) as {image: {sizeBytes: number}; layers: {sizeBytes: number}[]};
		assert.deepEqual(
			report.layers.map(layer => layer.sizeBytes),
			history,
			source,
		);
		assert.equal(report.image.sizeBytes, imageSize, source);
	}
	// The symlinks are what made the figures differ: the first layer is its symlinks’ targets plus one 6-byte file.
	const links = ['/data/a.txt', 'a.txt', LONG_TARGET, 'héllo-wörld', '/nowhere'];
	assert.equal(history[1], 6 + links.reduce((sum, target) => sum + Buffer.byteLength(target), 0));
	assert.equal(history[2], 5000); // a file and two hard links to it: one inode
});
