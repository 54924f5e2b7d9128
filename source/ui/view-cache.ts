// The explorer's views by layer, mode and sort (layer-view.ts), built when asked or ahead of need a slice at a time.
import type {FsNode} from '../model/types.js';
import {buildGlobalTree, finish, type GlobalTree, type LayerView, type ViewBuild, type ViewKey} from './layer-view.js';
import {buildByName} from './view-by-name.js';
import {sortBySize} from './view-by-size.js';

/** Build the view of `layer` by name: one pass over the global preorder, O(paths). */
export function buildLayerView(global: GlobalTree, key: ViewKey): LayerView {
	const view = finish(buildByName(global, {...key, sort: 'name'}));
	return key.sort === 'size' ? finish(sortBySize(view, key)) : view;
}

/**
 * Cache of views per layer, mode and sort: switching back and forth is free. It keeps at least `size` views, and more
 * while their rows add up to at most `rows` (a million-path view is some 40 MB, a 100,000-path one a tenth of it).
 * A view may also be built ahead, a slice at a time (`advance`); a `get` of it finishes that build.
 */
export class ViewCache {
	private readonly views = new Map<string, LayerView>();
	private global: GlobalTree | null = null;
	private rowsKept = 0;
	/** The one build in progress ahead of need, and what it makes. */
	private ahead: {id: string; key: ViewKey; build: ViewBuild} | null = null;
	constructor(
		private readonly root: FsNode,
		private readonly size = 4,
		private readonly rows = 3_000_000,
	) {}

	/** Rows of the views kept. */
	get keptRows(): number {
		return this.rowsKept;
	}

	has(key: ViewKey): boolean {
		return this.views.has(viewId(key));
	}

	/** Every path of the image in preorder (built on first use). */
	globalTree(): GlobalTree {
		return (this.global ??= buildGlobalTree(this.root));
	}

	get(key: ViewKey): LayerView {
		const id = viewId(key);
		const view = this.views.get(id);
		if (view) {
			this.views.delete(id);
			this.views.set(id, view);
			return view;
		}
		return this.keep(id, finish(this.build(key)));
	}

	/**
	 * Go on building `key`'s view until `deadline` (performance.now()), a slice at a time; whether it is made. A build of
	 * another view in progress is dropped (what is idle work for changes with the state).
	 */
	advance(key: ViewKey, deadline: number): boolean {
		const id = viewId(key);
		if (this.views.has(id)) return true;
		if (this.ahead?.id !== id) this.ahead = {id, key, build: this.fresh(key)};
		const {build} = this.ahead;
		for (;;) {
			const step = build.next();
			if (step.done) {
				this.ahead = null;
				this.keep(id, step.value);
				return true;
			}
			if (performance.now() >= deadline) return false;
		}
	}

	/** The build of a view not in the cache: the one in progress ahead, else a new one. */
	private build(key: ViewKey): ViewBuild {
		const ahead = this.ahead;
		if (ahead?.id !== viewId(key)) return this.fresh(key);
		this.ahead = null;
		return ahead.build;
	}

	/** A new build (by size: from the view by name, made here unless cached). */
	private *fresh(key: ViewKey): ViewBuild {
		if (key.sort === 'name') return yield* buildByName(this.globalTree(), key);
		const nameKey = {...key, sort: 'name' as const};
		const nameId = viewId(nameKey);
		let byName = this.views.get(nameId);
		if (!byName) {
			byName = yield* buildByName(this.globalTree(), nameKey);
			this.keep(nameId, byName);
		}
		return yield* sortBySize(byName, key);
	}

	private keep(id: string, view: LayerView): LayerView {
		const before = this.views.get(id);
		if (before) {
			this.views.delete(id);
			this.rowsKept -= before.count;
		}
		this.views.set(id, view);
		this.rowsKept += view.count;
		while (this.views.size > this.size && this.rowsKept > this.rows) {
			const [oldest, dropped] = this.views.entries().next().value!;
			this.views.delete(oldest);
			this.rowsKept -= dropped.count;
		}
		return view;
	}
}

const viewId = (key: ViewKey): string => `${key.layer}/${key.aggregated ? 'a' : 'l'}/${key.sort}`;
