// Which language the advice and the reports speak: `--lang`, else the locale (LC_ALL, LC_MESSAGES, LANG, the
// first one set, as POSIX orders them). Simplified Chinese for zh_CN, zh_SG and zh-Hans locales; English otherwise,
// Traditional Chinese locales included (there is no Traditional catalogue).
import {InputError} from '../util/errors.js';

export type Lang = 'en' | 'zh';

/** `zh`, `zh_CN.UTF-8`, `zh-Hans-CN` -> 'zh'; `en`, `C`, `POSIX`, `en_US.UTF-8` -> 'en'; anything else -> null. */
export function parseLang(value: string): Lang | null {
	const tag = value
		.trim()
		.toLowerCase()
		.replace(/[.@].*$/, '')
		.replace(/_/g, '-');
	if (tag === 'zh' || /^zh-(cn|sg|hans)(-|$)/.test(tag)) return 'zh';
	if (tag === 'en' || tag.startsWith('en-') || tag === 'c' || tag === 'posix') return 'en';
	return null;
}

/** The language of a run: the `--lang` value if given (an unknown one is bad input), else the locale. */
export function resolveLang(flag?: string, env: NodeJS.ProcessEnv = process.env): Lang {
	if (flag !== undefined) {
		const lang = parseLang(flag);
		if (!lang) throw new InputError(`--lang ${flag}: unknown language (use en or zh)`);
		return lang;
	}
	const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find(value => value !== undefined && value !== '');
	return locale !== undefined && parseLang(locale) === 'zh' ? 'zh' : 'en';
}
