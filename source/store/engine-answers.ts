// The engine's JSON answers read defensively: any field may be missing, null or of another type (Podman's compat API,
// older and newer Docker API versions), and every string is hostile until printed through visible().
export type Json = Record<string, unknown>;

export function object(value: unknown): Json {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

export function array(value: unknown): unknown[] {
	return Array.isArray(value) ? value : [];
}

export function text(value: unknown): string | null {
	return typeof value === 'string' ? value : null;
}

export function strings(value: unknown): string[] {
	return array(value).filter((item): item is string => typeof item === 'string');
}

/** A number the engine reports, with -1 (its "not computed") and anything not a number as null. */
export function count(value: unknown): number | null {
	return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

/** One entry of `/system/df` Images or `/images/json`. */
export interface ImageSummary {
	id: string;
	parentId: string | null;
	tags: string[];
	digests: string[];
	sizeBytes: number;
	sharedBytes: number | null;
	containers: number | null;
}

export function imageSummary(value: unknown): ImageSummary | null {
	const item = object(value);
	const id = text(item.Id);
	if (!id) return null;
	return {
		id,
		parentId: text(item.ParentId) || null,
		// Docker 20.10 lists untagged images as `<none>:<none>` / `<none>@<none>` in /images/json, as nothing in /system/df.
		tags: strings(item.RepoTags).filter(tag => tag !== '<none>:<none>'),
		digests: strings(item.RepoDigests).filter(digest => digest !== '<none>@<none>'),
		// VirtualSize is the older name of the same figure (removed in API 1.44).
		sizeBytes: count(item.Size) ?? count(item.VirtualSize) ?? 0,
		sharedBytes: count(item.SharedSize),
		containers: count(item.Containers),
	};
}
