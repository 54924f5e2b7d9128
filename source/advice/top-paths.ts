// The paths a finding shows: its files summarised by directory (`/var/lib/apt/lists/` 12 files 82.9 MB), at most
// a few entries, largest first; a directory holding one of the files shows that file instead.
import path from 'node:path';

export interface TopPath {
	/** A file, or a directory ending with `/` that holds `files` of them. */
	path: string;
	files: number;
	bytes: number;
}

interface Bucket {
	files: number;
	bytes: number;
	first: string;
}

const depth = (dir: string): number => dir.split('/').length;

export function topPaths(files: readonly {path: string; sizeBytes: number}[], max = 3): TopPath[] {
	const buckets = new Map<string, Bucket>();
	const add = (dir: string, bucket: Bucket): void => {
		const into = buckets.get(dir);
		if (into) {
			into.files += bucket.files;
			into.bytes += bucket.bytes;
		} else buckets.set(dir, {...bucket});
	};
	for (const file of files) add(path.posix.dirname(file.path), {files: 1, bytes: file.sizeBytes, first: file.path});
	// Fold the deepest directories into their parents until few enough remain.
	while (buckets.size > max) {
		let deepest: string | null = null;
		for (const [dir, bucket] of buckets) {
			if (dir === '/') continue;
			if (deepest === null || depth(dir) > depth(deepest) || (depth(dir) === depth(deepest) && bucket.bytes < buckets.get(deepest)!.bytes)) deepest = dir;
		}
		if (deepest === null) break;
		const bucket = buckets.get(deepest)!;
		buckets.delete(deepest);
		add(path.posix.dirname(deepest), bucket);
	}
	return [...buckets]
		.map(([dir, bucket]) => ({path: bucket.files === 1 ? bucket.first : dir.replace(/\/?$/, '/'), files: bucket.files, bytes: bucket.bytes}))
		.sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : 1))
		.slice(0, max);
}
