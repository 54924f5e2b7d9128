// Draw the store view into lines, exactly the terminal's size. Pure: (state, width, height) -> lines. The image list
// (as `docker system df -v` lists it, plus wasted bytes once analysed) with the totals of `docker system df`, or the
// layer view ("who shares this layer"); a detail block for the selected row; the status bar from the bindings table.
// Every name from the engine or an archive goes through visible().
import {messages, type Lang, type StoreMessages} from '../../i18n/catalogue.js';
import type {AnalyseOutcome} from '../../store/analyse-all.js';
import type {LayerShare, StoreImage, StoreListing} from '../../store/types.js';
import {formatBytes, shortDigest} from '../../util/format.js';
import {visible} from '../../util/sanitize.js';
import {bindingKeys, helpText, KEY_TABLE, keyOf, statusLabel, type StatusView, type StoreScope} from '../bindings.js';
import {fitLine, padEnd, padStart, textWidth, type Line, type Segment} from '../cells.js';
import {labelOf} from '../keys.js';
import {blank, seg, type Theme} from '../segments.js';
import {imageRows, type StoreViewState} from './store-state.js';

/** Lines under the list: the totals (or the layer summary), two detail lines, the status bar. */
const FOOTER = 4;
/** Title and column header. */
const HEADER = 2;

/** How many list rows fit (the reducer's page). */
export function storeListHeight(height: number): number {
	return Math.max(1, height - HEADER - FOOTER);
}

interface Column {
	/** The heading: Docker's own, or the catalogue's. */
	title: string | ((t: StoreMessages) => string);
	width: number;
	/** Dropped first when the terminal is narrow: the highest number goes first. */
	drop: number;
	align: 'left' | 'right';
	cell: (image: StoreImage, outcome: AnalyseOutcome | undefined, shared: SharedLayers, t: StoreMessages) => string;
}

/** For each image, how many of its layers another listed image has too (by diffID). */
type SharedLayers = ReadonlyMap<string, number>;

/** The images that have each layer, by diffID. */
function sharedLayersBy(listing: StoreListing): Map<string, Set<string>> {
	const users = new Map<string, Set<string>>();
	for (const image of listing.images) for (const diffId of image.diffIds) users.set(diffId, (users.get(diffId) ?? new Set()).add(image.id));
	return users;
}

export function sharedLayers(listing: StoreListing): SharedLayers {
	const users = sharedLayersBy(listing);
	return new Map(listing.images.map(image => [image.id, image.diffIds.filter(diffId => users.get(diffId)!.size > 1).length]));
}

const bytes = (value: number | null): string => (value === null ? 'N/A' : formatBytes(value));

const LAYERS_COLUMN: Column = {title: t => t.imageColumns.layers, width: 6, drop: 4, align: 'right', cell: image => String(image.diffIds.length)};
const CONTAINERS_COLUMN: Column = {title: t => t.imageColumns.containers, width: 4, drop: 2, align: 'right', cell: image => String(image.containers)};

const IMAGE_COLUMNS: Column[] = [
	{title: 'IMAGE ID', width: 12, drop: 3, align: 'left', cell: image => shortDigest(image.id)},
	{title: t => t.imageColumns.created, width: 16, drop: 5, align: 'left', cell: image => (image.created ? image.created.slice(0, 16).replace('T', ' ') : '-')},
	{title: t => t.imageColumns.size, width: 9, drop: 0, align: 'right', cell: image => formatBytes(image.sizeBytes)},
	{title: t => t.imageColumns.shared, width: 9, drop: 0, align: 'right', cell: image => bytes(image.sharedBytes)},
	{title: t => t.imageColumns.unique, width: 9, drop: 0, align: 'right', cell: image => bytes(image.uniqueBytes)},
	LAYERS_COLUMN,
	CONTAINERS_COLUMN,
	{
		title: t => t.imageColumns.wasted,
		width: 9,
		drop: 1,
		align: 'right',
		cell: (_, outcome, __, t) => (outcome?.waste ? formatBytes(outcome.waste.wastedBytes) : outcome ? t.analyseFailed : '-'),
	},
];

/**
 * An archive's list (the explorer's on a multi-image archive, or `layerscope images ARCHIVE`): no containers, and the
 * layers as "shared of all", what tells images built on one base apart.
 */
