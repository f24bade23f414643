// The operators' pages around a filing: "my filings" with what to do next,
// reporting a change of a filed platform (with its due date and a late
// warning before sending), and deregistering with a confirmation step.
import { h, $, $$, clear, summaryList } from '../lib/dom.js';
import { api, requireRole, pathId, ApiError } from '../lib/api.js';
import { showErrors, clearErrors } from '../lib/form.js';
import { STEPS, get, field, collect, todayCst, cstDate, DATE_RE,
    DATE_HINT, labelOf, markProblem } from './operator-fields.js';
import { statusTag, labelsFor, CHANGE_STATUS } from './operator-filing.js';

function link(text, href, attrs) {
	return h('a', Object.assign({ class: 'govuk-link', href }, attrs || {}),
	    text);
}

function hidden(text) {
	return h('span', { class: 'govuk-visually-hidden' }, text);
}

// What the operator does next with a filing in this status.
function next(f, name) {
	const page = '/operator/filings/' + f.id;
	const a = (text, href) => link(h('span', {}, text, hidden('：' + name)),
	    href);
	switch (f.status) {
	case 'draft':
		return ['尚未提交：填写完整后检查并提交', [a('继续填写', page)]];
	case 'correction_requested':
		return ['审核人员要求补正：按审核意见修改后重新提交',
		    [a('查看审核意见并修改', page)]];
	case 'submitted':
		return ['等待审核，审核期限 ' + (f.deadline || '待定'),
		    [a('查看', page)]];
	case 'filed':
		return ['已备案：在平台首页底部标明备案编号', [a('备案编号和标识', page),
		    a('报送变更', page + '/change'),
		    a('注销备案', page + '/deregister')]];
	case 'rejected':
		return ['未通过审核', [a('查看原因', page)]];
	default:
		return ['备案已终止', [a('查看', page)]];
	}
}

export async function operatorHome() {
	await requireRole(['operator']);
	const app = $('#app');
	const { filings } = await api.get('/api/v1/filings');
	const start = h('button', { type: 'button', class: 'govuk-button',
	    'data-module': 'govuk-button', id: 'new-filing',
	    onclick: async () => {
		    start.disabled = true;
		    try {
			    const r = await api.post('/api/v1/filings');
			    location.assign('/operator/filings/' + r.filing.id);
		    } catch (e) {
			    start.disabled = false;
			    showErrors(e);
		    }
	    } }, '开始新的备案申请');
	app.append(start);
	if (!filings.length) {
		app.append(h('p', { class: 'govuk-body' }, '您还没有备案申请。'));
		return;
	}
	app.append(h('h2', { class: 'govuk-heading-m' }, '备案申请（' +
	    filings.length + '）'));
	for (const f of filings) {
		const name = f.platform_name || '未命名的备案申请';
		const [todo, actions] = next(f, name);
		const rows = [['状态', statusTag(f.status)]];
		if (f.filing_number)
			rows.push(['备案编号', f.filing_number]);
		if (f.status === 'submitted')
			rows.push(['审核期限', f.deadline || '待定']);
		rows.push(['最近更新', cstDate(f.updated_at)], ['下一步', todo]);
		app.append(h('div', { class: 'govuk-summary-card vcp-filing',
		    dataset: { id: f.id } },
		    h('div', { class: 'govuk-summary-card__title-wrapper' },
			h('h3', { class: 'govuk-summary-card__title vcp-break' },
			    name),
			h('ul', { class: 'govuk-summary-card__actions' },
			    actions.map((x) => h('li', { class:
				'govuk-summary-card__action' }, x)))),
		    h('div', { class: 'govuk-summary-card__content' },
			summaryList(rows))));
	}
}

async function filedOr(app) {
	await requireRole(['operator']);
	const id = pathId(3);
	if (!id)
		throw new ApiError(404, { error: { message: '没有找到这个备案' } });
	const f = (await api.get('/api/v1/filings/' + id)).filing;
	if (f.status !== 'filed') {
		app.append(h('p', { class: 'govuk-body' }, '只有已备案的平台可以' +
		    '报送变更或注销，这份备案的状态是：', statusTag(f.status)),
		    h('p', { class: 'govuk-body' }, link('返回备案',
			'/operator/filings/' + f.id)));
		return null;
	}
	return f;
}

