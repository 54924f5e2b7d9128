// `layerscope images ARGS` through runImagesArgs in a process of its own (the permission test runs it as another user).
import {runImagesArgs} from '../../source/store/command.js';

process.exitCode = await runImagesArgs(process.argv.slice(2), {stdout: process.stdout, stderr: process.stderr});