const ARCHIVE_COLUMNS: Column[] = IMAGE_COLUMNS.flatMap((column): Column[] => {
	if (column === CONTAINERS_COLUMN) return [];
	if (column !== LAYERS_COLUMN) return [column];
	return [
		{
			title: t => t.imageColumns.sharedLayers,
			width: 13,
			drop: 0,
			align: 'right',
			cell: (image, _, shared, t) => t.sharedOf(shared.get(image.id) ?? 0, image.diffIds.length),
		},
	];
});

/** The name column needs at least this much before the other columns are dropped. */
const NAME_MIN = 19;

/** The columns that fit beside a name of NAME_MIN cells (the cursor, a marker and a space before it, one space between). */
function columnsFor(width: number, listing: StoreListing): Column[] {
	let columns = listing.engine === 'archive' ? ARCHIVE_COLUMNS : IMAGE_COLUMNS;
	const used = (list: Column[]): number => 3 + NAME_MIN + list.reduce((sum, column) => sum + column.width + 1, 0);
	while (used(columns) > width && columns.some(column => column.drop > 0)) {
		const worst = Math.max(...columns.map(column => column.drop));
		columns = columns.filter(column => column.drop !== worst);
	}
	return columns;
}

export function imageName(image: Pick<StoreImage, 'tags' | 'dangling' | 'intermediate'>, lang: Lang = 'en'): string {
	const t = messages(lang).store;
	if (image.tags.length === 0) return `<none>:<none>${image.dangling ? t.dangling : image.intermediate ? t.intermediate : ''}`;
	return visible(image.tags[0]) + (image.tags.length > 1 ? ` +${image.tags.length - 1}` : '');
}

function engineLabel(listing: StoreListing, t: StoreMessages): string {
	const what = t.engine[listing.engine];
	return `${what} ${visible(listing.url)}`;
}

function titleLine(theme: Theme, text: string, width: number): Line {
	return fitLine([seg(theme, ` ${text}`, {inverse: true, bold: true})], width, {inverse: true});
}

function cellText(column: Column, text: string): string {
	return column.align === 'right' ? padStart(text, column.width) : padEnd(text, column.width);
}

function titleOf(column: Column, t: StoreMessages): string {
	return typeof column.title === 'string' ? column.title : column.title(t);
}

function imageLines(state: StoreViewState, theme: Theme, width: number, rows: number): Line[] {
	const t = messages(state.lang).store;
	const columns = columnsFor(width, state.listing);
	const shared = sharedLayers(state.listing);
	const nameWidth = Math.max(1, width - 3 - columns.reduce((sum, column) => sum + column.width + 1, 0));
	const header = '   ' + padEnd('REPOSITORY:TAG', nameWidth) + columns.map(column => ' ' + cellText(column, titleOf(column, t))).join('');
	const lines: Line[] = [fitLine([seg(theme, header, {bold: true})], width)];
	const images = imageRows(state);
	for (let i = state.images.scroll; i < Math.min(images.length, state.images.scroll + rows); i++) {
		const image = images[i];
		const selected = i === state.images.cursor;
		const marker = image.dangling ? 'D' : image.intermediate ? 'I' : ' ';
		const text =
			(selected ? '›' : ' ') +
			marker +
			' ' +
			padEnd(imageName(image, state.lang) + (image.open.platform ? ` ${visible(image.open.platform)}` : ''), nameWidth) +
			columns.map(column => ' ' + cellText(column, column.cell(image, state.analysed.get(image.id), shared, t))).join('');
		const style: Omit<Segment, 'text'> = selected ? {inverse: true} : image.dangling ? {color: 'yellow'} : image.intermediate ? {dim: true} : {};
		lines.push(fitLine([seg(theme, text, style)], width, selected ? {inverse: true} : {}));
	}
	return lines;
}

function layerUsers(state: StoreViewState, layer: LayerShare): string {
	const byId = new Map(state.listing.images.map(image => [image.id, image]));
	return layer.images.map(id => (byId.get(id)?.tags[0] ? visible(byId.get(id)!.tags[0]) : `<none> (${shortDigest(id)})`)).join(', ');
}

