// Group the waste into findings, one per fix: the layers one change would merge, or the copies one change would
// never store. Each finding carries its waste, the layers it touches, a diagnosis naming both layers and their
// commands, the fix as Dockerfile text built from the image's own commands, and the saving computed by applying it.
import type {ImageAnalysis, WasteCause, WastedFile} from '../model/types.js';
import type {ContentKind, FixKindName, FixParams, Messages} from '../i18n/catalogue.js';
import {formatBytes} from '../util/format.js';
import type {BaseBoundary} from './base-boundary.js';
import type {DockerfileMatch} from './dockerfile.js';
import {
	bindMountRun,
	copyRewriteFix,
	copyWithFlags,
	dockerignoreLines,
	downloadInRun,
	isRemoteSource,
	mergedRun,
	metadataFlags,
	movedIntoRun,
	multiStage,
	stepsFor,
	usesCopiedFile,
} from './fix-text.js';
import {isCopy, isRun, type LayerSteps} from './layer-steps.js';
import {contentOf, isBookkeeping, isToolchain} from './patterns.js';
import {applyFix, type FixEffect} from './saving.js';
import {topPaths, type TopPath} from './top-paths.js';
import {truncateDisplay} from '../i18n/text-width.js';

export type FixKind = FixKindName;

export interface FindingWaste {
	storedBy: number;
	hiddenBy: number;
	cause: WasteCause;
	bytes: number;
	files: number;
	topPaths: TopPath[];
}

export interface Finding {
	fix: {
		kind: FixKind;
		/** The layers the fix changes, in order. */
		layers: number[];
		/** Dockerfile text to use instead (for `dockerignore`, the .dockerignore lines); null where no edit applies. */
		dockerfile: string | null;
		/** The fix in words. */
		summary: string;
	};
	savingBytes: number;
	/** Percent of the image, two decimals. */
	savingPercent: number;
	diagnosis: string;
	/** Stored and hidden inside the base image: no edit of this Dockerfile removes it. */
	inherited: boolean;
	/** The Dockerfile line the fix edits, when a matching Dockerfile was given. */
	dockerfileLine: number | null;
	/** Stored-and-hidden pairs of layers, largest first. */
	waste: FindingWaste[];
}

export interface FindingContext {
	analysis: ImageAnalysis;
	steps: LayerSteps[];
	base: BaseBoundary;
	dockerfile: DockerfileMatch | null;
	messages: Messages;
}

interface Plan {
	kind: FixKind;
	files: WastedFile[];
	effect: FixEffect;
	/** Merged range, or the storing and hiding layers. */
	from: number;
	to: number;
}

const COMMAND_WIDTH = 60;

function allRun(steps: LayerSteps[], from: number, to: number): boolean {
	for (let i = from; i <= to; i++) if (!isRun(steps[i])) return false;
	return true;
}

/** Bookkeeping one package operation rewrote after another: noise, never a reason to merge on its own. */
const isNoise = (f: WastedFile): boolean => f.cause !== 'removed' && isBookkeeping(f.path);

/** Merge ranges: every pair of RUN layers (with only RUNs between) that stored and hid real waste; overlapping ones join. */
function mergeRanges(ctx: FindingContext): [number, number][] {
	const spans = ctx.analysis.waste.files
		.filter(
			f => f.layerIndex >= ctx.base.firstLayer && f.hiddenByLayerIndex > f.layerIndex && !isNoise(f) && allRun(ctx.steps, f.layerIndex, f.hiddenByLayerIndex),
		)
		.map(f => [f.layerIndex, f.hiddenByLayerIndex] as [number, number])
		.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	const ranges: [number, number][] = [];
	for (const span of spans) {
		const last = ranges.at(-1);
		if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
		else ranges.push([...span]);
	}
	return ranges;
}

