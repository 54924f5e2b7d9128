// The prompts (path filter, search, export path, overwrite confirm): typing, accepting, cancelling, and the line
// each shows in place of the status bar. Their keys are the bindings table's `prompt` scope; any other printable
// key is text.
import {messages, type UiMessages} from '../../i18n/catalogue.js';
import {visible} from '../../util/sanitize.js';
import {bindingFor, keyOf} from '../bindings.js';
import {fitLine, textWidth, truncate, truncateStart, type Line} from '../cells.js';
import type {InputEvent} from '../keys.js';
import {reveal, settle} from '../panes/files-state.js';
import {blank, seg, type Theme} from '../segments.js';
import type {Context, Prompt, ViewState} from '../view-state.js';
import {compilePattern, findMatch, matchRank} from '../tree-rows.js';
import {jumpTo} from './content-input.js';
import {parseOffset} from './content-window.js';

/** The state with the prompt's text changed: a filter filters as it is typed, a search moves to the first match. */
function runPrompt(state: ViewState, ctx: Context, prompt: Prompt): ViewState {
	const next = {...state, prompt};
	if (prompt.kind === 'filter') return settle({...next, pathFilter: prompt.text}, ctx);
	if (prompt.kind === 'search') {
		if (prompt.text === '') return settle({...next, cursor: prompt.origin}, ctx);
		const rows = ctx.model.rows(next);
		const from = prompt.origin ? (rows.view.indexOf.get(prompt.origin) ?? 0) : 0;
		const match = findMatch(rows.view, rows.keep, prompt.text, from, 1, true);
		if (match < 0) return {...next, message: {text: messages(ctx.model.advice.lang).ui.noMatchFor(visible(prompt.text)), tone: 'error'}};
		return reveal({...next, message: null, pane: 'files'}, ctx, match);
	}
	return next;
}

function acceptPrompt(state: ViewState, prompt: Prompt, t: UiMessages): ViewState {
	switch (prompt.kind) {
		case 'filter':
			return {...state, prompt: null};
		case 'search':
			return {...state, prompt: null, search: prompt.text};
		case 'export': {
			const path = prompt.text.trim();
			if (!path) return {...state, prompt: null, message: {text: t.exportNoPath, tone: 'info'}};
			return {
				...state,
				prompt: null,
				pendingExport: {id: state.nextId, target: prompt.target, path, overwrite: false},
				nextId: state.nextId + 1,
				message: {text: t.exporting(visible(path)), tone: 'info'},
			};
		}
		case 'overwrite': {
			if (!/^y(es)?$/i.test(prompt.text.trim())) return {...state, prompt: null, message: {text: t.exportKept, tone: 'info'}};
			return {...state, prompt: null, pendingExport: {id: state.nextId, target: prompt.target, path: prompt.path, overwrite: true}, nextId: state.nextId + 1};
		}
		case 'offset': {
			const overlay = state.overlay;
			if (overlay?.kind !== 'content') return {...state, prompt: null};
			const size = overlay.content?.size ?? overlay.target.size;
			const offset = parseOffset(prompt.text, size);
			if (offset === null) return {...state, prompt: null, message: {text: t.notOffset(visible(prompt.text)), tone: 'error'}};
			return jumpTo({...state, prompt: null}, overlay, offset);
		}
		default:
			return state;
	}
}

function cancelPrompt(state: ViewState, ctx: Context, prompt: Prompt): ViewState {
	if (prompt.kind === 'filter') return settle({...state, prompt: null, pathFilter: ''}, ctx);
	if (prompt.kind === 'search') return settle({...state, prompt: null, cursor: prompt.origin}, ctx);
	if (prompt.kind === 'offset') return {...state, prompt: null};
	return {
		...state,
		prompt: null,
		message: prompt.kind === 'export' || prompt.kind === 'overwrite' ? {text: messages(ctx.model.advice.lang).ui.exportCancelled, tone: 'info'} : state.message,
	};
}