function layerLines(state: StoreViewState, theme: Theme, width: number, rows: number): Line[] {
	const {layerColumns: c, readingLayers} = messages(state.lang).store;
	const header = `   ${padStart(c.size, 9)} ${padEnd(c.layer, 12)} ${padStart(c.images, 6)} ${c.usedBy}`;
	const lines: Line[] = [fitLine([seg(theme, header, {bold: true})], width)];
	const layers = state.layerShares;
	if (!layers) {
		lines.push(fitLine([seg(theme, readingLayers, {dim: true})], width));
		return lines;
	}
	for (let i = state.layers.scroll; i < Math.min(layers.length, state.layers.scroll + rows); i++) {
		const layer = layers[i];
		const selected = i === state.layers.cursor;
		const shared = layer.images.length > 1;
		const text = `${selected ? '›' : ' '}${shared ? 'S' : ' '} ${padStart(bytes(layer.sizeBytes), 9)} ${padEnd(shortDigest(layer.diffId), 12)} ${padStart(String(layer.images.length), 6)} ${layerUsers(state, layer)}`;
		lines.push(fitLine([seg(theme, text, selected ? {inverse: true} : shared ? {color: 'cyan'} : {})], width, selected ? {inverse: true} : {}));
	}
	return lines;
}

/** `docker system df`'s Images line; for an archive (nothing runs from it, nothing to reclaim) its layers, each once. */
export function totalsText(listing: StoreListing, lang: Lang = 'en'): string {
	const {totals} = listing;
	const t = messages(lang).store;
	if (listing.engine === 'archive') {
		const shared = new Set([...sharedLayersBy(listing)].filter(([, users]) => users.size > 1).map(([diffId]) => diffId));
		const layers = sharedLayersBy(listing).size;
		return t.archiveTotals(listing.images.length, layers, shared.size, formatBytes(totals.layersBytes));
	}
	const percent = totals.layersBytes > 0 ? ` (${Math.trunc((totals.reclaimableBytes * 100) / totals.layersBytes)}%)` : '';
	return t.engineTotals(totals.images, totals.active, formatBytes(totals.layersBytes), formatBytes(totals.reclaimableBytes), percent);
}

function layerSummary(layers: LayerShare[] | null, t: StoreMessages): string {
	if (!layers) return '';
	const shared = layers.filter(layer => layer.images.length > 1);
	const once = shared.reduce((sum, layer) => sum + (layer.sizeBytes ?? 0), 0);
	const copies = shared.reduce((sum, layer) => sum + (layer.sizeBytes ?? 0) * layer.images.length, 0);
	return t.layerSummary(layers.length, shared.length, formatBytes(once), formatBytes(copies));
}

function progressBar(done: number, total: number, width: number, t: StoreMessages): string {
	const size = Math.max(10, Math.min(40, width - 30));
	const filled = Math.round((done / Math.max(1, total)) * size);
	return t.analysing(`[${'#'.repeat(filled)}${'.'.repeat(size - filled)}]`, done, total);
}

/** The two lines about the selected image: its ID and names, then its analysis. */
function imageDetail(state: StoreViewState, width: number): [string, string] {
	const t = messages(state.lang).store;
	const image = imageRows(state)[state.images.cursor];
	const analysing = state.analysing ? progressBar(state.analysing.done, state.analysing.total, width, t) : null;
	if (!image) return ['', analysing ?? ''];
	const names = [...image.tags, ...image.digests].map(visible).join(', ');
	const first = `${image.id}${names ? `  ${names}` : ''}`;
	const outcome = state.analysed.get(image.id);
	let second: string;
	if (outcome?.waste) second = outcome.waste.topFinding ? t.topFinding(visible(outcome.waste.topFinding)) : t.noWaste;
	else if (outcome) second = t.couldNotAnalyse(visible(outcome.error ?? ''));
	else second = t.notAnalysed(keyOf('store', 'analyseAll'));
	return [first, analysing ?? second];
}

function layerDetail(state: StoreViewState): [string, string] {
	const layer = state.layerShares?.[state.layers.cursor];
	if (!layer) return ['', ''];
	const t = messages(state.lang).store;
	return [t.layerIds(layer.diffId, layer.chainId), t.usedBy(layerUsers(state, layer))];
}

