// What the regulators' pages share: the calendar warning, a refusal
// shown in place of the page, timestamps in Beijing time, summary cards,
// labels for statuses and the form's fields, small form controls.
import { h, $, clear, summaryList, banner } from '../lib/dom.js';
import { api, requireRole } from '../lib/api.js';

export const REGULATOR = ['reviewer', 'supervisor'];

// A year's holiday notice that is missing makes deadlines unknown: every
// regulators' page says so at its top (GET /api/v1/calendar/years).
export async function calendarWarning() {
	let y;
	try {
		y = await api.get('/api/v1/calendar/years');
	} catch (e) {
		return;
	}
	const slot = $('#vcp-calendar');
	if (!slot || !y.warning)
		return;
	clear(slot).append(h('div', { class: 'govuk-warning-text',
	    id: 'calendar-warning' },
	    h('span', { class: 'govuk-warning-text__icon',
		'aria-hidden': 'true' }, '!'),
	    h('strong', { class: 'govuk-warning-text__text' },
		h('span', { class: 'govuk-visually-hidden' }, '警告'),
		y.warning.message)));
}

const SECTIONS = [['/review', '备案审核队列'], ['/review/tipoffs', '举报处理'],
    ['/review/outbox', '通报发送']];

function subnav() {
	$('#main-content').prepend(h('nav', { class: 'vcp-subnav',
	    'aria-label': '监管工作' }, h('ul', { class:
	    'govuk-list vcp-subnav__list' }, SECTIONS.map(([href, text]) =>
	    h('li', {}, h('a', { class: 'govuk-link', href, 'aria-current':
		href === location.pathname ? 'page' : null }, text))))));
}

// Logged in (else to the login page), the links between the regulators'
// pages, and the calendar checked.
export async function staffPage() {
	const me = await requireRole(null);
	// An operator who came here is only told no (by the API).
	if (me.role !== 'operator') {
		subnav();
		await calendarWarning();
	}
	return me;
}

// The API refused (403 for a role that may not see this): a clear
// message instead of the page.
export function denied(e, what) {
	const app = clear($('#app'));
	if (e.status !== 403 && e.status !== 404)
		throw e;
	app.append(h('div', { class: 'govuk-inset-text', id: 'denied',
	    role: 'alert' },
	    h('h2', { class: 'govuk-heading-m' },
		e.status === 403 ? '无权访问' : '没有找到'),
	    h('p', { class: 'govuk-body' }, e.message),
	    e.status === 403 ? h('p', { class: 'govuk-body' }, what ||
		'此页面仅供审核人员和监管负责人使用。') : null));
	return null;
}

function pad(n) {
	return String(n).padStart(2, '0');
}

// "2026-11-22T09:12:03Z" as Beijing time, "2026-11-22 17:12".
export function when(iso) {
	if (typeof iso !== 'string' || !iso)
		return '';
	const t = new Date(iso);
	if (isNaN(t))
		return iso;
	const b = new Date(t.getTime() + 8 * 3600 * 1000);
	return b.getUTCFullYear() + '-' + pad(b.getUTCMonth() + 1) + '-' +
	    pad(b.getUTCDate()) + ' ' + pad(b.getUTCHours()) + ':' +
	    pad(b.getUTCMinutes());
}

// A govuk summary card: a title (text or a node) and its rows.
export function card(title, rows, attrs) {
	return h('div', Object.assign({ class: 'govuk-summary-card' },
	    attrs || {}),
	    h('div', { class: 'govuk-summary-card__title-wrapper' },
		h('h2', { class: 'govuk-summary-card__title' }, title)),
	    h('div', { class: 'govuk-summary-card__content' },
		summaryList(rows)));
}

export function tags(list) {
	return list.length ? h('span', { class: 'vcp-tags' }, list) : '—';
}

export const FILING_STATUS = {
	draft: ['草稿', 'grey'], submitted: ['待审核', 'blue'],
	correction_requested: ['待补正', 'yellow'], filed: ['已备案', 'green'],
	rejected: ['不予备案', 'red'], deregistered: ['已注销', 'grey'],
	revoked: ['已撤销', 'red'], approved: ['已批准', 'green'],
};

export const SPONSOR_TYPE = { individual: '个人', enterprise: '企业',
    institution: '事业单位', other: '其他组织' };

// The form's places with the names operators see on the form.
export const GROUPS = [
	['platform', '平台信息', [['name', '漏洞收集平台名称'],
	    ['homepage', '首页网址'], ['icp', 'ICP许可或备案号'],
	    ['publish_urls', '发布漏洞信息的网址'],
	    ['social_accounts', '社交软件发布账号'],
	    ['online_date', '上线日期']]],
	['sponsor', '主办者', [['name', '主办者名称'], ['type', '主办者类型'],
	    ['id_number', '证件号码']]],
	['principal', '主要负责人', [['name', '姓名'], ['mobile', '手机号码'],
	    ['email', '电子邮箱']]],
	['contact', '联系人', [['name', '姓名'], ['mobile', '手机号码'],
	    ['email', '电子邮箱']]],
	['rules', '漏洞管理相关规则', [['collection', '漏洞收集的范围和方式'],
	    ['verification', '漏洞验证评估规则'],
	    ['notification', '通知相关责任主体修补漏洞规则'],
	    ['publication', '漏洞发布规则'],
	    ['user_verification', '注册用户的身份核实规则'],
	    ['classification', '分类分级管理规则']]],
	['mlps', '网络安全等级保护', [['certificate_number', '等级保护备案证明编号'],
	    ['level', '安全保护等级']]],
	['management', '平台管理', [['description', '依据国家标准和行业标准实施平台管理的情况']]],
];

