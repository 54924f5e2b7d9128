// `npm run build`'s second step: the CLI as tsc compiled it (build/) bundled into dist/ with its dependencies, so that
// a run reads a few files instead of some 200 modules. Ink and React are CommonJS for the most part: Node's ESM loader
// ran its CommonJS lexer over each and resolved every import, ~0.4 s before the explorer's first frame on a small
// image (0.80 s -> 0.38 s with the bundle, measured in tmux). The lazy modules stay chunks of their own (`--splitting`),
// loaded when a mode needs them.
// Four builds: the ES modules (dist/*.mjs: the whole command line, the explorer's path); the report modes again as one
// CommonJS file (dist/reports.cjs), for the code cache the next step makes (scripts/code-cache.ts); the hash worker
// (dist/hash-worker.js); and the bin (dist/cli.js), CommonJS too, which runs a command from the report bundle or the ES
// modules (source/cli/code-cache.ts).
import {chmodSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build, type BuildOptions, type Plugin} from 'esbuild';
import {LAUNCHER} from '../source/cli/launcher.js';
import {WORKER_FILE} from '../source/layers/early-worker.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist');
rmSync(out, {recursive: true, force: true});
const common: BuildOptions = {
	bundle: true,
	platform: 'node',
	target: 'node20',
	// Ink's optional React devtools hook, imported only under DEV=true and not a dependency.
	external: ['react-devtools-core'],
	legalComments: 'none',
	logLevel: 'warning',
};
// In CommonJS the modules' import.meta.url (for files beside them: package.json, the demo, the hash worker) is the
// bundle's own address, in dist/ as the ES chunks are.
const commonJs: BuildOptions = {
	format: 'cjs',
	define: {'import.meta.url': '__layerscopeUrl', 'import.meta': '__layerscopeMeta'},
	banner: {js: "const __layerscopeUrl = require('node:url').pathToFileURL(__filename).href; const __layerscopeMeta = {url: __layerscopeUrl};"},
};

await build({
	...common,
	entryPoints: [path.join(root, 'build/cli-modules.js')],
	outdir: out,
	entryNames: '[name]',
	outExtension: {'.js': '.mjs'},
	splitting: true,
	format: 'esm',
	// CommonJS inside an ES module: its require() of Node's own modules needs a require.
	banner: {js: "import {createRequire as __layerscopeRequire} from 'node:module'; const require = __layerscopeRequire(import.meta.url);"},
});
await build({...common, ...commonJs, entryPoints: [path.join(root, 'build/cli-reports.js')], outfile: path.join(out, 'reports.cjs')});
// The hash worker, CommonJS and whole: a worker boots a Node of its own, and an ES module entry there went through
// the ESM loader (its modules compiled, its reads on libuv's threads): 31 ms to the first message against 23, and
// more with the main thread busy on the other core (spawn to first hash 67 ms against 53 on the Debian-like image).
await build({...common, ...commonJs, entryPoints: [path.join(root, 'build/layers/hash-worker.js')], outfile: path.join(out, WORKER_FILE)});
// yaml, a third of the JavaScript a run would load, is read only for a keys file or a CI rules file: a file of its own,
// required when one is (source/util/yaml.ts), so that no bundle or chunk holds it.
await build({...common, format: 'cjs', entryPoints: ['yaml'], outfile: path.join(out, 'yaml.cjs'), absWorkingDir: root});
// The bin loads the ES build by its name in dist/, not bundled.
const esEntry: Plugin = {
	name: 'es-entry',
	setup(build) {
		build.onResolve({filter: /^\.\/cli-modules\.js$/}, () => ({path: './cli-modules.mjs', external: true}));
	},
};
const bin = path.join(out, 'cli.js');
await build({...common, ...commonJs, entryPoints: [path.join(root, 'build/cli.js')], outfile: bin, plugins: [esEntry]});
// Its first line becomes the shell launcher (source/cli/launcher.ts); Node, given the file, skips the #! line alone.
const NODE_HASHBANG = '#!/usr/bin/env node\n';
const compiled = readFileSync(bin, 'utf8');
if (!compiled.startsWith(NODE_HASHBANG)) throw new Error(`${bin} does not start with ${JSON.stringify(NODE_HASHBANG)}`);
writeFileSync(bin, LAUNCHER + compiled.slice(NODE_HASHBANG.length));
chmodSync(bin, 0o755);
// The package is "type": "module"; in dist/ a .js file is CommonJS (the bin), the ES modules are .mjs.
writeFileSync(path.join(out, 'package.json'), JSON.stringify({type: 'commonjs'}) + '\n');