function installsAndPurgesToolchain(steps: LayerSteps[], from: number, to: number): boolean {
	let installed = false;
	for (let i = from; i <= to; i++)
		for (const action of steps[i].actions) {
			if (action.kind !== 'package') continue;
			if (action.op === 'install' && action.packages.some(isToolchain)) installed = true;
			else if (installed && action.op === 'remove') return true;
		}
	return false;
}

/** The fix for a file no merge range covers. */
function planKey(ctx: FindingContext, f: WastedFile): string {
	const s = f.layerIndex;
	const h = f.hiddenByLayerIndex;
	const first = ctx.base.firstLayer;
	if (s < first && h < first) return 'slimmer-base';
	if (isNoise(f)) return 'none';
	if (s < first) return `${f.cause === 'removed' ? 'base-delete' : 'base-rewrite'}:${h}:${h}`;
	const stored = ctx.steps[s];
	const hidden = ctx.steps[h];
	if (isCopy(stored) && isRun(hidden)) {
		if (f.cause !== 'removed') {
			const kind = copyRewriteFix(stored, hidden, f);
			if (kind) return `${kind}:${s}:${h}`;
		} else {
			const copy = stored.command.copy!;
			if (stored.command.instruction === 'ADD' && copy.sources.some(isRemoteSource)) return `download-in-run:${s}:${h}`;
			if (usesCopiedFile(hidden, f)) return `bind-mount:${s}:${h}`;
			return `${copy.flags.from === undefined ? 'dockerignore' : 'copy-less'}:${s}:${h}`;
		}
	}
	if (isRun(stored) && isRun(hidden) && s !== h) return `move-into-run:${s}:${h}`;
	return `single-write:${s}:${h}`;
}

function plan(ctx: FindingContext): Plan[] {
	const plans: Plan[] = [];
	const covered = new Set<WastedFile>();
	for (const [from, to] of mergeRanges(ctx)) {
		const effect: FixEffect = {kind: 'merge', from, to};
		const files = applyFix(ctx.analysis, effect).files;
		files.forEach(f => covered.add(f));
		plans.push({kind: installsAndPurgesToolchain(ctx.steps, from, to) ? 'multi-stage' : 'merge-runs', files, effect, from, to});
	}
	const buckets = new Map<string, WastedFile[]>();
	for (const f of ctx.analysis.waste.files) {
		if (covered.has(f)) continue;
		const key = planKey(ctx, f);
		const bucket = buckets.get(key);
		if (bucket) bucket.push(f);
		else buckets.set(key, [f]);
	}
	for (const [key, files] of buckets) {
		const [kind, s, h] = key.split(':');
		// A loop, not Math.min(...): a bucket may hold more files than a call takes arguments.
		let from = Infinity;
		let to = -Infinity;
		for (const f of files) {
			from = Math.min(from, f.layerIndex);
			to = Math.max(to, f.hiddenByLayerIndex);
		}
		plans.push({
			kind: kind as FixKind,
			files,
			effect: kind === 'none' ? {kind: 'none'} : {kind: 'drop', files},
			from: s === undefined ? from : Number(s),
			to: h === undefined ? to : Number(h),
		});
	}
	return plans;
}

function commandOf(ctx: FindingContext, layer: number): string {
	// Backticks quote the command in the diagnosis: one inside it would end the quote.
	const text = (ctx.steps[layer]?.command.text ?? '').replaceAll('`', "'");
	return text ? truncateDisplay(text, COMMAND_WIDTH) : '';
}

type Pair = FindingWaste & {list: WastedFile[]};

/** The waste items: the files by storing layer, hiding layer and cause (or another key), largest first. */
function pairs(files: readonly WastedFile[], keyOf = (f: WastedFile): string => f.cause): Pair[] {
	const groups = new Map<string, WastedFile[]>();
	for (const f of files) {
		const key = `${f.layerIndex}:${f.hiddenByLayerIndex}:${keyOf(f)}`;
		const group = groups.get(key);
		if (group) group.push(f);
		else groups.set(key, [f]);
	}
	return [...groups.values()]
		.map(list => ({
			storedBy: list[0].layerIndex,
			hiddenBy: list[0].hiddenByLayerIndex,
			cause: list[0].cause,
			bytes: list.reduce((sum, f) => sum + f.sizeBytes, 0),
			files: list.length,
			topPaths: topPaths(list),
			list,
		}))
		.sort((a, b) => b.bytes - a.bytes || a.storedBy - b.storedBy || a.hiddenBy - b.hiddenBy);
}

