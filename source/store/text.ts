// The plain store table, like `docker system df -v` (one row per image, its first tag), then the Images line of
// `docker system df`, and with an analysis the images that waste the most.
import {formatBytes} from '../util/format.js';
import {visible} from '../util/sanitize.js';
import type {AnalyseOutcome} from './analyse-all.js';
import type {StoreImage, StoreListing} from './types.js';

/** `registry:5000/a/b:1` -> [`registry:5000/a/b`, `1`]; untagged -> `<none>`, `<none>`. */
export function repositoryAndTag(tag: string | undefined): [string, string] {
	if (!tag) return ['<none>', '<none>'];
	const colon = tag.lastIndexOf(':');
	if (colon <= tag.lastIndexOf('/')) return [tag, '<none>'];
	return [tag.slice(0, colon), tag.slice(colon + 1)];
}

/** Columns left-aligned, three spaces apart, as docker's tabwriter lays them out. */
export function table(rows: string[][]): string {
	const widths = rows[0].map((_, column) => Math.max(...rows.map(row => (row[column] ?? '').length)));
	return (
		rows
			.map(row =>
				row
					.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] + 3)))
					.join('')
					.trimEnd(),
			)
			.join('\n') + '\n'
	);
}

function created(image: StoreImage): string {
	return image.created ? image.created.replace('T', ' ').replace(/(\.\d+)?(Z|[+-]\d\d:\d\d)$/, '') : '-';
}

function note(image: StoreImage): string {
	const notes: string[] = [];
	if (image.dangling) notes.push('dangling');
	if (image.intermediate) notes.push('intermediate');
	if (image.tags.length > 1) notes.push(`+${image.tags.length - 1} tag${image.tags.length > 2 ? 's' : ''}`);
	return notes.join(', ');
}

const bytes = (value: number | null): string => (value === null ? 'N/A' : formatBytes(value));

export function storeText(listing: StoreListing, analysed: readonly AnalyseOutcome[] = []): string {
	const byId = new Map(analysed.map(outcome => [outcome.id, outcome]));
	const wasted = analysed.length > 0;
	const rows = [
		['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE', 'SHARED SIZE', 'UNIQUE SIZE', 'LAYERS', 'CONTAINERS', ...(wasted ? ['WASTED'] : []), 'NOTE'],
	];
	for (const image of listing.images) {
		const [repository, tag] = repositoryAndTag(image.tags[0]);
		const outcome = byId.get(image.id);
		rows.push([
			visible(repository),
			visible(tag),
			image.id.replace(/^sha256:/, '').slice(0, 12),
			created(image),
			formatBytes(image.sizeBytes),
			bytes(image.sharedBytes),
			bytes(image.uniqueBytes),
			String(image.diffIds.length),
			String(image.containers),
			...(wasted ? [outcome?.waste ? formatBytes(outcome.waste.wastedBytes) : outcome ? 'error' : '-'] : []),
			note(image),
		]);
	}
	const {totals} = listing;
	const percent = totals.layersBytes > 0 ? ` (${Math.trunc((totals.reclaimableBytes * 100) / totals.layersBytes)}%)` : '';
	let out = 'Images space usage:\n\n' + table(rows) + '\n';
	out += table([
		['TYPE', 'TOTAL', 'ACTIVE', 'SIZE', 'RECLAIMABLE'],
		['Images', String(totals.images), String(totals.active), formatBytes(totals.layersBytes), formatBytes(totals.reclaimableBytes) + percent],
	]);
	if (wasted) out += mostWasted(listing, analysed);
	return out;
}

/** The images that waste the most, each with its top finding; then the images that could not be analysed. */
function mostWasted(listing: StoreListing, analysed: readonly AnalyseOutcome[]): string {
	const name = (id: string): string => {
		const image = listing.images.find(candidate => candidate.id === id);
		return visible(image?.tags[0] ?? id.replace(/^sha256:/, '').slice(0, 12));
	};
	const wasting = analysed
		.flatMap(outcome => (outcome.waste && outcome.waste.wastedBytes > 0 ? [outcome.waste] : []))
		.sort((a, b) => b.wastedBytes - a.wastedBytes);
	let out = '\nMost wasted:\n\n';
	out +=
		wasting.length === 0
			? 'no image stores wasted bytes\n'
			: wasting.map(waste => `${formatBytes(waste.wastedBytes)}  ${name(waste.id)}${waste.topFinding ? `: ${visible(waste.topFinding)}` : ''}\n`).join('');
	for (const outcome of analysed) if (outcome.error !== undefined) out += `could not analyse ${name(outcome.id)}: ${visible(outcome.error)}\n`;
	return out;
}