export function promptInput(state: ViewState, ctx: Context, event: InputEvent): ViewState {
	const prompt = state.prompt!;
	const t = messages(ctx.model.advice.lang).ui;
	if (event.kind === 'mouse') return state;
	const name = event.name;
	// (y/N) takes one key: y replaces the file, any other key keeps it.
	if (prompt.kind === 'overwrite' && name !== 'ctrl+c') return acceptPrompt(state, {...prompt, text: name === 'y' || name === 'Y' ? 'y' : ''}, t);
	switch (bindingFor(name, ['prompt'])?.action) {
		case 'quit':
			return {...state, quit: true};
		case 'accept':
			return acceptPrompt(state, prompt, t);
		case 'cancel':
			return cancelPrompt(state, ctx, prompt);
		case 'deleteChar':
			return runPrompt(state, ctx, {...prompt, text: [...prompt.text].slice(0, -1).join('')});
		case 'clearText':
			return runPrompt(state, ctx, {...prompt, text: ''});
		default:
	}
	if (name === 'space') return runPrompt(state, ctx, {...prompt, text: prompt.text + ' '});
	if ([...name].length === 1) return runPrompt(state, ctx, {...prompt, text: prompt.text + name});
	return state;
}

function promptText(state: ViewState, ctx: Context, theme: Theme, width: number): Line {
	const prompt = state.prompt!;
	const t = messages(ctx.model.advice.lang).ui;
	const cursor = seg(theme, ' ', {inverse: true});
	const text = visible(prompt.text);
	const accept = keyOf('prompt', 'accept');
	const cancel = keyOf('prompt', 'cancel');
	switch (prompt.kind) {
		case 'filter': {
			const {error} = compilePattern(prompt.text);
			const matched = ctx.model.matched(state);
			const count = prompt.text === '' ? '' : t.pathsMatch(matched);
			const problem = error ? [seg(theme, t.notRegex(error), {color: 'red', bold: true})] : [];
			return fitLine(
				[
					seg(theme, t.filterPrompt, {bold: true}),
					seg(theme, truncateStart(text, width - 60)),
					cursor,
					seg(theme, count, {bold: true}),
					...problem,
					seg(theme, t.filterKeys(accept, cancel), {dim: true}),
				],
				width,
			);
		}
		case 'search': {
			const next = `${keyOf('global', 'searchNext')}/${keyOf('global', 'searchPrevious')}`;
			const {error} = compilePattern(prompt.text);
			let count = '';
			if (prompt.text !== '' && !state.message) {
				const rows = ctx.model.rows(state);
				const index = state.cursor ? (rows.view.indexOf.get(state.cursor) ?? -1) : -1;
				const {rank, total} = matchRank(rows.view, rows.keep, prompt.text, index);
				count = t.searchRank(rank, total);
			}
			const problem = error ? [seg(theme, t.notRegexShort(error), {color: 'red', bold: true})] : [];
			return fitLine(
				[
					seg(theme, '/', {bold: true}),
					seg(theme, truncateStart(text, width - 50)),
					cursor,
					seg(theme, count, {bold: true}),
					...problem,
					seg(theme, t.searchKeys(accept, cancel, next), {dim: true}),
				],
				width,
			);
		}
		case 'export': {
			const what = t.exportPrompt(truncateStart(visible(prompt.target.shownPath), Math.floor(width / 3)), prompt.target.viewLayer);
			return fitLine([seg(theme, what, {bold: true}), seg(theme, truncateStart(text, Math.max(5, width - textWidth(what) - 2))), cursor], width);
		}
		case 'overwrite':
			return fitLine([seg(theme, t.overwritePrompt(truncateStart(visible(prompt.path), Math.floor(width / 2))), {bold: true, color: 'yellow'}), cursor], width);
		case 'offset':
			return fitLine(
				[seg(theme, t.offsetPrompt, {bold: true}), seg(theme, truncateStart(text, width - 50)), cursor, seg(theme, t.offsetKeys(accept, cancel), {dim: true})],
				width,
			);
		default:
			return blank(width);
	}
}

/** The prompt's line; a message while typing (no match) takes the end of it. */
export function promptLine(state: ViewState, ctx: Context, theme: Theme, width: number): Line {
	const line = promptText(state, ctx, theme, width);
	if (!state.message) return line;
	const note = truncate(state.message.text, Math.max(10, Math.floor(width / 2)));
	const room = width - textWidth(note) - 2;
	return fitLine([...fitLine(line, room), seg(theme, '  ' + note, {color: 'red', bold: true})], width);
}
