// What `advise` takes and returns, apart from the front door so the render helpers can name it without a cycle.
import type {Lang} from '../i18n/catalogue.js';
import type {BaseBoundary} from './base-boundary.js';
import type {Finding} from './findings.js';

export interface AdviseOptions {
	lang?: Lang;
	/** The Dockerfile the image was built from: its path as the user gave it, and its text. */
	dockerfile?: {path: string; text: string};
	/** Manifest annotations (`org.opencontainers.image.base.name`), where the source has them. */
	annotations?: Record<string, string>;
}

export interface Advice {
	lang: Lang;
	findings: Finding[];
	base: BaseBoundary;
	/** Set when a Dockerfile was given: whether it matched, and the one note that says where it did not. */
	dockerfile: {path: string; matched: boolean; note: string | null} | null;
}
