// How an image archive's members are named and told apart: shared by the archive readers and the content viewer.
import {InputError} from '../util/errors.js';
import {visible} from '../util/sanitize.js';

/** `./a//b` -> `a/b`, `..` resolved inside the archive: member names as manifests refer to them. */
export function normaliseMember(name: string): string {
	const parts: string[] = [];
	for (const part of name.split('/')) {
		if (part === '' || part === '.') continue;
		if (part === '..') parts.pop();
		else parts.push(part);
	}
	return parts.join('/');
}

/**
 * Two members of one name: tar extraction would keep the last, a reader looking for the first would take another, and
 * a checked config could be swapped for an unchecked one. layerscope refuses such an archive.
 */
export function duplicateMember(name: string): InputError {
	return new InputError(`the archive holds two members named ${visible(name)}: refusing to guess which one is meant`);
}

/** The member a symlinked member (`<id>/layer.tar -> ../<other>/layer.tar`) stands for, relative to its directory. */
export function symlinkTarget(name: string, linkname: string): string {
	const dir = name.includes('/') ? name.slice(0, name.lastIndexOf('/') + 1) : '';
	return normaliseMember(dir + linkname);
}

function isTar(head: Buffer): boolean {
	return head.length >= 262 && head.toString('latin1', 257, 262) === 'ustar';
}

function looksLikeJson(head: Buffer): boolean {
	for (const byte of head) {
		if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) continue;
		return byte === 0x7b || byte === 0x5b; // { or [
	}
	return false;
}

/** A member to keep as JSON (manifest, index, config, oci-layout) rather than walk as a layer, from its first bytes. */
export function isJsonMember(name: string, head: Buffer): boolean {
	return !isTar(head) && (looksLikeJson(head) || name === 'oci-layout');
}
