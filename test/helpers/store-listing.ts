// A fixed store listing for the store view's reducer and frame tests: three tagged images over one base, a second
// tag, a dangling image left by a rebuild, an intermediate (-a) image, a container; figures as an engine gives them.
import type {LayerShare, StoreImage, StoreListing} from '../../source/store/types.js';

const hex = (c: string): string => `sha256:${c.repeat(64)}`;

function image(id: string, fields: Partial<StoreImage> & Pick<StoreImage, 'sizeBytes' | 'diffIds'>): StoreImage {
	return {
		id: hex(id),
		tags: [],
		digests: [],
		created: '2026-11-30T09:15:42.123456789Z',
		sharedBytes: null,
		uniqueBytes: null,
		chainIds: fields.diffIds.map(diffId => diffId.replace('sha256:', 'sha256:c')),
		containers: 0,
		dangling: false,
		intermediate: false,
		parentId: null,
		open: {reference: `docker://${hex(id)}`},
		...fields,
	};
}

const BASE = hex('b');
const APP = hex('1');
const WEB = hex('2');
const OLD = hex('3');

export const IMAGES: StoreImage[] = [
	image('a', {
		tags: ['registry.example:5000/team/app:1.2.3', 'app:latest'],
		digests: ['registry.example:5000/team/app@' + hex('d')],
		sizeBytes: 7_500_000,
		sharedBytes: 5_000_000,
		uniqueBytes: 2_500_000,
		diffIds: [BASE, APP],
		containers: 2,
	}),
	image('c', {tags: ['web:2'], sizeBytes: 5_420_000, sharedBytes: 5_000_000, uniqueBytes: 420_000, diffIds: [BASE, WEB], created: '2026-11-29T18:00:00Z'}),
	image('e', {sizeBytes: 5_300_000, sharedBytes: 5_000_000, uniqueBytes: 300_000, diffIds: [BASE, OLD], dangling: true, created: '2026-11-28T07:30:00Z'}),
	image('f', {tags: ['base:3.20'], sizeBytes: 5_000_000, sharedBytes: 5_000_000, uniqueBytes: 0, diffIds: [BASE], created: '2026-11-01T00:00:00Z'}),
	image('9', {
		sizeBytes: 5_000_000,
		sharedBytes: 5_000_000,
		uniqueBytes: 0,
		diffIds: [BASE],
		intermediate: true,
		parentId: hex('f'),
		created: '2026-11-01T00:00:00Z',
	}),
];

export const LISTING: StoreListing = {
	engine: 'docker',
	url: 'unix:///var/run/docker.sock',
	images: IMAGES,
	containers: [{id: 'c0', names: ['/app-1'], imageId: hex('a'), state: 'running'}],
	totals: {images: 4, active: 1, layersBytes: 8_220_000, reclaimableBytes: 5_720_000},
};

export const LAYERS: LayerShare[] = [
	{chainId: BASE.replace('sha256:', 'sha256:c'), diffId: BASE, sizeBytes: 5_000_000, images: [hex('a'), hex('c'), hex('e'), hex('f'), hex('9')]},
	{chainId: APP.replace('sha256:', 'sha256:c'), diffId: APP, sizeBytes: 2_500_000, images: [hex('a')]},
	{chainId: WEB.replace('sha256:', 'sha256:c'), diffId: WEB, sizeBytes: 420_000, images: [hex('c')]},
	{chainId: OLD.replace('sha256:', 'sha256:c'), diffId: OLD, sizeBytes: 300_000, images: [hex('e')]},
];
