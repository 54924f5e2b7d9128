// `npm run build`'s second step: the CLI as tsc compiled it (build/) bundled into dist/ with its dependencies, so that
// a run reads a few files instead of some 200 modules. Ink and React are CommonJS for the most part: Node's ESM loader
// ran its CommonJS lexer over each and resolved every import, ~0.4 s before the explorer's first frame on a small
// image (0.80 s -> 0.38 s with the bundle, measured in tmux). The lazy modules stay chunks of their own (`--splitting`),
// loaded when a mode needs them; the hash worker is an entry of its own, beside the chunk that starts it.
import {rmSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist');
rmSync(out, {recursive: true, force: true});
await build({
	entryPoints: [path.join(root, 'build/cli.js'), path.join(root, 'build/layers/hash-worker.js')],
	outdir: out,
	entryNames: '[name]',
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	// Ink's optional React devtools hook, imported only under DEV=true and not a dependency.
	external: ['react-devtools-core'],
	// CommonJS inside an ES module: its require() of Node's own modules needs a require.
	banner: {js: "import {createRequire as __layerscopeRequire} from 'node:module'; const require = __layerscopeRequire(import.meta.url);"},
	legalComments: 'none',
	logLevel: 'warning',
});
