// The store view in a real terminal, as session.tsx runs the explorer: the alternate screen (left on quit, Ctrl+C,
// SIGTERM and crashes), keys from the terminal, frames by the line writer, re-laid out on every resize.
import {render} from 'ink';
import React, {useCallback, useRef} from 'react';
import type {Lang} from '../../i18n/catalogue.js';
import type {ImagesOptions} from '../../store/command.js';
import type {StoreSession} from '../../store/session.js';
import {colorEnabled, useTerminalSize} from '../App.js';
import type {Line} from '../cells.js';
import {enterTerminal} from '../session.js';
import {openKeys} from '../terminal-keys.js';
import {FrameWriter} from '../terminal.js';
import {StoreApp} from './store-app.js';

function StoreScreen({session, options, lang, writer}: {session: StoreSession; options: ImagesOptions; lang: Lang; writer: FrameWriter}) {
	const {columns, rows} = useTerminalSize();
	const size = useRef('');
	// A new size: clear the screen and draw the next frame whole.
	if (size.current !== `${columns}x${rows}`) {
		if (size.current) writer.reset();
		size.current = `${columns}x${rows}`;
	}
	const draw = useCallback((lines: Line[]) => writer.draw(lines), [writer]);
	return <StoreApp session={session} options={options} width={columns} height={rows} lang={lang} draw={draw} />;
}

/** Run the store view until the user quits or a signal ends it; resolves with the process's exit code. */
export async function startStoreView(session: StoreSession, options: ImagesOptions, lang: Lang = 'en'): Promise<number> {
	const keys = openKeys('');
	const mouse = process.env.LAYERSCOPE_MOUSE !== '0';
	let exitCode = 0;
	// eslint-disable-next-line prefer-const -- set once Ink renders; the handlers made before that read it
	let instance: ReturnType<typeof render> | undefined;
	const restore = enterTerminal(process.stdout, mouse, code => {
		exitCode = code;
		instance?.unmount();
	});
	const writer = new FrameWriter(process.stdout, colorEnabled());
	instance = render(<StoreScreen session={session} options={options} lang={lang} writer={writer} />, {
		stdout: process.stdout,
		stdin: keys.stream,
		exitOnCtrlC: false,
		patchConsole: false,
		maxFps: 60,
	});
	// A signal came before Ink was up.
	if (exitCode !== 0) instance.unmount();
	try {
		await instance.waitUntilExit();
	} finally {
		instance.cleanup();
		keys.close();
		restore();
	}
	return exitCode;
}
