// The CI rules: dive's three, on the dive-compatible figures, and layerscope's own two, on its exact waste.
// A rule is configured once (before any analysis) and evaluated against an ImageAnalysis.
import type {ImageAnalysis} from '../model/types.js';

export type RuleName = 'lowestEfficiency' | 'highestWastedBytes' | 'highestUserWastedPercent' | 'highestLayerscopeWastedBytes' | 'highestLayerWastedBytes';

export type RuleUnit = 'ratio' | 'bytes';

export interface RuleDefinition {
	name: RuleName;
	/** The command-line flag (the same name in kebab case). */
	flag: string;
	unit: RuleUnit;
	/** 'min': fails below the limit; 'max': fails above it. */
	bound: 'min' | 'max';
	/** As dive: lowestEfficiency 0.9, highestWastedBytes disabled, highestUserWastedPercent 0.1; layerscope's own: disabled. */
	defaultValue: string;
	/** Other spellings accepted in the rules file (dive 0.13 snake/kebab names). */
	aliases: string[];
}

export const RULES: RuleDefinition[] = [
	{
		name: 'lowestEfficiency',
		flag: '--lowest-efficiency',
		unit: 'ratio',
		bound: 'min',
		defaultValue: '0.9',
		aliases: ['lowest-efficiency-threshold'],
	},
	{
		name: 'highestWastedBytes',
		flag: '--highest-wasted-bytes',
		unit: 'bytes',
		bound: 'max',
		defaultValue: 'disabled',
		aliases: [],
	},
	{
		name: 'highestUserWastedPercent',
		flag: '--highest-user-wasted-percent',
		unit: 'ratio',
		bound: 'max',
		defaultValue: '0.1',
		aliases: [],
	},
	{
		name: 'highestLayerscopeWastedBytes',
		flag: '--highest-layerscope-wasted-bytes',
		unit: 'bytes',
		bound: 'max',
		defaultValue: 'disabled',
		aliases: [],
	},
	{
		name: 'highestLayerWastedBytes',
		flag: '--highest-layer-wasted-bytes',
		unit: 'bytes',
		bound: 'max',
		defaultValue: 'disabled',
		aliases: [],
	},
];

export type SettingSource = 'default' | 'file' | 'flag';

/** A rule as configured: the limit (null when the rule is disabled) and where it came from. */
export interface RuleSetting {
	rule: RuleDefinition;
	/** The value as written (a flag, the file, or the default). */
	text: string;
	limit: number | null;
	source: SettingSource;
}

export type RuleStatus = 'pass' | 'fail' | 'skip';

export interface LayerOverLimit {
	index: number;
	wastedBytes: number;
	createdBy: string | null;
}

export interface RuleResult {
	setting: RuleSetting;
	status: RuleStatus;
	/** The measured figure (for highestLayerWastedBytes: the largest per-layer waste). */
	value: number;
	/** highestLayerWastedBytes: the layer holding the largest waste. */
	layerIndex?: number;
	/** highestLayerWastedBytes: every layer above the limit, largest first. */
	layersOverLimit?: LayerOverLimit[];
}

export interface Verdict {
	results: RuleResult[];
	pass: boolean;
	tally: {total: number; pass: number; fail: number; skip: number};
}

function measure(name: RuleName, analysis: ImageAnalysis): {value: number; layerIndex?: number} {
	switch (name) {
		case 'lowestEfficiency':
			return {value: analysis.efficiency.score};
		case 'highestWastedBytes':
			return {value: analysis.efficiency.wastedBytes};
		case 'highestUserWastedPercent':
			return {value: analysis.efficiency.userWastedPercent};
		case 'highestLayerscopeWastedBytes':
			return {value: analysis.waste.totalBytes};
		case 'highestLayerWastedBytes': {
			let largest: {value: number; layerIndex?: number} = {value: 0};
			for (const layer of analysis.layers) {
				if (layer.wastedBytes > largest.value) largest = {value: layer.wastedBytes, layerIndex: layer.index};
			}
			return largest;
		}
		default:
			throw new Error(`unknown rule ${name as string}`);
	}
}

export function evaluateRule(setting: RuleSetting, analysis: ImageAnalysis): RuleResult {
	const {value, layerIndex} = measure(setting.rule.name, analysis);
	const result: RuleResult = {setting, status: 'skip', value, ...(layerIndex === undefined ? {} : {layerIndex})};
	if (setting.limit === null) return result;
	const limit = setting.limit;
	// The same comparisons as dive: efficiency fails when limit > value, the others when value > limit.
	const failed = setting.rule.bound === 'min' ? limit > value : value > limit;
	result.status = failed ? 'fail' : 'pass';
	if (setting.rule.name === 'highestLayerWastedBytes') {
		result.layersOverLimit = analysis.layers
			.filter(layer => layer.wastedBytes > limit)
			.sort((a, b) => b.wastedBytes - a.wastedBytes || a.index - b.index)
			.map(layer => ({index: layer.index, wastedBytes: layer.wastedBytes, createdBy: layer.createdBy}));
	}
	return result;
}

export function evaluate(settings: RuleSetting[], analysis: ImageAnalysis): Verdict {
	const results = settings.map(setting => evaluateRule(setting, analysis));
	const count = (status: RuleStatus) => results.filter(result => result.status === status).length;
	const tally = {total: results.length, pass: count('pass'), fail: count('fail'), skip: count('skip')};
	return {results, pass: tally.fail === 0, tally};
}
