// Structure (issue #12): manifest.json, index.json, OCI manifests and configs of the wrong shape give a message that
// names the input's fault (`index.json: manifests[0] is null, expected an object`), never the code's (`Cannot read
// properties of null`). Each case is sealed with correct digests, so the shape is what is judged; both archive readers.
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {describe, test} from 'node:test';
import {runCli} from './helpers/cli.js';
import {dockerArchive, ociArchive, writeTemp, type FixtureImage} from './helpers/fixtures.js';
import {packMembers, rawControl, readMembers, setDockerConfig} from './helpers/hostile-fixtures.js';

const IMAGE: FixtureImage = {tags: ['shape:1'], layers: [{entries: [{name: 'etc/a', content: 'hello'}]}, {entries: [{name: 'etc/b', content: 'xy'}]}]};

type Json = Record<string, unknown>;
const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const sha = (data: Buffer): string => 'sha256:' + createHash('sha256').update(data).digest('hex');
const blob = (digest: string): string => `blobs/sha256/${digest.slice(7)}`;

/** An OCI archive whose index, manifest or config `edit` changes; the descriptors above are sealed again. */
async function oci(edit: {index?: (index: Json) => void; manifest?: (manifest: Json) => void; config?: (config: Json) => void}): Promise<Buffer> {
	const files = await readMembers(await ociArchive(IMAGE));
	const index = JSON.parse(files.get('index.json')!.toString());
	const manifest = JSON.parse(files.get(blob(index.manifests[0].digest))!.toString());
	const config = JSON.parse(files.get(blob(manifest.config.digest))!.toString());
	edit.config?.(config);
	const configData = json(config);
	files.set(blob(sha(configData)), configData);
	Object.assign(manifest.config, {digest: sha(configData), size: configData.length});
	edit.manifest?.(manifest);
	const manifestData = json(manifest);
	files.set(blob(sha(manifestData)), manifestData);
	Object.assign(index.manifests[0], {digest: sha(manifestData), size: manifestData.length});
	edit.index?.(index);
	files.set('index.json', json(index));
	return packMembers(files);
}

async function docker(edit: {manifest?: (manifest: Json[]) => void; config?: (config: Json) => void}): Promise<Buffer> {
	const files = await readMembers(await dockerArchive(IMAGE));
	const manifest = JSON.parse(files.get('manifest.json')!.toString());
	if (edit.config) {
		const config = JSON.parse(files.get(manifest[0].Config)!.toString());
		edit.config(config);
		setDockerConfig(files, json(config));
	}
	if (edit.manifest) {
		const current = JSON.parse(files.get('manifest.json')!.toString());
		edit.manifest(current);
		files.set('manifest.json', json(current));
	}
	return packMembers(files);
}

/** Both readers (the file and stdin) give exactly this one line after the input's name. */
async function refused(archive: Buffer, problem: string | RegExp): Promise<void> {
	const file = writeTemp(archive);
	for (const [via, result] of [
		['file', await runCli([file, '--json'])],
		['stdin', await runCli(['-', '--json'], {input: archive})],
	] as const) {
		assert.equal(result.code, 2, `${via}: ${result.stderr}`);
		assert.equal(result.stdout, '');
		const prefix = via === 'file' ? `layerscope: ${file}: ` : 'layerscope: stdin: ';
		assert.ok(result.stderr.startsWith(prefix), `${via}: ${result.stderr}`);
		const line = result.stderr.slice(prefix.length);
		if (typeof problem === 'string') assert.equal(line, problem + '\n', via);
		else assert.match(line, problem, via);
		assert.doesNotMatch(line, /Cannot read|is not a function|is not iterable|undefined/);
		assert.equal(rawControl(result.stderr), null);
	}
}

const DIGEST = '[0-9a-f]{64}';

