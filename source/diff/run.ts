// `layerscope diff A B`: load two images (any sources), compare their final filesystems and their layers.
import process from 'node:process';
import type {ImageAnalysis} from '../model/types.js';
import {endProgress, stderrProgress} from '../report/progress.js';
import {reportWidth} from '../report/text.js';
import {loadImage, type LoadOptions} from '../sources/load.js';
import {CommandFailure} from '../util/error-line.js';
import {InputError} from '../util/errors.js';
import {terminalJson} from '../util/sanitize.js';
import {compareImages} from './compare.js';
import {diffJson, diffText} from './report.js';

/** Print the comparison; the exit code (0). Bad usage or an image that fails to load throws a CommandFailure. */
export async function runDiff(references: string[], flags: Record<string, unknown>): Promise<number> {
	if (references.length !== 2)
		throw new CommandFailure(undefined, new InputError(`diff compares two images (got ${references.length}): layerscope diff <imageA> <imageB>`));
	if (references[0] === '-' && references[1] === '-')
		throw new CommandFailure(undefined, new InputError('diff can read only one of the two images from stdin'));
	const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
	const options: LoadOptions = {
		image: text(flags.image),
		platform: text(flags.platform),
		source: text(flags.source),
		insecure: flags.insecure === true,
		keepChanges: false,
		allHashes: true,
	};
	if (typeof flags.timeout === 'number') options.timeout = flags.timeout;
	Object.assign(options, {caCert: text(flags.caCert), certDir: text(flags.certDir), tlsVerify: flags.tlsVerify !== false});
	const images: ImageAnalysis[] = [];
	for (const reference of references) {
		try {
			images.push(await loadImage(reference, {...options, onProgress: stderrProgress()}));
		} catch (error) {
			throw new CommandFailure(reference, error);
		}
	}
	endProgress();
	const [a, b] = images;
	const diff = compareImages(a, b);
	if (flags.json === true) process.stdout.write(terminalJson(diffJson(a, b, diff)) + '\n');
	else process.stdout.write(diffText(a, b, diff, {width: reportWidth(process.stdout)}));
	return 0;
}
