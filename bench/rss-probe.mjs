// Preloaded into the measured process (node --import): at exit, write its peak RSS (KiB) and CPU time (µs, all
// threads) to the file named by LAYERSCOPE_BENCH_RSS_FILE, as JSON.
import {writeFileSync} from 'node:fs';
import process from 'node:process';

const file = process.env.LAYERSCOPE_BENCH_RSS_FILE;
if (file)
	process.on('exit', () => {
		const usage = process.resourceUsage();
		writeFileSync(file, JSON.stringify({maxRSS: usage.maxRSS, cpu: usage.userCPUTime + usage.systemCPUTime}));
	});
