// What hash-pool.ts and its worker (hash-worker.ts) say to each other.
import type {DigestAlgorithm} from '../util/digest.js';

/** To the worker. */
export type WorkerRequest =
	/** A shared ring the streams of this worker may use, known by its slot. */
	| {type: 'ring'; slot: number; ring: SharedArrayBuffer}
	/** A new stream, fed through ring `slot`, hashed with `algorithm`. */
	| {type: 'start'; id: number; slot: number; algorithm: DigestAlgorithm}
	/** `length` bytes of the stream's ring from `offset` are ready to hash. */
	| {type: 'chunk'; id: number; offset: number; length: number}
	/** The stream is complete (reply with its digest) or abandoned (`abort`: no reply). */
	| {type: 'end'; id: number; abort?: boolean}
	/** Read and hash `length` bytes of `file` from `start` with `algorithm`. */
	| {type: 'range'; id: number; file: string; start: number; length: number; algorithm: DigestAlgorithm}
	/** Give back the largest range not started (the main thread hashes it instead): reply `givenBack`. */
	| {type: 'give-back'};

/**
 * From the worker: bytes of a stream hashed (the ring has room again), a hex digest, why a range failed, or the range
 * given back (its id; null when every range was started).
 */
export type WorkerReply = {id: number; hashed: number} | {id: number; digest: string} | {id: number; error: string} | {givenBack: number | null};
