#!/usr/bin/env node
// The bin, a CommonJS file in dist/ (an ES module entry costs the loader some 10 ms more). Reports run from the report
// bundle and the code V8 compiled for it at build time (cli/code-cache.ts); the explorer, the store view, and any
// command the bundle cannot run, from the ES modules (cli-modules.ts). Run as a program, the file starts as a shell
// launcher that spares Node its start-up read of NODE_EXTRA_CA_CERTS and fixes glibc's mmap threshold
// (cli/launcher.ts).
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {reportBundleFor} from './cli/code-cache.js';
import {takeLauncherEnv} from './cli/launcher.js';
import {startEarlyWorker, WORKER_FILE} from './layers/early-worker.js';

takeLauncherEnv();
const argv = process.argv.slice(2);
const bin = fileURLToPath(import.meta.url);
startEarlyWorker(argv, path.join(path.dirname(bin), WORKER_FILE));
const bundle = reportBundleFor(argv, bin);
void (bundle === null ? Promise.resolve(false) : bundle.run(argv)).then(done => done || import('./cli-modules.js'));
