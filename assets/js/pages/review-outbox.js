// The notification outbox (Art. 5): what waits to reach MPS and CAC or
// was refused, with its attempts and last error; a supervisor re-sends.
import { h, $, append, clear, tag, button, banner } from '../lib/dom.js';
import { api } from '../lib/api.js';
import { staffPage, denied, when, card, select } from './review-common.js';

const STATUS = { pending: ['待发送', 'yellow'], rejected: ['被拒收', 'red'],
    delivered: ['已送达', 'green'] };
const RECIPIENT = { mps: '公安部', cac: '国家网信办' };
const EVENT = { filed: '备案', changed: '变更', deregistered: '注销',
    revoked: '撤销', audit_checkpoint: '审计检查点', referred: '举报移送' };

function subject(n) {
	if (n.subject === 'filing')
		return h('a', { class: 'govuk-link',
		    href: '/review/filings/' + n.filing_id }, '备案 ' + n.filing_id);
	if (n.subject === 'tipoff')
		return h('a', { class: 'govuk-link',
		    href: '/review/tipoffs/' + n.subject_id },
		    '举报案件 ' + n.subject_id);
	return '审计日志';
}

function row(n, me, reload) {
	const st = STATUS[n.status] || [n.status];
	const rows = [
		['状态', tag(st[0], st[1])],
		['对象', subject(n)],
		['序号', String(n.sequence)],
		['尝试次数', String(n.attempts)],
		['最近错误', n.last_error],
		['接收方应答', n.answer_status ? [String(n.answer_status), ' ',
		    h('code', { class: 'vcp-break' }, n.answer || '')] : null],
		['下次尝试', n.status === 'pending' ? when(n.next_try_at) : null],
		['生成时间', when(n.created_at)],
		['被拒收时间', when(n.rejected_at)],
		['送达时间', when(n.delivered_at)],
	];
	if (n.blocked_by)
		rows.push(['等待', `排在被拒收的第 ${n.blocked_by} 号通报之后`]);
	if (n.blocking)
		rows.push(['阻塞', `其后 ${n.blocking} 条通报等待此条`]);
	rows.push(['事件编号', h('code', { class: 'vcp-break' }, n.event_id)]);
	// Only what this row has: a pending row has no answer, no refusal.
	const c = card(`第 ${n.id} 号：${EVENT[n.event] || n.event} → ` +
	    (RECIPIENT[n.recipient] || n.recipient), rows.filter(([k, v]) =>
	    (v !== null && v !== '') || k === '最近错误'),
	    { id: 'notification-' + n.id });
	if (me.role === 'supervisor' && n.status !== 'delivered') {
		const b = button('立即重发', { class: 'govuk-button ' +
		    'govuk-button--secondary vcp-retry', id: 'retry-' + n.id,
		    'aria-describedby': 'notification-' + n.id + '-title',
		    onclick: async () => {
			    b.disabled = true;
			    try {
				    await api.post(`/api/v1/notifications/${n.id}/retry`);
			    } catch (e) {
				    b.disabled = false;
				    banner('重发失败：' + e.message);
				    return;
			    }
			    await reload(`第 ${n.id} 号通报已重新排队，将尽快发送。`);
		    } });
		c.querySelector('.govuk-summary-card__content').append(b);
	}
	c.querySelector('.govuk-summary-card__title').id =
	    'notification-' + n.id + '-title';
	return c;
}

export async function reviewOutbox() {
	const me = await staffPage();
	const params = new URLSearchParams(location.search);
	const want = params.get('status') || 'waiting';
	const show = async (done) => {
		const app = clear($('#app'));
		const filter = h('form', { method: 'get', action: '/review/outbox',
		    class: 'vcp-filter' },
		    select('status', '显示', [['waiting', '待发送和被拒收'],
			['pending', '待发送'], ['rejected', '被拒收'],
			['delivered', '已送达'], ['all', '全部（最近500条）']],
			{ name: 'status' }),
		    button('筛选', { type: 'submit',
			class: 'govuk-button govuk-button--secondary' }));
		let list;
		try {
			const q = ['pending', 'rejected', 'delivered']
			    .includes(want) ? '?status=' + want : '';
			list = (await api.get('/api/v1/notifications' + q))
			    .notifications;
		} catch (e) {
			return denied(e, '通报发送情况仅供审核人员和监管负责人查看。');
		}
		append(app, [filter]);
		$('#status').value = want;
		if (want === 'waiting')
			list = list.filter((n) => n.status !== 'delivered');
		if (me.role !== 'supervisor')
			append(app, [h('p', { class: 'govuk-body' },
			    '被拒收的通报须由监管负责人确认接收方问题后重发。')]);
		if (list.length === 0)
			append(app, [h('p', { class: 'govuk-body' }, '没有符合条件的通报。')]);
		else
			append(app, [h('p', { class: 'govuk-body' },
			    `共 ${list.length} 条。`), list.map((n) =>
			    row(n, me, show))]);
		if (done)
			banner(done, true);
		return null;
	};
	return show(null);
}
