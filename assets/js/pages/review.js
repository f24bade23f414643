// The review queue by deadline, and a filing's (or a change's) case:
// the form with its history and attachments, personal data revealed with
// a reason, the decision, and revocation for supervisors.
import { h, $, append, clear, summaryList, tag, button, banner,
    formatSize } from '../lib/dom.js';
import { api, pathId } from '../lib/api.js';
import { showErrors, clearErrors } from '../lib/form.js';
import { REGULATOR, staffPage, denied, when, card, tags, FILING_STATUS,
    SPONSOR_TYPE, GROUPS, ATTACHMENT_KIND, formPaths, pathLabel, textarea,
    select, radios, chosen, val, viewFile } from './review-common.js';

const KIND = { application: '首次申请', resubmission: '补正后重新提交',
    change: '变更' };

function queueCard(r) {
	const href = '/review/filings/' + r.filing_id +
	    (r.kind === 'change' ? '?change=' + r.change_id : '');
	const marks = [];
	if (r.overdue)
		marks.push(tag('已超过审核期限', 'red'));
	if (r.resubmission)
		marks.push(tag('重新提交', 'yellow'));
	if (r.online_before_filing)
		marks.push(tag('备案前已上线', 'orange'));
	if (r.late_change)
		marks.push(tag('变更逾期报送', 'orange'));
	if (r.deadline_pending)
		marks.push(tag('期限待定', 'grey'));
	let left = '—';
	if (r.workdays_left !== undefined && r.workdays_left !== null)
		left = r.overdue ? '已超期' : r.workdays_left + ' 个工作日';
	const rows = [
		['类型', KIND[r.kind] + (r.receipts > 1 ? `（第${r.receipts}次收件）` :
		    '')],
		['主办者', r.sponsor_name],
		['收件日期', r.receipt_date],
		['审核期限', r.deadline || r.deadline_label],
		['剩余时间', left],
		['上线日期', r.online_date],
	];
	if (r.kind === 'change')
		rows.push(['变更报送期限', r.change_due_on]);
	rows.push(['提示', tags(marks)]);
	return card(h('a', { class: 'govuk-link', href },
	    r.platform_name || '（未填写平台名称）'), rows,
	    { dataset: { filing: r.filing_id, kind: r.kind } });
}

export async function reviewQueue() {
	await staffPage();
	const app = clear($('#app'));
	let q;
	try {
		q = (await api.get('/api/v1/review/queue')).queue;
	} catch (e) {
		return denied(e);
	}
	if (q.length === 0) {
		append(app, [h('p', { class: 'govuk-body' },
		    '目前没有待审核的备案申请或变更。')]);
		return;
	}
	const late = q.filter((r) => r.overdue).length;
	append(app, [h('p', { class: 'govuk-body', id: 'queue-count' },
	    `共 ${q.length} 件待审核` + (late ? `，其中 ${late} 件已超过审核期限` :
	    '') + '。'), q.map(queueCard)]);
}

// ---- the case ----

const EVENT = {
	created: '创建草稿', submitted: '提交备案申请', resubmitted: '补正后重新提交',
	correction_requested: '要求补正', approved: '批准备案', rejected: '不予备案',
	revoked: '撤销备案', deregistered: '注销备案',
	change_submitted: '报送变更', change_resubmitted: '补正后重新报送变更',
	change_approved: '批准变更', change_rejected: '变更不予通过',
	change_correction_requested: '变更要求补正',
	personal_data_revealed: '查看完整个人信息', 'deadline.computed': '计算审核期限',
};

function formValue(g, f, v) {
	if (v === undefined || v === null || v === '')
		return null;
	if (g === 'sponsor' && f === 'type')
		return SPONSOR_TYPE[v] || v;
	if (g === 'mlps' && f === 'level')
		return `第${v}级`;
	if (Array.isArray(v)) {
		if (v.length === 0)
			return null;
		return h('ul', { class: 'govuk-list' }, v.map((x) =>
		    h('li', {}, typeof x === 'string' ? x :
			`${x.app}：${x.account}`)));
	}
	if (typeof v === 'string' && v.includes('\n'))
		return h('span', { class: 'vcp-pre' }, v);
	return String(v);
}

// The form by group; for a change, its changed fields marked, with the
// value in force beside them (old).
function formCards(form, changed, old) {
	const get = (fm, g, f) => ((fm || {})[g] || {})[f];
	return GROUPS.map(([g, gname, fields]) => card(gname,
	    fields.map(([f, label]) => {
		const v = formValue(g, f, get(form, g, f));
		if (!changed.some((p) => p === `${g}.${f}` ||
		    p.startsWith(`${g}.${f}[`)))
			return [label, v];
		return [label, h('span', {}, v || '—', ' ',
		    tag('本次变更', 'purple'), old ? h('span',
		    { class: 'govuk-hint vcp-was' }, '现为：',
		    formValue(g, f, get(old, g, f)) || '—') : null)];
	    }), { id: 'group-' + g }));
}

