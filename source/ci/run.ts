// CI mode (`--ci`, or CI=true without a terminal): check the rules first, then judge the analysis and print the verdict.
// Exit codes: 0 every enabled rule passed, 1 a rule failed; bad configuration is an InputError (exit 2) before any read.
import process from 'node:process';
import type {ImageAnalysis} from '../model/types.js';
import {loadCiConfig, type CiConfig} from './config.js';
import {jsonOutput} from './json-output.js';
import {junitOutput} from './junit-output.js';
import {markdownOutput} from './markdown-output.js';
import {evaluate, type Verdict} from './rules.js';
import {textOutput} from './text-output.js';

export function renderVerdict(analysis: ImageAnalysis, verdict: Verdict, config: CiConfig): string {
	switch (config.format) {
		case 'junit':
			return junitOutput(analysis, verdict);
		case 'markdown':
			return markdownOutput(analysis, verdict);
		case 'json':
			return jsonOutput(analysis, verdict, config);
		default:
			return textOutput(analysis, verdict, config);
	}
}

export async function prepareCi(flags: Record<string, unknown>): Promise<(analysis: ImageAnalysis) => Promise<number>> {
	const config = loadCiConfig(flags);
	return async analysis => {
		const verdict = evaluate(config.settings, analysis);
		const output = renderVerdict(analysis, verdict, config);
		// A closed pipe is handled by the CLI's stdout error handler; the verdict is still the exit code.
		await new Promise<void>(resolve => process.stdout.write(output, () => resolve()));
		return verdict.pass ? 0 : 1;
	};
}
