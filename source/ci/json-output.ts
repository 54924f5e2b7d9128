// The machine verdict (`--ci --format json`): every rule with its value and limit, the figures, the top wasted files.
import type {Advice} from '../advice/index.js';
import type {ImageAnalysis} from '../model/types.js';
import {terminalJson, visible} from '../util/sanitize.js';
import type {CiConfig} from './config.js';
import {imageLabel} from './describe.js';
import type {Verdict} from './rules.js';
import {TOP_FILES} from './text-output.js';

export const CI_SCHEMA_VERSION = 1;

export function jsonOutput(analysis: ImageAnalysis, verdict: Verdict, config: CiConfig, advice: Advice): string {
	const {efficiency, waste} = analysis;
	const report = {
		schemaVersion: CI_SCHEMA_VERSION,
		result: verdict.pass ? 'pass' : 'fail',
		exitCode: verdict.pass ? 0 : 1,
		image: {
			name: imageLabel(analysis),
			tags: analysis.image.tags.map(visible),
			id: analysis.image.id,
			source: {kind: analysis.source.kind, reference: visible(analysis.source.reference)},
			sizeBytes: analysis.image.sizeBytes,
			layerCount: analysis.layers.length,
		},
		configFile: config.configFile === null ? null : visible(config.configFile),
		figures: {
			efficiency: efficiency.score,
			wastedBytes: efficiency.wastedBytes,
			userWastedPercent: efficiency.userWastedPercent,
			layerscopeWastedBytes: waste.totalBytes,
			layerscopeWasteByCause: waste.byCause,
			layerWastedBytes: analysis.layers.map(layer => layer.wastedBytes),
		},
		rules: verdict.results.map(result => ({
			name: result.setting.rule.name,
			status: result.status,
			value: result.value,
			limit: result.setting.limit,
			setting: result.setting.text,
			source: result.setting.source,
			...(result.layerIndex === undefined ? {} : {layerIndex: result.layerIndex}),
			...(result.layersOverLimit === undefined
				? {}
				: {layersOverLimit: result.layersOverLimit.map(layer => ({index: layer.index, wastedBytes: layer.wastedBytes}))}),
		})),
		tally: verdict.tally,
		wastedFiles: waste.files.slice(0, TOP_FILES).map(file => ({...file, path: visible(file.path)})),
		wastedFileCount: waste.files.length,
		// The same findings as the --json report's `findings` (docs/json-report.md).
		findings: advice.findings,
	};
	return terminalJson(report) + '\n';
}
