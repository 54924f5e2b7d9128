// CI mode (`--ci`, or CI=true without a terminal): check the rules first, then judge the analysis and print the verdict.
// Exit codes: 0 every enabled rule passed, 1 a rule failed; bad configuration is an InputError (exit 2) before any read.
import process from 'node:process';
import {advise, type Advice, type AdviseOptions} from '../advice/index.js';
import type {ImageAnalysis} from '../model/types.js';
import {loadCiConfig, type CiConfig} from './config.js';
import {jsonOutput} from './json-output.js';
import {junitOutput} from './junit-output.js';
import {markdownOutput} from './markdown-output.js';
import {evaluate, type Verdict} from './rules.js';
import {textOutput} from './text-output.js';

/** The verdict in the configured format; every format carries the same findings (`advice`, default: English). */
export function renderVerdict(analysis: ImageAnalysis, verdict: Verdict, config: CiConfig, advice: Advice = advise(analysis)): string {
	switch (config.format) {
		case 'junit':
			return junitOutput(analysis, verdict, advice);
		case 'markdown':
			return markdownOutput(analysis, verdict, advice);
		case 'json':
			return jsonOutput(analysis, verdict, config, advice);
		default:
			return textOutput(analysis, verdict, config, advice);
	}
}

export async function prepareCi(flags: Record<string, unknown>, adviceOptions: AdviseOptions = {}): Promise<(analysis: ImageAnalysis) => Promise<number>> {
	const config = loadCiConfig(flags);
	return async analysis => {
		const verdict = evaluate(config.settings, analysis);
		const output = renderVerdict(analysis, verdict, config, advise(analysis, adviceOptions));
		// A closed pipe is handled by the CLI's stdout error handler; the verdict is still the exit code.
		await new Promise<void>(resolve => process.stdout.write(output, () => resolve()));
		return verdict.pass ? 0 : 1;
	};
}
