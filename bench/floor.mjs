// The floor under a medium image's targets: Node with layerscope's own hash worker (dist/hash-worker.js), doing only
// the one job no run on the archive can skip or share out, the digest check of its largest member (the base layer,
// one sha256 pass: a digest cannot be split between cores), while the main thread does nothing. Its wall time and
// peak RSS are the least a Node tool with one hash worker can take on that archive, before it reads a header.
//   node bench/floor.mjs WORKER_FILE ARCHIVE [idle] [V8 FLAG...]
// With `idle`, the worker only answers one empty range: Node and a booted worker, no bytes hashed. The V8 flags are set
// once the worker is started, as the bin sets a report's (cli/tiering.ts): a flag set then also makes the worker compile
// Node's modules from their source, as it does in a report. Prints the bytes hashed.
import {Buffer} from 'node:buffer';
import {openSync, readSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {setFlagsFromString} from 'node:v8';
import {Worker} from 'node:worker_threads';

const [workerFile, archive, ...rest] = process.argv.slice(2);
const mode = rest[0] === 'idle' ? rest.shift() : undefined;

/** The largest member of a plain tar archive: offset and size of its body (ustar headers, octal or base-256 sizes). */
function largestMember(file) {
	const fd = openSync(file);
	const header = Buffer.alloc(512);
	let offset = 0;
	let best = {start: 0, length: 0};
	for (;;) {
		if (readSync(fd, header, 0, 512, offset) < 512 || header.every(byte => byte === 0)) break;
		const field = header.subarray(124, 136);
		const size = field[0] & 0x80 ? Number(field.readBigUInt64BE(4)) : parseInt(field.toString('latin1').replace(/\0.*$/s, '').trim() || '0', 8);
		if (size > best.length) best = {start: offset + 512, length: size};
		offset += 512 + Math.ceil(size / 512) * 512;
	}
	return best;
}

const range = mode === 'idle' ? {start: 0, length: 0} : largestMember(archive);
const worker = new Worker(path.resolve(workerFile));
for (const flag of rest) setFlagsFromString(flag);
worker.once('message', reply => {
	if (!('digest' in reply)) throw new Error(`bench/floor.mjs: the worker answered ${JSON.stringify(reply)}`);
	process.stdout.write(String(range.length));
	process.exit(0);
});
worker.postMessage({type: 'range', id: 1, file: archive, ...range, algorithm: 'sha256'});
