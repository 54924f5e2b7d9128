// Property-based fuzzing (issue #6): mutate valid archives (truncate, flip and overwrite bytes, duplicate or cut tar
// blocks, corrupt JSON members) and check the invariants on each: a sane analysis, or an error that is one clear line;
// never a hang, a non-Error, a stack overflow or raw control characters in the report.
// FUZZ_RUNS sets the number of cases per group (default 50: 450 cases in all, ~10 s); FUZZ_SEED (+ FUZZ_PATH) replays
// a failure; FUZZ_KEEP=DIR keeps the archives the two readers disagree on; `npm run fuzz` is the long run.
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {Readable} from 'node:stream';
import {test} from 'node:test';
import fc from 'fast-check';
import type {ImageAnalysis} from '../source/model/types.js';
import {toJsonReport} from '../source/report/json.js';
import {textReport} from '../source/report/text.js';
import {loadImage} from '../source/sources/load.js';
import {describeError, InputError} from '../source/util/errors.js';
import {compress, dockerArchive, makeLayer, ociArchive, tempDir, type FixtureImage} from './helpers/fixtures.js';
import {EVIL, packMembers, rawControl, readMembers, setDockerConfig} from './helpers/hostile-fixtures.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 50);
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_123);
const CASE_TIMEOUT_MS = 10_000;

/** fast-check parameters: seeded, so a run is repeatable; on failure it prints the seed and the path to replay. */
function params(seed: number, numRuns: number): fc.Parameters<unknown> {
	// FUZZ_PATH (with FUZZ_SEED) replays one failing case, as fast-check reports it.
	return {seed, numRuns, ...(process.env.FUZZ_PATH ? {path: process.env.FUZZ_PATH} : {})};
}

const IMAGE: FixtureImage = {
	tags: ['fuzz:1', `evil:${EVIL}`],
	layers: [
		{
			entries: [
				{name: 'etc/', type: 'directory'},
				{name: 'etc/conf', content: 'a=1\n'},
				{name: 'big', content: Buffer.alloc(3000, 2)},
				{name: 'bin/sh', content: Buffer.alloc(700, 3)},
				{name: 'bin/ln', type: 'link', linkname: 'bin/sh'},
				{name: 'lib', type: 'symlink', linkname: 'usr/lib'},
			],
		},
		{
			createdBy: `/bin/sh -c rm big ${EVIL}`,
			entries: [
				{name: 'big', type: 'whiteout'},
				{name: 'etc/conf', content: 'a=2\n'},
			],
		},
		{
			entries: [
				{name: 'etc', type: 'opaque'},
				{name: 'bin/sh', content: Buffer.alloc(700, 3), mode: 0o700},
				{name: `x${EVIL}`, content: 'evil'},
			],
		},
	],
};

/** Errors that layerscope turns into a clear line on purpose (anything else is a bug in the core). */
function isExpectedError(error: unknown): boolean {
	if (error instanceof InputError) return true;
	const code = (error as NodeJS.ErrnoException).code;
	return typeof code === 'string' && /^(Z_|ERR_STREAM_PREMATURE_CLOSE$)/.test(code);
}

