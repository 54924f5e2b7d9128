// The entries of one layer tar in columns: a node id of the image's PathTable instead of a path string, numbers in
// typed arrays, the 128-bit content hash in four int32s. About 48 bytes an entry, where an object per entry cost ~180.
// `entry(i)` gives the LayerEntry object view for consumers that want one.
import {createHash} from 'node:crypto';
import {smallIfInteger} from './columns.js';
import type {PathTable} from './path-table.js';
import type {EntryType, LayerEntry} from './entry.js';

export const ENTRY_TYPES: readonly EntryType[] = ['file', 'directory', 'symlink', 'hardlink', 'char-device', 'block-device', 'fifo', 'other'];
const TYPE_CODES = new Map<EntryType, number>(ENTRY_TYPES.map((type, code) => [type, code]));
export const FILE = 0;
export const DIRECTORY = 1;
export const HARDLINK = 3;
const OTHER = TYPE_CODES.get('other')!;

const UNSAFE = 1;
const HAS_HASH = 2;

const isUint32 = (value: number): boolean => Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff;

export class LayerEntries {
	/** Node ids, one per entry (read `node.data[i]`). */
	readonly node = {data: new Int32Array(0), length: 0};
	private types = new Uint8Array(0);
	private modes = new Uint16Array(0);
	private flags = new Uint8Array(0);
	private sizes = new Float64Array(0);
	private mtimes = new Float64Array(0);
	private uids = new Uint32Array(0);
	private gids = new Uint32Array(0);
	private hashes = new Int32Array(0);
	/** Owners that do not fit a uint32 (a PAX header can say anything). */
	private readonly wideOwners = new Map<number, {uid: number; gid: number}>();
	private readonly symlinks = new Map<number, string>();
	private readonly hardlinks = new Map<number, number>();
	/**
	 * Where in `file` the body of a file whose hash is not read yet starts, plus one (0: none, so that a fresh column
	 * is all none without a write to each page); made on first use.
	 */
	private deferred: Float64Array | null = null;
	/** The file the deferred bodies are in. */
	file: string | null = null;

	constructor(
		readonly table: PathTable,
		capacity = 256,
	) {
		this.resize(capacity);
	}

	get count(): number {
		return this.node.length;
	}

	/**
	 * An entry as a walk reads its header (LayerEntry's numbers, `node` for its path), by arguments: an object per entry
	 * was garbage for every entry of a big layer. A link's target follows with setSymlinkTarget() or setHardlinkTarget().
	 */
	add(node: number, type: EntryType, size: number, mode: number, uid: number, gid: number, mtime: number, unsafe: boolean): number {
		const index = this.node.length;
		if (index === this.types.length) this.resize(Math.ceil(index * 1.5) + 16);
		this.node.data[index] = node;
		this.node.length++;
		const code = TYPE_CODES.get(type) ?? OTHER;
		this.types[index] = code;
		this.modes[index] = mode & 0o7777;
		this.flags[index] = (unsafe ? UNSAFE : 0) | (code === FILE ? HAS_HASH : 0);
		this.sizes[index] = size;
		this.mtimes[index] = mtime;
		if (isUint32(uid) && isUint32(gid)) {
			this.uids[index] = uid;
			this.gids[index] = gid;
		} else {
			this.wideOwners.set(index, {uid, gid});
		}
		if (code === FILE) this.hashes.set(EMPTY_HASH, index * 4);
		return index;
	}

	/** A symlink's target, verbatim. */
	setSymlinkTarget(i: number, target: string): void {
		this.symlinks.set(i, target);
	}

	/** The node of the normalised path a hard link points to. */
	setHardlinkTarget(i: number, node: number): void {
		this.hardlinks.set(i, node);
	}

	/** Drop spare capacity once the layer is read. */
	trim(): void {
		if (this.types.length > this.count + 16) this.resize(this.count);
	}

	private resize(capacity: number): void {
		const keep = this.count;
		const grow = <T extends Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array>(array: T, make: (n: number) => T, width = 1): T => {
			const next = make(capacity * width);
			next.set(array.subarray(0, keep * width));
			return next;
		};
		this.node.data = grow(this.node.data, n => new Int32Array(n));
		this.types = grow(this.types, n => new Uint8Array(n));
		this.modes = grow(this.modes, n => new Uint16Array(n));
		this.flags = grow(this.flags, n => new Uint8Array(n));
		this.sizes = grow(this.sizes, n => new Float64Array(n));
		this.mtimes = grow(this.mtimes, n => new Float64Array(n));
		this.uids = grow(this.uids, n => new Uint32Array(n));
		this.gids = grow(this.gids, n => new Uint32Array(n));
		this.hashes = grow(this.hashes, n => new Int32Array(n), 4);
		if (this.deferred) this.deferred = grow(this.deferred, n => new Float64Array(n));
	}

	/** Leave entry i without a hash for now: its body is at `offset` of `file`, read only if a comparison needs it. */
	deferHash(i: number, offset: number): void {
		this.deferred ??= new Float64Array(this.types.length);
		this.deferred[i] = offset + 1;
		this.flags[i] &= ~HAS_HASH;
	}

	hasDeferred(): boolean {
		return this.deferred !== null;
	}

	/** File offset of entry i's body when its hash was deferred, else NaN. */
	deferredOffset(i: number): number {
		const at = this.deferred ? this.deferred[i] : 0;
		return at === 0 ? Number.NaN : at - 1;
	}

