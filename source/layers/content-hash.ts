// The content hash of a file body, as the walk stores it and the content viewer checks it.
import crypto, {createHash, type Hash} from 'node:crypto';

/** Content hash of a file body: sha256 cut to 128 bits, base64url (22 characters). */
export function contentHash(hash: Hash): string {
	return hash.digest().subarray(0, 16).toString('base64url');
}

/** sha256 of a body in one call: crypto.hash (Node 20.12+) when there, else a Hash object: the same digest. */
export function oneShotDigest(body: Buffer): Buffer {
	return typeof crypto.hash === 'function' ? crypto.hash('sha256', body, 'buffer') : createHash('sha256').update(body).digest();
}
