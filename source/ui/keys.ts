// Decode what the terminal sends into key names and mouse events: splitInput cuts the bytes read into escape
// sequences and runs of text, decodeInput names each. Key names are the ids of the bindings table's keys (keyId):
// `up`, `pagedown`, `ctrl+a`, `ctrl+space`, `shift+tab`, `enter`, or the printable character itself (`q`, `/`, `N`).

export type InputEvent =
	{kind: 'key'; name: string} | {kind: 'mouse'; action: 'press' | 'release' | 'wheel-up' | 'wheel-down' | 'drag'; button: number; x: number; y: number};

const CSI_NAMES: Record<string, string> = {
	A: 'up',
	B: 'down',
	C: 'right',
	D: 'left',
	H: 'home',
	F: 'end',
	Z: 'shift+tab',
	'1~': 'home',
	'7~': 'home',
	'4~': 'end',
	'8~': 'end',
	'2~': 'insert',
	'3~': 'delete',
	'5~': 'pageup',
	'6~': 'pagedown',
};

// eslint-disable-next-line no-control-regex
const MOUSE_SGR = /^\x1b\[<(\d+);(\d+);(\d+)([Mm])$/;
// eslint-disable-next-line no-control-regex
const CSI = /^\x1b\[([\d;]*)([A-Za-z~])$/;
// eslint-disable-next-line no-control-regex
const SS3 = /^\x1bO([A-Za-z])$/;

function controlName(code: number): string {
	switch (code) {
		case 0x00:
			return 'ctrl+space';
		case 0x09:
			return 'tab';
		case 0x0d:
			return 'enter'; // also Ctrl+M: terminals send the same byte
		case 0x0a:
			return 'ctrl+j';
		case 0x08:
		case 0x7f:
			return 'backspace';
		case 0x1b:
			return 'escape';
		default:
			if (code >= 0x01 && code <= 0x1a) return 'ctrl+' + String.fromCharCode(0x60 + code);
			if (code === 0x1f) return 'ctrl+/';
			return `ctrl+${code}`;
	}
}

function decodeSequence(seq: string): InputEvent | null {
	const mouse = MOUSE_SGR.exec(seq);
	if (mouse) {
		const code = Number(mouse[1]);
		const x = Number(mouse[2]) - 1;
		const y = Number(mouse[3]) - 1;
		if (code & 64) return {kind: 'mouse', action: code & 1 ? 'wheel-down' : 'wheel-up', button: code & 3, x, y};
		if (code & 32) return {kind: 'mouse', action: 'drag', button: code & 3, x, y};
		return {kind: 'mouse', action: mouse[4] === 'M' ? 'press' : 'release', button: code & 3, x, y};
	}
	const csi = CSI.exec(seq);
	if (csi) {
		const params = csi[1].split(';');
		const final = csi[2];
		const key = final === '~' ? `${params[0]}~` : final;
		const name = CSI_NAMES[key];
		if (!name) return null;
		const modifier = Number(params[1] ?? 1) - 1;
		if (modifier > 0 && name !== 'shift+tab') {
			const mods = [modifier & 4 ? 'ctrl' : '', modifier & 2 ? 'alt' : '', modifier & 1 ? 'shift' : ''].filter(Boolean);
			return {kind: 'key', name: [...mods, name].join('+')};
		}
		return {kind: 'key', name};
	}
	const ss3 = SS3.exec(seq);
	if (ss3) {
		const name = CSI_NAMES[ss3[1]];
		return name ? {kind: 'key', name} : null;
	}
	if (seq === '\x1b' || seq === '\x1b\x1b') return {kind: 'key', name: 'escape'};
	return null;
}

/**
 * Cut what one read of the terminal gave into escape sequences (CSI, SS3, a lone Esc, Esc and a key) and runs of
 * text; `rest` is an escape sequence cut off at the end (the next read completes it, or it stands for Esc alone).
 */
export function splitInput(data: string): {sequences: string[]; rest: string} {
	const sequences: string[] = [];
	let i = 0;
	while (i < data.length) {
		const start = i;
		if (data[i] !== '\x1b') {
			while (i < data.length && data[i] !== '\x1b') i++;
			sequences.push(data.slice(start, i));
			continue;
		}
		const next = data[i + 1];
		if (next === undefined) return {sequences, rest: data.slice(start)};
		if (next === '[') {
			// CSI: parameter bytes, intermediate bytes, one final byte.
			i += 2;
			while (i < data.length && data.charCodeAt(i) >= 0x20 && data.charCodeAt(i) <= 0x3f) i++;
			if (i >= data.length) return {sequences, rest: data.slice(start)};
			i++;
		} else if (next === 'O') {
			if (i + 2 >= data.length) return {sequences, rest: data.slice(start)};
			i += 3;
		} else if (next === '\x1b') i += 1;
		else i += 2;
		sequences.push(data.slice(start, i));
	}
	return {sequences, rest: ''};
}

/** Decode one escape sequence or run of text (splitInput's pieces; plain text may hold several keys). */
export function decodeInput(data: string): InputEvent[] {
	if (data.startsWith('\x1b')) {
		const event = decodeSequence(data);
		if (event) return [event];
		// Escape and then a key, typed quickly, arrive as one sequence (there are no Alt bindings): both, in order.
		if (data.length === 2) return [{kind: 'key', name: 'escape'}, ...decodeInput(data.slice(1))];
		return [];
	}
	// Each character is a key: keys typed quickly arrive together. Prompts take printable keys as text.
	const events: InputEvent[] = [];
	for (const char of data) {
		const code = char.codePointAt(0)!;
		if (code < 0x20 || code === 0x7f) events.push({kind: 'key', name: controlName(code)});
		else if (code >= 0x80 && code < 0xa0) continue;
		else events.push({kind: 'key', name: char === ' ' ? 'space' : char});
	}
	return events;
}

/** Keys that have a name (not a printable character), as decoded. */
export type KeyName = 'up' | 'down' | 'left' | 'right' | 'pageup' | 'pagedown' | 'home' | 'end' | 'tab' | 'enter' | 'escape' | 'backspace' | 'space';

/**
 * A key as the bindings table states it: a named key, a letter with Ctrl, a printable character, or a mouse
 * action (for the help: the pointer has no key name).
 */
export type Key = {name: KeyName; shift?: true; ctrl?: true} | {ctrl: true; name: Lowercase<string>} | {char: string} | {mouse: 'wheel' | 'click'};

/** The name decodeInput gives a key: `{ctrl: true, name: 'a'}` -> `ctrl+a`. Mouse actions have none. */
export function keyId(key: Key): string | null {
	if ('mouse' in key) return null;
	if ('char' in key) return key.char;
	return (key.ctrl ? 'ctrl+' : '') + ('shift' in key && key.shift ? 'shift+' : '') + key.name;
}

/** How the help and the status bar show a key. */
export function labelOf(key: Key): string {
	if ('mouse' in key) return key.mouse;
	return keyLabel(keyId(key)!);
}

/** How the bindings table and the help show a key name: `ctrl+a` -> `Ctrl+A`, `pagedown` -> `PgDn`. */
export function keyLabel(name: string): string {
	const special: Record<string, string> = {
		up: '↑',
		down: '↓',
		left: '←',
		right: '→',
		pageup: 'PgUp',
		pagedown: 'PgDn',
		home: 'Home',
		end: 'End',
		tab: 'Tab',
		'shift+tab': 'Shift+Tab',
		enter: 'Enter',
		escape: 'Esc',
		backspace: 'Backspace',
		space: 'Space',
		'ctrl+space': 'Ctrl+Space',
	};
	if (special[name]) return special[name];
	if (name.startsWith('ctrl+')) return 'Ctrl+' + name.slice(5).toUpperCase();
	if (name.startsWith('alt+')) return 'Alt+' + name.slice(4);
	return name;
}
