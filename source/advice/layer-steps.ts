// Each layer's command, read once: the parsed instruction, what each of its shell steps does, the working directory
// it ran in (from the WORKDIR steps before it), and the history step that made it.
import type {ImageAnalysis} from '../model/types.js';
import {parseCommand, type ParsedCommand} from './command.js';
import {absolute, stepAction, type StepAction} from './patterns.js';

export interface LayerSteps {
	index: number;
	/** Index in the history of the step that made the layer, or null when the image has no history for it. */
	historyIndex: number | null;
	command: ParsedCommand;
	actions: StepAction[];
	workdir: string;
}

export function layerSteps(analysis: ImageAnalysis): LayerSteps[] {
	const result: LayerSteps[] = analysis.layers.map(layer => {
		const command = parseCommand(layer.createdBy);
		return {index: layer.index, historyIndex: null, command, actions: command.steps.map(stepAction), workdir: '/'};
	});
	let workdir = '/';
	analysis.history.forEach((item, i) => {
		const command = parseCommand(item.createdBy);
		if (command.instruction === 'WORKDIR' && command.args) workdir = absolute(command.args, workdir);
		if (item.layerIndex !== null && result[item.layerIndex]) {
			result[item.layerIndex].historyIndex = i;
			result[item.layerIndex].workdir = workdir;
		}
	});
	return result;
}

export const isRun = (layer: LayerSteps | undefined): boolean => layer?.command.instruction === 'RUN';
export const isCopy = (layer: LayerSteps | undefined): boolean => layer?.command.instruction === 'COPY' || layer?.command.instruction === 'ADD';
