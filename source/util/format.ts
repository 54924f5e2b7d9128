// Human-readable numbers, the same everywhere.

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** Decimal units like dive and docker (1 kB = 1000 B). */
export function formatBytes(bytes: number): string {
	if (!Number.isFinite(bytes)) return String(bytes);
	const sign = bytes < 0 ? '-' : '';
	let value = Math.abs(bytes);
	let unit = 0;
	while (value >= 1000 && unit < UNITS.length - 1) {
		value /= 1000;
		unit++;
	}
	if (unit === 0) return `${sign}${value} B`;
	return `${sign}${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ${UNITS[unit]}`;
}

export function formatPercent(ratio: number): string {
	if (!Number.isFinite(ratio)) return '0 %';
	return `${(ratio * 100).toFixed(2)} %`;
}

export function shortDigest(digest: string | null | undefined, length = 12): string {
	if (!digest) return '-';
	const hex = digest.includes(':') ? digest.slice(digest.indexOf(':') + 1) : digest;
	return hex.slice(0, length);
}

/** `/bin/sh -c #(nop)  CMD ["sh"]` -> `CMD ["sh"]`; `/bin/sh -c apt-get update` -> `RUN apt-get update`. */
export function trimCreatedBy(createdBy: string | null | undefined): string {
	if (!createdBy) return '';
	let text = createdBy.trim();
	const nop = /^\/bin\/sh -c #\(nop\)\s*/;
	if (nop.test(text)) return text.replace(nop, '').trim();
	const shell = /^\/bin\/(ba)?sh -c\s+/;
	if (shell.test(text)) return 'RUN ' + text.replace(shell, '').trim();
	// BuildKit history: `RUN /bin/sh -c apt-get ... # buildkit`
	text = text.replace(/^RUN \/bin\/(ba)?sh -c\s+/, 'RUN ').replace(/\s*# buildkit$/, '');
	return text;
}
