// Start-up and the small and medium images of issue #14: medians of runs under GNU time (wall, peak RSS), against
// `node -e 0`, cat, one sha256 pass and dive (on PATH; otherwise the issue's dive figures, measured on a machine of
// this kind, are the reference), each target judged on this run.
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {compileReportBundle} from '../source/cli/code-cache.js';
import {MMAP_THRESHOLD} from '../source/cli/launcher.js';
import {BIG_REPORT} from '../source/cli/tiering.js';
import {WORKER_FILE} from '../source/layers/early-worker.js';
import {indexArchive, type IndexedMember} from '../source/sources/archive-index.js';
import type {BenchImage} from './generate.js';
import {gbPerSecond, hashScale, ISSUE_BASELINES, median, medianOrNull, passRate, RATE_MIN_BYTES, SHA256_PASS} from './machine-speed.js';

export interface Measured {
	/** Median wall seconds and median peak RSS (bytes; null without /usr/bin/time). */
	seconds: number;
	rss: number | null;
	/** Median of the rates a SHA256_PASS printed (bytes/s), for a command whose output is read. */
	rate?: number | null;
}

const GNU_TIME = '/usr/bin/time';
/** The floor under a medium image's targets (see the script). */
const FLOOR_SCRIPT = fileURLToPath(new URL('floor.mjs', import.meta.url));
const scratch = mkdtempSync(path.join(os.tmpdir(), 'layerscope-small-'));
process.on('exit', () => rmSync(scratch, {recursive: true, force: true}));

function once(command: string, args: string[], env: NodeJS.ProcessEnv, read = false): Promise<Measured> {
	const out = path.join(scratch, 'time');
	rmSync(out, {force: true});
	const timed = existsSync(GNU_TIME);
	const [program, argv] = timed ? [GNU_TIME, ['-f', '%M', '-o', out, command, ...args]] : [command, args];
	return new Promise((resolve, reject) => {
		const started = process.hrtime.bigint();
		const child = spawn(program, argv, {stdio: ['ignore', read ? 'pipe' : 'ignore', 'ignore'], env});
		let stdout = '';
		child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.on('error', reject);
		child.on('close', () => {
			const seconds = Number(process.hrtime.bigint() - started) / 1e9;
			const kib = timed ? Number(readFileSync(out, 'utf8').trim().split('\n').pop()) : NaN;
			resolve({seconds, rss: kib > 0 ? kib * 1024 : null, ...(read ? {rate: passRate(stdout)} : {})});
		});
	});
}

/** Median wall and median peak RSS of `runs` runs (the commands of one comparison take turns, see interleaved()). */
export async function medianOf(runs: number, command: string, args: string[], env: NodeJS.ProcessEnv = process.env, read = false): Promise<Measured> {
	const all: Measured[] = [];
	for (let i = 0; i < runs; i++) all.push(await once(command, args, env, read));
	return summarise(all);
}

function summarise(all: Measured[]): Measured {
	const rate = medianOrNull(all.map(m => m.rate));
	return {seconds: median(all.map(m => m.seconds)), rss: medianOrNull(all.map(m => m.rss)), ...(rate === null ? {} : {rate})};
}

/** Each command run `runs` times, taking turns (as the issue's runs were interleaved); medians of each. */
export async function interleaved(runs: number, commands: {command: string; args: string[]; env?: NodeJS.ProcessEnv; read?: boolean}[]): Promise<Measured[]> {
	const all: Measured[][] = commands.map(() => []);
	for (let i = 0; i < runs; i++) for (const [k, c] of commands.entries()) all[k].push(await once(c.command, c.args, c.env ?? process.env, c.read));
	return all.map(summarise);
}

/** The issue's figures (`dive --ci --source docker-archive FILE` and layerscope before it, medians, a quiet machine). */
export const ISSUE_FIGURES: Record<string, {dive: Measured; before: Measured; targetRatio: number}> = {
	'dive-test': {dive: {seconds: 0.054, rss: 13e6}, before: {seconds: 0.25, rss: 64e6}, targetRatio: 1.0},
	debian: {dive: {seconds: 0.23, rss: 18e6}, before: {seconds: 0.55, rss: 101e6}, targetRatio: 1.0},
	apt: {dive: {seconds: 0.57, rss: 27e6}, before: {seconds: 0.59, rss: 98e6}, targetRatio: 0.8},
	small30k: {dive: {seconds: 0.76, rss: 59e6}, before: {seconds: 0.68, rss: 112e6}, targetRatio: 1.0},
};

const secs = (t: number): string => `${t.toFixed(3)} s`;
const mb = (bytes: number | null): string => (bytes === null ? '?' : `${(bytes / 1e6).toFixed(0)} MB`);
const x = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
const yes = (ok: boolean): string => (ok ? 'yes' : '**no**');

