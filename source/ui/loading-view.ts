// The loading screen's lines: what is being read, the phase in words, bytes (with a bar when the total is known) and
// layers. Pure and free of Ink, so that run.tsx can paint it at once, before React and Ink have loaded.
import {messages, type Lang} from '../i18n/catalogue.js';
import type {Progress} from '../sources/blob-store.js';
import {formatBytes} from '../util/format.js';
import {visible} from '../util/sanitize.js';
import {bindingOf, helpText, keyOf} from './bindings.js';
import {fitLine, truncate, type Line} from './cells.js';

export function progressText(progress: Progress, barWidth: number, lang: Lang = 'en'): string {
	const t = messages(lang).store;
	const {bytes, totalBytes, layersDone, layersTotal} = progress;
	const ratio = totalBytes ? Math.min(1, bytes / totalBytes) : null;
	const bar = ratio === null ? '' : '[' + '#'.repeat(Math.round(ratio * barWidth)).padEnd(barWidth, '.') + '] ';
	const amount = totalBytes ? `${formatBytes(bytes)} / ${formatBytes(totalBytes)}` : formatBytes(bytes);
	const layers = t.layerProgress(layersDone, layersTotal || null);
	return `${bar}${amount} · ${layers}`;
}

/** What a phase of a load does, as the screen says it (an unknown phase by its name). */
function phaseText(phase: string, phases: Record<string, string>): string {
	return Object.hasOwn(phases, phase) ? phases[phase] : phase;
}

export function loadingLines(reference: string, progress: Progress | null, width: number, height: number, lang: Lang = 'en'): Line[] {
	const t = messages(lang).store;
	const name = reference === '-' ? t.stdin : visible(reference);
	const barWidth = Math.max(10, Math.min(50, width - 50));
	const lines: Line[] = [];
	const top = Math.max(0, Math.floor(height / 2) - 2);
	for (let i = 0; i < top; i++) lines.push([{text: ''}]);
	lines.push([{text: truncate(' ' + t.loading(name), width), bold: true}]);
	lines.push([{text: truncate(' ' + (progress ? progressText(progress, barWidth, lang) : t.opening), width)}]);
	lines.push([{text: truncate(' ' + (progress ? phaseText(progress.phase, t.phases) + '…' : ''), width), dim: true}]);
	lines.push([{text: truncate(` ${keyOf('loading', 'quit')} ${helpText(bindingOf('loading', 'quit'), lang)}`, width), dim: true}]);
	while (lines.length < height) lines.push([{text: ''}]);
	return lines.slice(0, height).map(line => fitLine(line, width));
}
