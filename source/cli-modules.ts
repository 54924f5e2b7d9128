// The command line from ES modules, the terminal UI's among them: what the bin (cli.ts) runs when the report bundle
// cannot run the command (the explorer, the store view, a Node without require(esm), a build without the bundle).
import process from 'node:process';
import {exitWithError, installExitHandlers, main, type TerminalUi} from './cli-main.js';
import {preloadStringWidth} from './i18n/text-width.js';

async function loadUi(): Promise<TerminalUi> {
	const [{runExplorer, runStoreView}, {setExplorerAdvice}] = await Promise.all([import('./ui/run.js'), import('./ui/explorer-model.js')]);
	return {runExplorer, runStoreView, setExplorerAdvice};
}

installExitHandlers();
try {
	await preloadStringWidth();
	process.exitCode = await main(process.argv.slice(2), loadUi);
} catch (error) {
	exitWithError(error);
}
