// For the benchmark (bench/tui.ts): time one key press -> the next frame of the explorer, on a synthetic 100,000-file
// image. The explorer runs in Ink exactly as in a terminal, with in-memory streams: input goes in as a terminal sends
// it, and the clock stops when the frame is written. It needs nothing of the explorer but its public component.
// No timing is asserted here; bench/ reports the numbers.
import {EventEmitter} from 'node:events';
import {analyzeImage} from '../source/analysis/analyze.js';
import {LayerEntries} from '../source/model/layer-entries.js';
import {PathTable} from '../source/model/path-table.js';
import {Whiteouts} from '../source/model/whiteouts.js';
import type {ImageAnalysis, LayerEntry, LayerWalk} from '../source/model/types.js';
import type {Line} from '../source/ui/cells.js';
import {FrameWriter} from '../source/ui/terminal.js';

export interface SyntheticOptions {
	/** Regular files in the base layer (default 100,000). */
	files?: number;
	/** Files per directory (default 100): directories are nested three deep. */
	perDirectory?: number;
	/** Layers after the base, each modifying, removing and adding a few files (default 4). */
	layers?: number;
}

/** An image analysis made in memory: a base layer of `files` files, then layers that change some of them. */
export function syntheticAnalysis(options: SyntheticOptions = {}): ImageAnalysis {
	const files = options.files ?? 100_000;
	const per = options.perDirectory ?? 100;
	const extra = options.layers ?? 4;
	const dir = (i: number): string => `/usr/d${Math.floor(i / (per * per))}/d${Math.floor(i / per) % per}`;
	const file = (path: string, size: number, hash: string): LayerEntry => ({path, type: 'file', size, mode: 0o644, uid: 0, gid: 0, mtime: 0, hash});
	const table = new PathTable();
	const whiteoutsOf = (list: {path: string; opaque: boolean}[]): Whiteouts => {
		const whiteouts = new Whiteouts();
		for (const {path, opaque} of list) whiteouts.push(table.intern(path), opaque);
		return whiteouts;
	};
	const walk = (entries: LayerEntry[], whiteouts: {path: string; opaque: boolean}[] = []): LayerWalk => {
		// Files only (no symlinks here): Docker's size and dive's are the same.
		const fileBytes = entries.reduce((sum, e) => sum + (e.type === 'file' ? e.size : 0), 0);
		return {
			entries: LayerEntries.from(table, entries),
			whiteouts: whiteoutsOf(whiteouts),
			sizeBytes: fileBytes,
			diveSizeBytes: fileBytes,
			diffId: 'sha256:' + '0'.repeat(64),
			blobDigest: 'sha256:' + '0'.repeat(64),
			blobSize: 0,
			compression: 'none',
		};
	};
	const base: LayerEntry[] = [];
	const dirs = new Set<string>();
	for (let i = 0; i < files; i++) {
		const d = dir(i);
		if (!dirs.has(d)) {
			dirs.add(d);
			base.push({path: d, type: 'directory', size: 0, mode: 0o755, uid: 0, gid: 0, mtime: 0});
		}
		base.push(file(`${d}/f${i}.txt`, 1000 + (i % 5000), `h${i}`));
	}
	const layers = [walk(base)];
	for (let l = 1; l <= extra; l++) {
		const entries: LayerEntry[] = [];
		const whiteouts: {path: string; opaque: boolean}[] = [];
		for (let i = l; i < files; i += 997) entries.push(file(`${dir(i)}/f${i}.txt`, 2000, `m${l}-${i}`));
		for (let i = l + 500; i < files; i += 1999) whiteouts.push({path: `${dir(i)}/f${i}.txt`, opaque: false});
		for (let i = 0; i < 100; i++) entries.push(file(`/opt/layer${l}/new${i}.bin`, 4096, `n${l}-${i}`));
		layers.push(walk(entries, whiteouts));
	}
	return analyzeImage({
		source: {kind: 'docker-archive', reference: 'synthetic'},
		image: {tags: ['synthetic:100k'], id: 'sha256:' + '1'.repeat(64), os: 'linux', architecture: 'amd64', variant: null, created: null, config: {}},
		layers: layers.map((w, index) => ({walk: w, descriptor: {index, diffId: null, digest: null, mediaType: null, compressedSizeBytes: null}})),
		history: layers.map((_, i) => ({
			createdBy: i === 0 ? '/bin/sh -c #(nop) ADD file:base in /' : `/bin/sh -c change ${i}`,
			created: null,
			emptyLayer: false,
			layerIndex: null,
		})),
		keepChanges: false,
	});
}

class FakeStdout extends EventEmitter {
	columns: number;
	rows: number;
	isTTY = false;
	onWrite: ((frame: string) => void) | null = null;
	constructor(columns: number, rows: number) {
		super();
		this.columns = columns;
		this.rows = rows;
	}

	write = (frame: string): boolean => {
		this.onWrite?.(frame);
		return true;
	};
}

class FakeStdin extends EventEmitter {
	isTTY = true;
	private data: string | null = null;
	send(data: string): void {
		this.data = data;
		// As a tty stream does: Ink reads on 'readable', the explorer takes each chunk read as 'data'.
		this.emit('readable');
		this.emit('data', data);
	}

	read = (): string | null => {
		const data = this.data;
		this.data = null;
		return data;
	};

	setEncoding(): void {}
	setRawMode(): void {}
	ref(): void {}
	unref(): void {}
	resume(): void {}
	pause(): void {}
}

export interface KeyTiming {
	key: string;
	ms: number;
}

