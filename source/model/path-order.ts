// Every node's rank in the order of its path as a string (`pathOf(a) < pathOf(b)`), from the tree's names alone: a
// layer's change list is in that order, and sorting a million path strings cost the strings (~60 MB) and the time.
// Siblings alone do not give it: `/a.txt` sorts between `/a` and `/a/b` ('.' < '/'). So each directory stands among
// its siblings twice, as its name (the path itself) and as its name and a slash (everything below it); sorting those
// keys per directory and walking them in order gives the order of the whole paths.
import {ROOT, type PathTable} from './path-table.js';

const NONE = -1;
const ranks = new WeakMap<PathTable, Int32Array>();

/** Rank by node id: the root first, every other node after the paths that sort before its path. */
export function pathRanks(table: PathTable): Int32Array {
	const known = ranks.get(table);
	if (known && known.length === table.size) return known;
	const rank = new Int32Array(table.size);
	let next = 1; // the root, `/`, is 0: a prefix of every other path
	// One directory's items, sorted: child * 2 for the child's path, child * 2 + 1 for the paths below it.
	const stack: {items: Int32Array; next: number}[] = [{items: sortedItems(table, ROOT), next: 0}];
	while (stack.length > 0) {
		const top = stack[stack.length - 1];
		if (top.next === top.items.length) {
			stack.pop();
			continue;
		}
		const item = top.items[top.next++];
		if ((item & 1) === 0) rank[item >>> 1] = next++;
		else stack.push({items: sortedItems(table, item >>> 1), next: 0});
	}
	ranks.set(table, rank);
	return rank;
}

function sortedItems(table: PathTable, parent: number): Int32Array {
	const items: number[] = [];
	const keys: string[] = [];
	for (let child = table.firstChild(parent); child !== NONE; child = table.nextSibling(child)) {
		const name = table.name(child);
		items.push(child * 2);
		keys.push(name);
		if (table.hasChildren(child)) {
			items.push(child * 2 + 1);
			keys.push(name + '/');
		}
	}
	// Keys never tie: names are unique among siblings and hold no slash.
	const order = Array.from(items.keys()).sort((a, b) => (keys[a] < keys[b] ? -1 : 1));
	return Int32Array.from(order, i => items[i]);
}
