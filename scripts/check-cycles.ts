// The module graph of source/: no import cycle (type-only imports count: they tie the modules' meanings together
// too), and the layers stay in order: model/ is below everything that reads or analyses images, layers/ below analysis/.
// `node --import tsx scripts/check-cycles.ts` prints each problem and exits 1; test/module-graph.test.ts runs it too.
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';

/** Folders of source/ that a folder must not import from. */
const FORBIDDEN: Record<string, readonly string[]> = {
	model: ['analysis', 'layers', 'sources', 'ui', 'diff', 'report', 'ci', 'content'],
	tar: ['analysis', 'layers', 'sources', 'ui', 'diff', 'report', 'ci', 'content'],
	util: ['model', 'tar', 'analysis', 'layers', 'sources', 'ui', 'diff', 'report', 'ci', 'content'],
	layers: ['analysis', 'sources', 'ui', 'diff', 'report', 'ci'],
	analysis: ['sources', 'ui', 'diff', 'report', 'ci'],
};

// Static imports and re-exports (`import … from`, `export … from`, `import '…'`) and dynamic `import('…')`.
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

function sourceFiles(root: string): string[] {
	return readdirSync(root, {recursive: true, encoding: 'utf8'})
		.filter(file => /\.tsx?$/.test(file) && !file.endsWith('.d.ts'))
		.map(file => file.split(path.sep).join('/'))
		.sort();
}

/** The relative imports of each file, as paths under `root` (`./x.js` names x.ts or x.tsx). */
export function importGraph(root: string): Map<string, string[]> {
	const files = sourceFiles(root);
	const known = new Set(files);
	const graph = new Map<string, string[]>();
	for (const file of files) {
		const text = readFileSync(path.join(root, file), 'utf8');
		const targets = new Set<string>();
		for (const match of text.matchAll(IMPORT)) {
			const joined = path.posix.normalize(path.posix.join(path.posix.dirname(file), match[1]));
			const base = joined.replace(/\.(js|jsx|ts|tsx)$/, '');
			const target = [`${base}.ts`, `${base}.tsx`].find(candidate => known.has(candidate));
			if (target) targets.add(target);
		}
		graph.set(file, [...targets].sort());
	}
	return graph;
}

/** Every cycle's files (strongly connected components of more than one file, or a file importing itself). */
export function cycles(graph: Map<string, string[]>): string[][] {
	// Tarjan's algorithm, iterative: the graph is small, but recursion depth should not depend on it.
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const onStack = new Set<string>();
	const stack: string[] = [];
	const found: string[][] = [];
	let counter = 0;
	for (const start of graph.keys()) {
		if (index.has(start)) continue;
		const work: {node: string; next: number}[] = [{node: start, next: 0}];
		index.set(start, counter);
		low.set(start, counter++);
		stack.push(start);
		onStack.add(start);
		while (work.length > 0) {
			const frame = work[work.length - 1];
			const edges = graph.get(frame.node) ?? [];
			if (frame.next < edges.length) {
				const target = edges[frame.next++];
				if (!index.has(target)) {
					index.set(target, counter);
					low.set(target, counter++);
					stack.push(target);
					onStack.add(target);
					work.push({node: target, next: 0});
				} else if (onStack.has(target)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
				continue;
			}
			work.pop();
			const parent = work[work.length - 1];
			if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
			if (low.get(frame.node) !== index.get(frame.node)) continue;
			const component: string[] = [];
			let member: string;
			do {
				member = stack.pop()!;
				onStack.delete(member);
				component.push(member);
			} while (member !== frame.node);
			if (component.length > 1 || edges.includes(frame.node)) found.push(component.sort());
		}
	}
	return found;
}

/** Imports that go up the layers: `model/x.ts imports ui/y.ts`. */
export function layerViolations(graph: Map<string, string[]>): string[] {
	const folder = (file: string): string => (file.includes('/') ? file.slice(0, file.indexOf('/')) : '');
	const problems: string[] = [];
	for (const [file, targets] of graph)
		for (const target of targets) if (FORBIDDEN[folder(file)]?.includes(folder(target))) problems.push(`${file} imports ${target}`);
	return problems;
}

/** Every problem with the module graph under `root`, one line each. */
export function checkModuleGraph(root: string): string[] {
	const graph = importGraph(root);
	return [...cycles(graph).map(component => `import cycle: ${component.join(', ')}`), ...layerViolations(graph)];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const root = fileURLToPath(new URL('../source/', import.meta.url));
	const problems = checkModuleGraph(root);
	for (const problem of problems) process.stderr.write(`${problem}\n`);
	if (problems.length > 0) process.exit(1);
	process.stdout.write(`no import cycle, no import up the layers (${importGraph(root).size} modules)\n`);
}
