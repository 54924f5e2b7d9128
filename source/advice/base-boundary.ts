// Where the base image ends and this build begins. Waste stored and hidden inside the base's layers cannot be fixed
// by editing this Dockerfile; waste this build's steps cause can. The evidence, strongest first:
//   1. the Dockerfile, when given and it matches the history: its last stage's steps are this build's;
//   2. BuildKit marks the history entries of the build it made with the comment `buildkit.dockerfile.v0`: a trailing
//      run of such entries after entries without it is this build (a base built by BuildKit too has the same comment,
//      so then the next rule decides within the run);
//   3. the classic builder's base ends with its closing `CMD` or `ENTRYPOINT` entry: this build starts after the last
//      such entry that a layer-making step follows;
//   4. a first layer that is a root filesystem (`ADD file:… in /`, `docker import`, debuerreotype) is the base.
// Otherwise the whole image counts as this build's. The OCI annotations `org.opencontainers.image.base.name` and
// `.base.digest` (or labels of those names) name the base but do not say how many layers it has: they give the name
// the inherited advice shows.
import type {HistoryItem} from '../model/types.js';
import {parseCommand} from './command.js';

export type BoundaryMethod = 'dockerfile' | 'buildkit' | 'classic' | 'rootfs' | 'none';

export interface BaseBoundary {
	/** Index in the history of this build's first step. */
	firstStep: number;
	/** This build's first layer (the layer count when it made none). */
	firstLayer: number;
	method: BoundaryMethod;
	/** The base image's name (or digest) as the image records it, or null. */
	baseName: string | null;
}

export interface BoundaryHints {
	/** Manifest annotations, where the source has them. */
	annotations?: Record<string, unknown>;
	/** The image config's `Labels` (as read: values of any type). */
	labels?: Record<string, unknown>;
	/** History index of the first step the Dockerfile maps to, when a Dockerfile was given and matches. */
	dockerfileStart?: number | null;
}

export const BUILDKIT_COMMENT = 'buildkit.dockerfile.v0';
const BASE_NAME = 'org.opencontainers.image.base.name';
const BASE_DIGEST = 'org.opencontainers.image.base.digest';

function closingStep(history: HistoryItem[], from: number): number | null {
	let found: number | null = null;
	let layerAfter = false;
	for (let i = history.length - 1; i >= from; i--) {
		const instruction = parseCommand(history[i].createdBy).instruction;
		if ((instruction === 'CMD' || instruction === 'ENTRYPOINT') && layerAfter) {
			found = i + 1;
			break;
		}
		if (!history[i].emptyLayer) layerAfter = true;
	}
	return found;
}

function isRootfs(item: HistoryItem): boolean {
	if (item.emptyLayer) return false;
	const command = parseCommand(item.createdBy);
	if (command.instruction === 'ADD' && command.copy && /^(file|multi):/.test(command.copy.sources[0] ?? '') && command.copy.dest.trim() === '/') return true;
	if (/^Imported from /.test(item.comment ?? '') || /^debuerreotype/.test(item.comment ?? '')) return true;
	return /^# debian\.sh /.test(item.createdBy.trim());
}

export function findBaseBoundary(history: HistoryItem[], layerCount: number, hints: BoundaryHints = {}): BaseBoundary {
	// Labels come from the image config as any JSON: only a string names the base.
	const named = [hints.annotations?.[BASE_NAME], hints.labels?.[BASE_NAME], hints.annotations?.[BASE_DIGEST], hints.labels?.[BASE_DIGEST]];
	const annotated = named.find((value): value is string => typeof value === 'string' && value !== '') ?? null;
	const done = (firstStep: number, method: BoundaryMethod): BaseBoundary => {
		const layer = history.slice(firstStep).find(item => item.layerIndex !== null)?.layerIndex;
		return {firstStep, firstLayer: layer ?? layerCount, method, baseName: annotated};
	};
	if (hints.dockerfileStart !== undefined && hints.dockerfileStart !== null) return done(hints.dockerfileStart, 'dockerfile');
	let run = history.length;
	while (run > 0 && history[run - 1].comment === BUILDKIT_COMMENT) run--;
	if (run < history.length && run > 0) return done(run, 'buildkit');
	const closing = closingStep(history, run < history.length ? run : 0);
	if (closing !== null) return done(closing, 'classic');
	if (history.length > 1 && isRootfs(history[0])) return done(1, 'rootfs');
	return done(0, 'none');
}
