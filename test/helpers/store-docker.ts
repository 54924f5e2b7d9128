// A small store in the real Docker engine for the store tests: images that share a base, a dangling image made by
// rebuilding a tag, a container using an image. Everything is named and labelled with one run's prefix and removed
// after; other tests (and other engineers' runs) use the same engine, so tests only assert on their own images and
// compare totals with an engine answer taken around the same moment.
import {execFileSync} from 'node:child_process';
import http from 'node:http';
import {BASE_IMAGE, dockerBuild, ensureBaseImage} from './docker.js';

export const RUN = `layerscope-store-test-${process.pid}`;
export const LABEL = 'layerscope-store-test';

export interface StoreFixture {
	baseId: string;
	/** `BASE_IMAGE`'s size: the one layer every image here stands on. */
	baseBytes: number;
	/** `${RUN}-base:1`: the shared base, 40000 bytes over BASE_IMAGE. */
	shared: {tag: string; id: string};
	/** `${RUN}-a:1`: 20000 bytes added, then the base's 40000 removed (a 0-byte layer). */
	a: {tag: string; id: string};
	/** `${RUN}-b:1`: 30000 bytes added; a container is created from it. */
	b: {tag: string; id: string};
	/** `${RUN}-re:1` after a rebuild, and the image the rebuild left dangling. */
	rebuilt: {tag: string; id: string};
	dangling: {id: string; bytes: number};
	container: string;
}

function docker(args: string[]): string {
	return execFileSync('docker', args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000}).trim();
}

export function imageId(tag: string): string {
	return docker(['image', 'inspect', '--format', '{{.Id}}', tag]);
}

export function buildStoreFixture(): StoreFixture {
	ensureBaseImage();
	const header = `FROM ${BASE_IMAGE}\nLABEL ${LABEL}=${RUN}\n`;
	const shared = dockerBuild(`${RUN}-base:1`, `${header}RUN dd if=/dev/zero of=/base.bin bs=1000 count=40\n`);
	const a = dockerBuild(`${RUN}-a:1`, `FROM ${shared}\nRUN dd if=/dev/zero of=/a.bin bs=1000 count=20\nRUN rm /base.bin\n`);
	const b = dockerBuild(`${RUN}-b:1`, `FROM ${shared}\nRUN dd if=/dev/zero of=/b.bin bs=1000 count=30\n`);
	// The same tag built twice with different content: the first build loses its tag and becomes dangling.
	const first = `${RUN}-1\n`;
	dockerBuild(`${RUN}-re:1`, `${header}RUN echo ${RUN}-1 > /v\n`);
	const danglingId = imageId(`${RUN}-re:1`);
	const rebuilt = dockerBuild(`${RUN}-re:1`, `${header}RUN echo ${RUN}-2-rebuilt > /v\n`);
	const container = `${RUN}-c`;
	docker(['create', '--name', container, '--label', `${LABEL}=${RUN}`, b, 'sh']);
	const baseId = imageId(BASE_IMAGE);
	return {
		baseId,
		baseBytes: Number(docker(['image', 'inspect', '--format', '{{.Size}}', BASE_IMAGE])),
		shared: {tag: shared, id: imageId(shared)},
		a: {tag: a, id: imageId(a)},
		b: {tag: b, id: imageId(b)},
		rebuilt: {tag: rebuilt, id: imageId(rebuilt)},
		dangling: {id: danglingId, bytes: Buffer.byteLength(first)},
		container,
	};
}

/** Ids (full) of this run's images: `-a` lists intermediates too. */
export function runImageIds(all: boolean): string[] {
	const out = docker(['image', 'ls', ...(all ? ['-a'] : []), '-q', '--no-trunc', '--filter', `label=${LABEL}=${RUN}`]);
	return [...new Set(out.split('\n').filter(Boolean))];
}

/** Remove this run's containers and images (children first; an image's untagged parents go with it). */
export function removeStoreFixture(): void {
	const containers = docker(['ps', '-a', '-q', '--filter', `label=${LABEL}=${RUN}`])
		.split('\n')
		.filter(Boolean);
	if (containers.length > 0) docker(['rm', '-f', ...containers]);
	for (let pass = 0; pass < 5; pass++) {
		const images = runImageIds(true);
		if (images.length === 0) return;
		for (const id of images) {
			try {
				docker(['rmi', '-f', id]);
			} catch {
				// a parent still has a child this pass; the next pass takes it
			}
		}
	}
}

/** GET a JSON answer from the default Docker socket, as the test's own view of the engine. */
export function engineGet(path: string, socketPath = '/var/run/docker.sock'): Promise<unknown> {
	return new Promise((resolve, reject) => {
		http
			.get({socketPath, path, headers: {Host: 'docker'}}, response => {
				const chunks: Buffer[] = [];
				response.on('data', chunk => chunks.push(chunk));
				response.on('end', () => {
					try {
						resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
					} catch (error) {
						reject(error instanceof Error ? error : new Error(String(error)));
					}
				});
			})
			.on('error', reject);
	});
}

/** go-units HumanSize (what `docker system df` prints): four significant digits, decimal units, no space. */
export function dockerHumanSize(bytes: number): string {
	const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
	let size = bytes;
	let unit = 0;
	while (size >= 1000 && unit < units.length - 1) {
		size /= 1000;
		unit++;
	}
	return `${Number(size.toPrecision(4))}${units[unit]}`;
}
