// 简体中文消息。
import type {ContentKind, Messages} from './messages.js';
import {zhCi} from './zh-ci.js';
import {zhStore} from './zh-store.js';
import {zhUi} from './zh-ui.js';

const CONTENT: Record<ContentKind, string> = {
	'package-lists': '软件包列表',
	'package-cache': '软件包缓存',
	cache: '缓存文件',
	download: '下载的文件',
	archive: '压缩包',
	files: '文件',
	bookkeeping: '软件包管理记录（dpkg 状态、debconf、ld.so.cache 等）',
	toolchain: '构建工具',
};

const range = (from: number, to: number): string => (from === to ? `第 ${from} 层` : `第 ${from}–${to} 层`);

export const zh: Messages = {
	explain: {
		title: '浪费的空间',
		titleOf: subject => `浪费的空间：${subject}`,
		layerSubject: n => `第 ${n} 层`,
		nothingSelected: '未选中任何内容',
		copyOf: (bytes, path) => `${path}，${bytes}`,
		storedBy: (layer, command) => `写入者：第 ${layer} 层 ${command}`,
		hiddenBy: (layer, command) => `遮盖者：第 ${layer} 层 ${command}`,
		causeLine: (cause, text) => `原因：${cause}：${text}`,
		causeText: {
			removed: '被后面的层删除；这些字节仍留在写入它们的层里',
			overwritten: '被后面的层换成了其他内容；两份副本都保存在镜像中',
			duplicate: '被后面的层以相同内容再写了一次（chmod、chown、touch、复制）；镜像保存了两份',
		},
		layerHead: (layer, command) => `第 ${layer} 层：${command}`,
		allVisible: '这一层写入的每个字节在最终镜像中都可见。',
		storedHidden: bytes => `它写入了 ${bytes} 最终镜像中看不到的内容：`,
		storedItem: (bytes, cause, path, layer, command) => `${bytes} ${cause} ${path}，被第 ${layer} 层遮盖：${command}`,
		more: count => `…… 还有 ${count} 项`,
		hidNothing: '它没有遮盖下层写入的任何内容。',
		hidBytes: bytes => `它遮盖了下层写入的 ${bytes}（这些字节仍计入镜像大小）：`,
		hidItem: (bytes, cause, path, layer) => `${bytes} ${cause} ${path}，由第 ${layer} 层写入`,
		pathClean: path => `没有浪费：镜像中 ${path} 的每份副本在最终镜像中都可见。`,
		below: (bytes, path, copies) => `${path} 下浪费了 ${bytes}（${copies} 份副本，从大到小）：`,
		belowItem: (bytes, cause, path, stored, hidden) => `${bytes} ${cause} ${path}：第 ${stored} 层写入，第 ${hidden} 层遮盖`,
	},
	report: {
		imageLine: (name, kind, reference) => `镜像：${name}  （${kind}：${reference}）`,
		idLine: (id, platform, layers, files) => `  ID ${id}  ${platform}  ${layers} 层  ${files} 个文件`,
		sizeLine: (size, compressed) => `  大小 ${size}${compressed === null ? '' : `  （压缩后 ${compressed}）`}`,
		wastedByCause: (total, removed, overwritten, duplicate) => `浪费 ${total}：已删除 ${removed}，被覆盖 ${overwritten}，重复副本 ${duplicate}`,
		diveLine: (efficiency, wasted, userWasted) => `与 dive 兼容：效率 ${efficiency}，浪费 ${wasted}，用户层浪费 ${userWasted}`,
		layers: '层',
		columns: {index: '#', size: '大小', wasted: '浪费', hidden: '遮盖', command: '命令'},
		noHistory: '（无历史记录）',
		storedHidden: (stored, hidden) => `由第 ${stored} 层写入，被第 ${hidden} 层遮盖`,
	},
	ui: zhUi,
	ci: zhCi,
	store: zhStore,
	heading: '如何修复',
	nothingToFix: '没有浪费的字节，无需修复。',
	layer: n => `第 ${n} 层`,
	baseLayer: n => `第 ${n} 层（基础镜像）`,
	cause: {removed: '已删除', overwritten: '被覆盖', duplicate: '重复副本'},
	amountOf: (bytes, content) => `${bytes} 的${CONTENT[content]}`,
	oneFile: (path, bytes) => `${path}（${bytes}）`,
	stored: (layer, command, what) => `${layer}${command ? ` \`${command}\`` : ''} 写入了 ${what}`,
	hidden: (cause, layer, command, plural) => {
		const who = `${layer}${command ? ` \`${command}\`` : ''}`;
		const them = plural ? '它们' : '它';
		switch (cause) {
			case 'removed':
				return `${who} 删除了${them}，但后面层中的删除无法缩小前面的层`;
			case 'overwritten':
				return `${who} 替换了${them}，镜像会同时保留两个版本`;
			case 'duplicate':
				return `${who} 以相同的内容重写了${them}（只改了权限、属主或时间），这会再存一份完整的副本`;
			default:
				return `${who} 在执行软件包操作时顺带重写了${them}`;
		}
	},
	pair: (stored, hidden) => `${stored}；${hidden}`,
	clauses: parts => parts.join('；'),
	morePairs: (count, bytes) => `另有 ${bytes} 分布在其他 ${count} 组层中`,
	why: {
		'slimmer-base': p => `这两层都属于基础镜像${p.base ? ` ${p.base}` : ''}，本 Dockerfile 中的任何步骤都无法去掉它们`,
		'base-rewrite': () => '该步骤属于本次构建，因此应由本次构建修复',
		'base-delete': () => '无论本次构建删除什么，这些字节都留在基础镜像的层里',
		none: () => '这是分多步安装软件包时不可避免的小开销',
	},
	fix: {
		'merge-runs': p => `把${range(p.from, p.to)}合并成一个 RUN：每一层只保存该步骤结束时留下的内容`,
		'move-into-run': p => `把 ${p.step} 放到生成这些文件的第 ${p.from} 层的 RUN 中执行`,
		'copy-chmod': () => '复制时直接设置权限（`COPY --chmod`，需要 BuildKit），不要事后再 chmod',
		'copy-chown': () => '复制时直接设置属主（`COPY --chown`），不要事后再 chown',
		'edit-in-context': () => '直接在构建上下文中修改该文件，不要在后面的层中重写复制进来的副本（COPY 会保留文件的内容和权限）',
		'bind-mount': () => '在使用该文件的 RUN 中通过绑定挂载直接读取构建上下文里的文件（`RUN --mount=type=bind`，需要 BuildKit），不要先复制进层里再删除',
		dockerignore: () => '用 .dockerignore 把这些文件排除在构建上下文之外，而不是在 COPY 之后再删除',
		'copy-less': () => '只复制镜像需要保留的文件',
		'download-in-run': () => '在同一个 RUN 中下载、使用并删除该文件，不要用 ADD',
		'multi-stage': p => `在单独的构建阶段中编译，只把结果复制到最终镜像（${range(p.from, p.to)}安装后又卸载了工具链）`,
		'single-write': () => '一步写入最终内容',
		'base-rewrite': () => '只修改本次构建添加的文件（`COPY --chown`/`--chmod`，或只对自己的路径执行 chown/chmod），不要改动基础镜像的文件',
		'base-delete': () => '换用更精简的基础镜像，或在多阶段构建中只复制需要的文件',
		'slimmer-base': p => `继承自基础镜像${p.base ? ` ${p.base}` : ''}：请换用更精简的基础镜像，或修复基础镜像自己的 Dockerfile`,
		none: () => '无需修改',
	},
	saving: (bytes, percent) => `可节省 ${bytes}（占镜像的 ${percent}）`,
	noSaving: '不会节省空间',
	wasteLine: (stored, hidden, cause, files, bytes) => `第 ${stored} 层 → 第 ${hidden} 层，${cause}：${files} 个文件，${bytes}`,
	topPath: (path, files, bytes) => `${path} ${files} 个文件 ${bytes}`,
	dockerfileLabel: 'Dockerfile：',
	wasteLabel: '浪费：',
	mismatch: (line, text, image) =>
		`Dockerfile 与镜像不符：第 ${line} 行 \`${text}\`（${image === null ? '镜像在此处已没有对应的步骤' : `镜像中是 \`${image}\``}）；发现不标注 Dockerfile 行号`,
	noStage: 'Dockerfile 中没有 FROM，无法与镜像对应；发现不标注 Dockerfile 行号',
	baseImagePlaceholder: '<基础镜像>',
	buildOutputComment: '# COPY --from=build <构建生成的文件> <目标位置>',
	urlPlaceholder: '<ADD 下载的 URL>',
	noiseOverBase: '这是在基础镜像之上安装软件包时不可避免的小开销：任何软件包操作都会重写这些文件',
};