export interface KeyPressReport {
	files: number;
	/** Time to build the analysis (not part of a key press). */
	analysisMs: number;
	firstFrameMs: number;
	samples: KeyTiming[];
	/** Over the samples of each key name. */
	byKey: Record<string, {median: number; p95: number; max: number; count: number}>;
	median: number;
	p95: number;
	max: number;
}

/**
 * The key presses timed by default: what a user does most, the keys that redo the whole tree (the first sort by size,
 * each keystroke of a path filter, the aggregated view), then layer switches. Entries of one name are one row.
 */
export const DEFAULT_KEYS: {name: string; data: string; repeat: number}[] = [
	{name: 'tab (to files)', data: '\t', repeat: 1},
	{name: 'down', data: '\u001B[B', repeat: 50},
	{name: 'pagedown', data: '\u001B[6~', repeat: 20},
	{name: 'ctrl+o (first sort by size)', data: '\u000F', repeat: 1},
	{name: 'ctrl+o (sort again)', data: '\u000F', repeat: 4},
	{name: 'space (collapse)', data: ' ', repeat: 10},
	{name: 'ctrl+u (unchanged files)', data: '\u0015', repeat: 4},
	{name: 'ctrl+f (open the filter)', data: '\u0006', repeat: 1},
	...[...'f123', '\u007F', '\u007F', '9'].map(data => ({name: 'filter keystroke', data, repeat: 1})),
	{name: 'esc (clear the filter)', data: '\u001B', repeat: 1},
	{name: 'tab (to layers)', data: '\t\t', repeat: 1},
	{name: 'down (next layer)', data: '\u001B[B', repeat: 4},
	{name: 'up (layer seen before)', data: '\u001B[A', repeat: 4},
	{name: 'ctrl+a (aggregated view)', data: '\u0001', repeat: 1},
	{name: 'down (next layer, aggregated)', data: '\u001B[B', repeat: 3},
	{name: 'ctrl+l (layer view)', data: '\u000C', repeat: 1},
];

function stats(values: number[]): {median: number; p95: number; max: number; count: number} {
	const sorted = [...values].sort((a, b) => a - b);
	const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
	return {median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? 0, count: sorted.length};
}

/**
 * Time key press -> next frame on a synthetic image of `files` files (default 100,000) at `width` x `height`.
 * Each sample is the time from when the key is due (`gapMs` after the last frame) until the frame it causes is
 * written: by the terminal frame writer (default, as in a real terminal) or by Ink's own output (`output: 'ink'`).
 * The key is handed to Ink as a terminal sends it; when idle work holds the thread at the due time, the wait counts.
 */
export async function measureKeyPress(
	options: {files?: number; width?: number; height?: number; keys?: typeof DEFAULT_KEYS; output?: 'terminal' | 'ink'; gapMs?: number} = {},
): Promise<KeyPressReport> {
	// As the CLI runs it (run.tsx): React's production build. Loaded here, after NODE_ENV is set.
	process.env.NODE_ENV ??= 'production';
	const {render} = await import('ink');
	const React = (await import('react')).default;
	const {Explorer} = await import('../source/ui/App.js');
	const width = options.width ?? 120;
	const height = options.height ?? 40;
	const output = options.output ?? 'terminal';
	const t0 = performance.now();
	const analysis = syntheticAnalysis({files: options.files});
	const analysisMs = performance.now() - t0;
	const stdout = new FakeStdout(width, height);
	const stdin = new FakeStdin();
	const nextFrame = (): Promise<number> =>
		new Promise(resolve => {
			stdout.onWrite = () => {
				stdout.onWrite = null;
				resolve(performance.now());
			};
		});
	const started = performance.now();
	const first = nextFrame();
	// 'terminal': the frame writer a real terminal gets (session.tsx); 'ink': Ink's own output (what tests see).
	const writer = new FrameWriter(stdout, true);
	const draw = output === 'terminal' ? (lines: Line[]) => void writer.draw(lines) : undefined;
	const instance = render(React.createElement(Explorer, {analysis, width, height: output === 'terminal' ? height : height - 1, color: true, draw}), {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		debug: true,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	const firstFrameMs = (await first) - started;
	// Let the mount effects (raw mode, the first settle) run.
	await new Promise(resolve => setTimeout(resolve, 20));
	const samples: KeyTiming[] = [];
	// Keys come at 50 a second at most (a held key repeats at about 30): the explorer's idle work runs between them.
	// Each key is due `gap` ms after the last frame, and timed from then: when idle work holds the thread at that
	// moment, the key waits for it, as a key from a terminal would (its bytes wait in the pty), and that counts.
	const gap = options.gapMs ?? 20;
	let last = performance.now();
	for (const key of options.keys ?? DEFAULT_KEYS) {
		for (let i = 0; i < key.repeat; i++) {
			const start = last + gap;
			await new Promise(resolve => setTimeout(resolve, Math.max(0, start - performance.now())));
			const frame = nextFrame();
			stdin.send(key.data);
			const timeout = new Promise<number>(resolve => setTimeout(() => resolve(-1), 2000));
			const end = await Promise.race([frame, timeout]);
			stdout.onWrite = null;
			last = end >= 0 ? end : performance.now();
			// A key that changes nothing draws no new frame: not a sample.
			if (end >= 0) samples.push({key: key.name, ms: end - start});
		}
	}
	instance.unmount();
	instance.cleanup();
	const byKey: KeyPressReport['byKey'] = {};
	for (const name of new Set(samples.map(s => s.key))) byKey[name] = stats(samples.filter(s => s.key === name).map(s => s.ms));
	const all = stats(samples.map(s => s.ms));
	return {files: options.files ?? 100_000, analysisMs, firstFrameMs, samples, byKey, median: all.median, p95: all.p95, max: all.max};
}
