// The paths a finding shows: its files summarised by directory (`/var/lib/apt/lists/` 12 files 82.9 MB), at most
// a few entries, largest first; a directory holding one of the files shows that file instead. The entries hold at
// least 90 % of the bytes, not always all of them.
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

/** The share of the bytes the entries shown must hold for the rest to be left out instead of folded in. */
const COVERED = 0.9;

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
	// Fold the deepest level of directories into their parents, a whole level at a time (so that siblings are
	// treated alike), until few enough remain, or until the largest few already hold nearly all the bytes: then
	// they are shown, and the small rest is left out rather than folded with them into a directory as wide as
	// `/var/` (apt's two 39 MB caches beside dpkg's status and log).
	let total = 0;
	for (const bucket of buckets.values()) total += bucket.bytes;
	while (buckets.size > max) {
		const largest = [...buckets.values()].map(bucket => bucket.bytes).sort((a, b) => b - a);
		if (total > 0 && largest.slice(0, max).reduce((sum, bytes) => sum + bytes, 0) >= COVERED * total) break;
		let deepest = 0;
		for (const dir of buckets.keys()) if (dir !== '/') deepest = Math.max(deepest, depth(dir));
		if (deepest === 0) break;
		for (const [dir, bucket] of [...buckets]) {
			if (dir === '/' || depth(dir) !== deepest) continue;
			buckets.delete(dir);
			add(path.posix.dirname(dir), bucket);
		}
	}
	return [...buckets]
		.map(([dir, bucket]) => ({path: bucket.files === 1 ? bucket.first : dir.replace(/\/?$/, '/'), files: bucket.files, bytes: bucket.bytes}))
		.sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : 1))
		.slice(0, max);
}
