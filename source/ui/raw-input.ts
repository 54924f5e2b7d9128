// Raw input for the explorer from Ink's public stdin: raw mode through Ink (which reads the stream), and every
// chunk read taken as it comes ('data'), cut into escape sequences and text so that each key and mouse report
// arrives whole. An escape sequence cut off at the end of a read waits for the next one; alone, it is Esc.
import {useStdin} from 'ink';
import {useEffect} from 'react';
import {splitInput} from './keys.js';

export function useRawInput(handler: (sequence: string) => void): void {
	const {stdin, setRawMode, isRawModeSupported} = useStdin();
	useEffect(() => {
		if (!isRawModeSupported) return;
		setRawMode(true);
		return () => setRawMode(false);
	}, [isRawModeSupported, setRawMode]);
	useEffect(() => {
		let pending = '';
		let timer: NodeJS.Immediate | undefined;
		const flush = (): void => {
			timer = undefined;
			const rest = pending;
			pending = '';
			if (rest) handler(rest);
		};
		const onData = (chunk: string | Buffer): void => {
			if (timer) clearImmediate(timer);
			const {sequences, rest} = splitInput(pending + chunk.toString());
			pending = rest;
			for (const sequence of sequences) handler(sequence);
			// Like Ink: what is still pending once the reads of this moment are done stands alone.
			if (pending) timer = setImmediate(flush);
		};
		stdin.on('data', onData);
		return () => {
			if (timer) clearImmediate(timer);
			stdin.off('data', onData);
		};
	}, [stdin, handler]);
}
