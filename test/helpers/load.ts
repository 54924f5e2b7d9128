// Analyse an image built in code, in-process, through the same streaming path as `layerscope -`.
import {Readable} from 'node:stream';
import type {ImageAnalysis} from '../../source/model/types.js';
import {loadImage, type LoadOptions} from '../../source/sources/load.js';
import {dockerArchive, type FixtureImage, type FixtureLayer} from './fixtures.js';

export async function analyzeBuffer(archive: Buffer, options: LoadOptions = {}): Promise<ImageAnalysis> {
	return loadImage('-', {...options, stdin: Readable.from([archive])});
}

export async function analyzeLayers(layers: FixtureLayer[], image: Omit<FixtureImage, 'layers'> = {}): Promise<ImageAnalysis> {
	return analyzeBuffer(await dockerArchive({...image, layers}));
}