	/** The deferred hashes that are needed are read: forget the rest. */
	dropDeferred(): void {
		this.deferred = null;
	}

	typeCode(i: number): number {
		return this.types[i];
	}

	type(i: number): EntryType {
		return ENTRY_TYPES[this.types[i]];
	}

	size(i: number): number {
		return smallIfInteger(this.sizes[i]);
	}

	mode(i: number): number {
		return this.modes[i];
	}

	uid(i: number): number {
		return this.wideOwners.get(i)?.uid ?? this.uids[i];
	}

	gid(i: number): number {
		return this.wideOwners.get(i)?.gid ?? this.gids[i];
	}

	mtime(i: number): number {
		return this.mtimes[i];
	}

	unsafe(i: number): boolean {
		return (this.flags[i] & UNSAFE) !== 0;
	}

	symlinkTarget(i: number): string | undefined {
		return this.symlinks.get(i);
	}

	/** Node a hard link points to, or -1. */
	hardlinkTarget(i: number): number {
		return this.hardlinks.get(i) ?? -1;
	}

	/** The link target as LayerEntry has it: the symlink's text, or the hard link's normalised path. */
	linkTarget(i: number): string | undefined {
		const symlink = this.symlinks.get(i);
		if (symlink !== undefined) return symlink;
		const node = this.hardlinks.get(i);
		return node === undefined ? undefined : this.table.pathOf(node);
	}

	hasHash(i: number): boolean {
		return (this.flags[i] & HAS_HASH) !== 0;
	}

	/** Record the content hash: the first 16 bytes of a sha256 digest. */
	setHash(i: number, digest: Uint8Array): void {
		const h = this.hashes;
		const at = i * 4;
		h[at] = readInt32(digest, 0);
		h[at + 1] = readInt32(digest, 4);
		h[at + 2] = readInt32(digest, 8);
		h[at + 3] = readInt32(digest, 12);
		this.flags[i] |= HAS_HASH;
	}

	/** Give entry i the hash of entry j of `other` (a hard link takes its target's). */
	copyHash(i: number, other: LayerEntries, j: number): void {
		if (!other.hasHash(j)) return;
		this.hashes.set(other.hashes.subarray(j * 4, j * 4 + 4), i * 4);
		this.flags[i] |= HAS_HASH;
	}

	/** Same hash, or both without one. */
	sameHash(i: number, other: LayerEntries, j: number): boolean {
		const a = this.hasHash(i);
		if (a !== other.hasHash(j)) return false;
		if (!a) return true;
		const x = this.hashes;
		const y = other.hashes;
		const p = i * 4;
		const q = j * 4;
		return x[p] === y[q] && x[p + 1] === y[q + 1] && x[p + 2] === y[q + 2] && x[p + 3] === y[q + 3];
	}

	/** The hash as LayerEntry has it (base64url of 16 bytes), or undefined. */
	hash(i: number): string | undefined {
		if (!this.hasHash(i)) return undefined;
		for (let k = 0; k < 4; k++) HASH_SCRATCH.writeInt32LE(this.hashes[i * 4 + k], k * 4);
		return HASH_SCRATCH.toString('base64url');
	}

	/** The LayerEntry object for entry i (made on each call); `path` when the caller has it already. */
	entry(i: number, path?: string): LayerEntry {
		const type = this.type(i);
		const entry: LayerEntry = {
			path: path ?? this.table.pathOf(this.node.data[i]),
			type,
			size: this.size(i),
			mode: this.modes[i],
			uid: this.uid(i),
			gid: this.gid(i),
			mtime: this.mtimes[i],
		};
		const hash = this.hash(i);
		if (hash !== undefined) entry.hash = hash;
		const linkTarget = this.linkTarget(i);
		if (linkTarget !== undefined) entry.linkTarget = linkTarget;
		if (this.unsafe(i)) entry.unsafePath = true;
		return entry;
	}

	/** Columns from entry objects (synthetic images in the UI bench and tests). */
	static from(table: PathTable, entries: readonly LayerEntry[]): LayerEntries {
		const result = new LayerEntries(table);
		for (const entry of entries) {
			const i = result.add(table.intern(entry.path), entry.type, entry.size, entry.mode, entry.uid, entry.gid, entry.mtime, entry.unsafePath === true);
			if (entry.type === 'symlink') result.setSymlinkTarget(i, entry.linkTarget ?? '');
			if (entry.type === 'hardlink') result.setHardlinkTarget(i, table.intern(entry.linkTarget ?? '/'));
			if (entry.hash === undefined) continue;
			// A hash as the walk writes it (16 bytes in base64url), or any label standing for content.
			const bytes = Buffer.from(entry.hash, 'base64url');
			result.setHash(i, bytes.length === 16 && bytes.toString('base64url') === entry.hash ? bytes : createHash('sha256').update(entry.hash).digest());
		}
		return result;
	}
}

const HASH_SCRATCH = Buffer.alloc(16);

function readInt32(bytes: Uint8Array, at: number): number {
	return bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24);
}

/** sha256 of nothing, first 16 bytes, as four int32s: a file's hash until its body is read. */
const EMPTY_HASH = (() => {
	const digest = Buffer.from('e3b0c44298fc1c149afbf4c8996fb924', 'hex');
	return Int32Array.of(readInt32(digest, 0), readInt32(digest, 4), readInt32(digest, 8), readInt32(digest, 12));
})();
