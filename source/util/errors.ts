// The errors a user sees: a problem with the input (or the service that holds it), shown as one line and exit code 2.
// Code that must tell one problem from another looks at `kind`, never at the message text.

/**
 * What went wrong, for code that handles one case differently:
 * - `invalid`: the input is malformed or fails a check (the default);
 * - `missing`: something the input names (an archive member, a blob, an image) is not there;
 * - `network`: a service could not be reached or broke off (engine, registry, token service);
 * - `unavailable`: the operation cannot be done for this kind of source (e.g. file contents from stdin);
 * - `limit`: the input exceeds a bound layerscope sets (paths, documents, sizes).
 */
export type ErrorKind = 'invalid' | 'missing' | 'network' | 'unavailable' | 'limit';

export class InputError extends Error {
	readonly kind: ErrorKind;
	constructor(message: string, kind: ErrorKind = 'invalid', options?: {cause?: unknown}) {
		super(message, options);
		this.name = 'InputError';
		this.kind = kind;
	}
}

/** The same problem with more context in front of its message (`layer 2: …`), keeping its kind. */
export function withContext(error: InputError, context: string): InputError {
	return new InputError(`${context}: ${error.message}`, error.kind, {cause: error});
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
