// The loading screen's lines: what is being read, the phase in words, bytes (with a bar when the total is known) and
// layers. Pure and free of Ink, so that run.tsx can paint it at once, before React and Ink have loaded.
import type {Progress} from '../sources/blob-store.js';
import {formatBytes} from '../util/format.js';
import {visible} from '../util/sanitize.js';
import {bindingOf, keyOf} from './bindings.js';
import {fitLine, truncate, type Line} from './cells.js';

/** What each phase of a load does, as the screen says it. */
const PHASES: Record<string, string> = {
	reading: 'reading the layers and checking their digests',
	done: 'checking the layer digests',
	layers: 'checking the layer digests',
	hashing: 'hashing the files that layers write again',
	analysing: 'analysing what each layer changed and wasted',
};

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function progressText(progress: Progress, barWidth: number): string {
	const {bytes, totalBytes, layersDone, layersTotal} = progress;
	const ratio = totalBytes ? Math.min(1, bytes / totalBytes) : null;
	const bar = ratio === null ? '' : '[' + '#'.repeat(Math.round(ratio * barWidth)).padEnd(barWidth, '.') + '] ';
	const amount = totalBytes ? `${formatBytes(bytes)} / ${formatBytes(totalBytes)}` : formatBytes(bytes);
	const layers = layersTotal ? `layer ${layersDone} of ${layersTotal} done` : `${plural(layersDone, 'layer')} done`;
	return `${bar}${amount} · ${layers}`;
}

export function loadingLines(reference: string, progress: Progress | null, width: number, height: number): Line[] {
	const name = reference === '-' ? 'stdin' : visible(reference);
	const barWidth = Math.max(10, Math.min(50, width - 50));
	const lines: Line[] = [];
	const top = Math.max(0, Math.floor(height / 2) - 2);
	for (let i = 0; i < top; i++) lines.push([{text: ''}]);
	lines.push([{text: truncate(` layerscope · loading ${name}`, width), bold: true}]);
	lines.push([{text: truncate(' ' + (progress ? progressText(progress, barWidth) : 'opening…'), width)}]);
	lines.push([{text: truncate(' ' + (progress ? (PHASES[progress.phase] ?? progress.phase) + '…' : ''), width), dim: true}]);
	lines.push([{text: truncate(` ${keyOf('loading', 'quit')} ${bindingOf('loading', 'quit').help}`, width), dim: true}]);
	while (lines.length < height) lines.push([{text: ''}]);
	return lines.slice(0, height).map(line => fitLine(line, width));
}
