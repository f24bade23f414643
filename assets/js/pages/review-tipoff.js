// Tip-offs on the regulators' side: the queue with its working-day
// targets, and a case: take or assign it, messages to the reporter,
// internal notes, status, the filing it concerns, duplicates, outcomes.
import { h, $, append, clear, summaryList, tag, button, banner,
    formatSize } from '../lib/dom.js';
import { api, pathId } from '../lib/api.js';
import { showErrors, clearErrors } from '../lib/form.js';
import { staffPage, denied, when, card, tags, textarea, input, select,
    radios, chosen, val, viewFile } from './review-common.js';

const STATUS = { new: ['新收到', 'blue'], in_review: ['处理中', 'yellow'],
    verified: ['属实', 'green'], unfounded: ['不属实', 'grey'],
    closed: ['已关闭', 'grey'] };

const CATEGORY = {
	unfiled_platform: '未备案即收集漏洞', number_not_shown: '首页未标明备案编号',
	untrue_information: '备案信息不实或未及时变更',
	after_deregistration: '注销后仍在收集漏洞',
	illegal_handling: '非法收集、出售或发布漏洞信息', other: '其他',
};

const CHANNEL = { web: '网上举报', phone: '电话', email: '电子邮件' };
const CLOSE = { spam: '垃圾信息', out_of_scope: '不属于受理范围',
    duplicate: '重复举报' };
const OUTCOME = { rectification: '责令整改', revocation: '撤销备案',
    referral: '移送' };
const MINISTRY = { mps: '公安部', cac: '国家网信办' };

function statusTag(s) {
	const t = STATUS[s] || [s];
	return tag(t[0], t[1]);
}

function platformText(p) {
	if (!p)
		return null;
	if (p.filing_number)
		return (p.name ? p.name + '（' : '') + p.filing_number +
		    (p.name ? '）' : '');
	return [p.name, p.url].filter(Boolean).join(' ');
}

function due(date, overdue, label) {
	if (!date)
		return label || '—';
	return overdue ? h('span', {}, date + ' ', tag('已超期', 'red')) : date;
}

function tipoffCard(r) {
	return card(h('a', { class: 'govuk-link',
	    href: '/review/tipoffs/' + r.tipoff_id }, r.reference), [
		['状态', statusTag(r.status)],
		['类别', CATEGORY[r.category] || r.category],
		['被举报平台', platformText(r.platform)],
		['渠道', CHANNEL[r.channel] || r.channel],
		['收到日期', r.receipt_date],
		['已过工作日', r.age_workdays === null ? '—' :
		    r.age_workdays + ' 个工作日'],
		['答复期限', r.answered ? '已答复' : due(r.answer_due,
		    r.answer_overdue, r.deadline_label)],
		['办结期限', due(r.decision_due, r.decision_overdue,
		    r.deadline_label)],
		['承办人', r.assigned_login || '未分配'],
		['提示', tags([r.duplicate_of ? tag('重复', 'grey') : null,
		    r.answer_overdue ? tag('答复超期', 'red') : null,
		    r.decision_overdue ? tag('办结超期', 'red') : null]
		    .filter(Boolean))],
	], { dataset: { tipoff: r.tipoff_id } });
}

export async function reviewTipoffs() {
	await staffPage();
	const params = new URLSearchParams(location.search);
	const app = clear($('#app'));
	const filter = h('form', { method: 'get', action: '/review/tipoffs',
	    class: 'vcp-filter' },
	    select('status', '状态', [['open', '待处理（新收到和处理中）'],
		['all', '全部'], ...Object.entries(STATUS).map(([k, v]) =>
		[k, v[0]])], { name: 'status' }),
	    select('category', '类别', [['', '全部类别'],
		...Object.entries(CATEGORY)], { name: 'category' }),
	    button('筛选', { type: 'submit',
		class: 'govuk-button govuk-button--secondary' }));
	append(app, [filter]);
	$('#status').value = params.get('status') || 'open';
	$('#category').value = params.get('category') || '';
	const q = new URLSearchParams();
	for (const k of ['status', 'category'])
		if (params.get(k))
			q.set(k, params.get(k));
	let r;
	try {
		r = await api.get('/api/v1/review/tipoffs' + (q.toString() ?
		    '?' + q : ''));
	} catch (e) {
		if (e.status === 422) {
			showErrors(e, null, { status: '状态', category: '类别' });
			return null;
		}
		return denied(e);
	}
	append(app, [h('p', { class: 'govuk-body', id: 'targets' },
	    `目标：收到后 ${r.targets.answer_workdays} 个工作日内首次答复举报人，` +
	    `${r.targets.decision_workdays} 个工作日内办结。`)]);
	if (r.queue.length === 0) {
		append(app, [h('p', { class: 'govuk-body' }, '没有符合条件的举报。')]);
		return null;
	}
	append(app, [h('p', { class: 'govuk-body' }, `共 ${r.queue.length} 件。`),
	    r.queue.map(tipoffCard)]);
	return null;
}

// ---- a case ----

