#!/usr/bin/env node
// Turn a terminal screen captured with ANSI styles (`tmux capture-pane -p -e`) into an SVG picture of it.
// Usage: node media/ansi-to-svg.mjs screen.ansi > screen.svg   (columns and rows are read from the capture)
import {readFileSync} from 'node:fs';

const FG = {30: '#1e1e1e', 31: '#f14c4c', 32: '#23d18b', 33: '#f5f543', 34: '#3b8eea', 35: '#d670d6', 36: '#29b8db', 37: '#e5e5e5', 90: '#808080', 91: '#f14c4c', 92: '#23d18b', 93: '#f5f543', 94: '#3b8eea', 95: '#d670d6', 96: '#29b8db', 97: '#ffffff'};
const BG = '#1e1e1e';
const TEXT = '#d4d4d4';
const CELL_W = 8.4;
const CELL_H = 18;

const input = readFileSync(process.argv[2], 'utf8').replace(/\n$/, '');
const lines = input.split('\n');

function parse(line) {
	const cells = [];
	let style = {};
	const re = /\u001B\[([0-9;]*)m|([^\u001B]+)/g;
	let m;
	while ((m = re.exec(line))) {
		if (m[2] !== undefined) {
			for (const ch of m[2]) cells.push({ch, ...style});
			continue;
		}
		const codes = m[1] === '' ? [0] : m[1].split(';').map(Number);
		for (let i = 0; i < codes.length; i++) {
			const c = codes[i];
			if (c === 0) style = {};
			else if (c === 1) style = {...style, bold: true};
			else if (c === 2) style = {...style, dim: true};
			else if (c === 4) style = {...style, underline: true};
			else if (c === 7) style = {...style, inverse: true};
			else if (c === 22) style = {...style, bold: false, dim: false};
			else if (c === 24) style = {...style, underline: false};
			else if (c === 27) style = {...style, inverse: false};
			else if (c === 39) style = {...style, fg: undefined};
			else if (FG[c]) style = {...style, fg: FG[c]};
			else if (c === 38 && codes[i + 1] === 5) i += 2;
		}
	}
	return cells;
}

const rows = lines.map(parse);
const cols = Math.max(...rows.map(r => r.length), 1);
const esc = s => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const out = [];
const width = Math.ceil(cols * CELL_W + 24);
const height = Math.ceil(rows.length * CELL_H + 24 + 28);
out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`);
out.push(`<rect width="100%" height="100%" rx="8" fill="${BG}"/>`);
out.push(`<circle cx="18" cy="15" r="5" fill="#ff5f56"/><circle cx="36" cy="15" r="5" fill="#ffbd2e"/><circle cx="54" cy="15" r="5" fill="#27c93f"/>`);
out.push(`<g font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="14" transform="translate(12, 36)">`);
rows.forEach((cells, y) => {
	// Runs of cells with one style.
	let x = 0;
	while (x < cells.length) {
		const s = cells[x];
		let end = x + 1;
		const same = c => c.fg === s.fg && !!c.bold === !!s.bold && !!c.dim === !!s.dim && !!c.inverse === !!s.inverse && !!c.underline === !!s.underline;
		while (end < cells.length && same(cells[end])) end++;
		const text = cells.slice(x, end).map(c => c.ch).join('');
		const fg = s.fg ?? TEXT;
		const top = y * CELL_H;
		if (s.inverse) out.push(`<rect x="${(x * CELL_W).toFixed(1)}" y="${top}" width="${((end - x) * CELL_W).toFixed(1)}" height="${CELL_H}" fill="${fg}"/>`);
		if (text.trim()) {
			const attrs = [`x="${(x * CELL_W).toFixed(1)}"`, `y="${top + 13}"`, `fill="${s.inverse ? BG : fg}"`, `textLength="${((end - x) * CELL_W).toFixed(1)}"`, 'lengthAdjust="spacingAndGlyphs"', 'xml:space="preserve"'];
			if (s.bold) attrs.push('font-weight="bold"');
			if (s.dim) attrs.push('opacity="0.6"');
			if (s.underline) attrs.push('text-decoration="underline"');
			out.push(`<text ${attrs.join(' ')}>${esc(text)}</text>`);
		}
		x = end;
	}
});
out.push('</g></svg>');
process.stdout.write(out.join('\n') + '\n');
