// Path normalisation for tar entry names (DESIGN.md, "Path").

export interface NormalisedPath {
	path: string;
	/** The name has a `..` segment: kept as written, never resolved, flagged. */
	unsafe: boolean;
}

/** `./a//b/` -> `/a/b`; the root is `/`. `..` segments are kept verbatim and flagged. */
export function normalisePath(name: string): NormalisedPath {
	const parts: string[] = [];
	let unsafe = false;
	for (const part of name.split('/')) {
		if (part === '' || part === '.') continue;
		if (part === '..') unsafe = true;
		parts.push(part);
	}
	return {path: '/' + parts.join('/'), unsafe};
}

export function parentOf(path: string): string {
	const i = path.lastIndexOf('/');
	return i <= 0 ? '/' : path.slice(0, i);
}

export function baseName(path: string): string {
	return path.slice(path.lastIndexOf('/') + 1);
}

export function joinPath(dir: string, name: string): string {
	return dir === '/' ? '/' + name : dir + '/' + name;
}
