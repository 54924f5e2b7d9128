// The user's key bindings: `$XDG_CONFIG_HOME/layerscope/keys.yaml` (else `~/.config/layerscope/keys.yaml`), read once
// before the explorer starts. It takes dive's binding names and key syntax (`filter-files: ctrl+f, ctrl+slash`,
// under `keybinding:` as in dive's config, or at the top level) and layerscope's own action names (`explain: x`).
// A binding named there gets those keys instead of its defaults, so the help and the status bar show them too.
import {readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {InputError} from '../util/errors.js';
import {visible} from '../util/sanitize.js';
import {yaml} from '../util/yaml.js';
import {KEY_TABLE, type ActionName, type Scope} from './bindings.js';
import type {Key, KeyName} from './keys.js';

/** dive's names (cmd/root.go's `keybinding.*`), each the actions and scopes it stands for here. */
const DIVE_NAMES: Record<string, [ActionName, Scope][]> = {
	quit: [['quit', 'global']],
	'toggle-view': [['nextPane', 'global']],
	'filter-files': [['filter', 'global']],
	'compare-all': [['aggregatedChanges', 'layers']],
	'compare-layer': [['layerChanges', 'layers']],
	'toggle-collapse-dir': [['toggleCollapse', 'files']],
	'toggle-collapse-all-dir': [['toggleCollapseAll', 'files']],
	'toggle-filetree-attributes': [['toggleAttributes', 'files']],
	'toggle-added-files': [['toggleAdded', 'files']],
	'toggle-removed-files': [['toggleRemoved', 'files']],
	'toggle-modified-files': [['toggleModified', 'files']],
	'toggle-unchanged-files': [['toggleUnchanged', 'files']],
	'toggle-unmodified-files': [['toggleUnchanged', 'files']],
	'page-up': [['pageUp', 'global']],
	'page-down': [['pageDown', 'global']],
};

const NAMED: Record<string, KeyName> = {
	up: 'up',
	down: 'down',
	left: 'left',
	right: 'right',
	pgup: 'pageup',
	pageup: 'pageup',
	pgdn: 'pagedown',
	pagedown: 'pagedown',
	home: 'home',
	end: 'end',
	tab: 'tab',
	enter: 'enter',
	esc: 'escape',
	escape: 'escape',
	backspace: 'backspace',
	space: 'space',
};

const SYMBOLS: Record<string, string> = {slash: '/', backslash: '\\', underscore: '_'};

/** One key as dive writes it (`ctrl+f`, `ctrl+slash`, `pgup`, `shift+tab`, `x`); null when it is not one. */
export function parseKey(text: string): Key | null {
	const spec = text.trim();
	if ([...spec].length === 1) return {char: spec};
	const lower = spec.toLowerCase();
	if (lower === 'shift+tab') return {name: 'tab', shift: true};
	if (NAMED[lower]) return {name: NAMED[lower]};
	const ctrl = /^ctrl\+(.+)$/.exec(lower);
	if (ctrl) {
		const rest = ctrl[1];
		if (rest === 'space') return {name: 'space', ctrl: true};
		const char = SYMBOLS[rest] ?? rest;
		if (/^[a-z/]$/.test(char)) return {ctrl: true, name: char as Lowercase<string>};
	}
	return null;
}

export function keysFile(env: NodeJS.ProcessEnv = process.env): string {
	const base = env.XDG_CONFIG_HOME ? env.XDG_CONFIG_HOME : path.join(os.homedir(), '.config');
	return path.join(base, 'layerscope', 'keys.yaml');
}

/** The bindings a keys file sets: for each, the keys. Throws InputError naming the problem. */
export function parseKeysFile(text: string): {action: ActionName; scope: Scope; keys: Key[]}[] {
	let parsed: unknown;
	try {
		parsed = yaml().parse(text);
	} catch (error) {
		throw new InputError(`not valid YAML: ${(error as Error).message.split('\n')[0]}`);
	}
	if (parsed === null || parsed === undefined) return [];
	if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new InputError('expected a mapping of binding names to keys');
	const root = parsed as Record<string, unknown>;
	const table = typeof root.keybinding === 'object' && root.keybinding !== null ? (root.keybinding as Record<string, unknown>) : root;
	const out: {action: ActionName; scope: Scope; keys: Key[]}[] = [];
	for (const [name, value] of Object.entries(table)) {
		const targets =
			DIVE_NAMES[name] ??
			KEY_TABLE.filter(b => b.action === name && (b.scope === 'global' || b.scope === 'layers' || b.scope === 'files' || b.scope === 'waste')).map(
				b => [b.action, b.scope] as [ActionName, Scope],
			);
		if (targets.length === 0) throw new InputError(`no binding named ${visible(name)}`);
		if (typeof value !== 'string' || value.trim() === '') throw new InputError(`${visible(name)}: expected keys such as "ctrl+f, ctrl+slash"`);
		const keys = value.split(',').map(part => {
			const key = parseKey(part);
			if (!key) throw new InputError(`${visible(name)}: not a key: ${visible(part.trim())}`);
			return key;
		});
		for (const [action, scope] of targets) out.push({action, scope, keys});
	}
	return out;
}

/** Read the user's keys file, if there is one, into the bindings table. Throws InputError for a bad file. */
export function applyKeysFile(file = keysFile()): void {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
		throw new InputError(`cannot read it: ${(error as Error).message}`);
	}
	for (const {action, scope, keys} of parseKeysFile(text)) {
		const binding = KEY_TABLE.find(b => b.action === action && b.scope === scope);
		if (binding) binding.keys = keys;
	}
}