function contentKind(ctx: FindingContext, kind: FixKind, list: readonly WastedFile[]): ContentKind {
	if (kind === 'none') return 'bookkeeping';
	if (kind === 'multi-stage' && list.every(f => f.cause === 'removed')) return 'toolchain';
	const bytes = new Map<ContentKind, number>();
	for (const f of list) {
		const content = contentOf(f.path, ctx.steps[f.layerIndex]?.actions ?? []);
		bytes.set(content, (bytes.get(content) ?? 0) + f.sizeBytes);
	}
	return [...bytes].sort((a, b) => b[1] - a[1])[0][0];
}

const MAX_PAIRS = 3;

const NOISE = 'bookkeeping';

/**
 * The pairs the diagnosis tells: as the waste items, except that bookkeeping a package operation rewrote (dpkg
 * status, debconf, ld.so.cache) is told as such, apart from the real waste beside it and as one pair of layers
 * whatever its cause: the same words twice for its overwritten and its duplicate files say nothing more.
 */
function toldPairs(kind: FixKind, files: readonly WastedFile[]): Pair[] {
	return pairs(files, f => (kind === 'none' || isNoise(f) ? NOISE : f.cause));
}

function diagnosis(ctx: FindingContext, kind: FixKind, files: readonly WastedFile[], params: FixParams): string {
	const m = ctx.messages;
	const inBase = (layer: number): boolean => layer < ctx.base.firstLayer;
	const label = (layer: number): string => (inBase(layer) ? m.baseLayer(layer) : m.layer(layer));
	const groups = toldPairs(kind, files);
	const parts = groups.slice(0, MAX_PAIRS).map(group => {
		const noise = kind === 'none' || group.list.every(isNoise);
		const content = noise ? 'bookkeeping' : contentKind(ctx, kind, group.list);
		const what = group.files === 1 ? m.oneFile(group.list[0].path, formatBytes(group.bytes)) : m.amountOf(formatBytes(group.bytes), content);
		const stored = m.stored(label(group.storedBy), commandOf(ctx, group.storedBy), what);
		const hidden = m.hidden(noise ? 'bookkeeping' : group.cause, label(group.hiddenBy), commandOf(ctx, group.hiddenBy), group.files !== 1);
		return m.pair(stored, hidden);
	});
	const rest = groups.slice(MAX_PAIRS);
	if (rest.length > 0) parts.push(m.morePairs(rest.length, formatBytes(rest.reduce((sum, g) => sum + g.bytes, 0))));
	// Bookkeeping the base shipped is rewritten by any install at all, however few its steps.
	if (kind === 'none' && groups.every(group => inBase(group.storedBy))) parts.push(m.noiseOverBase);
	else {
		const why = m.why[kind];
		if (why) parts.push(why(params));
	}
	return m.clauses(parts);
}

