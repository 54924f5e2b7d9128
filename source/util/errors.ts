// The one error kind a user sees: a problem with the input, shown as one line and exit code 2.

export class InputError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'InputError';
	}
}

/** Turn any thrown value into one line of text, without a stack. */
export function describeError(error: unknown): string {
	if (error instanceof InputError) return error.message;
	const e = error as NodeJS.ErrnoException | undefined;
	switch (e?.code) {
		case 'ENOENT':
			return 'no such file or directory';
		case 'EACCES':
		case 'EPERM':
			return 'permission denied';
		case 'EISDIR':
			return 'is a directory, not an image archive';
		case 'Z_DATA_ERROR':
		case 'Z_BUF_ERROR':
			return 'corrupt gzip data' + (e.message ? ` (${e.message})` : '');
		default:
	}
	const message = e && typeof e.message === 'string' ? e.message : String(error);
	return message.split('\n')[0] || 'unknown error';
}
