// The layers that cleared everything below a node (a path removed by a whiteout, an opaque whiteout, a file written
// over a directory), in two columns instead of a Map of arrays: the analysis removes one node per whiteout, and on the
// bench's big image (25,000 whiteouts) a Map entry and a one-element array each were 3.4 MB of its heap, kept to the
// end.
// Cuts are added in layer order (the analysis stacks the layers bottom up), then sealed: sorted by node, a node's own
// cuts stay in layer order, and a lookup is a binary search.
import {GrowableInt32} from './columns.js';

export class Cuts {
	private added: {nodes: GrowableInt32; layers: GrowableInt32} | null = {nodes: new GrowableInt32(), layers: new GrowableInt32()};
	private nodes = new Int32Array(0);
	private layers = new Int32Array(0);

	/** Cuts added, over all nodes. */
	get size(): number {
		return this.added ? this.added.nodes.length : this.nodes.length;
	}

	/** Layer `layer` cleared everything below `node`; layers come in nondecreasing order. */
	add(node: number, layer: number): void {
		if (!this.added) throw new Error('internal: a cut added after the cuts were sealed');
		this.added.nodes.push(node);
		this.added.layers.push(layer);
	}

	/** Sort the cuts by node, each node's in the order added; no cut can be added after. */
	seal(): void {
		if (!this.added) return;
		const count = this.added.nodes.length;
		const nodes = this.added.nodes.data;
		const layers = this.added.layers.data;
		const order = new Int32Array(count);
		for (let i = 0; i < count; i++) order[i] = i;
		order.sort((a, b) => nodes[a] - nodes[b] || a - b);
		this.nodes = new Int32Array(count);
		this.layers = new Int32Array(count);
		for (let k = 0; k < count; k++) {
			this.nodes[k] = nodes[order[k]];
			this.layers[k] = layers[order[k]];
		}
		this.added = null;
	}

	/** The latest layer <= `layer` that cleared below `node`, or -1. */
	at(node: number, layer: number): number {
		const [start, end] = this.range(node);
		for (let i = end - 1; i >= start; i--) if (this.layers[i] <= layer) return this.layers[i];
		return -1;
	}

	/** The layers that cleared below `node`, in order, or undefined where none did. */
	of(node: number): number[] | undefined {
		const [start, end] = this.range(node);
		return start === end ? undefined : Array.from(this.layers.subarray(start, end));
	}

	/** Where `node`'s cuts are: [start, end) of the sorted columns. */
	private range(node: number): [number, number] {
		this.seal();
		const nodes = this.nodes;
		let low = 0;
		let high = nodes.length;
		while (low < high) {
			const mid = (low + high) >>> 1;
			if (nodes[mid] < node) low = mid + 1;
			else high = mid;
		}
		let end = low;
		while (end < nodes.length && nodes[end] === node) end++;
		return [low, end];
	}
}