function historyDetail(form, e) {
	const d = e.detail || {};
	const out = [];
	if (d.filing_number)
		out.push('备案编号：' + d.filing_number);
	if (d.reason)
		out.push('理由：' + d.reason);
	if (d.reasons)
		out.push('理由：' + d.reasons);
	if (d.tipoff)
		out.push('举报案件：' + d.tipoff);
	if (d.changed_on)
		out.push('变更发生日：' + d.changed_on);
	if (Array.isArray(d.fields))
		out.push('变更内容：' + d.fields.map((p) => pathLabel(form, p))
		    .join('、'));
	if (Array.isArray(d.items))
		for (const it of d.items)
			out.push(pathLabel(form, it.field) + '：' + it.problem);
	if (d.late)
		out.push('逾期报送');
	return out.length ? h('ul', { class: 'govuk-list' },
	    out.map((t) => h('li', {}, t))) : null;
}

function historyList(f) {
	return h('ol', { class: 'govuk-list vcp-history', id: 'history' },
	    f.history.map((e) => h('li', {},
		h('span', { class: 'govuk-body-s vcp-muted' }, when(e.at)), ' ',
		h('strong', {}, EVENT[e.event] || e.event),
		historyDetail(f.form, e))));
}

function attachmentList(f) {
	if (!f.attachments.length)
		return h('p', { class: 'govuk-body' }, '没有附件。');
	return f.attachments.map((a) => {
		const url = `/api/v1/filings/${f.id}/attachments/${a.id}`;
		const image = a.media_type.startsWith('image/');
		return h('div', { class: 'govuk-summary-card vcp-attachment',
		    id: 'attachment-' + a.id },
		    h('div', { class: 'govuk-summary-card__title-wrapper' },
			h('h3', { class: 'govuk-summary-card__title' },
			    ATTACHMENT_KIND[a.kind] || a.kind),
			h('ul', { class: 'govuk-summary-card__actions' },
			    h('li', { class: 'govuk-summary-card__action' },
				h('a', { class: 'govuk-link', href: url,
				    onclick: (ev) => {
					    ev.preventDefault();
					    viewFile(url, a.media_type);
				    } }, '在新窗口中查看',
				    h('span', { class: 'govuk-visually-hidden' },
					'：' + a.filename))),
			    h('li', { class: 'govuk-summary-card__action' },
				h('a', { class: 'govuk-link', href: url,
				    download: '' }, '下载',
				    h('span', { class: 'govuk-visually-hidden' },
					'：' + a.filename))))),
		    h('div', { class: 'govuk-summary-card__content' },
			summaryList([['文件名', a.filename],
			    ['类型', a.media_type], ['大小', formatSize(a.size)],
			    ['SHA-256', h('code', { class: 'vcp-break' },
				a.sha256)], ['上传时间', when(a.uploaded_at)]]),
			image ? h('img', { class: 'vcp-preview', src: url,
			    alt: (ATTACHMENT_KIND[a.kind] || '') + '：' +
			    a.filename }) : null));
	});
}

const PERSONAL = { 'sponsor.id_number': '主办者证件号码',
    'principal.mobile': '主要负责人手机号码',
    'principal.email': '主要负责人电子邮箱',
    'contact.mobile': '联系人手机号码', 'contact.email': '联系人电子邮箱' };

function revealSection(f) {
	const out = h('div', { id: 'revealed' });
	const form = h('form', { id: 'reveal-form', novalidate: true },
	    textarea('f-reason', '查看理由', '个人信息已部分隐藏。查看完整信息须' +
		'说明理由；查看人和理由将记入审计日志和备案历史。', 2),
	    button('查看完整个人信息', { type: 'submit',
		class: 'govuk-button govuk-button--secondary' }));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearErrors();
		try {
			const r = await api.post(`/api/v1/filings/${f.id}/reveal`,
			    { reason: val('f-reason') });
			clear(out).append(h('h3', { class: 'govuk-heading-s' },
			    '完整个人信息'), summaryList(Object.entries(r.personal)
			    .map(([p, v]) => [PERSONAL[p] || p, v])));
			out.focus();
		} catch (e) {
			showErrors(e, null, { reason: '查看理由' });
		}
	});
	out.setAttribute('tabindex', '-1');
	return [h('h2', { class: 'govuk-heading-m' }, '个人信息'), form, out];
}

