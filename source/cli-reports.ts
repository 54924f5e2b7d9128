// The report bundle's entry (dist/reports.cjs, see cli/code-cache.ts): the command line without the terminal UI.
import process from 'node:process';
import {exitWithError, HAND_OFF, installExitHandlers, main} from './cli-main.js';

/** Run the command line; false, with nothing done, when it may need the terminal UI (the caller runs it elsewhere). */
export async function run(argv: string[]): Promise<boolean> {
	const uninstall = installExitHandlers();
	let code: number | typeof HAND_OFF;
	try {
		code = await main(argv);
	} catch (error) {
		exitWithError(error);
	}
	if (code === HAND_OFF) {
		uninstall();
		return false;
	}
	process.exitCode = code;
	return true;
}
