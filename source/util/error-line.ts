// The one line a failed command prints on stderr: `layerscope: <input>: <problem>`. Commands throw (a CommandFailure
// when the input is not the one the command line named); only cli-main.ts writes the line and exits, with code 2.
import {describeError} from './errors.js';
import {visible} from './sanitize.js';

/** A failure and the input it concerns (`diff A B`: which of the two; undefined: the command line itself). */
export class CommandFailure extends Error {
	constructor(
		readonly input: string | undefined,
		readonly error: unknown,
	) {
		super(describeError(error), {cause: error});
		this.name = 'CommandFailure';
	}
}

/** The line for `error`, met while reading `input` (unless the error names its own input), with its newline. */
export function errorLine(input: string | undefined, error: unknown): string {
	if (error instanceof CommandFailure) return errorLine(error.input, error.error);
	const where = input === undefined ? '' : `${visible(input === '-' ? 'stdin' : input)}: `;
	return `layerscope: ${where}${visible(describeError(error))}\n`;
}
