// The image config overlay (`i`): what `docker inspect` and `docker history` show of the image itself — Entrypoint,
// Cmd, User, WorkingDir, Env, ExposedPorts, Volumes, Labels, and every history step, the empty-layer ones (ENV, CMD,
// LABEL, …) as 0 B and dimmed. Every value comes from the image: each is escaped.
import {messages} from '../../i18n/catalogue.js';
import {formatBytes, trimCreatedBy} from '../../util/format.js';
import {visible} from '../../util/sanitize.js';
import {padEnd, wrapText, type Line} from '../cells.js';
import type {ExplorerModel} from '../explorer-model.js';
import type {Rect} from '../layout.js';
import {seg, type Theme} from '../segments.js';
import type {ViewState} from '../view-state.js';
import {overlayBox} from './box.js';

const FIELDS = ['Entrypoint', 'Cmd', 'User', 'WorkingDir', 'Env', 'ExposedPorts', 'Volumes', 'Labels'] as const;

/** A config value as lines: a list one item a line, a mapping `key=value` (Labels) or its keys (ports, volumes). */
function valueLines(name: string, value: unknown): string[] {
	if (value === undefined || value === null || value === '') return ['-'];
	if (Array.isArray(value))
		return value.length === 0
			? ['[]']
			: name === 'Env'
				? value.map(v => visible(String(v)))
				: [
						value
							.map(v => JSON.stringify(String(v)))
							.map(visible)
							.join(' '),
					];
	if (typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>);
		if (entries.length === 0) return ['-'];
		return name === 'Labels' ? entries.map(([k, v]) => `${visible(k)}=${visible(String(v))}`) : [entries.map(([k]) => visible(k)).join(', ')];
	}
	return [visible(typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value))];
}

export function configBody(model: ExplorerModel, theme: Theme, width: number): Line[] {
	const {image, history, layers} = model.analysis;
	const t = messages(model.advice.lang).ui;
	const config = image.config;
	const label = 13;
	const body: Line[] = [];
	for (const name of FIELDS) {
		valueLines(name, config[name]).forEach((text, i) =>
			wrapText(text, Math.max(10, width - label)).forEach((piece, j) =>
				body.push([seg(theme, padEnd(i === 0 && j === 0 ? name : '', label), {bold: true}), seg(theme, piece)]),
			),
		);
	}
	const platform = [image.os, image.architecture, image.variant].filter(Boolean).join('/');
	body.push([seg(theme, padEnd(t.configLabels.platform, label), {bold: true}), seg(theme, visible(platform) || '-')]);
	body.push([seg(theme, padEnd(t.configLabels.created, label), {bold: true}), seg(theme, image.created ? visible(image.created) : '-')]);
	body.push([], [seg(theme, t.historyHeading(history.length), {bold: true, underline: true})]);
	for (const step of history) {
		const layer = step.layerIndex === null ? null : layers[step.layerIndex];
		const size = layer ? formatBytes(layer.sizeBytes) : '0 B';
		const which = step.layerIndex === null ? '  -' : String(step.layerIndex).padStart(3);
		const command = visible(trimCreatedBy(step.createdBy)) || t.noCommand;
		wrapText(`${which} ${size.padStart(8)}  ${command}`, width).forEach((piece, i) =>
			body.push([seg(theme, i === 0 ? piece : '              ' + piece, {dim: step.layerIndex === null})]),
		);
	}
	return body;
}

export function configOverlay(state: ViewState, model: ExplorerModel, theme: Theme, rect: Rect): Line[] {
	return overlayBox(
		theme,
		messages(model.advice.lang).ui,
		messages(model.advice.lang).ui.configTitle,
		configBody(model, theme, rect.width),
		state.overlay?.scroll ?? 0,
		rect,
	);
}
