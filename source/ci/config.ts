// CI configuration: the rules file (dive's `.dive-ci` YAML, `rules:` map), then the flags on top, then the defaults.
// Everything is checked here, before any image is read: a bad value is an InputError naming where it was written.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {InputError, describeError} from '../util/errors.js';
import {visible} from '../util/sanitize.js';
import {yaml} from '../util/yaml.js';
import {RULES, type RuleDefinition, type RuleName, type RuleSetting, type SettingSource} from './rules.js';
import {isDisabledValue, parseBytes, parseRatio} from './values.js';

/** dive's default rules file, read from the current directory when it exists. */
export const DEFAULT_CONFIG_FILE = '.dive-ci';

export type CiFormat = 'text' | 'junit' | 'markdown' | 'json';
export const FORMATS: CiFormat[] = ['text', 'junit', 'markdown', 'json'];

export interface CiConfig {
	settings: RuleSetting[];
	format: CiFormat;
	/** The rules file that was read (as given or found), null when none. */
	configFile: string | null;
}

/** Keys compare without case, `-` and `_`: `lowestEfficiency`, `lowest-efficiency`, `LOWEST_EFFICIENCY`. */
function keyOf(name: string): string {
	return name.toLowerCase().replaceAll(/[-_]/g, '');
}

const RULE_BY_KEY = new Map<string, RuleDefinition>();
for (const rule of RULES) {
	RULE_BY_KEY.set(keyOf(rule.name), rule);
	for (const alias of rule.aliases) RULE_BY_KEY.set(keyOf(alias), rule);
}

const RULE_NAMES = RULES.map(rule => rule.name).join(', ');

/** Parse one limit; `where` names the flag or the file key for the error. */
function parseSetting(rule: RuleDefinition, text: string, source: SettingSource, where: string): RuleSetting {
	if (isDisabledValue(text)) return {rule, text: 'disabled', limit: null, source};
	const parsed = rule.unit === 'ratio' ? parseRatio(text) : parseBytes(text);
	if (typeof parsed === 'string') {
		const expected = rule.unit === 'ratio' ? 'a ratio between 0 and 1' : 'a byte count such as 20MB or 1.5 GiB';
		throw new InputError(`${where}: invalid value '${visible(text)}': ${parsed} (expected ${expected}, or 'disabled')`);
	}
	return {rule, text: text.trim(), limit: parsed, source};
}

/** A YAML scalar as dive's string fields read it; null means "not set" (the default applies). */
function scalarText(value: unknown, where: string): string | null {
	if (value === null || value === undefined) return null;
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	throw new InputError(`${where}: expected a single value, not a ${Array.isArray(value) ? 'list' : 'map'}`);
}

function isMap(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parse a rules file: `rules:` with dive's names (or layerscope's). Unknown keys are errors, not silent no-ops. */
export function parseRulesFile(text: string, name: string): Map<RuleName, RuleSetting> {
	const shown = visible(name);
	const document = yaml().parseDocument(text);
	if (document.errors.length > 0) {
		// The message's first line ends with "at line L, column C:"; the code excerpt after it is left out.
		const message = document.errors[0].message.split('\n')[0].replace(/:$/, '');
		throw new InputError(`${shown}: not valid YAML: ${visible(message)}`);
	}
	let content: unknown;
	try {
		content = document.toJS();
	} catch (error) {
		throw new InputError(`${shown}: not valid YAML: ${visible(describeError(error))}`);
	}
	const settings = new Map<RuleName, RuleSetting>();
	if (content === null || content === undefined) return settings;
	if (!isMap(content)) throw new InputError(`${shown}: expected a YAML map with a 'rules:' key`);
	for (const key of Object.keys(content)) {
		if (key === 'rules') continue;
		const hint = RULE_BY_KEY.has(keyOf(key)) ? ` (put it under 'rules:')` : '';
		throw new InputError(`${shown}: unknown key '${visible(key)}'${hint}; expected 'rules:'`);
	}
	const rules = content.rules;
	if (rules === null || rules === undefined) return settings;
	if (!isMap(rules)) throw new InputError(`${shown}: 'rules' must be a map of rule names to limits`);
	for (const [key, value] of Object.entries(rules)) {
		const where = `${shown}: rules.${visible(key)}`;
		const rule = RULE_BY_KEY.get(keyOf(key));
		if (!rule) throw new InputError(`${where}: unknown rule (known rules: ${RULE_NAMES})`);
		if (settings.has(rule.name)) throw new InputError(`${where}: ${rule.name} is set twice`);
		const scalar = scalarText(value, where);
		if (scalar !== null) settings.set(rule.name, parseSetting(rule, scalar, 'file', where));
	}
	return settings;
}

/** A flag's value as the user typed it (the flag parser gives strings, numbers or booleans). */
function flagText(value: unknown): string {
	return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

function flagValue(flags: Record<string, unknown>, rule: RuleDefinition): string | undefined {
	const value = flags[rule.name];
	if (value === undefined || value === null) return undefined;
	const text = flagText(value);
	if (text.trim() === '')
		throw new InputError(`${rule.flag}: needs a value (${rule.unit === 'ratio' ? 'a ratio between 0 and 1' : 'a byte count such as 20MB'}, or 'disabled')`);
	return text;
}

/** Resolve the rules: flags over the file over the defaults; the file is `--ci-config` or `.dive-ci` if present. */
export function loadCiConfig(flags: Record<string, unknown>, cwd = process.cwd()): CiConfig {
	const formatFlag = flags.format;
	const format = (formatFlag === undefined ? 'text' : flagText(formatFlag).trim().toLowerCase()) as CiFormat;
	if (!FORMATS.includes(format)) {
		throw new InputError(`--format: unknown format '${visible(flagText(formatFlag))}' (expected one of: ${FORMATS.join(', ')})`);
	}

	const explicit = flags.ciConfig === undefined || flags.ciConfig === null ? undefined : flagText(flags.ciConfig);
	if (explicit?.trim() === '') throw new InputError('--ci-config: needs a file name');
	let configFile: string | null = explicit ?? DEFAULT_CONFIG_FILE;
	let fromFile = new Map<RuleName, RuleSetting>();
	let text: string | undefined;
	try {
		text = readFileSync(path.resolve(cwd, configFile), 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		// No `.dive-ci` here: dive's defaults apply. A file named with --ci-config must exist.
		if (explicit === undefined && code === 'ENOENT') configFile = null;
		else if (explicit === undefined) throw new InputError(`${DEFAULT_CONFIG_FILE}: cannot read the CI rules file: ${describeError(error)}`);
		else throw new InputError(`--ci-config ${visible(explicit)}: ${code === 'ENOENT' ? 'no such file' : describeError(error)}`);
	}
	if (configFile !== null && text !== undefined) fromFile = parseRulesFile(text, configFile);

	const settings = RULES.map(rule => {
		const flag = flagValue(flags, rule);
		if (flag !== undefined) return parseSetting(rule, flag, 'flag', rule.flag);
		return fromFile.get(rule.name) ?? parseSetting(rule, rule.defaultValue, 'default', `default of ${rule.name}`);
	});
	return {settings, format, configFile};
}
