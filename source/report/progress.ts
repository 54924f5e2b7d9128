// Loading progress on stderr, only when stderr is a terminal (never garbage in logs or pipes).
import process from 'node:process';
import type {Progress, ProgressListener} from '../sources/blob-store.js';
import {formatBytes} from '../util/format.js';

export function progressLine(progress: Progress, width = 30): string {
	const {bytes, totalBytes, layersDone, layersTotal} = progress;
	const ratio = totalBytes ? Math.min(1, bytes / totalBytes) : null;
	const bar = ratio === null ? '' : '[' + '#'.repeat(Math.round(ratio * width)).padEnd(width, '.') + '] ';
	const amount = totalBytes ? `${formatBytes(bytes)} / ${formatBytes(totalBytes)}` : formatBytes(bytes);
	const layers = layersTotal ? `, layers ${layersDone}/${layersTotal}` : layersDone ? `, ${layersDone} layers` : '';
	return `${bar}${amount}${layers}`;
}

let clearLine: (() => void) | null = null;

/**
 * Take the progress line away once the image is read, before the report is written: the report may go through a
 * pipe to the same terminal (`| head`), where a line cleared only at exit raced the report's first lines.
 */
export function endProgress(): void {
	clearLine?.();
}

export function stderrProgress(stream: NodeJS.WriteStream = process.stderr): ProgressListener | undefined {
	if (!stream.isTTY) return undefined;
	let last = 0;
	let latest: Progress | null = null;
	let shown = false;
	const draw = (): void => {
		if (!latest) return;
		stream.write(`\r\u001B[2Kloading ${progressLine(latest)}`);
		shown = true;
	};
	const clear = (): void => {
		if (shown) stream.write('\r\u001B[2K');
		shown = false;
		latest = null;
	};
	clearLine = clear;
	process.once('exit', clear);
	return progress => {
		// Keep the byte count across phases (layer walks report 0 bytes).
		latest = {...progress, bytes: Math.max(progress.bytes, latest?.bytes ?? 0), totalBytes: progress.totalBytes ?? latest?.totalBytes ?? null};
		const now = Date.now();
		if (now - last < 100 && progress.phase === 'reading') return;
		last = now;
		draw();
	};
}
