// The line for an image the list names but the engine no longer has.
import {InputError} from '../util/errors.js';
import {visible} from '../util/sanitize.js';
import type {EngineKind} from '../sources/engine-endpoint.js';
import type {StoreImage} from './types.js';

export function imageRemoved(image: Pick<StoreImage, 'id' | 'tags'>, engine: EngineKind): InputError {
	const name = image.tags[0] ? `${visible(image.tags[0])} (${image.id.slice(7, 19)})` : image.id.slice(7, 19);
	const where = engine === 'docker' ? 'Docker engine' : 'Podman storage';
	return new InputError(`image ${name} was removed from the ${where} after the list was read; refresh the list`, 'missing');
}
