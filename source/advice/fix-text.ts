// The Dockerfile text of a fix, made from the image's own commands: a merged RUN, a step moved into the RUN that
// made the files, `COPY --chmod`/`--chown`, a download done inside one RUN, a multi-stage build, .dockerignore lines.
import path from 'node:path';
import type {WastedFile} from '../model/types.js';
import {oneLine, parseCommand, scriptLine, type ShellStep} from './command.js';
import type {LayerSteps} from './layer-steps.js';
import {absolute, targets, type StepAction} from './patterns.js';
import {topPaths} from './top-paths.js';

/** An ADD source fetched from the network: a URL (BuildKit), or the bare sha256 the classic builder records for one. */
export const URL_SOURCE = /^(https?|ftp):\/\//;
export const isRemoteSource = (source: string): boolean => URL_SOURCE.test(source) || /^[0-9a-f]{64}$/.test(source);

/** A command line cut at its `&&`s outside quotes (a heredoc, whose lines matter, stays whole). */
function andParts(text: string): string[] {
	if (text.includes('<<')) return [text];
	const parts: string[] = [];
	let quote: string | null = null;
	let start = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quote === "'") {
			if (c === quote) quote = null;
		} else if (c === '\\') i++;
		else if (quote) {
			if (c === quote) quote = null;
		} else if (c === "'" || c === '"') quote = c;
		else if (c === '&' && text[i + 1] === '&') {
			parts.push(text.slice(start, i).trim());
			start = i + 2;
			i++;
		}
	}
	parts.push(text.slice(start).trim());
	return parts.filter(Boolean);
}

/** One line when short, else one `&&` step per line. */
function runLine(flags: string[], parts: string[]): string {
	const head = ['RUN', ...new Set(flags)].join(' ');
	const single = `${head} ${parts.join(' && ')}`;
	const steps = parts.flatMap(andParts);
	if (single.length <= 100 || steps.length < 2) return single;
	return `${head} ${steps.join(' && \\\n    ')}`;
}

/** A script on one line (its lines joined by `&&`), unless it holds a heredoc, whose lines matter. */
const scriptText = (layer: LayerSteps): string => {
	const script = layer.command.script ?? '';
	return script.includes('<<') ? script : scriptLine(script, ' && ');
};

/** `apt-get install -y jq` -> `apt-get install -y --no-install-recommends jq`, as the merged step should be. */
function withoutRecommends(text: string, actions: StepAction[], steps: ShellStep[]): string {
	let out = text;
	actions.forEach((action, i) => {
		const tool = path.posix.basename(steps[i].argv[0] ?? '');
		if (action.kind !== 'package' || (tool !== 'apt-get' && tool !== 'apt') || !action.packages.length || !steps[i].argv.includes('install')) return;
		if (action.options.includes('--no-install-recommends')) return;
		const step = oneLine(steps[i].text);
		const rewritten = step.replace(/\binstall(?=\s|$)((?:\s+-[-\w=.:]+)*)/, 'install$1 --no-install-recommends');
		out = out.replace(step, rewritten);
	});
	return out;
}

export function mergedRun(layers: LayerSteps[]): string {
	const runs = layers.filter(layer => layer.command.instruction === 'RUN');
	const parts = runs.map(layer => withoutRecommends(scriptText(layer), layer.actions, layer.command.steps)).filter(Boolean);
	return runLine(
		runs.flatMap(layer => layer.command.runFlags),
		parts,
	);
}

/** The steps of `layer` that delete or rewrite one of `files` (all its steps when none names them). */
export function stepsFor(layer: LayerSteps, files: readonly WastedFile[]): string[] {
	const chosen = layer.command.steps.filter((step, i) => {
		const action = layer.actions[i];
		if (action.kind !== 'delete' && action.kind !== 'rewrite') return false;
		return files.some(f => action.paths.some(target => targets(target, f.path, layer.workdir, action.kind === 'delete' || action.recursive)));
	});
	return (chosen.length > 0 ? chosen : layer.command.steps).map(step => oneLine(step.text));
}