function itemRow(paths, i) {
	return h('fieldset', { class: 'govuk-fieldset vcp-item' },
	    h('legend', { class: 'govuk-fieldset__legend ' +
		'govuk-fieldset__legend--s' }, `补正事项 ${i + 1}`),
	    select(`f-items-${i}-field`, '需要补正的内容',
		[['', '请选择']].concat(paths)),
	    textarea(`f-items-${i}-problem`, '问题说明', null, 2));
}

function decisionForm(f, change, done) {
	const paths = formPaths(f.form);
	const items = h('div', { id: 'f-items' }, itemRow(paths, 0));
	const more = button('再添加一项', { id: 'add-item',
	    class: 'govuk-button govuk-button--secondary',
	    onclick: () => {
		    const n = items.children.length;
		    items.append(itemRow(paths, n));
		    $(`#f-items-${n}-field`).focus();
	    } });
	const form = h('form', { id: 'decision-form', novalidate: true },
	    radios('decision', '审核决定', [
		['approve', change ? '批准变更' : '批准备案'],
		['correct', '要求补正', [h('p', { class: 'govuk-body' },
		    '逐项选择需要补正的内容并说明问题；运营者会在表单中看到这些说明。'),
		    items, more]],
		['reject', change ? '变更不予通过' : '不予备案',
		    [textarea('f-reasons', '理由', '将告知运营者。', 4)]]]),
	    button('提交审核决定', { type: 'submit', id: 'decide' }));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearErrors();
		const d = chosen('decision');
		const labels = { decision: '审核决定', reasons: '理由' };
		if (!d) {
			showErrors({ message: '请选择审核决定', fields: { decision:
			    { message: '请选择审核决定' } } }, null, labels);
			return;
		}
		const body = { decision: d };
		if (d === 'reject')
			body.reasons = val('f-reasons');
		if (d === 'correct') {
			// The API names only "items" when one is wrong: each row
			// is checked here so the message stands beside it.
			const wrong = {};
			body.items = [];
			labels.items = '补正事项';
			for (let i = 0; i < items.children.length; i++) {
				const field = val(`f-items-${i}-field`);
				const problem = val(`f-items-${i}-problem`);
				labels[`items[${i}].field`] = `补正事项 ${i + 1}`;
				labels[`items[${i}].problem`] = `补正事项 ${i + 1}`;
				if (!field && !problem && i > 0)
					continue;
				if (!field)
					wrong[`items[${i}].field`] = { message:
					    '请选择需要补正的内容' };
				if (!problem)
					wrong[`items[${i}].problem`] = { message:
					    '请说明问题' };
				body.items.push({ field, problem });
			}
			if (Object.keys(wrong).length) {
				showErrors({ message: '请完整填写补正事项',
				    fields: wrong }, null, labels);
				return;
			}
		}
		const url = change ?
		    `/api/v1/filings/${f.id}/changes/${change.id}/decision` :
		    `/api/v1/filings/${f.id}/decision`;
		try {
			await api.post(url, body);
		} catch (e) {
			showErrors(e, null, labels);
			return;
		}
		done(d);
	});
	return [h('h2', { class: 'govuk-heading-m' }, '审核决定'), form];
}

function revokeSection(f, done) {
	const confirm = h('div', { id: 'revoke-confirm', class: 'vcp-hidden' },
	    h('div', { class: 'govuk-warning-text' },
		h('span', { class: 'govuk-warning-text__icon',
		    'aria-hidden': 'true' }, '!'),
		h('strong', { class: 'govuk-warning-text__text' },
		    h('span', { class: 'govuk-visually-hidden' }, '警告'),
		    '撤销后，公开名录中该平台显示为“已撤销”，并通报公安部和国家网信办。' +
		    '撤销不能恢复。')),
	    textarea('f-revoke_reasons', '撤销理由', '记入备案历史，不在公开名录中显示。', 4),
	    h('div', { class: 'govuk-button-group' },
		button('确认撤销备案', { type: 'submit', id: 'revoke-confirm-button',
		    class: 'govuk-button govuk-button--warning' }),
		button('取消', { id: 'revoke-cancel',
		    class: 'govuk-button govuk-button--secondary',
		    onclick: () => {
			    confirm.classList.add('vcp-hidden');
			    start.classList.remove('vcp-hidden');
			    start.focus();
		    } })));
	const start = button('撤销备案', { id: 'revoke-start',
	    class: 'govuk-button govuk-button--warning', onclick: () => {
		    start.classList.add('vcp-hidden');
		    confirm.classList.remove('vcp-hidden');
		    $('#f-revoke_reasons').focus();
	    } });
	const form = h('form', { id: 'revoke-form', novalidate: true }, start,
	    confirm);
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearErrors();
		try {
			await api.post(`/api/v1/filings/${f.id}/revocation`,
			    { reasons: val('f-revoke_reasons') });
		} catch (e) {
			// The field is named apart from the decision's reasons.
			if (e.fields && e.fields.reasons)
				e.fields = { revoke_reasons: e.fields.reasons };
			showErrors(e, null, { revoke_reasons: '撤销理由' });
			return;
		}
		done('revoke');
	});
	return [h('h2', { class: 'govuk-heading-m' }, '撤销备案'),
	    h('p', { class: 'govuk-body' }, '对已备案平台存在违法违规情形的，' +
		'监管负责人可撤销其备案。'), form];
}

