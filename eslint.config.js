// ESLint (flat config): typescript-eslint's type-aware rules on the TypeScript code, the layer boundaries of
// docs/design.md, import cycles, React's hook rules for the explorer. Formatting is Prettier's (eslint-config-prettier
// turns off every rule that would argue with it).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import {defineConfig} from 'eslint/config';
import tseslint from 'typescript-eslint';

/** What each folder of source/ may not import: a module depends only on the folders below it (docs/design.md, "Folders"). */
const layers = [
	{folder: 'util', forbidden: ['model', 'tar', 'layers', 'analysis', 'sources', 'content', 'report', 'ci', 'diff', 'ui', 'advice', 'i18n', 'store', 'cli']},
	{folder: 'model', forbidden: ['tar', 'layers', 'analysis', 'sources', 'content', 'report', 'ci', 'diff', 'ui', 'advice', 'i18n', 'store', 'cli']},
	{folder: 'tar', forbidden: ['layers', 'analysis', 'sources', 'content', 'report', 'ci', 'diff', 'ui', 'advice', 'i18n', 'store', 'cli']},
	{folder: 'layers', forbidden: ['analysis', 'sources', 'content', 'report', 'ci', 'diff', 'ui', 'advice', 'i18n', 'store', 'cli']},
	{folder: 'analysis', forbidden: ['tar', 'layers', 'sources', 'content', 'report', 'ci', 'diff', 'ui', 'advice', 'i18n', 'store', 'cli']},
	// The advisor reads the model and its message catalogue only; the catalogue only the model's types.
	{folder: 'i18n', forbidden: ['tar', 'layers', 'analysis', 'sources', 'content', 'report', 'ci', 'diff', 'ui', 'advice', 'store', 'cli']},
	{folder: 'advice', forbidden: ['tar', 'layers', 'sources', 'content', 'report', 'ci', 'diff', 'ui', 'store', 'cli']},
	{folder: 'sources', forbidden: ['content', 'report', 'ci', 'diff', 'ui']},
	{folder: 'content', forbidden: ['report', 'ci', 'diff', 'ui']},
	{folder: 'report', forbidden: ['ci', 'diff', 'ui']},
	{folder: 'ci', forbidden: ['diff', 'ui']},
	{folder: 'diff', forbidden: ['ui']},
	// The explorer reads file contents through source/content/, never tar bytes itself.
	{folder: 'ui', forbidden: ['tar', 'layers', 'ci', 'diff']},
];

export default defineConfig(
	{ignores: ['dist/', 'build/', 'node_modules/', '.bench-cache/', 'scratch/', 'media/']},
	js.configs.recommended,
	tseslint.configs.recommendedTypeChecked,
	{
		languageOptions: {
			// tsconfig.eslint.json: the build's settings over every TypeScript file, tests and scripts too.
			parserOptions: {project: './tsconfig.eslint.json', tsconfigRootDir: import.meta.dirname},
		},
		linterOptions: {reportUnusedDisableDirectives: 'error'},
		rules: {
			// Unused names are errors, except the ones that say they are unused (`_`, `_event`).
			// React stays imported in .tsx files: tsx compiles them for the tests with the classic JSX transform.
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^(_|React$)', caughtErrors: 'none'}],
			// `import type` where only types are used: the emitted ESM then never loads a module for a type.
			'@typescript-eslint/consistent-type-imports': ['error', {fixStyle: 'inline-type-imports'}],
			// A promise handed to a callback that ignores it (`on('data', async …)`) must be deliberate.
			'@typescript-eslint/no-misused-promises': ['error', {checksVoidReturn: {arguments: false, attributes: false}}],
			// `catch {}` is how this code says "no such file is fine"; other empty blocks are still errors.
			'no-empty': ['error', {allowEmptyCatch: true}],
			// An `async` function without `await` still turns a throw into a rejection, which is why it is written so.
			'@typescript-eslint/require-await': 'off',
			// A caught value handed on (rethrown, or rejected with) keeps its type `unknown`: only new throws must be Errors.
			'@typescript-eslint/only-throw-error': ['error', {allowThrowingUnknown: true}],
			'@typescript-eslint/prefer-promise-reject-errors': ['error', {allowThrowingUnknown: true}],
			// Numbers and booleans in template strings are what the reports print.
			'@typescript-eslint/restrict-template-expressions': ['error', {allowNumber: true, allowBoolean: true, allowNullish: true}],
		},
	},
	{
		files: ['source/**/*.{ts,tsx}'],
		plugins: {'import-x': importX},
		// Imports name the emitted `.js`; the sources are `.ts`/`.tsx`.
		settings: {'import-x/resolver-next': [importX.createNodeResolver({extensionAlias: {'.js': ['.ts', '.tsx', '.js']}})]},
		rules: {
			'import-x/no-cycle': 'error',
			'import-x/no-restricted-paths': [
				'error',
				{
					zones: layers.map(({folder, forbidden}) => ({
						target: `./source/${folder}`,
						from: forbidden.map(name => `./source/${name}`),
						message: `source/${folder}/ may not import from there (docs/design.md, "Folders")`,
					})),
				},
			],
		},
	},
	{
		files: ['source/ui/**/*.tsx'],
		plugins: {'react-hooks': reactHooks},
		rules: {'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error'},
	},
	{
		files: ['test/**/*.{ts,tsx}'],
		rules: {
			// Tests read reports back with JSON.parse and poke at them: `any` there is the point, not a leak.
			'@typescript-eslint/no-unsafe-argument': 'off',
			'@typescript-eslint/no-unsafe-assignment': 'off',
			'@typescript-eslint/no-unsafe-call': 'off',
			'@typescript-eslint/no-unsafe-member-access': 'off',
			'@typescript-eslint/no-unsafe-return': 'off',
			'@typescript-eslint/no-explicit-any': 'off',
			// `screen = await term.until(…)` waits for a frame and keeps it only where the test reads it.
			'no-useless-assignment': 'off',
			// Hostile fixtures are made of control characters.
			'no-control-regex': 'off',
		},
	},
	{
		// node:test runs the promises test() and describe() return; every other promise is awaited or handled.
		rules: {
			'@typescript-eslint/no-floating-promises': [
				'error',
				{
					allowForKnownSafeCalls: [
						{from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach']},
					],
				},
			],
		},
	},
	{
		// Plain JavaScript (this file, bench helpers): no type information to check against.
		files: ['**/*.{js,mjs}'],
		extends: [tseslint.configs.disableTypeChecked],
	},
	prettier,
);
