// Exporting a file version: to the path the user typed (never a name from the image), through a temporary file beside
// it, so a failed read leaves nothing behind and an existing file is never replaced unless the user said so.
import {link, lstat, open, rename, stat, unlink} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {InputError} from '../util/errors.js';
import {visible} from '../util/sanitize.js';
import type {Sink} from './scan-layer.js';
import {ExistsError} from './types.js';

/** The user's path, as typed: `~/x` is in the home directory, a relative path is from the working directory. */
export function resolveDestination(typed: string): string {
	const text = typed.trim();
	if (text === '~' || text.startsWith('~/')) return path.join(os.homedir(), text.slice(1));
	return path.resolve(text);
}

/**
 * Write bytes from `fill` to `destination`: to a new temporary file beside it first, then put in place, so a failed
 * read leaves nothing behind. Without `overwrite`, an existing path is never replaced (ExistsError).
 */
export async function exportWith(destination: string, overwrite: boolean, fill: (sink: Sink) => Promise<void>): Promise<{path: string; bytes: number}> {
	const target = resolveDestination(destination);
	const existing = await lstat(target).catch(() => null);
	if (existing?.isDirectory()) throw new InputError(`${visible(target)} is a directory: type a file name`);
	if (existing && !overwrite) throw new ExistsError(target);
	if (existing && !existing.isFile()) throw new InputError(`${visible(target)} exists and is not a regular file`);
	const dir = path.dirname(target);
	const dirInfo = await stat(dir).catch(() => null);
	if (!dirInfo?.isDirectory()) throw new InputError(`no directory ${visible(dir)}`);
	const temp = path.join(dir, `.${path.basename(target)}.layerscope-${process.pid}-${Date.now()}`);
	const handle = await open(temp, 'wx', 0o644);
	let bytes = 0;
	let ok = false;
	try {
		await fill({
			async start() {
				await handle.truncate(0);
				bytes = 0;
			},
			async write(chunk) {
				await handle.write(chunk, 0, chunk.length, bytes);
				bytes += chunk.length;
			},
		});
		await handle.close();
		if (overwrite) await rename(temp, target);
		else {
			try {
				await link(temp, target); // fails if the path appeared meanwhile: never replaced
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new ExistsError(target);
				if ((await lstat(target).catch(() => null)) !== null) throw new ExistsError(target);
				await rename(temp, target);
			}
		}
		ok = true;
		return {path: target, bytes};
	} finally {
		await handle.close().catch(() => {});
		if (!ok || !overwrite) await unlink(temp).catch(() => {});
	}
}
