// Every path an image names, once: a tree of integer node ids in typed arrays, with interned names.
// The layer walks fill it as they parse (they run concurrently, on one thread, into one table per image) and keep
// node ids instead of path strings; the analysis and dive's pass work on those ids. A path costs a few tens of bytes
// here, where a tree of objects and Maps cost several hundred: memory grows with entries at the lowest cost we found.
import {GrowableInt32} from './columns.js';

export const ROOT = 0;
const NONE = -1;

export interface PathLimits {
	/** Most nodes the table may hold (root included). */
	maxNodes: number;
	/** The error thrown past it. */
	exceeded: () => Error;
}

export class PathTable {
	/** Node count; ids are 0..size-1, 0 is the root. */
	size = 1;
	private parents = new GrowableInt32(1024);
	private nameIds = new GrowableInt32(1024);
	private firstChildren = new GrowableInt32(1024);
	private lastChildren = new GrowableInt32(1024);
	private nextSiblings = new GrowableInt32(1024);
	/** Interned names: most names repeat across directories (index.js, __init__.py, LICENSE). */
	private readonly names: string[] = [''];
	private readonly nameIndex = new Map<string, number>([['', 0]]);
	/** Open addressing on (parent, name id): slot holds node id + 1, 0 is empty. */
	private slots = new Int32Array(2048);
	private mask = 2047;

	constructor(private readonly limits: PathLimits = {maxNodes: Infinity, exceeded: () => new Error('too many paths')}) {
		this.parents.push(NONE);
		this.nameIds.push(0);
		this.firstChildren.push(NONE);
		this.lastChildren.push(NONE);
		this.nextSiblings.push(NONE);
	}

	parent(node: number): number {
		return this.parents.data[node];
	}

	name(node: number): string {
		return this.names[this.nameIds.data[node]];
	}

	firstChild(node: number): number {
		return this.firstChildren.data[node];
	}

	nextSibling(node: number): number {
		return this.nextSiblings.data[node];
	}

	/** Children in the order they were first named. */
	*children(node: number): Generator<number> {
		for (let child = this.firstChildren.data[node]; child !== NONE; child = this.nextSiblings.data[child]) yield child;
	}

	hasChildren(node: number): boolean {
		return this.firstChildren.data[node] !== NONE;
	}

	/** The child `name` of `parent`, or -1. */
	findChild(parent: number, name: string): number {
		const nameId = this.nameIndex.get(name);
		return nameId === undefined ? NONE : this.findById(parent, nameId);
	}

	/** The child `name` of `parent`, created if missing. */
	child(parent: number, name: string): number {
		let nameId = this.nameIndex.get(name);
		if (nameId === undefined) {
			nameId = this.names.length;
			this.names.push(name);
			this.nameIndex.set(name, nameId);
		} else {
			const found = this.findById(parent, nameId);
			if (found !== NONE) return found;
		}
		return this.create(parent, nameId);
	}

	/** The last directory a path was interned under: entries come grouped by directory, most share it. */
	private lastDir = '';
	private lastDirNode = ROOT;

	/** The node of a normalised path (`/a/b`, `/` for the root), created with its parents if missing. */
	intern(path: string): number {
		const slash = path.lastIndexOf('/');
		if (slash > 0 && slash + 1 < path.length && slash === this.lastDir.length && path.startsWith(this.lastDir))
			return this.child(this.lastDirNode, path.slice(slash + 1));
		let node = ROOT;
		let start = 1;
		const length = path.length;
		while (start < length) {
			let end = path.indexOf('/', start);
			if (end === -1) end = length;
			if (end > start) node = this.child(node, path.slice(start, end));
			if (end === slash && slash > 0) {
				this.lastDir = path.slice(0, slash);
				this.lastDirNode = node;
			}
			start = end + 1;
		}
		return node;
	}

	/** The node of a path, or -1 when the table never saw it. */
	lookup(path: string): number {
		let node = ROOT;
		for (const name of path.split('/')) {
			if (name === '') continue;
			node = this.findChild(node, name);
			if (node === NONE) return NONE;
		}
		return node;
	}

	/**
	 * `/a/b` for a node, `/` for the root: one flat string (the leading `/` joined in, not prepended: a prepended one
	 * made a rope of two strings, kept as long as the path by every wasted file and dive figure that holds it).
	 */
	pathOf(node: number): string {
		if (node === ROOT) return '/';
		const names: string[] = [];
		for (let n = node; n !== ROOT; n = this.parents.data[n]) names.push(this.names[this.nameIds.data[n]]);
		names.push('');
		names.reverse();
		return names.join('/');
	}

	private findById(parent: number, nameId: number): number {
		const parents = this.parents.data;
		const nameIds = this.nameIds.data;
		let slot = hash(parent, nameId) & this.mask;
		for (;;) {
			const entry = this.slots[slot];
			if (entry === 0) return NONE;
			const node = entry - 1;
			if (parents[node] === parent && nameIds[node] === nameId) return node;
			slot = (slot + 1) & this.mask;
		}
	}

	private create(parent: number, nameId: number): number {
		if (this.size >= this.limits.maxNodes) throw this.limits.exceeded();
		const node = this.size++;
		this.parents.push(parent);
		this.nameIds.push(nameId);
		this.firstChildren.push(NONE);
		this.lastChildren.push(NONE);
		this.nextSiblings.push(NONE);
		const last = this.lastChildren.data[parent];
		if (last === NONE) this.firstChildren.data[parent] = node;
		else this.nextSiblings.data[last] = node;
		this.lastChildren.data[parent] = node;
		if (this.size * 2 > this.slots.length) this.rehash();
		else this.place(node);
		return node;
	}

	private place(node: number): void {
		let slot = hash(this.parents.data[node], this.nameIds.data[node]) & this.mask;
		while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
		this.slots[slot] = node + 1;
	}

	private rehash(): void {
		this.slots = new Int32Array(this.slots.length * 2);
		this.mask = this.slots.length - 1;
		for (let node = 1; node < this.size; node++) this.place(node);
	}
}

function hash(parent: number, nameId: number): number {
	let h = Math.imul(parent ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(nameId + 0x27d4eb2f, 0x85ebca77);
	h ^= h >>> 15;
	h = Math.imul(h, 0x2c1b3c6d);
	return (h ^ (h >>> 13)) >>> 0;
}