/** The environment without NODE_EXTRA_CA_CERTS, which Node 20 reads as it starts (the bin's launcher spares it that). */
function withoutExtraCas(): NodeJS.ProcessEnv {
	const env = {...process.env};
	delete env.NODE_EXTRA_CA_CERTS;
	return env;
}

/** Where the body of an archive's largest member lies, from the index layerscope reads the archive by; null if none. */
async function largestMember(file: string): Promise<{start: number; length: number} | null> {
	const members = (await indexArchive(file))?.files ?? [];
	const largest = members.reduce<IndexedMember | null>((best, member) => (best && best.size >= member.size ? best : member), null);
	return largest && {start: largest.offset, length: largest.size};
}

/** The environment the bin's launcher gives Node: no NODE_EXTRA_CA_CERTS, glibc's mmap threshold fixed. */
function asLaunched(): NodeJS.ProcessEnv {
	return {...withoutExtraCas(), MALLOC_MMAP_THRESHOLD_: String(MMAP_THRESHOLD)};
}

/**
 * The start-up table: `node -e 0`, `--version`, and the reports on dive's 1.5 MB image, medians of `runs`. layerscope
 * runs as installed, the bin as a program (its launcher); `node dist/cli.js` beside it. Where the environment sets
 * NODE_EXTRA_CA_CERTS, `node -e 0` pays Node's read of it and the bin does not, so the same commands run again
 * without it: layerscope's own cost past Node's start.
 */
export async function startupSection(cli: string, image: BenchImage | undefined, runs: number): Promise<{markdown: string; targets: string[]}> {
	const node = process.execPath;
	const extra = process.env.NODE_EXTRA_CA_CERTS;
	const commands: {name: string; command: string; args: string[]; env?: NodeJS.ProcessEnv}[] = [
		{name: '`node -e 0`', command: node, args: ['-e', '0']},
		{name: '`layerscope --version`', command: cli, args: ['--version']},
		...(image
			? [
					{name: "`layerscope IMAGE --json` (dive's 1.5 MB image)", command: cli, args: [image.file, '--json']},
					{name: '`layerscope IMAGE --plain`', command: cli, args: [image.file, '--plain']},
					{name: '`layerscope IMAGE --ci`', command: cli, args: [image.file, '--ci']},
					{name: '`node dist/cli.js IMAGE --json`', command: node, args: [cli, image.file, '--json']},
				]
			: []),
	];
	if (extra)
		commands.push(
			{name: '`node -e 0`, NODE_EXTRA_CA_CERTS unset', command: node, args: ['-e', '0'], env: withoutExtraCas()},
			...(image ? [{name: '`layerscope IMAGE --json`, NODE_EXTRA_CA_CERTS unset', command: cli, args: [image.file, '--json'], env: withoutExtraCas()}] : []),
		);
	const measured = await interleaved(runs, commands);
	const base = measured[0];
	const unsetBase = extra ? measured[commands.findIndex(c => c.env !== undefined)] : undefined;
	const lines = ['| command | wall (median) | ×`node -e 0` | peak RSS (median) |', '|---|---:|---:|---:|'];
	for (const [i, c] of commands.entries()) {
		const against = c.env !== undefined && unsetBase ? unsetBase : base;
		lines.push(`| ${c.name} | ${secs(measured[i].seconds)} | ${x(measured[i].seconds, against.seconds)} | ${mb(measured[i].rss)} |`);
	}
	const targets: string[] = [];
	if (image) {
		const json = measured[2];
		const where = extra ? ' (NODE_EXTRA_CA_CERTS as set here)' : '';
		targets.push(
			`| start-up: a report on the 1.5 MB image within 1.5× of \`node -e 0\`${where} | ${x(json.seconds, base.seconds)} | ${yes(json.seconds <= 1.5 * base.seconds)} |`,
		);
		if (extra && unsetBase) {
			const unset = measured.at(-1)!;
			targets.push(`| … the same, NODE_EXTRA_CA_CERTS unset | ${x(unset.seconds, unsetBase.seconds)} | ${yes(unset.seconds <= 1.5 * unsetBase.seconds)} |`);
		}
		if (json.rss !== null) targets.push(`| … peak RSS ≤ 50 MB | ${mb(json.rss)} | ${yes(json.rss <= 50e6)} |`);
	}
	const how = extra
		? ` This environment sets NODE_EXTRA_CA_CERTS (${extra}): Node reads it as it starts, which \`node -e 0\` and \`node dist/cli.js\` pay and the bin's launcher spares layerscope; the rows marked unset run without it, each against \`node -e 0\` without it.`
		: '';
	const markdown = [
		`Start-up (medians of ${runs} runs taking turns, wall and peak RSS from GNU time; layerscope run as installed, the bin as a program; ${codeCacheState(cli)}).${how}`,
		'',
		...lines,
	].join('\n');
	return {markdown, targets};
}