/** Messages that betray a bug in layerscope, even inside an InputError. */
const PROGRAMMING_ERROR = /is not a function|Cannot read propert|is not iterable|Maximum call stack|undefined|NaN|\[object /;

/** The invariants of an analysis, whatever the input. */
function checkAnalysis(analysis: ImageAnalysis): void {
	const {image, layers, waste, efficiency} = analysis;
	const natural = (value: number, what: string): void => assert.ok(Number.isSafeInteger(value) && value >= 0, `${what} = ${value}`);
	natural(image.sizeBytes, 'image size');
	natural(image.fileCount, 'file count');
	natural(waste.totalBytes, 'waste');
	assert.ok(waste.totalBytes <= image.sizeBytes, `waste ${waste.totalBytes} > size ${image.sizeBytes}`);
	assert.equal(waste.byCause.removed + waste.byCause.overwritten + waste.byCause.duplicate, waste.totalBytes);
	let sum = 0;
	for (const layer of layers) {
		natural(layer.sizeBytes, `layer ${layer.index} size`);
		natural(layer.wastedBytes, `layer ${layer.index} waste`);
		natural(layer.hiddenBytes, `layer ${layer.index} hidden`);
		assert.ok(layer.wastedBytes <= layer.sizeBytes, `layer ${layer.index}: waste ${layer.wastedBytes} > size ${layer.sizeBytes}`);
		sum += layer.sizeBytes;
	}
	assert.equal(sum, image.sizeBytes);
	for (const file of waste.files) {
		assert.ok(file.hiddenByLayerIndex >= file.layerIndex && file.hiddenByLayerIndex < layers.length, `hidden by ${file.hiddenByLayerIndex}`);
	}
	assert.ok(efficiency.score >= 0 && efficiency.score <= 1, `efficiency ${efficiency.score}`);
	assert.ok(Number.isFinite(efficiency.userWastedPercent) && efficiency.userWastedPercent >= 0, `user wasted ${efficiency.userWastedPercent}`);
	natural(efficiency.wastedBytes, 'dive wasted bytes');
	// The reports render, and the text one shows nothing raw.
	const text = textReport(analysis, {width: 100});
	assert.equal(rawControl(text), null);
	JSON.parse(JSON.stringify(toJsonReport(analysis, {files: true})));
}

async function analyseWith(load: () => Promise<ImageAnalysis>): Promise<{analysis?: ImageAnalysis; error?: unknown}> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`HANG: no result in ${CASE_TIMEOUT_MS} ms`)), CASE_TIMEOUT_MS);
	});
	try {
		return {analysis: await Promise.race([load(), timeout])};
	} catch (error) {
		if (error instanceof Error && error.message.startsWith('HANG:')) throw error;
		return {error};
	} finally {
		clearTimeout(timer);
	}
}

/** Check one outcome (a sane analysis, or one clear error) and count it. */
function judge(outcome: Awaited<ReturnType<typeof analyse>>, tally: {analysed: number; refused: number}): void {
	if (outcome.analysis) {
		checkAnalysis(outcome.analysis);
		tally.analysed++;
		return;
	}
	tally.refused++;
	checkError(outcome.error);
}

const scratch = tempDir('layerscope-fuzz-');
/** Cases one reader analysed and the other refused (reported, not failed: either verdict is safe). */
const disagreements: string[] = [];
let scratchCount = 0;

/**
 * Analyse the archive as a stream (stdin) and as a file (the indexed reader, for plain tars): two readers, one
 * verdict. When both analyse, their figures must agree.
 */
async function analyse(archive: Buffer): Promise<{analysis?: ImageAnalysis; error?: unknown}> {
	const streamed = await analyseWith(() => loadImage('-', {stdin: Readable.from([archive])}));
	const file = path.join(scratch, `${scratchCount++ % 8}.tar`);
	writeFileSync(file, archive);
	const fromFile = await analyseWith(() => loadImage(file));
	if (streamed.analysis && fromFile.analysis) {
		const figures = (a: ImageAnalysis): unknown => [
			a.image.sizeBytes,
			a.image.fileCount,
			a.waste.totalBytes,
			a.waste.byCause,
			a.efficiency.score,
			a.layers.map(l => [l.sizeBytes, l.wastedBytes, l.counts]),
		];
		assert.deepEqual(figures(fromFile.analysis), figures(streamed.analysis), 'the file and the stream readers agree');
	}
	if (streamed.analysis && fromFile.error) {
		checkError(fromFile.error);
		disagreements.push(`stream analysed, file refused: ${describeError(fromFile.error)}`);
		if (process.env.FUZZ_KEEP) writeFileSync(path.join(process.env.FUZZ_KEEP, `disagree-${disagreements.length}.tar`), archive);
	}
	if (fromFile.analysis && streamed.error) {
		checkError(streamed.error);
		disagreements.push(`file analysed, stream refused: ${describeError(streamed.error)}`);
		if (process.env.FUZZ_KEEP) writeFileSync(path.join(process.env.FUZZ_KEEP, `disagree-${disagreements.length}.tar`), archive);
	}
	return streamed.analysis ? streamed : fromFile.analysis ? fromFile : streamed;
}

/** A refusal: an Error, one line, not a bug in disguise. */
function checkError(error: unknown): void {
	assert.ok(error instanceof Error, `rejected with a non-Error: ${String(error)}`);
	assert.ok(!(error instanceof RangeError), `stack overflow or range error: ${error.message}`);
	const line = describeError(error);
	assert.ok(line.length > 0 && !line.includes('\n'), `describeError gives one line: ${JSON.stringify(line)}`);
	assert.doesNotMatch(line, PROGRAMMING_ERROR, 'a bug in the core, wrapped as an input error');
	assert.ok(isExpectedError(error), `an unexpected ${error.constructor.name}: ${error.message}\n${error.stack}`);
}

