// English messages (the default).
import {enCi} from './en-ci.js';
import {enStore} from './en-store.js';
import {enUi} from './en-ui.js';
import type {ContentKind, Messages} from './messages.js';

const CONTENT: Record<ContentKind, string> = {
	'package-lists': 'package lists',
	'package-cache': 'package cache',
	cache: 'cache files',
	download: 'downloaded files',
	archive: 'archives',
	files: 'files',
	bookkeeping: 'package bookkeeping (dpkg status, debconf, ld.so.cache and the like)',
	toolchain: 'build tools',
};

const range = (from: number, to: number): string => (from === to ? `layer ${from}` : `layers ${from}–${to}`);

export const en: Messages = {
	explain: {
		title: 'Wasted space',
		titleOf: subject => `Wasted space: ${subject}`,
		layerSubject: n => `layer ${n}`,
		nothingSelected: 'nothing selected',
		copyOf: (bytes, path) => `${bytes} of ${path}`,
		storedBy: (layer, command) => `stored by layer ${layer}: ${command}`,
		hiddenBy: (layer, command) => `hidden by layer ${layer}: ${command}`,
		causeLine: (cause, text) => `cause: ${cause}: ${text}`,
		causeText: {
			removed: 'deleted by a later layer; the bytes stay in the layer that stored them',
			overwritten: 'replaced by a later layer with other content; both copies are stored',
			duplicate: 'written again with the same content by a later layer (chmod, chown, touch, a copy); the image stores it twice',
		},
		layerHead: (layer, command) => `Layer ${layer}: ${command}`,
		allVisible: 'Every byte this layer stored is visible in the final image.',
		storedHidden: bytes => `It stored ${bytes} that the final image does not show:`,
		storedItem: (bytes, cause, path, layer, command) => `${bytes} ${cause} ${path}, hidden by layer ${layer}: ${command}`,
		more: count => `… and ${count} more`,
		hidNothing: 'It hid nothing that lower layers stored.',
		hidBytes: bytes => `It hid ${bytes} that lower layers stored (they still count in the image):`,
		hidItem: (bytes, cause, path, layer) => `${bytes} ${cause} ${path}, stored by layer ${layer}`,
		pathClean: path => `No wasted bytes: every copy of ${path} the image stores is visible in the final image.`,
		below: (bytes, path, copies) => `${bytes} wasted below ${path} (${copies} ${copies === 1 ? 'copy' : 'copies'}, largest first):`,
		belowItem: (bytes, cause, path, stored, hidden) => `${bytes} ${cause} ${path}: stored by layer ${stored}, hidden by layer ${hidden}`,
	},
	report: {
		imageLine: (name, kind, reference) => `Image: ${name}  (${kind}: ${reference})`,
		idLine: (id, platform, layers, files) => `  id ${id}  ${platform}  ${layers} layers  ${files} files`,
		sizeLine: (size, compressed) => `  size ${size}${compressed === null ? '' : `  (compressed ${compressed})`}`,
		wastedByCause: (total, removed, overwritten, duplicate) => `wasted ${total}: removed ${removed}, overwritten ${overwritten}, duplicate ${duplicate}`,
		diveLine: (efficiency, wasted, userWasted) => `dive-compatible: efficiency ${efficiency}, wasted ${wasted}, user wasted ${userWasted}`,
		layers: 'Layers',
		columns: {index: '#', size: 'size', wasted: 'wasted', hidden: 'hidden', command: 'command'},
		noHistory: '(no history)',
		storedHidden: (stored, hidden) => `stored by layer ${stored}, hidden by layer ${hidden}`,
	},
	ui: enUi,
	ci: enCi,
	store: enStore,
	heading: 'How to fix',
	nothingToFix: 'No wasted bytes: nothing to fix.',
	layer: n => `layer ${n}`,
	baseLayer: n => `layer ${n} (base image)`,
	cause: {removed: 'removed', overwritten: 'overwritten', duplicate: 'duplicate'},
	amountOf: (bytes, content) => `${bytes} of ${CONTENT[content]}`,
	oneFile: (path, bytes) => `${path} (${bytes})`,
	stored: (layer, command, what) => `${layer}${command ? ` \`${command}\`` : ''} stored ${what}`,
	hidden: (cause, layer, command, plural) => {
		const who = `${layer}${command ? ` \`${command}\`` : ''}`;
		const them = plural ? 'them' : 'it';
		switch (cause) {
			case 'removed':
				return `${who} deleted ${them}, but a delete in a later layer cannot shrink an earlier one`;
			case 'overwritten':
				return `${who} replaced ${them}, and the image keeps both versions`;
			case 'duplicate':
				return `${who} rewrote ${them} with the same content (a mode, owner or time change), which stores a second full copy`;
			default:
				return `${who} rewrote ${them} as a side effect of a package operation`;
		}
	},
	pair: (stored, hidden) => `${stored}; ${hidden}`,
	clauses: parts => parts.join('; '),
	morePairs: (count, bytes) => `and ${bytes} more in ${count} other ${count === 1 ? 'pair' : 'pairs'} of layers`,
	why: {
		'slimmer-base': p => `both layers belong to the base image${p.base ? ` ${p.base}` : ''}, so no step of this Dockerfile can remove it`,
		'base-rewrite': () => `the step is this build's, so this is this build's to fix`,
		'base-delete': () => `the bytes stay in the base image's layer whatever this build deletes`,
		none: () => 'a small, unavoidable cost of installing packages in more than one step',
	},
	fix: {
		'merge-runs': p => `merge ${range(p.from, p.to)} into one RUN: a layer stores only what is left at its end`,
		'move-into-run': p => `run ${p.step} in the RUN of layer ${p.from} that made the files`,
		'copy-chmod': () => 'set the mode as the file is copied (`COPY --chmod`, BuildKit) instead of a later chmod',
		'copy-chown': () => 'set the owner as the file is copied (`COPY --chown`) instead of a later chown',
		'edit-in-context': () =>
			'change the file in the build context instead of rewriting the copy in a later layer (COPY keeps the content and the mode it finds)',
		'bind-mount': () =>
			'bind-mount the file from the build context into the RUN that uses it (`RUN --mount=type=bind`, BuildKit) instead of copying it into a layer and deleting it',
		dockerignore: () => 'keep these files out of the build context (.dockerignore) instead of deleting them after the COPY',
		'copy-less': () => 'copy only the files the image keeps',
		'download-in-run': () => 'download, use and delete the file in one RUN instead of ADD',
		'multi-stage': p => `build in a separate stage and copy only the result into the final image (${range(p.from, p.to)} install and purge a toolchain)`,
		'single-write': () => 'write the final content in one step',
		'base-rewrite': () => "change only the files this build adds (`COPY --chown`/`--chmod`, or chown/chmod just your own paths), not the base image's",
		'base-delete': () => 'use a slimmer base image, or copy only what you need from it in a multi-stage build',
		'slimmer-base': p => `inherited from the base image${p.base ? ` ${p.base}` : ''}: use a slimmer base image or fix the base image's own Dockerfile`,
		none: () => 'nothing to change',
	},
	saving: (bytes, percent) => `saves ${bytes} (${percent} of the image)`,
	noSaving: 'saves nothing',
	wasteLine: (stored, hidden, cause, files, bytes) => `layer ${stored} → layer ${hidden}, ${cause}: ${files} ${files === 1 ? 'file' : 'files'}, ${bytes}`,
	topPath: (path, files, bytes) => `${path} ${files} ${files === 1 ? 'file' : 'files'} ${bytes}`,
	dockerfileLabel: 'Dockerfile:',
	wasteLabel: 'Waste:',
	mismatch: (line, text, image) =>
		`the Dockerfile does not match the image at line ${line} \`${text}\` (${image === null ? 'the image has no step left there' : `the image has \`${image}\``}); findings name no Dockerfile lines`,
	noStage: 'the Dockerfile has no FROM, so it cannot be matched with the image; findings name no Dockerfile lines',
	baseImagePlaceholder: '<base image>',
	buildOutputComment: '# COPY --from=build <what the build made> <where it goes>',
	urlPlaceholder: '<the URL the ADD fetched>',
	noiseOverBase: 'a small, unavoidable cost of installing packages on top of the base image: any package operation rewrites these files',
};
