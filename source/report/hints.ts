// The fix for each cause of waste, in Dockerfile terms. Shared by the TUI, the text report and CI output.
import type {WasteCause} from '../model/types.js';

export function fixFor(cause: WasteCause, path?: string): string {
	const apt = path && /^\/var\/(lib\/apt\/lists|cache\/apt)\//.test(path);
	const cache = path && /^\/(root\/\.cache|root\/\.npm|tmp|var\/cache)\//.test(path);
	switch (cause) {
		case 'removed':
			if (apt) return 'clean the apt lists in the same RUN that installs: `apt-get update && apt-get install … && rm -rf /var/lib/apt/lists/*`';
			if (cache) return 'use a build cache mount (`RUN --mount=type=cache,…`) or delete the cache in the same RUN that fills it';
			return 'delete the file in the same RUN that created it, or never add it (multi-stage build, .dockerignore): a later delete does not shrink the image';
		case 'overwritten':
			return 'write the final content in one step: a later layer that replaces a file keeps both copies in the image';
		case 'duplicate':
			return 'set mode and owner when the file is added (`COPY --chmod=… --chown=…`) instead of a later `chmod`/`chown`, which copies the whole file again';
		default:
			return '';
	}
}
