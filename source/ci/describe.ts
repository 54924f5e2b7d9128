// Wording shared by the CI output formats: the image's name, figures with their units, one rule's outcome in words.
// Every string from the image goes through visible() here or in the format that prints it.
import type {CiMessages} from '../i18n/catalogue.js';
import type {ImageAnalysis} from '../model/types.js';
import {formatBytes, shortDigest} from '../util/format.js';
import {visible} from '../util/sanitize.js';
import type {RuleResult, RuleUnit} from './rules.js';

export function imageLabel(analysis: ImageAnalysis): string {
	const {tags, id} = analysis.image;
	return tags.length > 0 ? tags.map(visible).join(', ') : shortDigest(id);
}

/** A ratio with as many decimals as it takes to tell it from the limit (`0.9844` vs `0.9`, `0.900001` vs `0.9`). */
export function formatRatio(value: number, limit?: number | null): string {
	for (let digits = 4; digits <= 12; digits++) {
		const text = trimZeros(value.toFixed(digits));
		if (limit === undefined || limit === null || value === limit || text !== trimZeros(limit.toFixed(digits))) return text;
	}
	return String(value);
}

function trimZeros(text: string): string {
	return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

export function formatBytesExact(bytes: number): string {
	return bytes < 1000 ? `${bytes} B` : `${bytes} B (${formatBytes(bytes)})`;
}

export function formatFigure(unit: RuleUnit, value: number, limit?: number | null): string {
	return unit === 'ratio' ? formatRatio(value, limit) : formatBytesExact(value);
}

export function formatLimit(result: RuleResult, c: CiMessages): string {
	const {limit, rule} = result.setting;
	if (limit === null) return c.disabled;
	return rule.unit === 'ratio' ? formatRatio(limit) : formatBytesExact(limit);
}

export function statusWord(result: RuleResult): 'PASS' | 'FAIL' | 'SKIP' {
	return result.status === 'pass' ? 'PASS' : result.status === 'fail' ? 'FAIL' : 'SKIP';
}

/** The comparison that decided the rule: `0.9844 >= 0.9`, `32025 B (32.0 kB) > 20000 B (20.0 kB)`. */
export function comparison(result: RuleResult, c: CiMessages): string {
	const {rule, limit} = result.setting;
	const value = formatFigure(rule.unit, result.value, limit);
	if (limit === null) return `${value} ${c.ruleDisabled}`;
	const operator = rule.bound === 'min' ? (result.status === 'fail' ? '<' : '>=') : result.status === 'fail' ? '>' : '<=';
	return `${value} ${operator} ${formatLimit(result, c)}`;
}

/** highestLayerWastedBytes: which layers are over the limit, or where the largest waste is. */
export function layerNote(result: RuleResult, c: CiMessages): string | null {
	if (result.setting.rule.name !== 'highestLayerWastedBytes') return null;
	const over = result.layersOverLimit ?? [];
	if (over.length > 0) return c.layersOverLimit(over.map(layer => `${layer.index} (${formatBytes(layer.wastedBytes)})`).join(', '));
	return result.layerIndex === undefined ? c.noLayerWastes : c.largestInLayer(result.layerIndex);
}

export function failedNames(results: RuleResult[]): string[] {
	return results.filter(result => result.status === 'fail').map(result => result.setting.rule.name);
}
