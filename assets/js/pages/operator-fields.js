// The filing form's fields as the operators' pages draw them: the seven
// groups of SPEC §2 as steps, each field named by its API path, so the
// API's field errors and the reviewer's items land beside the control
// whose id is fieldId(path).
import { h, $, $$, clear, fieldId } from '../lib/dom.js';

const F = (path, label, opts) => Object.assign({ path, label,
    kind: 'text', required: true }, opts || {});
const RULE = (k, label) => F('rules.' + k, label, { kind: 'area' });
const DATE_HINT = '格式 YYYY-MM-DD，例如 2027-03-01';

export const SPONSOR_TYPES = [['individual', '个人'], ['enterprise', '企业'],
    ['institution', '事业单位'], ['other', '其他组织']];
const LEVELS = [1, 2, 3, 4, 5].map((n) => [String(n),
    '第' + '一二三四五'[n - 1] + '级']);

export const STEPS = [
	{ key: 'platform', title: '平台信息', fields: [
		F('platform.name', '漏洞收集平台名称', { max: 128 }),
		F('platform.homepage', '首页网址',
		    { hint: '以 https:// 或 http:// 开头的完整网址', max: 2048 }),
		F('platform.icp', 'ICP许可证号或ICP备案号', { max: 64, width: 20,
		    hint: '例如 京ICP备12345678号-1、京ICP证030173号' }),
		F('platform.online_date', '上线日期', { width: 10,
		    hint: '已上线或计划上线的日期，' + DATE_HINT }),
		F('platform.publish_urls', '发布漏洞信息的网址', { kind: 'list',
		    item: '网址', hint: '至少填写一个，最多20个' }),
		F('platform.social_accounts', '发布漏洞信息的社交软件账号',
		    { kind: 'pairs', required: false,
		    hint: '例如微信公众号；没有可以不填，最多20个' }),
	] },
	{ key: 'sponsor', title: '主办者', fields: [
		F('sponsor.name', '主办单位或主办个人名称', { max: 128 }),
		F('sponsor.type', '主办者类型', { kind: 'radios',
		    options: SPONSOR_TYPES }),
		F('sponsor.id_number', '证件号码', { width: 20, max: 18,
		    hint: '主办个人填写18位居民身份证号码；主办单位填写18位统一社会信用代码' }),
	] },
	{ key: 'people', title: '负责人和联系人', fields: [
		F('principal.name', '主要负责人姓名', { max: 64,
		    section: '主要负责人' }),
		F('principal.mobile', '主要负责人手机号码', { width: 20 }),
		F('principal.email', '主要负责人电子邮箱', { max: 254 }),
		F('contact.name', '联系人姓名', { max: 64, section: '联系人' }),
		F('contact.mobile', '联系人手机号码', { width: 20 }),
		F('contact.email', '联系人电子邮箱', { max: 254 }),
	] },
	{ key: 'rules', title: '漏洞管理规则', fields: [
		RULE('collection', '漏洞收集的范围和方式'),
		RULE('verification', '漏洞验证评估规则'),
		RULE('notification', '通知相关责任主体修补漏洞规则'),
		RULE('publication', '漏洞发布规则'),
		RULE('user_verification', '注册用户的身份核实规则'),
		RULE('classification', '分类分级管理规则'),
	] },
	{ key: 'mlps', title: '网络安全等级保护', fields: [
		F('mlps.certificate_number', '等级保护备案证明编号', { width: 20,
		    hint: '例如 11010199001-00001' }),
		F('mlps.level', '等级保护级别', { kind: 'select', options: LEVELS }),
	] },
	{ key: 'management', title: '平台管理情况', fields: [
		F('management.description',
		    '依据国家标准和行业标准实施平台管理的情况', { kind: 'area' }),
	] },
	{ key: 'attachments', title: '附件', fields: [] },
];

export const KINDS = [
	['mlps_certificate', '网络安全等级保护备案证明', true],
	['commitment_letter', '承诺书（签字并盖章）', true],
	['management', '平台管理相关材料', false],
	['other', '其他材料', false],
];

// path -> label, for the error summary and the reviewer's items.
export const LABELS = {};
for (const s of STEPS) {
	for (const f of s.fields)
		LABELS[f.path] = f.label;
}
for (const [k, label] of KINDS)
	LABELS['attachments.' + k] = label;
LABELS.changed_on = '变化日期';
LABELS.ended_on = '终止服务日期';

// A path's label, lists included: "发布漏洞信息的网址 第2个".
export function labelOf(path) {
	const m = /^([a-z_]+\.[a-z_]+)(?:\[(\d+)\])?(?:\.([a-z]+))?$/.exec(path);
	if (!m || !LABELS[m[1]])
		return LABELS[path] || path;
	let s = LABELS[m[1]];
	if (m[2] !== undefined)
		s += ' 第' + (Number(m[2]) + 1) + '个';
	if (m[3])
		s += m[3] === 'app' ? '的社交软件名称' : '的公众号';
	return s;
}