// ---- Mutations ----------------------------------------------------------------------------------------------------

type Mutation =
	| {kind: 'truncate'; at: number}
	| {kind: 'flip'; at: number; xor: number}
	| {kind: 'overwrite'; at: number; bytes: Uint8Array}
	| {kind: 'duplicateBlock'; block: number; to: number}
	| {kind: 'cutBlock'; block: number}
	| {kind: 'json'; member: number; at: number; text: string};

const position = fc.double({min: 0, max: 1, noNaN: true, maxExcluded: true});
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
	fc.record({kind: fc.constant('truncate' as const), at: position.map(p => Math.floor(p * 1e9))}),
	fc.record({kind: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({min: 1, max: 255})}),
	fc.record({kind: fc.constant('overwrite' as const), at: fc.nat(), bytes: fc.uint8Array({minLength: 1, maxLength: 64})}),
	fc.record({kind: fc.constant('duplicateBlock' as const), block: fc.nat(), to: fc.nat()}),
	fc.record({kind: fc.constant('cutBlock' as const), block: fc.nat()}),
	fc.record({
		kind: fc.constant('json' as const),
		member: fc.nat(),
		at: fc.nat(),
		text: fc.constantFrom('', '"', '}', ']', '{', 'null', '-1', '1e400', '"\u001b[2J"', '[[[[[[[[', ',"x":', '\\u0000', '9999999999999999999'),
	}),
);

