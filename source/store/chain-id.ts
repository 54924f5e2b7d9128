// The ID a layer has on disk: its diffID stacked on the layers below (OCI image spec, "ChainID").
import {createHash} from 'node:crypto';

export function chainIds(diffIds: string[]): string[] {
	const out: string[] = [];
	for (const diffId of diffIds) {
		const below = out.at(-1);
		out.push(below === undefined ? diffId : 'sha256:' + createHash('sha256').update(`${below} ${diffId}`).digest('hex'));
	}
	return out;
}
