// How a command stops on bad input: one line on stderr naming the input and the problem, exit code 2.
import {describeError} from './errors.js';
import {visible} from './sanitize.js';

export function fail(reference: string | undefined, error: unknown): never {
	const where = reference === undefined ? '' : `${visible(reference === '-' ? 'stdin' : reference)}: `;
	// On a terminal a progress line may be showing: the error replaces it rather than running on after it.
	const clear = process.stderr.isTTY ? '\r\u001B[2K' : '';
	process.stderr.write(`${clear}layerscope: ${where}${visible(describeError(error))}\n`);
	process.exit(2);
}
