// Preloaded into the measured process (node --import): write its peak RSS (KiB) to a file at exit.
import {writeFileSync} from 'node:fs';
import process from 'node:process';

const file = process.env.LAYERSCOPE_BENCH_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
