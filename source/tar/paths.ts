// Path normalisation for tar entry names (docs/design.md and docs/json-report.md, "Path").

export interface NormalisedPath {
	path: string;
	/** The name has a `..` segment: kept as written, never resolved, flagged. */
	unsafe: boolean;
}

/** Whether `name` is already `a/b/c` (no empty, `.` or `..` segment): then its normal form is `/` + name. */
function isPlain(name: string): boolean {
	let start = 0;
	for (let i = 0; i <= name.length; i++) {
		if (i < name.length && name.charCodeAt(i) !== 47) continue;
		const length = i - start;
		if (length === 0) return false;
		if (name.charCodeAt(start) === 46 && (length === 1 || (length === 2 && name.charCodeAt(start + 1) === 46))) return false;
		start = i + 1;
	}
	return true;
}

/** `./a//b/` -> `/a/b`; the root is `/`. `..` segments are kept verbatim and flagged. */
export function normalisePath(name: string): NormalisedPath {
	if (isPlain(name)) return {path: '/' + name, unsafe: false};
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
