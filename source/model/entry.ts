// One entry of a layer tar as the walker reads it: the unit both the columns (layer-entries.ts) and the model types
// (types.ts) are made of.

export type EntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'char-device' | 'block-device' | 'fifo' | 'other';

/** One entry of a layer tar (whiteouts excluded), with its path normalised (see layers/paths.ts). */
export interface LayerEntry {
	path: string;
	type: EntryType;
	/** Size from the tar header; only regular files have bytes in the layer. */
	size: number;
	mode: number;
	uid: number;
	gid: number;
	mtime: number;
	/** Symlink target verbatim, or the normalised path a hard link points to. */
	linkTarget?: string;
	/** Content hash of a regular file body (sha256, 128 bits, base64url). Absent for other types. */
	hash?: string;
	/** The name has a `..` segment (`../x` climbs out of the root): kept as written, flagged, never resolved. */
	unsafePath?: boolean;
}