function thread(list, who) {
	if (!list.length)
		return h('p', { class: 'govuk-body' }, '暂无。');
	return h('ul', { class: 'govuk-list vcp-thread' }, list.map((m) =>
	    h('li', { class: 'vcp-message' },
		h('p', { class: 'govuk-body-s vcp-muted' }, who(m) + ' · ' +
		    when(m.created_at)),
		h('p', { class: 'govuk-body vcp-pre' }, m.body))));
}

// One small form: its controls, a submit button, what it sends.
function action(id, legend, controls, label, send, labels) {
	const form = h('form', { id, novalidate: true, class: 'vcp-action' },
	    h('h3', { class: 'govuk-heading-s' }, legend), controls,
	    button(label, { type: 'submit',
		class: 'govuk-button govuk-button--secondary' }));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearErrors();
		try {
			await send();
		} catch (e) {
			showErrors(e, null, labels);
		}
	});
	return form;
}

function caseSummary(t) {
	const s = t.submission || {};
	const c = s.contact || {};
	return [summaryList([
		['状态', statusTag(t.status)],
		['类别', CATEGORY[t.category] || t.category],
		['渠道', CHANNEL[t.channel] || t.channel],
		['收到时间', when(t.received_at)],
		['承办人', t.assigned_login || '未分配'],
		['关联备案', t.filing_number ? h('a', { class: 'govuk-link',
		    href: '/review/filings/' + t.filing_id }, t.filing_number) :
		    null],
		['重复于', t.duplicate_of_reference],
		['关闭原因', CLOSE[t.close_reason] || t.close_reason],
		['首次答复', when(t.first_answer_at)],
		['办结时间', when(t.decided_at)],
		['提交内容摘要（SHA-256）', h('code', { class: 'vcp-break' },
		    t.submission_sha256)],
	    ]),
	    h('h2', { class: 'govuk-heading-m' }, '举报内容'),
	    summaryList([
		['被举报平台', platformText(s.platform)],
		['发生日期', s.occurred_on],
		['情况说明', h('span', { class: 'vcp-pre' }, s.description || '')],
		['举报人联系方式', [c.name, c.phone, c.email].filter(Boolean)
		    .join('，') || '未留'],
		['接听日期', s.received_on],
	    ])];
}

function evidenceList(t) {
	if (!t.evidence.length)
		return h('p', { class: 'govuk-body' }, '举报人未提交证据材料。');
	return h('ul', { class: 'govuk-list' }, t.evidence.map((e) => {
		const url = `/api/v1/review/tipoffs/${t.id}/evidence/${e.id}`;
		const name = e.filename || '证据' + e.id;
		return h('li', {}, name, ` （${[e.media_type, e.size === undefined ? null :
		    formatSize(e.size)].filter(Boolean).join('，')}） `,
		    h('a', { class: 'govuk-link', href: url, onclick: (ev) => {
			    ev.preventDefault();
			    viewFile(url, e.media_type);
		    } }, '在新窗口中查看', h('span', { class:
			'govuk-visually-hidden' }, '：' + name)), ' ',
		    h('a', { class: 'govuk-link', href: url, download: '' },
			'下载', h('span', { class: 'govuk-visually-hidden' },
			    '：' + name)),
		    e.media_type && e.media_type.startsWith('image/') ?
		    h('img', { class: 'vcp-preview', src: url,
			alt: '证据：' + (e.filename || e.id) }) : null);
	}));
}

function statusForm(t, post) {
	// A new case is closed or taken; the findings need a case in review.
	const close = ['closed', '关闭', [select('f-reason', '关闭原因',
	    [['', '请选择'], ['spam', CLOSE.spam],
		['out_of_scope', CLOSE.out_of_scope]])]];
	return action('status-form', '处理结论', [
		radios('status', '将案件标记为', t.status === 'new' ? [close] :
		    [['verified', '属实'], ['unfounded', '不属实'], close])],
	    '更新状态', async () => {
		const status = chosen('status');
		const body = { status };
		if (status === 'closed')
			body.reason = val('f-reason');
		await post('status', body, '状态已更新。');
	}, { status: '处理结论', reason: '关闭原因' });
}

function outcomeForm(t, me, post) {
	const kinds = [['rectification', OUTCOME.rectification,
	    [input('f-due_on', '整改期限', '格式：YYYY-MM-DD',
		{ class: 'govuk-input govuk-input--width-10', maxlength: 10 })]]];
	if (me.role === 'supervisor')
		kinds.push(['revocation', OUTCOME.revocation + '（撤销关联的备案）']);
	kinds.push(['referral', OUTCOME.referral, [select('f-ministry',
	    '移送至', [['', '请选择'], ['mps', MINISTRY.mps],
		['cac', MINISTRY.cac]])]]);
	return action('outcome-form', '记录新的处理措施', [
		radios('kind', '采取的措施', kinds),
		textarea('f-reasons', '理由', '不向举报人显示。', 3)],
	    '记录处理措施', async () => {
		const kind = chosen('kind');
		const body = { kind, reasons: val('f-reasons') };
		if (kind === 'rectification')
			body.due_on = val('f-due_on');
		if (kind === 'referral')
			body.ministry = val('f-ministry');
		await post('outcomes', body, '处理措施已记录。');
	}, { kind: '采取的措施', reasons: '理由', due_on: '整改期限',
	    ministry: '移送至' });
}

