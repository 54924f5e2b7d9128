// Hand-written tar headers for what tar-stream's packer does not write: GNU long names, base-256 sizes,
// PAX global headers, raw PAX records.

function octal(value: number, length: number): string {
	return value.toString(8).padStart(length - 1, '0') + '\0';
}

export interface RawHeader {
	name: string;
	size?: number;
	/** Type flag character: '0' file, '5' dir, 'L' GNU long name, 'K' GNU long link, 'x' PAX, 'g' PAX global. */
	flag?: string;
	linkname?: string;
	mode?: number;
	magic?: 'ustar' | 'gnu';
	/** Encode the size field in base-256 (GNU extension for huge sizes). */
	base256Size?: boolean;
}

export function header(h: RawHeader): Buffer {
	const block = Buffer.alloc(512);
	block.write(h.name.slice(0, 100), 0, 'utf8');
	block.write(octal(h.mode ?? 0o644, 8), 100, 'latin1');
	block.write(octal(0, 8), 108, 'latin1');
	block.write(octal(0, 8), 116, 'latin1');
	const size = h.size ?? 0;
	if (h.base256Size) {
		block[124] = 0x80;
		let v = BigInt(size);
		for (let i = 135; i > 124; i--) {
			block[i] = Number(v & 0xffn);
			v >>= 8n;
		}
	} else {
		block.write(octal(size, 12), 124, 'latin1');
	}
	block.write(octal(1_700_000_000, 12), 136, 'latin1');
	block.write(h.flag ?? '0', 156, 'latin1');
	if (h.linkname) block.write(h.linkname.slice(0, 100), 157, 'utf8');
	if (h.magic === 'gnu') block.write('ustar  \0', 257, 'latin1');
	else block.write('ustar\u000000', 257, 'latin1');
	block.fill(0x20, 148, 156);
	let sum = 0;
	for (const byte of block) sum += byte;
	block.write(octal(sum, 7) + ' ', 148, 'latin1');
	return block;
}

export function body(data: Buffer | string): Buffer {
	const bytes = Buffer.from(data);
	const padded = Buffer.alloc(Math.ceil(bytes.length / 512) * 512);
	bytes.copy(padded);
	return padded;
}

export function paxRecords(records: Record<string, string>): Buffer {
	let out = '';
	for (const [key, value] of Object.entries(records)) {
		const line = ` ${key}=${value}\n`;
		let length = line.length + 1;
		while (String(length).length + line.length !== length) length = String(length).length + line.length;
		out += `${length}${line}`;
	}
	return Buffer.from(out);
}

export function end(): Buffer {
	return Buffer.alloc(1024);
}

/** A file entry: header plus padded body. */
export function file(name: string, content: string | Buffer, extra: Partial<RawHeader> = {}): Buffer {
	const data = Buffer.from(content);
	return Buffer.concat([header({name, size: data.length, ...extra}), body(data)]);
}
