// Builds media/demo-image.tar.gz: a small docker-save image with the classic mistakes, contents known exactly.
// Run: node --import tsx scripts/make-demo-image.ts
import {writeFileSync} from 'node:fs';
import {dockerArchive, type FixtureEntry} from '../test/helpers/fixtures.js';

// Deterministic filler text (a tiny PRNG), so the archive is reproducible byte for byte.
let seed = 42;
function text(bytes: number): string {
	const words = ['layer', 'image', 'cache', 'apt', 'lib', 'usr', 'python', 'node', 'data', 'build', 'index', 'package'];
	let out = '';
	while (out.length < bytes) {
		seed = (seed * 1103515245 + 12345) % 2147483648;
		out += words[seed % words.length] + (seed % 7 === 0 ? '\n' : ' ');
	}
	return out.slice(0, bytes);
}

// The same name and size always get the same bytes, so a later `chmod` rewrite is a true duplicate.
const contents = new Map<string, string>();
const file = (name: string, bytes: number, mode?: number): FixtureEntry => {
	const key = `${name}:${bytes}`;
	if (!contents.has(key)) contents.set(key, text(bytes));
	return {name, content: contents.get(key)!, ...(mode ? {mode} : {})};
};
const dir = (name: string): FixtureEntry => ({name, type: 'directory'});

const aptLists = [
	'deb.debian.org_debian_dists_bookworm_InRelease',
	'deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4',
	'deb.debian.org_debian_dists_bookworm-updates_InRelease',
	'security.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages.lz4',
];

const archive = await dockerArchive(
	{
		tags: ['demo/shop-api:1.4.2'],
		layers: [
			{
				createdBy: '/bin/sh -c #(nop) ADD file:9f2a6b31c0d7e5a4b8f1e2d3c4b5a6978812ab34cd56ef7890a1b2c3d4e5f607 in / ',
				entries: [
					dir('bin/'),
					file('bin/busybox', 90_000, 0o755),
					{name: 'bin/sh', type: 'symlink', linkname: 'busybox'},
					{name: 'bin/ls', type: 'symlink', linkname: 'busybox'},
					dir('etc/'),
					file('etc/os-release', 300),
					file('etc/passwd', 900),
					file('etc/group', 450),
					dir('lib/'),
					file('lib/libc.so.6', 60_000, 0o755),
					{name: 'lib/libc.so', type: 'link', linkname: 'lib/libc.so.6'},
					dir('usr/'),
					dir('usr/share/'),
					dir('usr/share/doc/'),
					file('usr/share/doc/README', 4000),
					dir('var/'),
					dir('var/lib/'),
					dir('var/lib/apt/'),
					dir('var/lib/apt/lists/'),
					dir('tmp/'),
					dir('root/'),
					{name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3},
				],
			},
			{
				createdBy: '/bin/sh -c apt-get update && apt-get install -y --no-install-recommends curl ca-certificates',
				entries: [
					...aptLists.map((name, i) => file(`var/lib/apt/lists/${name}`, [2_000, 180_000, 2_000, 40_000][i])),
					file('usr/bin/curl', 30_000, 0o755),
					dir('etc/ssl/'),
					dir('etc/ssl/certs/'),
					file('etc/ssl/certs/ca-certificates.crt', 25_000),
				],
			},
			{createdBy: '/bin/sh -c rm -rf /var/lib/apt/lists/*', entries: aptLists.map(name => ({name: `var/lib/apt/lists/${name}`, type: 'whiteout' as const}))},
			{
				createdBy: 'COPY . /app # buildkit',
				entries: [
					dir('app/'),
					dir('app/bin/'),
					file('app/bin/server', 120_000),
					file('app/bin/migrate', 15_000),
					file('app/config.yaml', 800),
					dir('app/static/'),
					file('app/static/app.js', 45_000),
					file('app/static/\u001b[31mred.css', 1_200),
				],
			},
			{
				createdBy: '/bin/sh -c chmod +x /app/bin/server /app/bin/migrate',
				entries: [dir('app/bin/'), file('app/bin/server', 120_000, 0o755), file('app/bin/migrate', 15_000, 0o755)],
			},
			{
				createdBy: '/bin/sh -c pip install --target /app/lib -r requirements.txt',
				entries: [
					dir('root/.cache/'),
					dir('root/.cache/pip/'),
					file('root/.cache/pip/wheels/a1/requests-2.32.3-py3-none-any.whl', 64_000),
					file('root/.cache/pip/wheels/b2/urllib3-2.2.2-py3-none-any.whl', 120_000),
					dir('app/lib/'),
					file('app/lib/requests/__init__.py', 5_000),
					file('app/lib/urllib3/__init__.py', 3_000),
				],
			},
			{createdBy: '/bin/sh -c rm -rf /root/.cache', entries: [{name: 'root/.cache', type: 'whiteout'}]},
			{createdBy: "/bin/sh -c sed -i 's/debug: true/debug: false/' /app/config.yaml", entries: [dir('app/'), file('app/config.yaml', 801)]},
		],
		emptyHistory: [
			{before: 1, createdBy: '/bin/sh -c #(nop)  CMD ["sh"]'},
			{before: 3, createdBy: '/bin/sh -c #(nop) WORKDIR /app'},
			{before: 8, createdBy: '/bin/sh -c #(nop)  EXPOSE 8080/tcp'},
			{before: 8, createdBy: '/bin/sh -c #(nop)  CMD ["/app/bin/server"]'},
		],
	},
	{outer: 'gzip'},
);
writeFileSync(new URL('../media/demo-image.tar.gz', import.meta.url), archive);
console.log(`media/demo-image.tar.gz: ${archive.length} bytes`);