describe('index.json and OCI manifests', () => {
	test('the cases of the issue: a null manifest, and the like', async () => {
		await refused(await oci({index: index => void (index.manifests = [null])}), 'index.json: manifests[0] is null, expected an object');
		await refused(await oci({index: index => void (index.manifests = 'all')}), 'index.json: manifests is a string, expected an array');
		await refused(await oci({index: index => void delete index.manifests}), 'index.json: manifests is missing');
		await refused(
			await oci({index: index => void ((index.manifests as Json[])[0].annotations = {'org.opencontainers.image.ref.name': 7})}),
			'index.json: manifests[0].annotations["org.opencontainers.image.ref.name"] is a number, expected a string',
		);
		await refused(
			await oci({index: index => void ((index.manifests as Json[])[0].platform = 'linux')}),
			'index.json: manifests[0].platform is a string, expected an object',
		);
	});

	test('manifests: config and layers of the wrong type, sizes that are no size', async () => {
		await refused(
			await oci({manifest: m => void (m.layers = [1, 2])}),
			new RegExp(`^manifest sha256:${DIGEST}: layers\\[0\\] is a number, expected an object\\n$`),
		);
		await refused(await oci({manifest: m => void (m.config = null)}), new RegExp(`^manifest sha256:${DIGEST}: config is null, expected an object\\n$`));
		await refused(await oci({manifest: m => void delete m.layers}), new RegExp(`^manifest sha256:${DIGEST}: layers is missing\\n$`));
		await refused(
			await oci({manifest: m => void ((m.layers as Json[])[1].size = -1)}),
			new RegExp(`^manifest sha256:${DIGEST}: layers\\[1\\]\\.size is -1, expected a size in bytes\\n$`),
		);
		await refused(
			await oci({manifest: m => void ((m.layers as Json[])[0].mediaType = ['x'])}),
			new RegExp(`: layers\\[0\\]\\.mediaType is an array, expected a string\\n$`),
		);
	});
});

describe('manifest.json', () => {
	test('the case of the issue: RepoTags a string', async () => {
		await refused(await docker({manifest: m => void (m[0].RepoTags = 'x')}), 'manifest.json: [0].RepoTags is a string, expected an array');
	});

	test('entries, Config and Layers of the wrong type', async () => {
		await refused(await docker({manifest: m => void (m[0] = null as unknown as Json)}), 'manifest.json: [0] is null, expected an object');
		await refused(await docker({manifest: m => void delete m[0].Config}), 'manifest.json: [0].Config is missing');
		await refused(await docker({manifest: m => void (m[0].Layers = [null])}), 'manifest.json: [0].Layers[0] is null, expected a string');
		await refused(await docker({manifest: m => void (m[0].RepoTags = ['a:1', 2])}), 'manifest.json: [0].RepoTags[1] is a number, expected a string');
		// null RepoTags is what docker writes for an untagged image: it reads.
		const untagged = await runCli([writeTemp(await docker({manifest: m => void (m[0].RepoTags = null)})), '--json']);
		assert.equal(untagged.code, 0, untagged.stderr);
		assert.deepEqual(JSON.parse(untagged.stdout).image.tags, []);
	});
});

describe('configs', () => {
	test('rootfs, history and labels of the wrong type', async () => {
		const configLine = (rest: string): RegExp => new RegExp(`^config ${DIGEST}\\.json: ${rest}\\n$`);
		await refused(await docker({config: c => void delete c.rootfs}), configLine('rootfs is missing'));
		await refused(await docker({config: c => void (c.rootfs = {diff_ids: 'all'})}), configLine('rootfs\\.diff_ids is a string, expected an array'));
		await refused(await docker({config: c => void (c.history = [null])}), configLine('history\\[0\\] is null, expected an object'));
		await refused(await docker({config: c => void (c.history = [{created_by: 5}])}), configLine('history\\[0\\]\\.created_by is a number, expected a string'));
		await refused(await docker({config: c => void (c.history = {})}), configLine('history is an object, expected an array'));
		await refused(await docker({config: c => void (c.config = {Labels: {a: 1}})}), configLine('config\\.Labels\\["a"\\] is a number, expected a string'));
		await refused(await docker({config: c => void (c.config = 'x')}), configLine('config is a string, expected an object'));
		await refused(
			await oci({config: c => void (c.architecture = 64)}),
			new RegExp(`^config sha256:${DIGEST}: architecture is a number, expected a string\\n$`),
		);
	});

	test('fields the analysis does not read stay lenient; optional ones may be null', async () => {
		const archive = await docker({
			config: c => {
				c.author = 42;
				c.container_config = [];
				c.config = {Env: 'not a list', Labels: null, ExposedPorts: 7};
				c.history = [
					{created_by: 'step 0', author: {}},
					{created_by: 'step 1', empty_layer: null, comment: null},
				];
			},
		});
		const result = await runCli([writeTemp(archive), '--json']);
		assert.equal(result.code, 0, result.stderr);
		const report = JSON.parse(result.stdout);
		assert.deepEqual(
			report.history.map((h: {createdBy: string}) => h.createdBy),
			['step 0', 'step 1'],
		);
	});
});
