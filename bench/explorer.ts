// `node --import tsx bench/explorer.ts [--quick] [--runs N] [--image FILE] [--repo DIR]`: only the explorer's rows of the bench,
// for work on the explorer. The first frame on the tiny-files image (1,000,001 entries; 100,001 with --quick) against
// `--json` on the same image, taking turns, and the keypress-to-frame table (bench/tui.ts). Only the tiny image is
// built (under .bench-cache/explorer-SET/), not the whole set. Prints markdown with the machine and load average.
// --repo measures another checkout (its dist/cli.js and its UI hook): the same rows before a change.
import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {measureFirstFrame} from './first-frame.js';
import {buildPlan, plans, SETS} from './generate.js';
import {measureKeypress} from './tui.js';

const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let repo = here;
let cli = path.join(repo, 'dist', 'cli.js');

function parseArgs(argv: string[]): {quick: boolean; runs: number; image: string | null; repo: string | null} {
	const args = {quick: false, runs: 3, image: null as string | null, repo: null as string | null};
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--quick') args.quick = true;
		else if (argv[i] === '--runs') args.runs = Math.max(1, Number(argv[++i]));
		else if (argv[i] === '--image') args.image = argv[++i];
		else if (argv[i] === '--repo') args.repo = path.resolve(argv[++i]);
		else {
			console.error(`bench/explorer: unknown argument ${argv[i]}`);
			process.exit(2);
		}
	}
	return args;
}

/** The tiny-files image of a set, built alone once. */
async function tinyImage(quick: boolean): Promise<string> {
	const set = SETS[quick ? 'quick' : 'full'];
	const dir = path.join(here, '.bench-cache', `explorer-${set.name}`);
	const index = path.join(dir, 'tiny.json');
	if (existsSync(index)) {
		const file = (JSON.parse(readFileSync(index, 'utf8')) as {file: string}).file;
		if (existsSync(file)) return file;
	}
	const plan = plans(set).find(p => p.id === 'tiny')!;
	const [image] = await buildPlan(dir, plan, console.error);
	writeFileSync(index, JSON.stringify({file: image.file}));
	return image.file;
}

/** `layerscope IMAGE --json > /dev/null`: wall time and peak RSS (GNU time). */
function json(image: string): {seconds: number; rss: number} {
	const started = process.hrtime.bigint();
	const run = spawnSync('/usr/bin/time', ['-f', '%M', cli, image, '--json'], {stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8'});
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	return {seconds, rss: Number(run.stderr.trim().split('\n').pop()) * 1024};
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mb = (bytes: number): string => (bytes / 1024 ** 2).toFixed(0);

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2));
	if (args.repo) {
		repo = args.repo;
		cli = path.join(repo, 'dist', 'cli.js');
	}
	const image = args.image ?? (await tinyImage(args.quick));
	const loads = [os.loadavg()[0]];
	const jsonRuns: {seconds: number; rss: number}[] = [];
	const frames: {seconds: number; rss: number}[] = [];
	for (let run = 0; run < args.runs; run++) {
		jsonRuns.push(json(image));
		const frame = await measureFirstFrame(cli, image);
		if (frame?.rss) frames.push({seconds: frame.seconds, rss: frame.rss});
		loads.push(os.loadavg()[0]);
		console.error(`run ${run + 1}: --json ${jsonRuns[run].seconds.toFixed(2)} s, first frame ${frame ? frame.seconds.toFixed(2) : '?'} s`);
	}
	const files = args.quick ? 10_000 : 100_000;
	const keys = await measureKeypress(repo, files);
	loads.push(os.loadavg()[0]);
	const j = {seconds: median(jsonRuns.map(r => r.seconds)), rss: median(jsonRuns.map(r => r.rss))};
	const lines = [
		`Machine: ${os.availableParallelism()} × ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, Node ${process.version}; ${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC; 1-minute load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} during the run.`,
		'',
		`Checkout: ${repo}. Image: ${path.basename(image)}; medians of ${args.runs} runs, \`--json\` and the explorer taking turns.`,
		'',
		'| | wall | peak RSS |',
		'|---|---:|---:|',
		`| \`layerscope IMAGE --json\` | ${j.seconds.toFixed(2)} s | ${mb(j.rss)} MB |`,
	];
	if (frames.length > 0) {
		const f = {seconds: median(frames.map(r => r.seconds)), rss: median(frames.map(r => r.rss))};
		lines.push(
			`| explorer, first frame (tmux 120×40) | ${f.seconds.toFixed(2)} s (${(f.seconds / j.seconds).toFixed(2)}×) | ${mb(f.rss)} MB (${(f.rss / j.rss).toFixed(2)}×) |`,
		);
	} else lines.push('| explorer, first frame | not measured (needs tmux and /usr/bin/time) | |');
	lines.push('', keys.markdown);
	process.stdout.write(lines.join('\n') + '\n');
}

await main();