async function mutate(original: Buffer, mutations: Mutation[]): Promise<Buffer> {
	let data: Buffer = Buffer.from(original);
	for (const m of mutations) {
		if (data.length === 0) break;
		const blocks = Math.max(1, Math.floor(data.length / 512));
		switch (m.kind) {
			case 'truncate':
				data = data.subarray(0, m.at % data.length);
				break;
			case 'flip':
				data[m.at % data.length] ^= m.xor;
				break;
			case 'overwrite':
				Buffer.from(m.bytes).copy(data, m.at % data.length);
				break;
			case 'duplicateBlock': {
				const block = data.subarray((m.block % blocks) * 512, (m.block % blocks) * 512 + 512);
				const to = (m.to % blocks) * 512;
				data = Buffer.concat([data.subarray(0, to), block, data.subarray(to)]);
				break;
			}
			case 'cutBlock': {
				const at = (m.block % blocks) * 512;
				data = Buffer.concat([data.subarray(0, at), data.subarray(at + 512)]);
				break;
			}
			case 'json': {
				// Corrupt one JSON member and pack the archive again (a valid tar holding invalid JSON).
				let members: Map<string, Buffer>;
				try {
					members = await readMembers(data);
				} catch {
					break;
				}
				const json = [...members.keys()].filter(name => /^[\s]*[{[]/.test(members.get(name)!.subarray(0, 16).toString('latin1')));
				if (json.length === 0) break;
				const name = json[m.member % json.length];
				const text = members.get(name)!.toString('utf8');
				const at = m.at % (text.length + 1);
				members.set(name, Buffer.from(text.slice(0, at) + m.text + text.slice(at + 1)));
				data = await packMembers(members);
				break;
			}
		}
	}
	return data;
}

// ---- The property -------------------------------------------------------------------------------------------------

const seeds: {name: string; build: () => Promise<Buffer>}[] = [
	{name: 'docker save (classic)', build: () => dockerArchive(IMAGE)},
	{name: 'docker save (Docker 25+)', build: () => dockerArchive(IMAGE, {layout: 'docker25'})},
	{name: 'oci-archive, gzip layers', build: () => ociArchive(IMAGE, {compression: 'gzip'})},
	{name: 'oci-archive, zstd layers', build: () => ociArchive(IMAGE, {compression: 'zstd'})},
	{name: 'gzip docker save', build: async () => compress(await dockerArchive(IMAGE), 'gzip')},
];

for (const [index, {name, build}] of seeds.entries()) {
	test(`fuzz: mutated ${name} gives a sane analysis or one clear error (${RUNS} cases, seed ${SEED + index})`, {timeout: 60_000 + RUNS * 2_000}, async t => {
		const original = await build();
		const clean = await analyse(original);
		assert.ok(clean.analysis, `the seed archive itself analyses: ${describeError(clean.error)}`);
		checkAnalysis(clean.analysis);
		const tally = {analysed: 0, refused: 0};
		await fc.assert(
			fc.asyncProperty(fc.array(mutation, {minLength: 1, maxLength: 3}), async mutations => {
				judge(await analyse(await mutate(original, mutations)), tally);
			}),
			params(SEED + index, RUNS),
		);
		t.diagnostic(`${name}: ${tally.analysed} analysed, ${tally.refused} refused with one line (seed ${SEED + index}, replay with FUZZ_SEED=${SEED})`);
		for (const text of new Set(disagreements.splice(0))) t.diagnostic(`readers disagree: ${text}`);
	});
}

// ---- Layers mutated, then sealed again with correct digests: the tar parser and the analysis get the bad bytes -----

test(
	`fuzz: mutated layer tars with correct digests give a sane analysis or one clear error (${RUNS * 2} cases, seed ${SEED + 10})`,
	{timeout: 60_000 + RUNS * 4_000},
	async t => {
		const tars = await Promise.all(IMAGE.layers.map(layer => makeLayer(layer.entries ?? [])));
		const tally = {analysed: 0, refused: 0};
		await fc.assert(
			fc.asyncProperty(
				fc.nat(),
				fc.array(mutation, {minLength: 1, maxLength: 3}),
				fc.constantFrom('docker', 'oci-gzip', 'oci-zstd'),
				async (which, mutations, format) => {
					const index = which % tars.length;
					const mutated = await mutate(tars[index], mutations);
					const image: FixtureImage = {...IMAGE, layers: IMAGE.layers.map((layer, i) => ({createdBy: layer.createdBy, tar: i === index ? mutated : tars[i]}))};
					const archive = format === 'docker' ? await dockerArchive(image) : await ociArchive(image, {compression: format === 'oci-gzip' ? 'gzip' : 'zstd'});
					judge(await analyse(archive), tally);
				},
			),
			params(SEED + 10, RUNS * 2),
		);
		t.diagnostic(`resealed layers: ${tally.analysed} analysed, ${tally.refused} refused with one line`);
	},
);

// ---- Valid but strange images, generated: every one must analyse, with the invariants ------------------------------

const strangeName = fc.constantFrom(
	'a',
	'b',
	'a/b',
	'a/b/c',
	'../up',
	'/abs',
	'./dot',
	'a//b/',
	'.wh.a',
	'a/.wh.b',
	'a/.wh..wh..opq',
	'.wh..wh..opq',
	EVIL,
	`a/${EVIL}`,
	'x'.repeat(300),
	'd/'.repeat(200) + 'f',
);
const strangeEntry = fc.oneof(
	fc.record({name: strangeName, type: fc.constant('file' as const), content: fc.string({maxLength: 40}), mode: fc.constantFrom(0o644, 0o755, 0o4755)}),
	fc.record({name: strangeName, type: fc.constant('directory' as const)}),
	fc.record({name: strangeName, type: fc.constantFrom('symlink' as const, 'link' as const), linkname: strangeName}),
	fc.record({name: strangeName, type: fc.constantFrom('whiteout' as const, 'opaque' as const)}),
	fc.record({name: strangeName, type: fc.constant('fifo' as const)}),
);

test(`fuzz: generated valid images with strange entries always analyse (${RUNS * 2} cases, seed ${SEED + 20})`, {timeout: 60_000 + RUNS * 4_000}, async () => {
	await fc.assert(
		fc.asyncProperty(fc.array(fc.array(strangeEntry, {maxLength: 12}), {minLength: 1, maxLength: 4}), fc.boolean(), async (layers, oci) => {
			const image: FixtureImage = {tags: [`t:${EVIL}`], layers: layers.map(entries => ({entries, createdBy: `/bin/sh -c ${EVIL}`}))};
			const archive = oci ? await ociArchive(image, {compression: 'gzip'}) : await dockerArchive(image);
			const {analysis, error} = await analyse(archive);
			assert.ok(analysis, `a valid image was refused: ${describeError(error)}`);
			checkAnalysis(analysis);
		}),
		params(SEED + 20, RUNS * 2),
	);
});

// ---- Manifest, index and config JSON mutated in shape (types, nulls, sizes), then sealed again with correct digests:
// the schema checks (issue #12) get them, never the code that reads them. Both archive readers, as above. -----------

/** What a value may be replaced with: every JSON type, nulls, negative and huge numbers, empty and long containers. */
const replacement = fc.constantFrom<unknown>(
	null,
	0,
	-1,
	1.5,
	1e308,
	2 ** 53 + 2,
	'',
	'x',
	`${EVIL}`,
	'sha256:' + '0'.repeat(64),
	'md5:00',
	true,
	[],
	[null],
	{},
	{a: null},
	Array.from({length: 300}, () => ({})),
	'x'.repeat(5000),
);

/** Replace the value at a random path (`choices` pick a child at each level) of `doc`; the document itself at depth 0. */
function replaceAt(doc: unknown, choices: number[], value: unknown): unknown {
	if (choices.length === 0 || doc === null || typeof doc !== 'object') return value;
	const keys = Array.isArray(doc) ? doc.map((_, i) => i) : Object.keys(doc);
	if (keys.length === 0) return value;
	const key = keys[choices[0] % keys.length];
	const copy = (Array.isArray(doc) ? [...(doc as unknown[])] : {...(doc as Record<string, unknown>)}) as Record<string | number, unknown>;
	// A choice past the keys' count also stands for "delete this field" in an object.
	if (!Array.isArray(doc) && choices[0] % (keys.length + 1) === keys.length) delete copy[key];
	else copy[key] = replaceAt(copy[key], choices.slice(1), value);
	return copy;
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const sha = (data: Buffer): string => 'sha256:' + createHash('sha256').update(data).digest('hex');

/** An OCI archive's documents with one changed, the descriptors above it sealed again (digest and size). */
async function reshapedOci(files: Map<string, Buffer>, target: 'index' | 'manifest' | 'config', choices: number[], value: unknown): Promise<Buffer> {
	const blob = (digest: string): string => `blobs/sha256/${digest.slice(7)}`;
	const index = JSON.parse(files.get('index.json')!.toString()) as {manifests: {digest: string; size: number}[]};
	const manifestName = blob(index.manifests[0].digest);
	const manifest = JSON.parse(files.get(manifestName)!.toString()) as {config: {digest: string; size: number}};
	const seal = (descriptor: unknown, data: Buffer): void => {
		if (descriptor && typeof descriptor === 'object') Object.assign(descriptor, {digest: sha(data), size: data.length});
		files.set(blob(sha(data)), data);
	};
	let manifestDoc: unknown = manifest;
	if (target === 'config') seal(manifest.config, json(replaceAt(JSON.parse(files.get(blob(manifest.config.digest))!.toString()), choices, value)));
	if (target === 'manifest') manifestDoc = replaceAt(manifest, choices, value);
	let indexDoc: unknown = index;
	if (target === 'index') indexDoc = replaceAt(index, choices, value);
	else seal(index.manifests[0], json(manifestDoc));
	files.set('index.json', json(indexDoc));
	return packMembers(files);
}

/** A docker-save archive with manifest.json or the config changed (the config under the name its digest gives). */
async function reshapedDocker(files: Map<string, Buffer>, target: 'manifest.json' | 'config', choices: number[], value: unknown): Promise<Buffer> {
	const manifest = JSON.parse(files.get('manifest.json')!.toString()) as {Config: string}[];
	if (target === 'manifest.json') files.set('manifest.json', json(replaceAt(manifest, choices, value)));
	else setDockerConfig(files, json(replaceAt(JSON.parse(files.get(manifest[0].Config)!.toString()), choices, value)));
	return packMembers(files);
}

for (const [offset, format] of (['oci', 'docker', 'docker25'] as const).entries()) {
	test(
		`fuzz: ${format} documents reshaped and resealed give a sane analysis or one clear line (${RUNS * 2} cases, seed ${SEED + 30 + offset})`,
		{timeout: 60_000 + RUNS * 4_000},
		async t => {
			const original =
				format === 'oci' ? await ociArchive(IMAGE, {compression: 'gzip'}) : await dockerArchive(IMAGE, format === 'docker25' ? {layout: 'docker25'} : {});
			const targets = format === 'oci' ? (['index', 'manifest', 'config'] as const) : (['manifest.json', 'config'] as const);
			const tally = {analysed: 0, refused: 0};
			await fc.assert(
				fc.asyncProperty(fc.nat(), fc.array(fc.nat(), {maxLength: 5}), replacement, async (which, choices, value) => {
					const files = await readMembers(original);
					const target = targets[which % targets.length];
					const archive =
						format === 'oci'
							? await reshapedOci(files, target as 'index' | 'manifest' | 'config', choices, value)
							: await reshapedDocker(files, target as 'manifest.json' | 'config', choices, value);
					judge(await analyse(archive), tally);
				}),
				params(SEED + 30 + offset, RUNS * 2),
			);
			t.diagnostic(`${format} reshaped: ${tally.analysed} analysed, ${tally.refused} refused with one line`);
		},
	);
}