export const ATTACHMENT_KIND = {
	mlps_certificate: '等级保护备案证明', commitment_letter: '承诺书',
	management: '平台管理材料', other: '其他材料',
};

const GROUP_SHORT = { platform: '平台', sponsor: '主办者',
    principal: '主要负责人', contact: '联系人', rules: '规则',
    mlps: '等级保护', management: '平台管理' };

// Every place of this form a correction may name, with its label:
// [[path, label], ...] (lists by entry, as the API's item rule says).
export function formPaths(form) {
	const out = [];
	for (const [g, gname, fields] of GROUPS) {
		for (const [f, label] of fields) {
			const v = ((form || {})[g] || {})[f];
			if (f === 'publish_urls') {
				const n = Math.max(Array.isArray(v) ? v.length : 0, 1);
				for (let i = 0; i < n; i++)
					out.push([`${g}.${f}[${i}]`,
					    `${label}（第${i + 1}个）`]);
			} else if (f === 'social_accounts') {
				const n = Array.isArray(v) ? v.length : 0;
				for (let i = 0; i < n; i++) {
					out.push([`${g}.${f}[${i}].app`,
					    `${label}（第${i + 1}个）：社交软件`]);
					out.push([`${g}.${f}[${i}].account`,
					    `${label}（第${i + 1}个）：账号`]);
				}
			} else {
				out.push([`${g}.${f}`, g === 'principal' ||
				    g === 'contact' ? GROUP_SHORT[g] + label :
				    label]);
			}
		}
	}
	for (const [k, label] of Object.entries(ATTACHMENT_KIND))
		out.push(['attachments.' + k, '附件：' + label]);
	return out;
}

export function pathLabel(form, path) {
	const hit = formPaths(form).find(([p]) => p === path);
	return hit ? hit[1] : path;
}

// Labelled controls, govuk markup; ids by fieldId so the API's field
// errors land beside them.
export function textarea(id, label, hint, rows) {
	return h('div', { class: 'govuk-form-group' },
	    h('label', { class: 'govuk-label govuk-label--s', for: id }, label),
	    hint ? h('div', { class: 'govuk-hint', id: id + '-hint' }, hint) :
		null,
	    h('textarea', { class: 'govuk-textarea', id, rows: rows || 3,
		maxlength: 5000, 'aria-describedby': hint ? id + '-hint' :
		null }));
}

export function input(id, label, hint, attrs) {
	return h('div', { class: 'govuk-form-group' },
	    h('label', { class: 'govuk-label govuk-label--s', for: id }, label),
	    hint ? h('div', { class: 'govuk-hint', id: id + '-hint' }, hint) :
		null,
	    h('input', Object.assign({ class: 'govuk-input', id, type: 'text',
		'aria-describedby': hint ? id + '-hint' : null }, attrs || {})));
}

export function select(id, label, options, attrs) {
	return h('div', { class: 'govuk-form-group' },
	    h('label', { class: 'govuk-label govuk-label--s', for: id }, label),
	    h('select', Object.assign({ class: 'govuk-select', id },
		attrs || {}), options.map(([v, t]) =>
		h('option', { value: v }, t))));
}

// Radios in a fieldset: [[value, label, conditional-node?], ...]; the
// conditional part shows while its radio is chosen.
export function radios(name, legend, options) {
	const conds = [];
	const items = [];
	options.forEach(([value, label, extra], i) => {
		const id = i === 0 ? 'f-' + name : `f-${name}-${i}`;
		items.push(h('div', { class: 'govuk-radios__item' },
		    h('input', { class: 'govuk-radios__input', id, name,
			type: 'radio', value,
			'aria-controls': extra ? id + '-conditional' : null }),
		    h('label', { class: 'govuk-label govuk-radios__label',
			for: id }, label)));
		if (extra) {
			const c = h('div', { class: 'govuk-radios__conditional ' +
			    'govuk-radios__conditional--hidden',
			    id: id + '-conditional' }, extra);
			conds.push(c);
			items.push(c);
		}
	});
	const box = h('div', { class: 'govuk-radios', 'data-module':
	    'govuk-radios' }, items);
	box.addEventListener('change', () => {
		for (const r of box.querySelectorAll('.govuk-radios__input')) {
			const c = r.getAttribute('aria-controls');
			if (!c)
				continue;
			document.getElementById(c).classList.toggle(
			    'govuk-radios__conditional--hidden', !r.checked);
		}
	});
	return h('div', { class: 'govuk-form-group' },
	    h('fieldset', { class: 'govuk-fieldset' },
		h('legend', { class: 'govuk-fieldset__legend ' +
		    'govuk-fieldset__legend--s' }, legend), box));
}

export function chosen(name) {
	const r = document.querySelector(`input[name="${name}"]:checked`);
	return r ? r.value : '';
}

export function val(id) {
	const el = document.getElementById(id);
	return el ? el.value.trim() : '';
}

// A file opened from the API in a new tab: the API names it an
// attachment (a download), so the page opens its bytes as a blob of the
// stored media type, which the browser shows itself.
export async function viewFile(url, type) {
	const w = window.open('', '_blank');
	try {
		const r = await api.get(url, { raw: true });
		const blob = new Blob([await r.arrayBuffer()], { type });
		const u = URL.createObjectURL(blob);
		if (w)
			w.location = u;
		else
			location.assign(u);
		setTimeout(() => URL.revokeObjectURL(u), 60000);
	} catch (e) {
		if (w)
			w.close();
		banner('无法打开附件：' + e.message);
	}
}
