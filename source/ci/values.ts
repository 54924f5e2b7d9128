// Parsing of rule limits, with dive's rules: ratios as Go's strconv.ParseFloat reads them (range 0-1), byte counts as
// go-humanize's ParseBytes reads them ("20MB" = 20 000 000, "1.5 GiB", "512k", plain numbers), and the words dive takes
// for "rule off".

/** dive's isRuleDisabled: "", "disabled", "off", "false" (any case, trimmed). */
export function isDisabledValue(value: string): boolean {
	const word = value.trim().toLowerCase();
	return word === '' || word === 'disabled' || word === 'off' || word === 'false';
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A ratio between 0 and 1 inclusive, or an error message. */
export function parseRatio(value: string): number | string {
	const text = value.trim();
	if (!DECIMAL.test(text)) return 'not a number';
	const ratio = Number(text);
	if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) return 'outside the allowed range 0-1';
	return ratio;
}

const KI = 1024;
const K = 1000;
// go-humanize's bytesSizeTable.
const BYTE_UNITS: Record<string, number> = {
	'': 1,
	b: 1,
	k: K,
	kb: K,
	ki: KI,
	kib: KI,
	m: K ** 2,
	mb: K ** 2,
	mi: KI ** 2,
	mib: KI ** 2,
	g: K ** 3,
	gb: K ** 3,
	gi: KI ** 3,
	gib: KI ** 3,
	t: K ** 4,
	tb: K ** 4,
	ti: KI ** 4,
	tib: KI ** 4,
	p: K ** 5,
	pb: K ** 5,
	pi: KI ** 5,
	pib: KI ** 5,
	e: K ** 6,
	eb: K ** 6,
	ei: KI ** 6,
	eib: KI ** 6,
};

/** A byte count like humanize.ParseBytes: leading digits (`.` and `,` allowed), then an optional unit; or an error message. */
export function parseBytes(value: string): number | string {
	const text = value.trim();
	const digits = /^[0-9.,]*/.exec(text)![0];
	const number = digits.replaceAll(',', '');
	if (!/^(\d+\.?\d*|\.\d+)$/.test(number)) return 'not a byte count';
	const unit = text.slice(digits.length).trim().toLowerCase();
	const factor = BYTE_UNITS[unit];
	if (factor === undefined) return `unknown unit '${text.slice(digits.length).trim()}' (B, kB, MB, GB, KiB, MiB, GiB, …)`;
	const bytes = Number(number) * factor;
	if (!Number.isFinite(bytes) || bytes >= 2 ** 64) return 'too large';
	return Math.floor(bytes);
}
