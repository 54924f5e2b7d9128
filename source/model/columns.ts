// Growable typed-array columns: numbers stored flat, outside the V8 heap, grown by half again when full.
type TypedArray = Int32Array | Uint8Array;

interface TypedArrayConstructor<T extends TypedArray> {
	new (length: number): T;
}

class Column<T extends TypedArray> {
	data: T;
	length = 0;

	constructor(
		private readonly Kind: TypedArrayConstructor<T>,
		capacity: number,
	) {
		this.data = new Kind(Math.max(capacity, 16));
	}

	push(value: number): number {
		if (this.length === this.data.length) this.reserve(this.length + 1);
		this.data[this.length] = value;
		return this.length++;
	}

	/** Room for at least `size` values. */
	reserve(size: number): void {
		if (size <= this.data.length) return;
		const next = new this.Kind(Math.max(size, Math.ceil(this.data.length * 1.5) + 16));
		next.set(this.data.subarray(0, this.length));
		this.data = next;
	}

	/** Drop the unused capacity (after the last push). */
	trim(): void {
		if (this.data.length > this.length + 16) this.data = this.data.slice(0, this.length) as T;
	}
}

export class GrowableInt32 extends Column<Int32Array> {
	constructor(capacity = 16) {
		super(Int32Array, capacity);
	}
}

export class GrowableUint8 extends Column<Uint8Array> {
	constructor(capacity = 16) {
		super(Uint8Array, capacity);
	}
}

/**
 * A number read from a Float64Array column (a size), to keep in an object: V8 hands such a read over as a heap number
 * of 16 bytes, and an object field that once held one boxes every value stored in it after. An integer within V8's
 * small integers (31 bits) goes as one, kept in the field itself: 50,000 wasted files, 800 KB.
 */
export function smallIfInteger(value: number): number {
	return value >= -0x40000000 && value < 0x40000000 && value === Math.trunc(value) ? value | 0 : value;
}
