// Run the built CLI (dist/cli.js) the way a user does, and capture what they would see.
import {spawn} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(ROOT, 'dist/cli.js');
export const CORPUS = path.resolve(ROOT, '../shared/corpus/dive');

export interface CliResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

export function runCli(
	args: string[],
	options: {
		input?: Buffer | string;
		env?: Record<string, string | undefined>;
		timeoutMs?: number;
		/** Another copy of the bin (a package laid out otherwise); dist/cli.js by default. */
		cli?: string;
		/** Node's own flags, before the bin. */
		nodeArgs?: string[];
		/** Run the bin as a program (its shell launcher, as an installed `layerscope` runs), not as `node BIN`. */
		program?: boolean;
	} = {},
): Promise<CliResult> {
	return new Promise((resolve, reject) => {
		const env: Record<string, string | undefined> = {...process.env, CI: '', NO_COLOR: '1', ...options.env};
		for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
		const bin = options.cli ?? CLI;
		const [command, argv] = options.program ? [bin, args] : [process.execPath, [...(options.nodeArgs ?? []), bin, ...args]];
		const child = spawn(command, argv, {env, stdio: ['pipe', 'pipe', 'pipe']});
		const stdout: Buffer[] = [];
		const stderr: Buffer[] = [];
		child.stdout.on('data', chunk => stdout.push(chunk));
		child.stderr.on('data', chunk => stderr.push(chunk));
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`layerscope ${args.join(' ')} did not finish in ${options.timeoutMs ?? 60000} ms`));
		}, options.timeoutMs ?? 60_000);
		child.on('error', reject);
		child.on('close', code => {
			clearTimeout(timer);
			resolve({code, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString()});
		});
		child.stdin.on('error', () => {});
		if (options.input !== undefined) child.stdin.end(options.input);
		else child.stdin.end();
	});
}
