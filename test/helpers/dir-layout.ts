// skopeo's dir: layout built in code: manifest.json (a Docker schema 2 manifest), blobs named by hex digest, `version`.
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {buildImage, compress, sha256, tempDir, type Compression, type FixtureImage} from './fixtures.js';

export const DIR_VERSION = 'Directory Transport Version: 1.1\n';

export async function dirLayout(image: FixtureImage, options: {compression?: Compression; dir?: string} = {}): Promise<string> {
	const dir = options.dir ?? tempDir();
	const built = await buildImage(image);
	const blob = (data: Buffer): {digest: string; size: number} => {
		const digest = sha256(data);
		writeFileSync(path.join(dir, digest.slice('sha256:'.length)), data);
		return {digest, size: data.length};
	};
	const compression = options.compression ?? 'none';
	const layerType = compression === 'none' ? 'application/vnd.docker.image.rootfs.diff.tar' : 'application/vnd.docker.image.rootfs.diff.tar.gzip';
	const manifest = {
		schemaVersion: 2,
		mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
		config: {mediaType: 'application/vnd.docker.container.image.v1+json', ...blob(built.config)},
		layers: built.layerTars.map(layer => ({mediaType: layerType, ...blob(compress(layer, compression))})),
	};
	writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
	writeFileSync(path.join(dir, 'version'), DIR_VERSION);
	return dir;
}