/** Whether the reports ran from the code cache: V8 refuses one made by another Node (the reports then compile). */
function codeCacheState(cli: string): string {
	const bundle = path.join(path.dirname(cli), 'reports.cjs');
	if (!existsSync(bundle) || !existsSync(bundle + '.cache')) return 'no report bundle or code cache in dist/';
	const script = compileReportBundle(bundle, readFileSync(bundle + '.cache'));
	return script.cachedDataRejected === true ? "the reports' code cache was refused by this Node" : 'the reports ran from their code cache';
}

/**
 * The small and medium shapes: layerscope --json against its baselines and dive. Where no dive is on PATH, the issue's
 * dive figures are the reference, scaled to this machine through the baselines measured beside them (machine-speed.ts):
 * the medium images by this run's sha256 rate (their time is reading and hashing), dive's 1.5 MB image by `node -e 0`
 * (its time is start-up). `hashRate` is this run's, for the other targets judged against the issue's machine.
 */
export async function shapesSection(
	cli: string,
	images: BenchImage[],
	runs: number,
	hasDive: boolean,
	log: (line: string) => void,
): Promise<{markdown: string; targets: string[]; hashRate: number | null}> {
	const node = process.execPath;
	const workerFile = path.join(path.dirname(cli), WORKER_FILE);
	const results = [];
	for (const image of images) {
		const commands: {command: string; args: string[]; env?: NodeJS.ProcessEnv; read?: boolean}[] = [
			{command: cli, args: [image.file, '--json']},
			{command: node, args: ['-e', '0']},
			{command: 'sh', args: ['-c', 'cat "$1" > /dev/null', 'sh', image.file]},
			// The floor of a Node tool: without Node's start-up read of NODE_EXTRA_CA_CERTS, which layerscope skips too.
			{command: node, args: ['-e', SHA256_PASS, image.file], env: withoutExtraCas(), read: true},
			...(hasDive ? [{command: 'dive', args: ['--ci', '--source', 'docker-archive', image.file], env: {...process.env, CI: 'true'}}] : []),
		];
		const largest = image.id !== 'dive-test' && existsSync(workerFile) ? await largestMember(image.file) : null;
		const floorAt = largest ? commands.length : -1;
		if (largest)
			commands.push({
				command: node,
				args: [FLOOR_SCRIPT, workerFile, image.file, String(largest.start), String(largest.length), ...BIG_REPORT],
				env: asLaunched(),
			});
		const measured = await interleaved(runs, commands);
		const [ls, nodeZero, cat, sha] = measured;
		const dive = hasDive ? measured[4] : undefined;
		const floor = floorAt >= 0 ? measured[floorAt] : undefined;
		const archive = statSync(image.file).size;
		results.push({image, archive, ls, nodeZero, cat, sha, dive, floor, largest});
		log(`${image.id}: ${secs(ls.seconds)}, ${mb(ls.rss)} (sha256 ${secs(sha.seconds)}${sha.rate ? `, ${gbPerSecond(sha.rate)}` : ''})`);
	}
	// This run's hash rate: the median of the medium images' passes (a small file's pass is mostly its open).
	const rates = results.filter(r => r.archive >= RATE_MIN_BYTES && typeof r.sha.rate === 'number').map(r => r.sha.rate!);
	const hashRate = rates.length > 0 ? median(rates) : null;
	const hashBound = hashScale(hashRate);
	const lines = [
		'| image | archive | entries | layerscope --json | peak RSS | `node -e 0` | cat | sha256 | ×sha256 | dive --ci (this run) | dive (issue) | dive (issue), scaled to this run | ×dive | RSS − dive | before (issue) |',
		'|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
	];
	const targets: string[] = [];
	const floorLines: string[] = [];
	for (const {image, archive, ls, nodeZero, cat, sha, dive, floor, largest} of results) {
		const issue = ISSUE_FIGURES[image.id];
		const scale = image.id === 'dive-test' ? nodeZero.seconds / ISSUE_BASELINES.nodeZeroSeconds : hashBound;
		const scaled = issue && scale !== null ? {seconds: issue.dive.seconds * scale, rss: issue.dive.rss} : null;
		const reference = dive ?? scaled;
		const rssTarget = typeof reference?.rss === 'number' ? reference.rss + 30e6 : null;
		lines.push(
			`| ${image.title} | ${(archive / 1e6).toFixed(1)} MB | ${image.entries.toLocaleString('en-US')} | ${secs(ls.seconds)} | ${mb(ls.rss)} | ${secs(nodeZero.seconds)} | ${secs(cat.seconds)} | ${secs(sha.seconds)} | ${x(ls.seconds, sha.seconds)} | ${dive ? `${secs(dive.seconds)}, ${mb(dive.rss)}` : 'not on PATH'} | ${issue ? `${secs(issue.dive.seconds)}, ${mb(issue.dive.rss)}` : ''} | ${scaled && scale !== null ? `${secs(scaled.seconds)} (×${scale.toFixed(2)})` : ''} | ${reference ? x(ls.seconds, reference.seconds) : ''} | ${reference?.rss && ls.rss ? mb(ls.rss - reference.rss) : ''} | ${issue ? `${secs(issue.before.seconds)}, ${mb(issue.before.rss)}` : ''} |`,
		);
		if (issue && reference && image.id !== 'dive-test') {
			const against = dive ? "dive's, this run" : `dive's in the issue, scaled to this run (${secs(reference.seconds)})`;
			const unscaled = dive ? '' : ` (${x(ls.seconds, issue.dive.seconds)} of the issue's ${secs(issue.dive.seconds)} as measured there)`;
			const floorWall = floor ? `; the floor ${secs(floor.seconds)}` : '';
			targets.push(
				`| ${image.id}: wall ≤ ${issue.targetRatio.toFixed(1)}× ${against} | ${x(ls.seconds, reference.seconds)}${unscaled}${floorWall} | ${yes(ls.seconds <= issue.targetRatio * reference.seconds)} |`,
			);
			if (ls.rss !== null && rssTarget !== null) {
				const floorRss = floor?.rss ? `; the floor ${mb(floor.rss)}` : '';
				targets.push(`| ${image.id}: peak RSS ≤ dive's + 30 MB (${mb(rssTarget)}) | ${mb(ls.rss)}${floorRss} | ${yes(ls.rss <= rssTarget)} |`);
			}
		}
		if (floor && largest)
			floorLines.push(
				`| ${image.id} | ${(largest.length / 1e6).toFixed(1)} MB | ${secs(floor.seconds)} | ${mb(floor.rss)} | ${x(ls.seconds, floor.seconds)} | ${ls.rss !== null && floor.rss !== null ? mb(ls.rss - floor.rss) : '?'} | ${rssTarget === null ? '' : mb(rssTarget)} |`,
			);
	}
	const nodeZero = median(results.map(r => r.nodeZero.seconds));
	const startBound = nodeZero / ISSUE_BASELINES.nodeZeroSeconds;
	const speed =
		(hashRate === null || hashBound === null
			? "No sha256 rate was measured, so the issue's dive figures are not scaled."
			: `This run's sha256 pass hashes ${gbPerSecond(hashRate)} (median over the medium images; the issue's machine: ~${gbPerSecond(ISSUE_BASELINES.hashBytesPerSecond)}), so a hash-bound run takes ×${hashBound.toFixed(2)} the time it took there.`) +
		` \`node -e 0\` takes ${secs(nodeZero)} here (×${startBound.toFixed(2)}): the host moves the two apart, and a run whose main thread is the longer path (parsing, the analysis) follows the second more than the first.`;
	const floorTable =
		floorLines.length === 0
			? []
			: [
					'',
					`The floors under these targets (\`bench/floor.mjs\`, in the same turns): Node with layerscope's hash worker doing only what no run on the archive can skip or share between cores, the digest check of its largest member (one sha256 pass), under a report's V8 flags, the main thread idle. No run of a Node tool with one hash worker takes less time or memory on that archive; a target below the floor cannot be met that way.`,
					'',
					'| image | largest member | floor wall | floor peak RSS | layerscope ×floor | layerscope RSS − floor | RSS target |',
					'|---|---:|---:|---:|---:|---:|---:|',
					...floorLines,
				];
	const markdown = [
		`Small and medium images (issue #14's shapes; medians of ${runs} runs, the commands taking turns; wall and peak RSS from GNU time; layerscope run as installed, the bin as a program; the sha256 pass without NODE_EXTRA_CA_CERTS, whose read at start the bin skips too). The dive (issue) column is the issue's measurement of dive 0.13.1 on a quiet machine of this kind, the reference where no dive is on PATH, carried to this run through the baselines measured beside it there: the medium images by the sha256 pass (~${gbPerSecond(ISSUE_BASELINES.hashBytesPerSecond)} there; their time is reading and hashing), dive's 1.5 MB image by \`node -e 0\` (~${ISSUE_BASELINES.nodeZeroSeconds.toFixed(2)} s there; its time is start-up). ${speed} RSS is not scaled. before (issue) is layerscope then.`,
		'',
		...lines,
		...floorTable,
	].join('\n');
	return {markdown, targets, hashRate};
}
