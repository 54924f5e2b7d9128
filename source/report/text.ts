// The plain report printed when stdout is not a terminal (or with --plain): what the TUI shows, as text.
import process from 'node:process';
import {adviceLines, advise, type Advice} from '../advice/index.js';
import type {ImageAnalysis} from '../model/types.js';
import {formatBytes, formatPercent, shortDigest, trimCreatedBy} from '../util/format.js';
import {visible} from '../util/sanitize.js';

/** Where the advice's prose wraps when the report goes to a pipe or a file. */
const ADVICE_WIDTH = 100;

export interface TextOptions {
	/** How many wasted files to list (default 10). */
	topFiles?: number;
	/** The terminal's width, to fit commands and paths to it; absent (a pipe, a file), nothing is cut. */
	width?: number;
	/** The advisor's findings for the "How to fix" section (default: advise in English, no Dockerfile). */
	advice?: Advice;
}

function pad(text: string, width: number, right = false): string {
	if (text.length >= width) return text;
	return right ? text.padStart(width) : text.padEnd(width);
}

function cut(text: string, width: number): string {
	return text.length <= width ? text : text.slice(0, Math.max(0, width - 1)) + '…';
}

/** The terminal width the plain report fits to: `COLUMNS` when set, else the terminal's; none when not a terminal. */
export function reportWidth(stdout: {isTTY?: boolean; columns?: number}, env: NodeJS.ProcessEnv = process.env): number | undefined {
	if (!stdout.isTTY) return undefined;
	const columns = Number(env.COLUMNS);
	return Number.isInteger(columns) && columns > 0 ? columns : stdout.columns;
}

export function textReport(analysis: ImageAnalysis, options: TextOptions = {}): string {
	// CI logs keep whole file names: without a width nothing is cut.
	const width = options.width === undefined ? Infinity : Math.max(60, options.width);
	const {image, layers, waste, efficiency} = analysis;
	const lines: string[] = [];
	const name = image.tags.length > 0 ? image.tags.map(visible).join(', ') : shortDigest(image.id);
	lines.push(`Image: ${name}  (${visible(analysis.source.kind)}: ${visible(analysis.source.reference)})`);
	lines.push(
		`  id ${shortDigest(image.id, 19)}  ${[image.os, image.architecture, image.variant]
			.filter(Boolean)
			.map(s => visible(s!))
			.join('/')}  ${layers.length} layers  ${image.fileCount} files`,
	);
	lines.push(`  size ${formatBytes(image.sizeBytes)}${image.compressedSizeBytes === null ? '' : `  (compressed ${formatBytes(image.compressedSizeBytes)})`}`);
	lines.push(
		`  wasted ${formatBytes(waste.totalBytes)}: removed ${formatBytes(waste.byCause.removed)}, overwritten ${formatBytes(waste.byCause.overwritten)}, duplicate ${formatBytes(waste.byCause.duplicate)}`,
	);
	lines.push(
		`  dive-compatible: efficiency ${formatPercent(efficiency.score)}, wasted ${formatBytes(efficiency.wastedBytes)}, user wasted ${formatPercent(efficiency.userWastedPercent)}`,
	);
	lines.push('');
	lines.push('Layers');
	const commandWidth = Math.max(20, width - 44);
	lines.push(`  ${pad('#', 3, true)}  ${pad('size', 9, true)}  ${pad('wasted', 9, true)}  ${pad('hidden', 9, true)}  command`);
	for (const layer of layers) {
		const command = visible(trimCreatedBy(layer.createdBy) || layer.comment || '') || '(no history)';
		lines.push(
			`  ${pad(String(layer.index), 3, true)}  ${pad(formatBytes(layer.sizeBytes), 9, true)}  ${pad(layer.wastedBytes ? formatBytes(layer.wastedBytes) : '-', 9, true)}  ${pad(layer.hiddenBytes ? formatBytes(layer.hiddenBytes) : '-', 9, true)}  ${cut(command, commandWidth)}`,
		);
	}
	const top = waste.files.slice(0, options.topFiles ?? 10);
	if (top.length > 0) {
		lines.push('');
		lines.push(`Wasted files (${waste.files.length}, largest first)`);
		for (const file of top) {
			lines.push(
				`  ${pad(formatBytes(file.sizeBytes), 9, true)}  ${pad(file.cause, 11)}  stored by layer ${file.layerIndex}, hidden by layer ${file.hiddenByLayerIndex}  ${cut(visible(file.path), Math.max(20, width - 60))}`,
			);
		}
	}
	// The advisor's findings, the same as --json's, in the run's language (wrapped with Chinese double-width).
	const advice = options.advice ?? advise(analysis);
	// Prose wraps (at 100 columns in a pipe or a file); a path or a command is never cut.
	if (advice.findings.length > 0 || advice.dockerfile?.note) lines.push('', ...adviceLines(advice, Number.isFinite(width) ? width : ADVICE_WIDTH));
	return lines.join('\n') + '\n';
}
