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
