// Time to the explorer's first frame and its peak RSS, measured as a user sees them: `layerscope IMAGE` in a tmux pane
// of 120×40, the clock from starting the pane to the first screen that shows the layers pane; then `q`, and the peak RSS
// of the whole run from GNU time. Needs tmux and /usr/bin/time; null where either is missing.
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';

export interface FirstFrame {
	seconds: number;
	/** Peak RSS of the explorer's process, bytes. */
	rss: number | null;
}

const FRAME_MARK = 'Layers (1/';

export function canMeasureFirstFrame(): boolean {
	return existsSync('/usr/bin/time') && spawnSync('tmux', ['-V'], {stdio: 'ignore'}).status === 0;
}

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

export async function measureFirstFrame(cli: string, image: string, timeoutMs = 120_000): Promise<FirstFrame | null> {
	if (!canMeasureFirstFrame()) return null;
	const dir = mkdtempSync(path.join(os.tmpdir(), 'layerscope-frame-'));
	const socket = `layerscope-bench-${process.pid}`;
	const tmux = (...args: string[]): string => spawnSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'}).stdout ?? '';
	const rssFile = path.join(dir, 'rss');
	const quote = (text: string): string => `'${text.replaceAll("'", "'\\''")}'`;
	// The bin as a program, as an installed layerscope runs.
	const command = `/usr/bin/time -f %M -o ${quote(rssFile)} ${quote(cli)} ${quote(image)}`;
	try {
		const started = process.hrtime.bigint();
		tmux('new-session', '-d', '-x', '120', '-y', '40', command);
		let seconds: number | null = null;
		while (Number(process.hrtime.bigint() - started) / 1e6 < timeoutMs) {
			if (tmux('capture-pane', '-p').includes(FRAME_MARK)) {
				seconds = Number(process.hrtime.bigint() - started) / 1e9;
				break;
			}
			await sleep(10);
		}
		tmux('send-keys', 'q');
		// GNU time writes the file when the explorer has exited.
		const written = (): string => (existsSync(rssFile) ? readFileSync(rssFile, 'utf8').trim() : '');
		for (let i = 0; i < 500 && written() === ''; i++) await sleep(20);
		if (seconds === null) return null;
		const kib = Number(written().split('\n').pop());
		return {seconds, rss: kib > 0 ? kib * 1024 : null};
	} catch {
		return null;
	} finally {
		tmux('kill-server');
		rmSync(dir, {recursive: true, force: true});
	}
}
