// The interactive explorer (issue #3): placeholder until the TUI lands; prints the plain report meanwhile.
import {loadImage, type LoadOptions} from '../sources/load.js';
import {textReport} from '../report/text.js';

export async function runExplorer(reference: string, options: LoadOptions): Promise<void> {
	const analysis = await loadImage(reference, options);
	process.stdout.write(textReport(analysis, {width: process.stdout.columns}));
}