export function movedIntoRun(maker: LayerSteps, later: LayerSteps, files: readonly WastedFile[]): string {
	return runLine(maker.command.runFlags, [scriptText(maker), ...stepsFor(later, files)]);
}

/** The chmod / chown values the later step applied to `files`. */
export function metadataFlags(later: LayerSteps, files: readonly WastedFile[]): Record<string, string> {
	const flags: Record<string, string> = {};
	later.actions.forEach(action => {
		if (action.kind !== 'rewrite' || action.value === null) return;
		if (!files.some(f => action.paths.some(target => targets(target, f.path, later.workdir, action.recursive)))) return;
		if (action.tool === 'chmod') flags.chmod = /^[0-7]{3}$/.test(action.value) ? '0' + action.value : action.value;
		else if (action.tool === 'chown') flags.chown = action.value;
		else if (action.tool === 'chgrp' && !flags.chown) flags.chown = `:${action.value}`;
	});
	return flags;
}

type Rewrite = Extract<StepAction, {kind: 'rewrite'}>;

/** Whether the rewrites cover everything the COPY brought: a single file, or a recursive rewrite of its destination. */
function coversCopy(copy: LayerSteps, later: LayerSteps, file: WastedFile, rewrites: Rewrite[]): boolean {
	const args = copy.command.copy!;
	const source = args.sources[0] ?? '';
	if (args.sources.length === 1 && (/^file:/.test(source) || path.posix.basename(source) === path.posix.basename(file.path))) return true;
	const dest = absolute(args.dest, copy.workdir);
	return rewrites.every(r => r.recursive && r.paths.some(target => targets(target, dest, later.workdir)));
}

/**
 * How a RUN's rewrite of a copied file is avoided: on the COPY (`--chmod`/`--chown`) when the rewrite covers all
 * the COPY brought; in the build context (content, or the mode of some of the files: COPY keeps modes) otherwise;
 * null when the later step does not name the file.
 */
export function copyRewriteFix(copy: LayerSteps, later: LayerSteps, file: WastedFile): 'copy-chmod' | 'copy-chown' | 'edit-in-context' | null {
	const rewrites = later.actions.filter(
		(action): action is Rewrite => action.kind === 'rewrite' && action.paths.some(target => targets(target, file.path, later.workdir, action.recursive)),
	);
	const metadata = rewrites.filter(r => r.tool === 'chmod' || r.tool === 'chown' || r.tool === 'chgrp');
	if (metadata.length > 0 && coversCopy(copy, later, file, metadata)) return metadata.some(r => r.tool === 'chmod') ? 'copy-chmod' : 'copy-chown';
	return rewrites.some(r => r.tool === 'sed' || r.tool === 'touch' || r.tool === 'chmod') ? 'edit-in-context' : null;
}

/** The COPY/ADD of `layer` with `--chmod`/`--chown` set; sources from the Dockerfile line when given. */
export function copyWithFlags(layer: LayerSteps, files: readonly WastedFile[], flags: Record<string, string>, dockerfileArgs: string | null): string {
	const copy = layer.command.copy!;
	const merged = {...copy.flags, ...flags};
	const flagText = Object.entries(merged).map(([name, value]) => (value === '' ? `--${name}` : `--${name}=${value}`));
	let rest: string;
	if (dockerfileArgs !== null) rest = oneLine(dockerfileArgs.replace(/^(--[a-z-]+(=\S*)?\s+)+/, ''));
	else {
		// The classic builder records a single file as `file:<hash>`: its name is the copied file's.
		const distinct = new Set(files.map(f => f.path));
		const sources = copy.sources.map(source => (/^file:/.test(source) && distinct.size === 1 ? path.posix.basename([...distinct][0]) : source));
		rest = [...sources, copy.dest].join(' ');
	}
	return [layer.command.instruction, ...flagText, rest].join(' ');
}

/**
 * ADD URL then a RUN that deletes it: download, use and delete in one RUN. BuildKit records the URL; the classic
 * builder records only the content's sha256, so the URL comes from the Dockerfile when given.
 */