function dateField(id, label, hint, value) {
	const el = h('input', { class: 'govuk-input govuk-input--width-10', id,
	    name: id.slice(2), type: 'text', inputmode: 'numeric',
	    autocomplete: 'off', maxlength: 10, 'aria-describedby': id + '-hint' });
	el.value = value || '';
	return h('div', { class: 'govuk-form-group' },
	    h('label', { class: 'govuk-label govuk-label--s', for: id }, label),
	    h('div', { class: 'govuk-hint', id: id + '-hint' }, hint), el);
}

function fieldError(path, message) {
	return showErrors({ message, fields: { [path]: { message } } }, null,
	    labelsFor({ fields: { [path]: 1 } }));
}

function buttons(...b) {
	return h('div', { class: 'govuk-button-group' }, b);
}

function panel(title, lines) {
	return h('div', { class: 'govuk-panel govuk-panel--confirmation',
	    tabindex: '-1', id: 'done' },
	    h('h2', { class: 'govuk-panel__title' }, title),
	    h('div', { class: 'govuk-panel__body' }, lines.map((l, i) =>
		[i ? h('br') : null, l])));
}

function warning(text) {
	return h('div', { class: 'govuk-warning-text' },
	    h('span', { class: 'govuk-warning-text__icon',
		'aria-hidden': 'true' }, '!'),
	    h('strong', { class: 'govuk-warning-text__text' },
		hidden('警告'), text));
}

// The groups an operator may report as changed, the people apart.
const GROUPS = [['platform', '平台信息'], ['sponsor', '主办者'],
    ['principal', '主要负责人'], ['contact', '联系人'],
    ['rules', '漏洞管理规则'], ['mlps', '网络安全等级保护'],
    ['management', '平台管理情况']];
const FIELDS = STEPS.flatMap((s) => s.fields);
const groupFields = (g) => FIELDS.filter((f) => f.path.startsWith(g + '.'));

