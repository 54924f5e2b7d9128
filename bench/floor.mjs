// The floor under a medium image's targets: Node with layerscope's own hash worker (dist/hash-worker.js), doing only
// the one job no run on the archive can skip or share out, the digest check of its largest member (the base layer,
// one sha256 pass: a digest cannot be split between cores), while the main thread does nothing. Its wall time and
// peak RSS are the least a Node tool with one hash worker can take on that archive, before it reads a header.
//   node bench/floor.mjs WORKER_FILE ARCHIVE START LENGTH [V8 FLAG...]
// START and LENGTH: the member's body (small-images.ts finds it with the project's own tar reader); a LENGTH of 0
// measures Node and a booted worker, no bytes hashed. The V8 flags are set once the worker is started, as the bin sets a
// report's (cli/tiering.ts): a flag set then also makes the worker compile Node's modules from their source, as it
// does in a report.
import path from 'node:path';
import process from 'node:process';
import {setFlagsFromString} from 'node:v8';
import {Worker} from 'node:worker_threads';

const [workerFile, archive, start, length, ...flags] = process.argv.slice(2);
const worker = new Worker(path.resolve(workerFile));
for (const flag of flags) setFlagsFromString(flag);
worker.once('message', reply => {
	if (!('digest' in reply)) throw new Error(`bench/floor.mjs: the worker answered ${JSON.stringify(reply)}`);
	process.exit(0);
});
worker.postMessage({type: 'range', id: 1, file: archive, start: Number(start), length: Number(length), algorithm: 'sha256'});
