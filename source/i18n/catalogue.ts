// The one message catalogue of the advisor and the report headings it shares: every user-visible string, in English
// and Simplified Chinese. Code asks `messages(lang)` and never writes a sentence itself.
import {en} from './en.js';
import type {Lang} from './lang.js';
import type {Messages} from './messages.js';
import {zh} from './zh.js';

export type {Lang} from './lang.js';
export type {CiMessages, StoreMessages, TreeStatus, UiMessages} from './ui-text.js';
export type {ContentKind, ExplainMessages, FixKindName, FixParams, Messages, PairText, ReportMessages} from './messages.js';

const CATALOGUE: Record<Lang, Messages> = {en, zh};

export function messages(lang: Lang): Messages {
	return CATALOGUE[lang];
}