export async function operatorChange() {
	const app = $('#app');
	const f = await filedOr(app);
	if (!f)
		return;
	const changes = (await api.get('/api/v1/filings/' + f.id +
	    '/changes')).changes || [];
	const open = changes.find((c) => c.status === 'submitted' ||
	    c.status === 'correction_requested');
	if (open && open.status === 'submitted') {
		app.append(h('p', { class: 'govuk-body' }, '这个平台已有一项变更' +
		    '正在审核（变化日期 ' + open.changed_on + '），审核完成后才能' +
		    '报送新的变更。'), h('p', { class: 'govuk-body' },
		    link('返回备案', '/operator/filings/' + f.id)));
		return;
	}
	// A change sent back is edited from what it sent (its whole form, read
	// on its own: the list names only the changed fields).
	const base = open ? ((await api.get('/api/v1/filings/' + f.id +
	    '/changes/' + open.id)).change.form || f.form) : f.form;
	const chosen = new Set(open ? open.fields.map((p) => p.split(/[.[]/)[0]) :
	    []);
	const formPart = h('div', {});
	const confirmPart = h('div', { hidden: true });
	app.append(h('p', { class: 'govuk-body' }, '平台：',
	    h('strong', {}, get(f.form, 'platform.name')), '（备案编号 ',
	    f.filing_number, '）'));
	if (open) {
		app.append(h('div', { class: 'govuk-inset-text' },
		    h('p', { class: 'govuk-body' }, '审核人员要求补正这项变更（变化日期 ' +
			open.changed_on + '）。请按下列意见修改后再报送，意见也显示在' +
			'相应的信息旁边：'),
		    h('ul', { class: 'govuk-list govuk-list--bullet' },
			((open.decision && open.decision.items) || []).map((it) =>
			    h('li', {}, labelOf(it.field) + '：' + it.problem)))));
	}
	app.append(formPart, confirmPart);

	const boxes = GROUPS.map(([g, label], i) => {
		const cid = i === 0 ? 'f-changes' : 'f-changes-' + g;
		const more = h('div', { class: 'govuk-checkboxes__conditional',
		    id: cid + '-fields', hidden: !chosen.has(g) },
		    groupFields(g).map((x) => field(x, get(base, x.path))));
		const box = h('input', { class: 'govuk-checkboxes__input', id: cid,
		    name: 'changes', type: 'checkbox', value: g,
		    checked: chosen.has(g), 'aria-controls': cid + '-fields',
		    'aria-expanded': String(chosen.has(g)), onchange: () => {
			    more.hidden = !box.checked;
			    box.setAttribute('aria-expanded', String(box.checked));
		    } });
		return [h('div', { class: 'govuk-checkboxes__item' }, box,
		    h('label', { class: 'govuk-label govuk-checkboxes__label',
			for: cid }, label)), more];
	});
	const due = h('div', { id: 'change-due', 'aria-live': 'polite' });
	const date = dateField('f-changed_on', '信息发生变化的日期', DATE_HINT,
	    open ? open.changed_on : '');
	const input = $('input', date);
	let dueOn = null;
	const lookup = async () => {
		dueOn = null;
		clear(due);
		const d = input.value.trim();
		if (!DATE_RE.test(d))
			return null;
		try {
			const r = await api.get('/api/v1/calendar/deadline?from=' + d +
			    '&days=30');
			dueOn = r.deadline;
		} catch (e) {
			due.append(h('p', { class: 'govuk-body' }, e.message));
			return null;
		}
		due.append(h('p', { class: 'govuk-body' }, '报送期限：',
		    h('strong', {}, dueOn), '（变化之日起30日，遇节假日顺延）'));
		if (todayCst() > dueOn) {
			due.append(warning('已超过报送期限。仍可报送，但这项变更' +
			    '会被标记为逾期报送。'));
		}
		return dueOn;
	};
	input.addEventListener('change', lookup);
	formPart.append(h('form', { novalidate: true, onsubmit: async (ev) => {
		ev.preventDefault();
		clearErrors();
		const groups = $$('input[name=changes]:checked', formPart)
		    .map((b) => b.value);
		if (!groups.length)
			return fieldError('changes', '请选择发生变化的信息');
		const d = input.value.trim();
		if (!DATE_RE.test(d))
			return fieldError('changed_on', '请按 YYYY-MM-DD 格式填写日期');
		if (d > todayCst())
			return fieldError('changed_on', '变化日期不能晚于今天');
		if (!await lookup())
			return fieldError('changed_on', '无法计算报送期限，请检查日期');
		confirm(groups, d);
	} },
	    h('div', { class: 'govuk-form-group' },
		h('fieldset', { class: 'govuk-fieldset',
		    'aria-describedby': 'f-changes-hint' },
		    h('legend', { class: 'govuk-fieldset__legend ' +
			'govuk-fieldset__legend--m' }, '哪些信息发生了变化？'),
		    h('div', { class: 'govuk-hint', id: 'f-changes-hint' },
			'选择所有发生变化的部分，再按变化后的内容修改下面的信息'),
		    h('div', { class: 'govuk-checkboxes govuk-checkboxes--small' },
			boxes))),
	    date, due,
	    buttons(h('button', { type: 'submit', class: 'govuk-button',
		id: 'change-continue' }, '继续'),
		link('取消', '/operator/filings/' + f.id))));
	for (const it of (open && open.decision && open.decision.items) || [])
		markProblem(it.field, it.problem);

	const confirm = (groups, d) => {
		const late = todayCst() > dueOn;
		clear(confirmPart).append(
		    h('h2', { class: 'govuk-heading-m', tabindex: '-1' },
			'确认并报送变更'),
		    summaryList([['变化日期', d], ['报送期限', dueOn],
			['变更的信息', groups.map((g) => GROUPS.find((x) =>
			    x[0] === g)[1]).join('、')]]),
		    late ? warning('这项变更在报送期限（' + dueOn + '）之后报送，' +
			'将被标记为逾期报送。') : '',
		    buttons(h('button', { type: 'button', class: 'govuk-button',
			id: 'send-change', onclick: (ev) => send(groups, d,
			    ev.currentTarget) }, '报送变更'),
			h('button', { type: 'button', class: 'govuk-button ' +
			    'govuk-button--secondary', onclick: back },
			    '返回修改')));
		formPart.hidden = true;
		confirmPart.hidden = false;
		$('h2', confirmPart).focus();
	};
	const back = () => {
		confirmPart.hidden = true;
		formPart.hidden = false;
		input.focus();
	};
	const send = async (groups, d, btn) => {
		const body = { changed_on: d, changes: {} };
		for (const g of groups) {
			body.changes[g] = collect(groupFields(g))[g] || {};
		}
		btn.disabled = true;
		try {
			const r = open ? await api.put('/api/v1/filings/' + f.id +
			    '/changes/' + open.id, body) : await api.post(
			    '/api/v1/filings/' + f.id + '/changes', body);
			const c = r.change;
			clear(app).append(panel('变更已报送', ['受理日期 ' +
			    c.receipt_date, '审核期限 ' + (c.deadline ||
			    c.deadline_label || '待定')]),
			    summaryList([['变更内容', c.fields.map(labelOf).join('、')],
				['报送期限', c.due_on],
				['状态', CHANGE_STATUS[c.status] || c.status],
				['是否逾期', c.late ? '逾期报送' : '按期报送']]),
			    h('p', { class: 'govuk-body' }, '审核通过前，备案名录仍显示' +
				'原来的信息。'),
			    h('p', { class: 'govuk-body' }, link('返回备案',
				'/operator/filings/' + f.id)));
			$('#done').focus();
		} catch (e) {
			btn.disabled = false;
			back();
			if (e.code === 'no_change')
				showErrors({ message: e.message, fields: { changes:
				    { message: '所选信息与现有备案信息相同，请修改变化后的内容' } } },
				    null, { changes: '发生变化的信息' });
			else
				showErrors(e, null, labelsFor(e));
		}
	};
}

export async function operatorDeregister() {
	const app = $('#app');
	const f = await filedOr(app);
	if (!f)
		return;
	const name = get(f.form, 'platform.name');
	const formPart = h('div', {});
	const confirmPart = h('div', { hidden: true });
	const date = dateField('f-ended_on', '平台终止服务的日期', DATE_HINT +
	    '；不能晚于今天', todayCst());
	const input = $('input', date);
	app.append(summaryList([['平台名称', name], ['备案编号',
	    f.filing_number]]), formPart, confirmPart);
	const back = () => {
		confirmPart.hidden = true;
		formPart.hidden = false;
		input.focus();
	};
	const send = async (btn) => {
		btn.disabled = true;
		try {
			const r = await api.post('/api/v1/filings/' + f.id +
			    '/deregistration', { ended_on: input.value.trim() });
			clear(app).append(panel('备案已注销', ['终止服务日期 ' +
			    r.filing.ended_on]),
			    h('p', { class: 'govuk-body' }, '备案名录保留该平台的条目，' +
				'状态显示为“已注销”。'),
			    h('p', { class: 'govuk-body' }, link('返回我的备案',
				'/operator')));
			$('#done').focus();
		} catch (e) {
			btn.disabled = false;
			back();
			showErrors(e, null, labelsFor(e));
		}
	};
	formPart.append(h('form', { novalidate: true, onsubmit: (ev) => {
		ev.preventDefault();
		clearErrors();
		const d = input.value.trim();
		if (!DATE_RE.test(d))
			return fieldError('ended_on', '请按 YYYY-MM-DD 格式填写日期');
		if (d > todayCst())
			return fieldError('ended_on', '终止服务日期不能晚于今天');
		clear(confirmPart).append(
		    h('h2', { class: 'govuk-heading-m', tabindex: '-1' },
			'确认注销'),
		    warning('注销立即生效，不能撤回。之后如需继续收集漏洞，须重新备案。'),
		    summaryList([['平台名称', name], ['备案编号', f.filing_number],
			['终止服务日期', d]]),
		    buttons(h('button', { type: 'button', class: 'govuk-button ' +
			'govuk-button--warning', id: 'confirm-deregister',
			onclick: (e2) => send(e2.currentTarget) }, '确认注销'),
			h('button', { type: 'button', class: 'govuk-button ' +
			    'govuk-button--secondary', onclick: back }, '返回修改')));
		formPart.hidden = true;
		confirmPart.hidden = false;
		$('h2', confirmPart).focus();
	} }, date,
	    buttons(h('button', { type: 'submit', class: 'govuk-button',
		id: 'deregister-continue' }, '继续'),
		link('取消', '/operator/filings/' + f.id))));
}
