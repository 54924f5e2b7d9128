// `layerscope diff` output: a plain text report (every image string made visible) and the JSON form.
import type {ImageAnalysis} from '../model/types.js';
import {formatBytes, shortDigest, trimCreatedBy} from '../util/format.js';
import {visible} from '../util/sanitize.js';
import type {FileDiff, ImageDiff} from './compare.js';

export const DIFF_SCHEMA_VERSION = 1;

function side(image: ImageAnalysis): Record<string, unknown> {
	return {
		source: image.source,
		tags: image.image.tags,
		id: image.image.id,
		sizeBytes: image.image.sizeBytes,
		compressedSizeBytes: image.image.compressedSizeBytes,
		layerCount: image.layers.length,
	};
}

export function diffJson(a: ImageAnalysis, b: ImageAnalysis, diff: ImageDiff): Record<string, unknown> {
	return {
		schemaVersion: DIFF_SCHEMA_VERSION,
		a: side(a),
		b: side(b),
		files: {
			counts: diff.counts,
			addedBytes: diff.addedBytes,
			removedBytes: diff.removedBytes,
			changedDeltaBytes: diff.changedDeltaBytes,
			changes: diff.files,
		},
		layers: diff.layers,
	};
}

const MARK = {added: '+', changed: '~', removed: '-'} as const;

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * A directory added (or removed) as a whole is one line with the count and bytes under it: every path below an
 * added directory is necessarily added too.
 */
function folded(files: FileDiff[]): {file: FileDiff; count: number; bytes: number}[] {
	const roots = new Map<string, {file: FileDiff; count: number; bytes: number}>();
	const lines: {file: FileDiff; count: number; bytes: number}[] = [];
	for (const file of files) {
		let root: {file: FileDiff; count: number; bytes: number} | undefined;
		if (file.status !== 'changed') {
			for (let parent = file.path.slice(0, file.path.lastIndexOf('/')); parent && !root; parent = parent.slice(0, parent.lastIndexOf('/'))) {
				const candidate = roots.get(parent);
				if (candidate?.file.status === file.status) root = candidate;
			}
		}
		if (root) {
			root.count++;
			root.bytes += file.sizeBytes;
			continue;
		}
		const line = {file, count: 0, bytes: file.sizeBytes};
		if (file.type === 'directory' && file.status !== 'changed') roots.set(file.path, line);
		lines.push(line);
	}
	return lines;
}

function describe(image: ImageAnalysis): string {
	const name = image.image.tags[0] ?? shortDigest(image.image.id);
	const compressed = image.image.compressedSizeBytes === null ? '' : ` (compressed ${formatBytes(image.image.compressedSizeBytes)})`;
	return `${visible(name)}  (${image.source.kind}: ${visible(image.source.reference)})  ${plural(image.layers.length, 'layer')}  ${formatBytes(image.image.sizeBytes)}${compressed}`;
}

const cut = (text: string, width: number): string => (text.length <= width ? text : text.slice(0, Math.max(0, width - 1)) + '…');

/** `width`: the terminal's columns; layer commands are cut to fit (paths never are); none (not a terminal): no cut. */
export function diffText(a: ImageAnalysis, b: ImageAnalysis, diff: ImageDiff, options: {width?: number} = {}): string {
	const width = options.width === undefined ? Infinity : Math.max(60, options.width);
	const out: string[] = [];
	out.push(`A  ${describe(a)}`, `B  ${describe(b)}`, '');

	const {layers} = diff;
	out.push(
		`Layers: ${layers.shared.length} shared (${formatBytes(layers.sharedBytes)}), ` +
			`${layers.onlyA.length} only in A (${formatBytes(layers.uniqueBytesA)}), ${layers.onlyB.length} only in B (${formatBytes(layers.uniqueBytesB)})`,
	);
	const total = layers.sharedBytes + layers.uniqueBytesA + layers.uniqueBytesB;
	out.push(
		`  stored once for both: ${formatBytes(total)}; shared bytes saved: ${formatBytes(layers.sharedBytes)}; common base: ${plural(layers.commonBaseLayers, 'layer')}`,
	);
	const row = (where: string, size: number, diffId: string, createdBy: string | null): string =>
		`  ${where.padEnd(14)} ${formatBytes(size).padStart(10)}  ${shortDigest(diffId)}  ${cut(visible(trimCreatedBy(createdBy)), width - 42)}`;
	for (const layer of layers.shared) out.push(row(`shared A${layer.indexA} B${layer.indexB}`, layer.sizeBytes, layer.diffId, b.layers[layer.indexB].createdBy));
	for (const index of layers.onlyA) out.push(row(`only A${index}`, a.layers[index].sizeBytes, a.layers[index].diffId, a.layers[index].createdBy));
	for (const index of layers.onlyB) out.push(row(`only B${index}`, b.layers[index].sizeBytes, b.layers[index].diffId, b.layers[index].createdBy));
	out.push('');

	const {counts} = diff;
	const delta = diff.changedDeltaBytes;
	out.push(
		`Files: ${counts.added} added (+${formatBytes(diff.addedBytes)}), ${counts.changed} changed (${delta >= 0 ? '+' : ''}${formatBytes(delta)}), ` +
			`${counts.removed} removed (-${formatBytes(diff.removedBytes)})`,
	);
	if (diff.files.length === 0) out.push('  the final filesystems are the same');
	for (const {file, count, bytes} of folded(diff.files)) {
		let detail: string;
		if (file.status === 'changed') {
			const sizes =
				file.sizeBeforeBytes === file.sizeBytes ? formatBytes(file.sizeBytes) : `${formatBytes(file.sizeBeforeBytes ?? 0)} -> ${formatBytes(file.sizeBytes)}`;
			detail = `${sizes}  ${(file.differences ?? []).join(', ')}`;
		} else if (count > 0) {
			detail = `${formatBytes(bytes)}  (${plural(count, 'path')} below)`;
		} else {
			detail = file.type === 'file' ? formatBytes(file.sizeBytes) : file.type;
		}
		const target = file.linkTarget === undefined ? '' : ` -> ${visible(file.linkTarget)}`;
		out.push(`  ${MARK[file.status]} ${visible(file.path)}${file.type === 'directory' ? '/' : ''}${target}  ${detail}`);
	}
	return out.join('\n') + '\n';
}
