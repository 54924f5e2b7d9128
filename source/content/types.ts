// The library's front door for file contents: what a caller (the explorer) names to read or export one file version,
// and what it gets back. The analysis keeps no bytes, so a provider opens the source's layer blob again.

/** One file version: the path in the layer tar that stores its bytes, and what the analysis read of it. */
export interface FileVersion {
	/** Path as stored in the layer tar (for a hard link: its target). */
	path: string;
	/** The layer whose tar holds the bytes. */
	layer: number;
	size: number;
	/** Content hash the analysis recorded, when it read one: tells two same-named entries of one layer apart. */
	hash?: string;
}

/** Bytes read() returns at most unless told otherwise: what the explorer's viewer shows. */
export const READ_CAP = 64 * 1024;

/** Where file bytes come from. Tests may pass their own. */
export interface ContentProvider {
	/** Why contents cannot be read from this source, or null when they can. */
	unavailable(): string | null;
	/** The first `cap` (default READ_CAP) bytes of the version, and its full size. */
	read(version: FileVersion, cap?: number): Promise<{bytes: Buffer; size: number}>;
	/** `length` bytes from `offset` (fewer at the end), and the full size: the viewer pages through any size holding only those. */
	readRange?(version: FileVersion, offset: number, length: number): Promise<{bytes: Buffer; size: number}>;
	/** Write the whole file to `destination`; throws ExistsError when it exists and `overwrite` is false. */
	exportTo(version: FileVersion, destination: string, overwrite: boolean): Promise<{path: string; bytes: number}>;
}

/** An export's destination exists and the caller did not say to replace it. */
export class ExistsError extends Error {
	constructor(readonly target: string) {
		super(`${target} exists`);
		this.name = 'ExistsError';
	}
}
