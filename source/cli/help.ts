// The command line's vocabulary in one table: the help text, the shell completions and the man page are all made from
// it, so a flag added here is documented and completed everywhere. (the parser's flag types stay in cli-main.ts.)

export interface OptionHelp {
	/** The long flag, with its dashes: `--json`. */
	flag: string;
	/** Its short alias, with the dash: `-h`. */
	short?: string;
	/** The value it takes, as the help shows it: `<file>`. */
	arg?: string;
	/** What a shell can offer for the value: a fixed list, files, or nothing. */
	complete?: readonly string[] | 'file';
	text: string;
}

export interface CommandHelp {
	name: string;
	/** The words after the command, as the usage line shows them. */
	args: string;
	text: string;
	/** What a shell can offer for its first argument. */
	complete?: readonly string[];
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export const COMMANDS: readonly CommandHelp[] = [
	{name: 'diff', args: '<imageA> <imageB> [options]', text: 'files added, changed and removed between two images, and the layers they share'},
	{
		name: 'images',
		args: '[docker://|podman://|archive] [--json] [--plain] [-a] [--layers] [--analyse]',
		text: 'the local store: every image, its size, shared and unique bytes, layers, containers; totals as docker system df',
	},
	{name: 'completion', args: SHELLS.join('|'), text: 'print a shell completion script', complete: SHELLS},
];

/** The options of `layerscope images` (store/command.ts parses them). */
export const IMAGES_OPTIONS: ReadonlyArray<readonly [string, string]> = [
	['-a, --all', 'intermediate images too'],
	['--source podman', 'Podman instead of Docker (also podman://); an archive lists its images'],
	['--layers', "who shares each layer; --analyse: every image's wasted bytes, most first"],
	['--json, --plain', 'the list as JSON (docs/json-report.md) or as a table; a terminal opens the store view'],
];

export const IMAGE_FORMS: ReadonlyArray<readonly [string, string]> = [
	[
		'image.tar',
		'docker save archive (classic or Docker 25+), oci-archive; plain, gzip or zstd (also docker-archive://PATH, docker-archive:PATH[:name:tag], oci-archive:PATH[:tag])',
	],
	['./dir', 'OCI image layout or skopeo dir: layout directory (also oci:DIR[:tag], dir:DIR)'],
	['-', 'an archive on stdin (also a bare pipe)'],
	['name:tag', 'the local Docker engine (also docker://name:tag, docker-daemon:name:tag; docker:// is the engine, as in dive, not a registry as in skopeo)'],
	['podman://name:tag', 'the Podman API socket'],
	['registry://host/repo:tag', 'a registry, no daemon (also @sha256:… digests)'],
];

export const OPTIONS: readonly OptionHelp[] = [
	{flag: '--json', text: 'print the JSON report (docs/json-report.md)'},
	{flag: '--files', text: "with --json: add every layer's file changes"},
	{flag: '--plain', text: 'print the plain text report, even on a terminal'},
	{flag: '--demo', text: 'open the demo image bundled with layerscope (instead of <image>)'},
	{flag: '--image', arg: '<name:tag>', text: 'pick an image in an archive that holds several'},
	{flag: '--list', text: 'list the images in the archive (with the platforms of an index) and exit'},
	{
		flag: '--source',
		arg: '<kind>',
		complete: ['docker', 'podman', 'docker-archive'],
		text: 'as in dive: the image is docker (engine), podman or docker-archive (a file)',
	},
	{flag: '--platform', arg: '<os/arch>', text: "pick a platform of a multi-platform image (default: this host's)"},
	{flag: '--ci', text: 'CI mode: evaluate rules, exit 0 pass, 1 fail, 2 error (also when CI=true and no TTY)'},
	{flag: '--ci-config', arg: '<file>', complete: 'file', text: 'rules file (default .dive-ci if present)'},
	{flag: '--format', arg: '<fmt>', complete: ['text', 'junit', 'markdown', 'json'], text: 'CI output: text, junit, markdown, json'},
	{flag: '--lowest-efficiency', arg: '<ratio>', text: 'CI rule: lowest dive-compatible efficiency (default 0.9)'},
	{flag: '--highest-wasted-bytes', arg: '<bytes>', text: 'CI rule: most dive-compatible wasted bytes'},
	{
		flag: '--highest-user-wasted-percent',
		arg: '<ratio>',
		text: "CI rule: highest share of dive's wasted bytes in the bytes above the base layer (default 0.1)",
	},
	{flag: '--highest-layerscope-wasted-bytes', arg: '<bytes>', text: "CI rule: most of layerscope's wasted bytes"},
	{flag: '--highest-layer-wasted-bytes', arg: '<bytes>', text: 'CI rule: most wasted bytes in any one layer'},
	{flag: '--insecure', text: 'registry over plain http'},
	{flag: '--ca-cert', arg: '<file>', complete: 'file', text: 'registry: trust the CA certificates (PEM) in this file too'},
	{
		flag: '--cert-dir',
		arg: '<dir>',
		complete: 'file',
		text: 'registry: CAs (*.crt) and client certificate (*.cert, *.key) from this directory instead of /etc/docker/certs.d/HOST:PORT (and the containers certs.d)',
	},
	{flag: '--tls-verify', arg: '=false', text: 'registry over https without checking its certificate'},
	{flag: '--timeout', arg: '<seconds>', text: 'registry: give up when it sends nothing for this long (default 30)'},
	{
		flag: '--lang',
		arg: '<en|zh>',
		complete: ['en', 'zh'],
		text: 'language of the reports, the advice and the explorer (default from LC_ALL, LC_MESSAGES, LANG)',
	},
	{flag: '--dockerfile', arg: '<file>', complete: 'file', text: 'the Dockerfile the image was built from: findings name its lines'},
	{flag: '--version', short: '-v', text: 'show the version'},
	{flag: '--help', short: '-h', text: 'show this help'},
];

export const EXIT_CODES = 'Exit codes: 0 ok (CI: pass), 1 a CI rule failed, 2 bad input or error.';

/** The words in the help's left column, padded to one width. */
export function optionLabel(option: OptionHelp): string {
	const flag = option.short ? `${option.short}, ${option.flag}` : option.flag;
	// `--tls-verify=false`: a value glued to the flag, as it must be typed.
	if (option.arg?.startsWith('=')) return flag + option.arg;
	return [flag, option.arg].filter(Boolean).join(' ');
}

/** Two columns; a left word too long for the column (the CI rules) puts its text on the next line. */
function columns(rows: ReadonlyArray<readonly [string, string]>): string[] {
	const width = Math.min(MAX_LEFT, Math.max(...rows.map(([left]) => left.length))) + 2;
	return rows.flatMap(([left, right]) => (left.length + 2 > width ? [`  ${left}`, `  ${' '.repeat(width)}${right}`] : [`  ${left.padEnd(width)}${right}`]));
}
const MAX_LEFT = 24;

/** The text `--help` prints (meow adds the description above it). */
export function helpText(): string {
	return [
		'Usage',
		'  $ layerscope <image> [options]',
		'  $ layerscope --demo [options]',
		'  $ docker save <name> | layerscope [options]',
		...COMMANDS.map(command => `  $ layerscope ${command.name} ${command.args}`),
		'',
		'Image',
		...columns(IMAGE_FORMS),
		'',
		'Commands',
		...columns(COMMANDS.map(command => [command.name, command.text])),
		'',
		'Images (the local store; no argument on a terminal opens it when an engine answers)',
		...columns(IMAGES_OPTIONS),
		'',
		'Options',
		...columns(OPTIONS.map(option => [optionLabel(option), option.text])),
		'',
		EXIT_CODES,
	].join('\n');
}