// Which step a path belongs to.
export function stepOf(path) {
	const g = path.split(/[.[]/)[0];
	if (g === 'principal' || g === 'contact')
		return 'people';
	return STEPS.some((s) => s.key === g) ? g : null;
}

export function get(form, path) {
	const [g, k] = path.split('.');
	return form && form[g] ? form[g][k] : undefined;
}

function hinted(id, hint) {
	return hint ? h('div', { class: 'govuk-hint', id: id + '-hint' },
	    hint) : null;
}

function input(id, name, value, opts) {
	const el = h('input', { class: 'govuk-input' + (opts.width ?
	    ' govuk-input--width-' + opts.width : ''), id, name, type: 'text',
	    spellcheck: 'false', maxlength: opts.max || 256,
	    autocomplete: opts.autocomplete || 'off',
	    'aria-describedby': opts.hint ? id + '-hint' : null });
	el.value = value === undefined || value === null ? '' : String(value);
	return el;
}

function textField(f, value) {
	const id = fieldId(f.path);
	const label = h('label', { class: 'govuk-label govuk-label--s', for: id },
	    f.label);
	let control;
	if (f.kind === 'area') {
		control = h('textarea', { class: 'govuk-textarea', id,
		    name: f.path, rows: 5, maxlength: 10000,
		    'aria-describedby': f.hint ? id + '-hint' : null });
		control.value = value || '';
	} else if (f.kind === 'select') {
		control = h('select', { class: 'govuk-select', id, name: f.path },
		    h('option', { value: '' }, '请选择'),
		    f.options.map(([v, t]) => h('option', { value: v }, t)));
		control.value = value === undefined || value === null ? '' :
		    String(value);
	} else {
		control = input(id, f.path, value, f);
	}
	return h('div', { class: 'govuk-form-group' }, label,
	    hinted(id, f.hint), control);
}

function radiosField(f, value) {
	const id = fieldId(f.path);
	return h('div', { class: 'govuk-form-group' },
	    h('fieldset', { class: 'govuk-fieldset' },
		h('legend', { class: 'govuk-fieldset__legend ' +
		    'govuk-fieldset__legend--s' }, f.label),
		h('div', { class: 'govuk-radios govuk-radios--small',
		    'data-module': 'govuk-radios' },
		    f.options.map(([v, t], i) => {
			    const rid = i === 0 ? id : id + '-' + v;
			    return h('div', { class: 'govuk-radios__item' },
				h('input', { class: 'govuk-radios__input', id: rid,
				    name: f.path, type: 'radio', value: v,
				    checked: value === v }),
				h('label', { class: 'govuk-label ' +
				    'govuk-radios__label', for: rid }, t));
		    }))));
}

function removeButton(text, onclick) {
	return h('button', { type: 'button', class: 'govuk-button ' +
	    'govuk-button--secondary vcp-row__remove', onclick }, text);
}

// A list the operator grows and shrinks: rows are drawn again from their
// values after each change, so ids always follow the API's indexes.
function listField(f, value) {
	const id = fieldId(f.path);
	const rows = h('div', { class: 'vcp-rows' });
	const pairs = f.kind === 'pairs';
	const draw = (vals) => {
		clear(rows);
		vals.forEach((v, i) => {
			const rid = fieldId(f.path + '[' + i + ']');
			const n = i + 1;
			const remove = removeButton(h('span', {}, '删除',
			    h('span', { class: 'govuk-visually-hidden' },
				(pairs ? '账号' : f.item) + n)), () => {
				const cur = listValues(f);
				cur.splice(i, 1);
				draw(cur.length || pairs ? cur : ['']);
				($('input', rows) || add).focus();
			});
			if (pairs) {
				rows.append(h('fieldset', { class: 'govuk-fieldset ' +
				    'vcp-row', id: rid, tabindex: '-1' },
				    h('legend', { class: 'govuk-fieldset__legend ' +
					'govuk-fieldset__legend--s' }, '账号 ' + n),
				    h('div', { class: 'govuk-form-group' },
					h('label', { class: 'govuk-label', for: rid +
					    '-app' }, '社交软件名称'),
					input(rid + '-app', f.path + '.app', v.app,
					    { width: 10, max: 64 })),
				    h('div', { class: 'govuk-form-group' },
					h('label', { class: 'govuk-label', for: rid +
					    '-account' }, '公众号名称'),
					input(rid + '-account', f.path + '.account',
					    v.account, { width: 20, max: 128 })),
				    remove));
			} else {
				rows.append(h('div', { class: 'govuk-form-group ' +
				    'vcp-row' },
				    h('label', { class: 'govuk-label', for: rid },
					f.item + ' ' + n),
				    input(rid, f.path, v, { max: 2048 }),
				    vals.length > 1 ? remove : null));
			}
		});
	};
	const add = h('button', { type: 'button', class: 'govuk-button ' +
	    'govuk-button--secondary', id: id + '-add', onclick: () => {
		const cur = listValues(f);
		if (cur.length >= 20)
			return;
		cur.push(pairs ? { app: '', account: '' } : '');
		draw(cur);
		const last = $$('input', rows).pop();
		if (last)
			(pairs ? $$('input', rows).slice(-2)[0] : last).focus();
	} }, pairs ? '添加账号' : '添加' + f.item);
	const vals = Array.isArray(value) ? value.slice() : [];
	draw(vals.length || pairs ? vals : ['']);
	const group = h('div', { class: 'govuk-form-group', dataset: {
	    list: f.path } },
	    h('fieldset', { class: 'govuk-fieldset', id, tabindex: '-1',
		'aria-describedby': f.hint ? id + '-hint' : null },
		h('legend', { class: 'govuk-fieldset__legend ' +
		    'govuk-fieldset__legend--s' }, f.label),
		hinted(id, f.hint), rows, add));
	group.vcpDraw = draw;
	return group;
}

// The rows' values as they stand, empty rows included.
function listValues(f) {
	const group = document.querySelector('[data-list="' + f.path + '"]');
	if (!group)
		return [];
	if (f.kind === 'pairs') {
		return $$('fieldset.vcp-row', group).map((r) => ({
			app: $('input[name$=".app"]', r).value.trim(),
			account: $('input[name$=".account"]', r).value.trim() }));
	}
	return $$('input', group).map((i) => i.value.trim());
}

export function field(f, value) {
	if (f.kind === 'radios')
		return radiosField(f, value);
	if (f.kind === 'list' || f.kind === 'pairs')
		return listField(f, value);
	return textField(f, value);
}

// A field's value as the API takes it; undefined when left empty.  Empty
// rows of a list are dropped and the rows drawn again, so that the
// indexes of the API's errors are those the operator sees.
export function value(f) {
	if (f.kind === 'radios') {
		const c = document.querySelector('input[name="' + f.path +
		    '"]:checked');
		return c ? c.value : undefined;
	}
	if (f.kind === 'list' || f.kind === 'pairs') {
		const pairs = f.kind === 'pairs';
		const vals = listValues(f).filter((v) => pairs ?
		    v.app || v.account : v);
		const group = document.querySelector('[data-list="' + f.path +
		    '"]');
		if (group && listValues(f).length !== vals.length)
			group.vcpDraw(vals.length || pairs ? vals : ['']);
		return vals.length ? vals : undefined;
	}
	const el = document.getElementById(fieldId(f.path));
	if (!el)
		return undefined;
	const v = el.value.trim();
	if (v === '')
		return undefined;
	return f.path === 'mlps.level' ? Number(v) : v;
}

// The groups of the form for the given fields, from the page's controls.
export function collect(fields) {
	const form = {};
	for (const f of fields) {
		const v = value(f);
		if (v === undefined)
			continue;
		const [g, k] = f.path.split('.');
		form[g] = form[g] || {};
		form[g][k] = v;
	}
	return form;
}

// A value as the summary shows it.
export function shown(f, v) {
	if (v === undefined || v === null || v === '')
		return '';
	if (f.kind === 'radios' || f.kind === 'select') {
		const o = f.options.find(([k]) => k === String(v));
		return o ? o[1] : String(v);
	}
	if (f.kind === 'list')
		return h('ul', { class: 'govuk-list' }, v.map((u) => h('li', {}, u)));
	if (f.kind === 'pairs') {
		return h('ul', { class: 'govuk-list' }, v.map((a) =>
		    h('li', {}, a.app + '：' + a.account)));
	}
	return String(v);
}

const CST = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai',
    year: 'numeric', month: '2-digit', day: '2-digit' });

// Today in China, where the measures' dates are counted.
export function todayCst() {
	return CST.format(new Date());
}

// The day (China's) of a time the API gives in UTC.
export function cstDate(s) {
	const d = new Date(s);
	return typeof s === 'string' && !isNaN(d) ? CST.format(d) : '';
}

export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
export { DATE_HINT };

// The reviewer's problem beside the field it names (or, for an entry of
// a list, beside the list), described by it for screen readers.
export function markProblem(path, problem) {
	let el = document.getElementById(fieldId(path));
	if (!el)
		el = document.getElementById(fieldId(path.replace(/\[\d+\].*$/,
		    '')));
	if (!el)
		return;
	const id = el.id + '-problem';
	const note = h('div', { class: 'govuk-inset-text vcp-problem', id },
	    h('strong', {}, '审核意见：'), problem);
	const anchor = el.closest('.govuk-radios') || el;
	anchor.before(note);
	el.setAttribute('aria-describedby', ((el.getAttribute(
	    'aria-describedby') || '') + ' ' + id).trim());
}