const DONE = { approve: '已批准。', correct: '已要求运营者补正。',
    reject: '已作出不予通过的决定。', revoke: '已撤销备案。' };

async function loadCase(id, cid) {
	const f = (await api.get('/api/v1/filings/' + id)).filing;
	let change = null;
	if (cid)
		change = (await api.get(`/api/v1/filings/${id}/changes/` +
		    encodeURIComponent(cid))).change;
	return { f, change };
}

function renderCase(me, f, change, reload) {
	const app = clear($('#app'));
	const name = f.form.platform && f.form.platform.name;
	$('#case-title').textContent = (change ? '审核变更：' : '审核备案：') +
	    (name || '（未填写平台名称）');
	const st = FILING_STATUS[f.status] || [f.status];
	const rows = [['备案状态', tag(st[0], st[1])],
	    ['备案编号', f.filing_number], ['收件日期', f.receipt_date],
	    ['审核期限', f.deadline || f.deadline_label],
	    ['收件次数', String(f.receipts)], ['备案日期', f.filed_on],
	    ['终止日期', f.ended_on]];
	const deciding = REGULATOR.includes(me.role) &&
	    (change || f).status === 'submitted';
	append(app, [summaryList(rows), deciding ? h('p', { class:
	    'govuk-body' }, h('a', { class: 'govuk-link', href: '#decision' },
	    '转到审核决定')) : null]);
	const target = change || f;
	if (change) {
		const cs = FILING_STATUS[change.status] || [change.status];
		append(app, [h('h2', { class: 'govuk-heading-m' }, '变更申请'),
		    summaryList([['变更状态', tag(cs[0], cs[1])],
			['变更发生日', change.changed_on],
			['报送期限', change.due_on || change.deadline_label],
			['是否逾期报送', change.late ? tag('逾期', 'orange') : '否'],
			['收件日期', change.receipt_date],
			['审核期限', change.deadline || change.deadline_label],
			['变更的内容', h('ul', { class: 'govuk-list' },
			    change.fields.map((p) => h('li', {},
				pathLabel(f.form, p))))]]),
		    h('p', { class: 'govuk-body' }, '下列为变更后的备案信息：' +
			'标有“本次变更”的内容在批准后生效，其下为现行内容。')]);
	}
	const dec = target.decision;
	if (dec && dec.items && target.status === 'correction_requested')
		append(app, [h('div', { class: 'govuk-inset-text' },
		    h('p', { class: 'govuk-body' }, '已要求补正：'),
		    h('ul', { class: 'govuk-list govuk-list--bullet' },
			dec.items.map((it) => h('li', {},
			    pathLabel(f.form, it.field) + '：' + it.problem))))]);
	const regulator = REGULATOR.includes(me.role);
	append(app, [h('h2', { class: 'govuk-heading-m' }, '备案信息'),
	    change ? formCards(change.form, change.fields, f.form) :
	    formCards(f.form, [], null)]);
	append(app, [h('h2', { class: 'govuk-heading-m' }, '附件'),
	    attachmentList(f)]);
	if (regulator)
		append(app, [h('section', { class: 'vcp-section' },
		    revealSection(f))]);
	append(app, [h('h2', { class: 'govuk-heading-m' }, '历史记录'),
	    historyList(f)]);
	// Decided after reading: the form, its files and history come first.
	if (regulator && target.status === 'submitted')
		append(app, [h('section', { class: 'vcp-section',
		    id: 'decision' }, decisionForm(f, change, reload))]);
	if (me.role === 'supervisor' && f.status === 'filed' && !change)
		append(app, [h('section', { class: 'vcp-section' },
		    revokeSection(f, reload))]);
}

export async function reviewCase() {
	const me = await staffPage();
	const id = pathId(3);
	const cid = new URLSearchParams(location.search).get('change');
	const show = async (done) => {
		let c;
		try {
			c = await loadCase(id, cid);
		} catch (e) {
			return denied(e, '此页面仅供审核人员、监管负责人和观察员使用。');
		}
		renderCase(me, c.f, c.change, show);
		if (done) {
			const n = c.f.filing_number;
			banner(DONE[done] + (done === 'approve' && n && !cid ?
			    '备案编号：' + n : ''), true);
		}
		return null;
	};
	if (!id)
		return denied({ status: 404, message: '没有该备案' });
	return show(null);
}