/** The store's bindings have no toggles: their labels do not depend on a view. */
const NO_VIEW: StatusView = {
	aggregated: false,
	sort: 'name',
	attributes: false,
	wastedOnly: false,
	filter: {added: false, modified: false, removed: false, unchanged: false},
};

/** The bindings of a scope for the status bar (those that fit; Help last). */
function statusLine(state: StoreViewState, theme: Theme, width: number): Line {
	const out: Segment[] = [];
	if (state.message) out.push(seg(theme, visible(state.message.text) + '  ', {color: state.message.tone === 'error' ? 'red' : 'cyan', bold: true}));
	const scope: StoreScope = state.mode === 'images' ? 'store' : 'storeLayers';
	// An archive holds no intermediate images (they live in an engine's store only).
	const offered = (binding: (typeof KEY_TABLE)[number]): boolean => state.listing.engine !== 'archive' || binding.action !== 'toggleIntermediates';
	const items = KEY_TABLE.filter(binding => binding.scope === scope && offered(binding)).flatMap(binding => {
		const label = statusLabel(binding, NO_VIEW, state.lang);
		return label === undefined ? [] : [{key: labelOf(binding.keys[0]).replace(/^Ctrl\+/, '^'), label, help: binding.action === 'help'}];
	});
	// Help always shows, last, as in the explorer's status bar.
	const help = items.find(item => item.help);
	let used = out.reduce((sum, s) => sum + textWidth(s.text), 0) + (help ? textWidth(`${help.key} ${help.label}`) : 0);
	for (const item of items) {
		const text = `${item.key} ${item.label}  `;
		if (item === help || used + textWidth(text) > width) continue;
		out.push(seg(theme, item.key, {bold: true}), seg(theme, ` ${item.label}  `));
		used += textWidth(text);
	}
	if (help && used <= width) out.push(seg(theme, help.key, {bold: true}), seg(theme, ` ${help.label}`));
	return fitLine(out, width);
}

/** Every binding of the store view, by where it applies. */
export function storeHelpLines(lang: Lang = 'en'): string[] {
	const t = messages(lang).store;
	const sections: [StoreScope, string][] = [
		['store', t.helpSections.store('↑ ↓ j k, PgUp PgDn, Home End g G')],
		['storeLayers', t.helpSections.storeLayers],
		['storeExplorer', t.helpSections.storeExplorer],
	];
	const lines: string[] = [];
	for (const [scope, heading] of sections) {
		lines.push(heading);
		for (const binding of KEY_TABLE.filter(b => b.scope === scope)) {
			const help = helpText(binding, lang);
			if (help) lines.push(`  ${padEnd(bindingKeys(binding), 12)} ${help}`);
		}
	}
	lines.push('', t.helpLegend, t.helpCloses);
	return lines;
}

export function renderStore(state: StoreViewState, theme: Theme, width: number, height: number): Line[] {
	const rows = storeListHeight(height);
	const t = messages(state.lang).store;
	const count = state.mode === 'images' ? state.listing.images.length : (state.layerShares?.length ?? null);
	const lines: Line[] = [titleLine(theme, t.title(state.mode, count, engineLabel(state.listing, t)), width)];
	if (state.help) for (const text of storeHelpLines(state.lang)) lines.push(fitLine([seg(theme, ' ' + text)], width));
	else lines.push(...(state.mode === 'images' ? imageLines(state, theme, width, rows) : layerLines(state, theme, width, rows)));
	while (lines.length < height - FOOTER) lines.push(blank(width));
	lines.length = Math.max(0, height - FOOTER);
	const [first, second] = state.mode === 'images' ? imageDetail(state, width) : layerDetail(state);
	lines.push(
		fitLine([seg(theme, ' ' + (state.mode === 'images' ? totalsText(state.listing, state.lang) : layerSummary(state.layerShares, t)), {bold: true})], width),
	);
	lines.push(fitLine([seg(theme, ' ' + first, {dim: true})], width));
	lines.push(fitLine([seg(theme, ' ' + second, state.analysing ? {color: 'cyan'} : {})], width));
	lines.push(statusLine(state, theme, width));
	return lines.slice(0, height);
}
