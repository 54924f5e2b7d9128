// Keypress-to-frame time of the explorer, through the bench's UI hook (bench/ui-hook.ts, run by tsx), in a child process
// so that its memory and JIT state do not mix with the parent's. Ink is loaded with CI unset, as in a terminal.
import {spawn} from 'node:child_process';
import path from 'node:path';
import process from 'node:process';
import {pathToFileURL} from 'node:url';

interface Stats {
	median: number;
	p95: number;
	max: number;
	count: number;
}

interface KeyPressReport {
	files: number;
	analysisMs: number;
	firstFrameMs: number;
	byKey: Record<string, Stats>;
	median: number;
	p95: number;
	max: number;
}

export interface TuiResult {
	report: KeyPressReport;
	markdown: string;
}

export async function measureKeypress(repo: string, files: number): Promise<TuiResult> {
	const hook = pathToFileURL(path.join(repo, 'bench', 'ui-hook.ts')).href;
	const script = `const {measureKeyPress} = await import(${JSON.stringify(hook)}); const r = await measureKeyPress({files: ${files}}); delete r.samples; process.stdout.write(JSON.stringify(r)); process.exit(0);`;
	const env = {...process.env};
	delete env.CI;
	delete env.CONTINUOUS_INTEGRATION;
	const output = await new Promise<string>((resolve, reject) => {
		const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {stdio: ['ignore', 'pipe', 'pipe'], env});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.on('error', reject);
		child.on('close', code => (code === 0 ? resolve(stdout) : reject(new Error(stderr.trim().split('\n').slice(-2).join(' ') || `exit ${code}`))));
	});
	const report = JSON.parse(output) as KeyPressReport;
	const ms = (value: number): string => value.toFixed(1);
	const lines = [
		`Explorer keypress-to-frame on a ${report.files.toLocaleString('en-US')}-file tree (the UI's bench hook: the app in Ink, frames by the terminal line writer, 120×40, each key due 20 ms after the last frame and timed from then, a wait behind idle work included): median **${ms(report.median)} ms**, p95 ${ms(report.p95)} ms, max ${ms(report.max)} ms (first frame ${ms(report.firstFrameMs)} ms).`,
		'',
		'| key | presses | median | p95 | max |',
		'|---|---:|---:|---:|---:|',
		...Object.entries(report.byKey).map(([key, s]) => `| ${key} | ${s.count} | ${ms(s.median)} ms | ${ms(s.p95)} ms | ${ms(s.max)} ms |`),
	];
	return {report, markdown: lines.join('\n')};
}
