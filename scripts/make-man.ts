// Writes the man page (dist/layerscope.1, package.json `man`) from the help's table; `npm run build` runs it.
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {manPage} from '../source/cli/man-page.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {version: string; description: string};
const out = path.resolve(root, process.argv[2] ?? 'dist/layerscope.1');
mkdirSync(path.dirname(out), {recursive: true});
writeFileSync(out, manPage(pkg.version, pkg.description));
