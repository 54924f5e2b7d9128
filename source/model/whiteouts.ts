// A layer's whiteouts in one column of node ids (an object each was ~40 bytes, kept for the whole run, on a layer
// deleting 25,000 paths a megabyte): a plain whiteout's value is the node of the path it removes, an opaque one's the
// bitwise complement of the directory whose lower children it removes (node ids are never negative).
import {GrowableInt32} from './columns.js';

export class Whiteouts {
	private readonly values = new GrowableInt32();

	get count(): number {
		return this.values.length;
	}

	push(node: number, opaque: boolean): void {
		this.values.push(opaque ? ~node : node);
	}

	/** The node of whiteout `i`: the path removed, or the directory an opaque whiteout empties. */
	node(i: number): number {
		const value = this.values.data[i];
		return value < 0 ? ~value : value;
	}

	opaque(i: number): boolean {
		return this.values.data[i] < 0;
	}

	/** Drop the unused capacity (after the last push). */
	trim(): void {
		this.values.trim();
	}
}
