// What a tip-off's codes mean, in the words the public reads
// (categories: docs/api.md "A submission"; statuses:
// src/domain/tipoff_state.c).
import { tag } from './dom.js';

export const CATEGORY = {
	unfiled_platform: '平台未备案即收集漏洞',
	number_not_shown: '平台首页未标明备案编号',
	untrue_information: '备案信息不真实或变更后未及时更新',
	after_deregistration: '注销备案后仍在收集漏洞',
	illegal_handling: '非法收集、出售或发布漏洞信息',
	other: '其他',
};

const STATUS = {
	new: ['已收到，等待处理', 'grey'],
	in_review: ['正在核实', 'blue'],
	verified: ['经核实属实', 'green'],
	unfounded: ['经核实不成立', 'orange'],
	closed: ['已结束处理', 'grey'],
};

export function statusText(s) {
	return (STATUS[s] || [s])[0];
}

export function statusTag(s) {
	const [text, colour] = STATUS[s] || [s, 'grey'];
	return tag(text, colour);
}

// "2026-03-02T08:15:00Z" as the reader's local "2026-03-02 16:15".
export function stamp(iso) {
	const d = new Date(iso);
	if (Number.isNaN(d.getTime()))
		return iso || '';
	const p = (n) => String(n).padStart(2, '0');
	return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' +
	    p(d.getDate()) + ' ' + p(d.getHours()) + ':' + p(d.getMinutes());
}

// Hands text to the browser as a file to save, under a name of ours.
export function saveFile(text, type, name) {
	const url = URL.createObjectURL(new Blob([text], { type }));
	const a = document.createElement('a');
	a.href = url;
	a.download = name;
	a.hidden = true;
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 60000);
}
