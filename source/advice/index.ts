// The advisor's front door: `advise(analysis, options)` reads the commands that stored and hid each waste and
// returns the findings, one per fix, in the shape `--json` prints; the render helpers give every output (the
// explorer, the plain report, CI text, junit and markdown) the same findings in the same words.
import {messages} from '../i18n/catalogue.js';
import type {ImageAnalysis, WastedFile} from '../model/types.js';
import type {Advice, AdviseOptions} from './advice.js';
import {findBaseBoundary} from './base-boundary.js';
import {matchDockerfile} from './dockerfile.js';
import {findings, type Finding} from './findings.js';
import {layerSteps} from './layer-steps.js';

export type {Finding, FindingWaste, FixKind} from './findings.js';
export type {BaseBoundary, BoundaryMethod} from './base-boundary.js';
export type {TopPath} from './top-paths.js';
export type {Lang} from '../i18n/catalogue.js';
export {adviceLines, adviceMarkdown, findingLines, findingMarkdown, type RenderOptions} from './render.js';
export {readDockerfile} from './dockerfile.js';
export type {Advice, AdviseOptions} from './advice.js';
export {resolveLang} from '../i18n/lang.js';

export function advise(analysis: ImageAnalysis, options: AdviseOptions = {}): Advice {
	const lang = options.lang ?? 'en';
	const m = messages(lang);
	const match = options.dockerfile ? matchDockerfile(analysis.history, options.dockerfile.text) : null;
	const labels = analysis.image.config.Labels;
	const base = findBaseBoundary(analysis.history, analysis.layers.length, {
		annotations: options.annotations ?? analysis.image.annotations,
		labels: labels && typeof labels === 'object' ? (labels as Record<string, unknown>) : undefined,
		dockerfileStart: match?.start ?? null,
	});
	const {list, byFile} = findings({analysis, steps: layerSteps(analysis), base, dockerfile: match?.start === null ? null : match, messages: m});
	const note = !match?.mismatch ? null : match.stage ? m.mismatch(match.mismatch.line, match.mismatch.text, match.mismatch.image) : m.noStage;
	const advice: Advice = {
		lang,
		findings: list,
		base,
		dockerfile: options.dockerfile ? {path: options.dockerfile.path, matched: match?.start !== null, note} : null,
	};
	FINDING_OF.set(advice, byFile);
	return advice;
}

// Kept beside the advice rather than in it, so that the advice stays the plain data --json prints.
const FINDING_OF = new WeakMap<Advice, () => Map<WastedFile, Finding>>();

/** The finding a wasted copy (an entry of `analysis.waste.files`) belongs to: the explorer's `x` on a file. */
export function findingOf(advice: Advice, file: WastedFile): Finding | undefined {
	return FINDING_OF.get(advice)?.().get(file);
}

/** The findings that store or hide bytes in `layer`, or whose fix changes it: the explorer's `x` on a layer. */
export function findingsOfLayer(advice: Advice, layer: number): Finding[] {
	return advice.findings.filter(f => f.fix.layers.includes(layer) || f.waste.some(w => w.storedBy === layer || w.hiddenBy === layer));
}
