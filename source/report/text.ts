// The plain report printed when stdout is not a terminal (or with --plain): what the TUI shows, as text.
import process from 'node:process';
import {adviceLines, advise, type Advice} from '../advice/index.js';
import {messages} from '../i18n/catalogue.js';
import {padDisplay as pad, truncateDisplay as cut} from '../i18n/text-width.js';
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
	// The advisor's findings, the same as --json's; the report speaks their language.
	const advice = options.advice ?? advise(analysis);
	const m = messages(advice.lang);
	const r = m.report;
	const lines: string[] = [];
	const name = image.tags.length > 0 ? image.tags.map(visible).join(', ') : shortDigest(image.id);
	lines.push(r.imageLine(name, visible(analysis.source.kind), visible(analysis.source.reference)));
	const platform = [image.os, image.architecture, image.variant]
		.filter(Boolean)
		.map(s => visible(s!))
		.join('/');
	lines.push(r.idLine(shortDigest(image.id, 19), platform, layers.length, image.fileCount));
	lines.push(r.sizeLine(formatBytes(image.sizeBytes), image.compressedSizeBytes === null ? null : formatBytes(image.compressedSizeBytes)));
	lines.push(
		'  ' +
			r.wastedByCause(
				formatBytes(waste.totalBytes),
				formatBytes(waste.byCause.removed),
				formatBytes(waste.byCause.overwritten),
				formatBytes(waste.byCause.duplicate),
			),
	);
	lines.push('  ' + r.diveLine(formatPercent(efficiency.score), formatBytes(efficiency.wastedBytes), formatPercent(efficiency.userWastedPercent)));
	lines.push('');
	lines.push(r.layers);
	const commandWidth = Math.max(20, width - 44);
	const c = r.columns;
	lines.push(`  ${pad(c.index, 3, true)}  ${pad(c.size, 9, true)}  ${pad(c.wasted, 9, true)}  ${pad(c.hidden, 9, true)}  ${c.command}`);
	for (const layer of layers) {
		const command = visible(trimCreatedBy(layer.createdBy) || layer.comment || '') || r.noHistory;
		lines.push(
			`  ${pad(String(layer.index), 3, true)}  ${pad(formatBytes(layer.sizeBytes), 9, true)}  ${pad(layer.wastedBytes ? formatBytes(layer.wastedBytes) : '-', 9, true)}  ${pad(layer.hiddenBytes ? formatBytes(layer.hiddenBytes) : '-', 9, true)}  ${cut(command, commandWidth)}`,
		);
	}
	const top = waste.files.slice(0, options.topFiles ?? 10);
	if (top.length > 0) {
		lines.push('');
		lines.push(m.ci.wastedFilesHeading(top.length, waste.files.length));
		for (const file of top) {
			lines.push(
				`  ${pad(formatBytes(file.sizeBytes), 9, true)}  ${pad(m.cause[file.cause], 11)}  ${r.storedHidden(file.layerIndex, file.hiddenByLayerIndex)}  ${cut(visible(file.path), Math.max(20, width - 60))}`,
			);
		}
	}
	// Prose wraps (at 100 columns in a pipe or a file, Chinese counted double-width); a path or a command is never cut.
	if (advice.findings.length > 0 || advice.dockerfile?.note) lines.push('', ...adviceLines(advice, Number.isFinite(width) ? width : ADVICE_WIDTH));
	return lines.join('\n') + '\n';
}
