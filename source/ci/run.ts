// CI gate (issue #4): placeholder until the rules engine lands.
import type {ImageAnalysis} from '../analysis/types.js';
import {InputError} from '../util/errors.js';

export async function prepareCi(_flags: Record<string, unknown>): Promise<(analysis: ImageAnalysis) => Promise<number>> {
	throw new InputError('--ci is not available yet');
}
