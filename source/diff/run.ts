// `layerscope diff A B` (issue #4): placeholder until it lands.
import {InputError} from '../util/errors.js';

export async function runDiff(_references: string[], _flags: Record<string, unknown>): Promise<void> {
	throw new InputError('diff is not available yet');
}
