// Golden screens: a frame compared with its file under test/golden/; `UPDATE_GOLDEN=1` rewrites the files, and a
// missing one is written and fails once, so that it is looked at before it is committed.
import assert from 'node:assert/strict';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';

export const GOLDEN_DIR = path.join(import.meta.dirname, '..', 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** Compare `actual` with test/golden/`file`, naming the first line that differs. */
export function compareGolden(file: string, actual: string): void {
	const target = path.join(GOLDEN_DIR, file);
	if (UPDATE || !existsSync(target)) {
		mkdirSync(GOLDEN_DIR, {recursive: true});
		writeFileSync(target, actual);
		if (!UPDATE) assert.fail(`${file} did not exist: written; check it and commit it`);
		return;
	}
	const expected = readFileSync(target, 'utf8');
	if (actual === expected) return;
	const a = actual.split('\n');
	const e = expected.split('\n');
	const line = Math.max(
		0,
		a.findIndex((text, i) => text !== e[i]),
	);
	assert.fail(
		`${file} differs at line ${line + 1}:\n  expected: ${JSON.stringify(e[line])}\n  actual:   ${JSON.stringify(a[line])}\n(UPDATE_GOLDEN=1 rewrites the golden files)`,
	);
}