function renderTipoff(me, t, reload) {
	const app = clear($('#app'));
	$('#case-title').textContent = '举报案件 ' + t.reference;
	const open = t.status === 'new' || t.status === 'in_review';
	const mine = t.assigned_to === me.id;
	const may = me.role === 'supervisor' || mine;
	const post = async (what, body, done, method) => {
		await api[method || 'post'](
		    `/api/v1/review/tipoffs/${t.id}/${what}`, body);
		await reload(done);
	};
	append(app, [caseSummary(t)]);
	if (open && !mine && (t.assigned_to === null ||
	    me.role === 'supervisor'))
		append(app, [action('take-form', '承办', [h('p',
		    { class: 'govuk-body' }, t.assigned_to === null ?
		    '此案件尚未分配。承办后由您答复举报人并作出结论。' :
		    `此案件由 ${t.assigned_login} 承办。`)], '由我承办',
		    () => post('assignment', undefined, '您已承办此案件。'), {})]);
	if (open && me.role === 'supervisor')
		append(app, [action('assign-form', '指派', [input('f-account_id',
		    '指派给（账户编号）', '须为在职的审核人员或监管负责人',
		    { class: 'govuk-input govuk-input--width-10',
			inputmode: 'numeric', maxlength: 19 })], '指派',
		    () => post('assignment', { account_id:
			Number(val('f-account_id')) || 0 }, '已指派。'),
		    { account_id: '账户编号' })]);
	if (open && !may && t.assigned_to !== null)
		append(app, [h('p', { class: 'govuk-inset-text' },
		    `此案件由 ${t.assigned_login} 承办，您只能查看。`)]);

	append(app, [h('h2', { class: 'govuk-heading-m' }, '与举报人的沟通'),
	    thread(t.messages, (m) => m.author === 'regulator' ?
		'监管部门' + (m.login ? '（' + m.login + '）' : '') : '举报人')]);
	if (open && may)
		append(app, [action('message-form', '回复举报人', [textarea(
		    'f-body', '消息', '举报人凭查询码可以看到此消息。', 4)], '发送',
		    () => post('messages', { body: val('f-body') },
			'消息已发送。'), { body: '消息' })]);
	append(app, [h('h2', { class: 'govuk-heading-m' }, '证据材料'),
	    evidenceList(t)]);
	append(app, [h('h2', { class: 'govuk-heading-m' }, '内部备注'),
	    thread(t.notes, (n) => n.login || '监管人员')]);
	if (open && may)
		append(app, [action('note-form', '添加备注', [textarea('f-note',
		    '备注', '仅监管人员可见，不向举报人显示。', 3)], '保存备注',
		    () => post('notes', { body: val('f-note') }, '备注已保存。'),
		    { body: '备注' })]);
	if (open && may) {
		append(app, [h('h2', { class: 'govuk-heading-m' }, '办理'),
		    action('filing-form', '关联备案', [input('f-filing_number',
			'备案编号', '例如 VCP-2026-000001-4',
			{ class: 'govuk-input govuk-input--width-20',
			    maxlength: 32, spellcheck: 'false' })], '关联',
			() => post('filing', { filing_number:
			    val('f-filing_number') }, '已关联备案。', 'put'),
			{ filing_number: '备案编号' }),
		    action('duplicate-form', '重复举报', [input(
			'f-duplicate_of', '原案件的内部编号',
			'原案件页面地址中的数字；本案件将作为重复举报关闭。',
			{ class: 'govuk-input govuk-input--width-10',
			    inputmode: 'numeric', maxlength: 19 })],
			'标记为重复', () => post('duplicate', { duplicate_of:
			    Number(val('f-duplicate_of')) || 0 },
			    '已标记为重复举报。'), { duplicate_of: '原案件编号' }),
		    statusForm(t, post)]);
	}
	if (t.outcomes && t.outcomes.length)
		append(app, [h('h2', { class: 'govuk-heading-m' }, '处理措施'),
		    h('ul', { class: 'govuk-list' }, t.outcomes.map((o) =>
			h('li', {}, `${when(o.created_at)} ` + (o.ministry ?
			    '移送' + (MINISTRY[o.ministry] || o.ministry) :
			    OUTCOME[o.kind] || o.kind) +
			    (o.due_on ? `，整改期限 ${o.due_on}` : '') +
			    (o.reasons ? `：${o.reasons}` : ''))))]);
	if (t.status === 'verified' && may)
		append(app, [outcomeForm(t, me, post)]);
}

export async function reviewTipoff() {
	const me = await staffPage();
	const id = pathId(3);
	const show = async (done) => {
		let t;
		try {
			t = (await api.get('/api/v1/review/tipoffs/' + id)).tipoff;
		} catch (e) {
			return denied(e);
		}
		renderTipoff(me, t, show);
		if (done)
			banner(done, true);
		return null;
	};
	if (!id)
		return denied({ status: 404, message: '没有该举报案件' });
	return show(null);
}