export function downloadInRun(add: LayerSteps, later: LayerSteps, files: readonly WastedFile[], dockerfileArgs: string | null, urlPlaceholder: string): string {
	const copy = add.command.copy!;
	const sources = dockerfileArgs === null ? copy.sources : (parseCommand(`ADD ${dockerfileArgs}`).copy?.sources ?? []);
	const url = sources.find(s => URL_SOURCE.test(s)) ?? urlPlaceholder;
	const distinct = new Set(files.map(f => f.path));
	let dest = copy.dest;
	if (dest.endsWith('/')) dest = distinct.size === 1 ? [...distinct][0] : dest + path.posix.basename(url.replace(/[?#].*$/, ''));
	return runLine(later.command.runFlags, [`curl -fsSL -o ${dest} ${url}`, ...later.command.steps.map(step => oneLine(step.text))]);
}

/** Whether a later RUN uses the copied file (names it in a step other than its delete): then it is needed, but only there. */
export function usesCopiedFile(later: LayerSteps, file: WastedFile): boolean {
	return later.command.steps.some((step, i) => {
		if (later.actions[i].kind === 'delete') return false;
		return step.argv.some(word => word === file.path || absolute(word, later.workdir) === file.path);
	});
}

/**
 * A file COPYed only for a later RUN to use and delete (an archive, a .deb): that RUN with the file bind-mounted
 * from the context instead, and without the delete.
 */
export function bindMountRun(copy: LayerSteps, later: LayerSteps, files: readonly WastedFile[], dockerfileArgs: string | null): string {
	const args = copy.command.copy!;
	const sources = dockerfileArgs === null ? args.sources : (parseCommand(`COPY ${dockerfileArgs}`).copy?.sources ?? args.sources);
	const mounts = files.map(file => {
		const source = sources.length === 1 && !/^(file|dir|multi):/.test(sources[0]) ? sources[0] : path.posix.basename(file.path);
		const from = args.flags.from === undefined ? '' : `,from=${args.flags.from}`;
		return `--mount=type=bind${from},source=${source},target=${file.path}`;
	});
	const kept = later.command.steps.filter((_, i) => {
		const action = later.actions[i];
		return !(action.kind === 'delete' && action.paths.length > 0 && action.paths.every(target => files.some(f => targets(target, f.path, later.workdir))));
	});
	return runLine(
		[...later.command.runFlags, ...mounts],
		kept.map(step => oneLine(step.text)),
	);
}

/** .dockerignore lines for the files a COPY brought in and a later step deleted, relative to the context. */
export function dockerignoreLines(copy: LayerSteps, files: readonly WastedFile[]): string {
	const args = copy.command.copy!;
	const dest = absolute(args.dest, copy.workdir);
	// `COPY src/ /app/src/`: a path under the destination is under `src/` in the context. The classic builder's
	// `dir:<hash>` does not say, and counts as the context's root.
	const source = args.sources.length === 1 && !/^(file|dir|multi):/.test(args.sources[0]) ? args.sources[0].replace(/^\.\/?|\/$/g, '') : '';
	const lines = topPaths(files, 10).map(top => {
		const under = dest === '/' ? '/' : dest + '/';
		const relative = top.path.startsWith(under) ? top.path.slice(under.length) : top.path.replace(/^\//, '');
		return (source ? `${source}/` : '') + (relative || path.posix.basename(top.path));
	});
	return [...new Set(lines)].join('\n');
}

/** A build stage with the toolchain steps, and a final stage that copies from it. */
export function multiStage(layers: LayerSteps[], base: string, copyComment: string): string {
	const runs = layers.filter(layer => layer.command.instruction === 'RUN');
	const parts = runs.flatMap(layer =>
		layer.command.steps
			.filter((_, i) => {
				const action = layer.actions[i];
				return !(action.kind === 'package' && action.op === 'remove');
			})
			.map(step => oneLine(step.text)),
	);
	return [
		`FROM ${base} AS build`,
		runLine(
			runs.flatMap(layer => layer.command.runFlags),
			parts,
		),
		`FROM ${base}`,
		copyComment,
	].join('\n');
}
