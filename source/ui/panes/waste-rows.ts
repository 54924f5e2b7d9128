// The rows of the wasted-files pane: the image's wasted copies, largest first, where a directory whose wasted copies
// all came from one step (same storing and hiding layer, same cause: one `rm -rf`) and are many is one row that
// opens (Space) to its files. 55,722 lists deleted by one RUN read as one line, not as "… and 55672 more".
import type {WasteCause, WastedFile} from '../../model/types.js';

/** A directory with fewer wasted copies than this shows them one by one. */
export const GROUP_MIN = 8;

export type WasteRow =
	| {kind: 'file'; index: number; depth: number}
	| {kind: 'group'; dir: string; layer: number; hiddenBy: number; cause: WasteCause; count: number; bytes: number; files: number[]; open: boolean};

interface DirTally {
	count: number;
	bytes: number;
	/** The step every copy below came from, or null when they came from several. */
	step: string | null;
	files: number[];
}

const stepOf = (file: WastedFile): string => `${file.layerIndex}\u0000${file.hiddenByLayerIndex}\u0000${file.cause}`;

function ancestors(path: string): string[] {
	const out: string[] = [];
	for (let at = path.indexOf('/', 1); at > 0; at = path.indexOf('/', at + 1)) out.push(path.slice(0, at));
	return out;
}

/** Each wasted copy's group: the topmost directory above it whose copies are all from its step and at least GROUP_MIN. */
function groupsOf(files: readonly WastedFile[]): Map<string, DirTally> {
	const dirs = new Map<string, DirTally>();
	files.forEach((file, index) => {
		const step = stepOf(file);
		for (const dir of ancestors(file.path)) {
			const tally = dirs.get(dir);
			if (!tally) dirs.set(dir, {count: 1, bytes: file.sizeBytes, step, files: [index]});
			else {
				tally.count++;
				tally.bytes += file.sizeBytes;
				if (tally.step !== step) tally.step = null;
				tally.files.push(index);
			}
		}
	});
	const groups = new Map<string, DirTally>();
	files.forEach(file => {
		for (const dir of ancestors(file.path)) {
			const tally = dirs.get(dir)!;
			if (tally.step !== null && tally.count >= GROUP_MIN) {
				groups.set(dir, tally);
				break;
			}
		}
	});
	return groups;
}

const cache = new WeakMap<readonly WastedFile[], {groups: Map<string, DirTally>; grouped: Set<number>}>();

/** The pane's rows; `open` holds the directories opened to their files. */
export function wasteRows(files: readonly WastedFile[], open: ReadonlySet<string>): WasteRow[] {
	let entry = cache.get(files);
	if (!entry) {
		const groups = groupsOf(files);
		const grouped = new Set<number>();
		for (const tally of groups.values()) for (const index of tally.files) grouped.add(index);
		entry = {groups, grouped};
		cache.set(files, entry);
	}
	// Largest first: the groups by their total among the single copies (files are sorted largest first already).
	const tops: {bytes: number; row: WasteRow}[] = [];
	for (const [dir, tally] of entry.groups) {
		const [layer, hiddenBy, cause] = tally.step!.split('\u0000');
		tops.push({
			bytes: tally.bytes,
			row: {
				kind: 'group',
				dir,
				layer: Number(layer),
				hiddenBy: Number(hiddenBy),
				cause: cause as WasteCause,
				count: tally.count,
				bytes: tally.bytes,
				files: tally.files,
				open: open.has(dir),
			},
		});
	}
	files.forEach((file, index) => {
		if (!entry.grouped.has(index)) tops.push({bytes: file.sizeBytes, row: {kind: 'file', index, depth: 0}});
	});
	tops.sort((a, b) => b.bytes - a.bytes);
	const rows: WasteRow[] = [];
	for (const {row} of tops) {
		rows.push(row);
		if (row.kind === 'group' && row.open) for (const index of row.files) rows.push({kind: 'file', index, depth: 1});
	}
	return rows;
}