function dockerfileText(ctx: FindingContext, p: Plan): string | null {
	const steps = ctx.steps;
	const lineArgs = (layer: number): string | null => {
		const history = steps[layer].historyIndex;
		const line = history === null ? undefined : ctx.dockerfile?.lines.get(history);
		return line === undefined ? null : (ctx.dockerfile?.stage?.instructions.find(i => i.line === line)?.args ?? null);
	};
	switch (p.kind) {
		case 'merge-runs':
			return mergedRun(steps.slice(p.from, p.to + 1));
		case 'multi-stage':
			return multiStage(steps.slice(p.from, p.to + 1), baseName(ctx) || ctx.messages.baseImagePlaceholder, ctx.messages.buildOutputComment);
		case 'move-into-run':
			return movedIntoRun(steps[p.from], steps[p.to], p.files);
		case 'copy-chmod':
		case 'copy-chown':
			return copyWithFlags(steps[p.from], p.files, metadataFlags(steps[p.to], p.files), lineArgs(p.from));
		case 'dockerignore':
			return dockerignoreLines(steps[p.from], p.files);
		case 'bind-mount':
			return bindMountRun(steps[p.from], steps[p.to], p.files, lineArgs(p.from));
		case 'download-in-run':
			return downloadInRun(steps[p.from], steps[p.to], p.files, lineArgs(p.from), ctx.messages.urlPlaceholder);
		default:
			return null;
	}
}

function baseName(ctx: FindingContext): string {
	return ctx.base.baseName ?? ctx.dockerfile?.stage?.from ?? '';
}

function dockerfileLine(ctx: FindingContext, p: Plan): number | null {
	if (!ctx.dockerfile || ctx.dockerfile.start === null) return null;
	if (p.kind === 'none') return null;
	if (p.kind === 'slimmer-base') return ctx.dockerfile.stage?.line ?? null;
	const layer = p.kind === 'single-write' || p.kind === 'edit-in-context' || p.kind === 'base-rewrite' || p.kind === 'base-delete' ? p.to : p.from;
	const history = ctx.steps[layer]?.historyIndex;
	return history === null || history === undefined ? null : (ctx.dockerfile.lines.get(history) ?? null);
}

function touchedLayers(files: readonly WastedFile[]): number[] {
	const layers = new Set<number>();
	for (const f of files) layers.add(f.layerIndex).add(f.hiddenByLayerIndex);
	return [...layers].sort((a, b) => a - b);
}

/**
 * The findings, sorted; and which finding each wasted copy belongs to (for the explorer's `x` on a file), made when
 * first asked: a report never asks, and on a big image the map was megabytes (an entry per wasted file).
 */
export function findings(ctx: FindingContext): {list: Finding[]; byFile: () => Map<WastedFile, Finding>} {
	const rank = (f: Finding): number => (f.fix.kind === 'none' ? 2 : f.inherited ? 1 : 0);
	const owned: [WastedFile[], Finding][] = [];
	const list = plan(ctx).map(p => {
		const saving = applyFix(ctx.analysis, p.effect);
		const groups = pairs(p.files);
		const layers = p.kind === 'merge-runs' || p.kind === 'multi-stage' ? Array.from({length: p.to - p.from + 1}, (_, i) => p.from + i) : touchedLayers(p.files);
		const first = ctx.steps[p.to]?.command.steps.length ? stepsFor(ctx.steps[p.to], p.files)[0] : '';
		const step = first ? `\`${truncateDisplay(first.replaceAll('`', "'"), COMMAND_WIDTH)}\`` : '';
		const params: FixParams = {from: p.from, to: p.to, step, base: baseName(ctx)};
		const finding: Finding = {
			fix: {kind: p.kind, layers, dockerfile: dockerfileText(ctx, p), summary: ctx.messages.fix[p.kind](params)},
			savingBytes: saving.bytes,
			savingPercent: saving.percent,
			diagnosis: diagnosis(ctx, p.kind, p.files, params),
			inherited: p.kind === 'slimmer-base',
			dockerfileLine: dockerfileLine(ctx, p),
			waste: groups.map(({list: _list, ...waste}) => waste),
		};
		owned.push([p.files, finding]);
		return finding;
	});
	list.sort((a, b) => rank(a) - rank(b) || b.savingBytes - a.savingBytes || a.fix.layers[0] - b.fix.layers[0]);
	let byFile: Map<WastedFile, Finding> | null = null;
	return {
		list,
		byFile() {
			if (byFile) return byFile;
			byFile = new Map();
			for (const [files, finding] of owned) for (const f of files) byFile.set(f, finding);
			return byFile;
		},
	};
}
