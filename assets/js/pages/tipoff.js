// The public's tip-off pages: the form, whose proof of work a Web Worker
// solves before sending (assets/js/pow-worker.js), the receipt code shown
// this once, and the follow-up with the code.  The reporter has no
// account: the code opens a session of its own (cookie vcp_tipoff, sent
// by the browser only to /api/v1/tipoffs/…) with its own CSRF token.
import { h, $, clear, summaryList, banner, formatSize } from '../lib/dom.js';
import { api, ApiError, upload } from '../lib/api.js';
import { showErrors, clearErrors, fieldValue } from '../lib/form.js';
import { CATEGORY, statusTag, stamp, saveFile } from '../lib/tipoff.js';

const labels = {
	category: '举报什么问题', platform: '被举报的平台',
	'platform.filing_number': '备案编号', 'platform.name': '平台名称',
	'platform.url': '平台网址', description: '发生了什么',
	occurred_on: '发现日期', 'contact.name': '姓名',
	'contact.phone': '手机号码', 'contact.email': '电子邮箱',
	saved: '保存受理码', code: '受理码', body: '留言', file: '证据文件',
};

function show(on, off) {
	$(off).classList.add('vcp-hidden');
	$(on).classList.remove('vcp-hidden');
}

function busy(button, yes) {
	button.disabled = yes;
	button.setAttribute('aria-disabled', yes ? 'true' : 'false');
}

function tooMany(e) {
	const min = e.retryAfter ? Math.max(1, Math.ceil(e.retryAfter / 60)) :
	    null;
	return '尝试次数过多，为保护举报人，暂时不能继续。' +
	    (min ? '请在' + min + '分钟后再试。' : '请稍后再试。');
}

// The submission as docs/api.md takes it; empty optional members left out.
function submission() {
	const body = {};
	const cat = $('input[name="category"]:checked');
	if (cat)
		body.category = cat.value;
	const kind = $('input[name="platform-kind"]:checked');
	if (kind && kind.value === 'number')
		body.platform = { filing_number:
		    fieldValue('platform.filing_number') };
	else if (kind)
		body.platform = { name: fieldValue('platform.name'),
		    url: fieldValue('platform.url') };
	body.description = $('#f-description').value.trim();
	body.occurred_on = fieldValue('occurred_on');
	const contact = {};
	for (const k of ['name', 'phone', 'email']) {
		const v = fieldValue('contact.' + k);
		if (v)
			contact[k] = v;
	}
	if (Object.keys(contact).length)
		body.contact = contact;
	return body;
}

// A challenge, solved off the page's thread; progress(tries, difficulty)
// as the worker reports it.
async function prove(progress) {
	const c = await api.get('/api/v1/tipoffs/challenge');
	const nonce = await new Promise((resolve, reject) => {
		const w = new Worker(document.body.dataset.powWorker);
		const fail = () => {
			w.terminate();
			reject(new ApiError(0, { error: { code: 'pow_failed',
			    message: '浏览器未能完成计算，请刷新页面后重试' } }));
		};
		w.onerror = fail;
		w.onmessage = (ev) => {
			const m = ev.data;
			if (m.error)
				fail();
			else if (m.nonce !== undefined) {
				w.terminate();
				resolve(m.nonce);
			} else
				progress(m.tries, c.difficulty);
		};
		w.postMessage({ salt: c.salt, difficulty: c.difficulty });
	});
	return { challenge: c.id, nonce };
}

// The bar follows the chance of having found it by now (tries against
// 2^difficulty expected): it never reaches the end before the answer.
function powProgress() {
	const box = $('#pow-status');
	const bar = $('#pow-bar');
	const text = $('#pow-text');
	let said = -1;
	box.classList.remove('vcp-hidden');
	bar.value = 0;
	text.textContent = '正在进行防滥用计算，请保持本页打开……';
	return {
		step(tries, difficulty) {
			const p = Math.min(99, Math.floor(100 *
			    (1 - Math.exp(-tries / 2 ** difficulty))));
			bar.value = p;
			// Read out in steps of a fifth, not every percent.
			if (Math.floor(p / 20) !== said) {
				said = Math.floor(p / 20);
				text.textContent = '正在进行防滥用计算，已完成约' +
				    p + '%，请保持本页打开……';
			}
		},
		sending() {
			bar.value = 100;
			text.textContent = '计算完成，正在提交举报……';
		},
		done() {
			box.classList.add('vcp-hidden');
			text.textContent = '';
		},
	};
}

function receipt(out) {
	const code = out.receipt_code;
	const saved = $('#f-saved');
	const guard = (ev) => {
		if (!saved.checked) {
			ev.preventDefault();
			ev.returnValue = '';
		}
	};
	window.addEventListener('beforeunload', guard);
	$('#receipt-reference').textContent = out.reference;
	$('#receipt-received').textContent = stamp(out.received_at);
	$('#receipt-sha256').textContent = out.submission_sha256;
	$('#receipt-code').textContent = code.replace(/(\d{4})(?=\d)/g, '$1 ');
	const ack = $('#ack-download');
	ack.href = URL.createObjectURL(new Blob([out.acknowledgement],
	    { type: 'application/xml' }));
	ack.download = 'acknowledgement-' + out.reference + '.xml';
	$('#copy-code').addEventListener('click', async () => {
		const status = $('#copy-status');
		try {
			await navigator.clipboard.writeText(code);
			status.textContent = '受理码已复制，请粘贴到安全的地方保存。';
		} catch (e) {
			getSelection().selectAllChildren($('#receipt-code'));
			status.textContent = '无法自动复制：受理码已选中，' +
			    '请按 Ctrl+C（手机上长按）复制。';
		}
	});
	$('#saved-form').addEventListener('submit', (ev) => {
		ev.preventDefault();
		if (!saved.checked) {
			showErrors({ message: '离开本页前请确认已保存受理码',
			    fields: { saved: { message:
			    '请先保存受理码，再勾选“我已保存受理码”' } } },
			    null, labels);
			return;
		}
		window.removeEventListener('beforeunload', guard);
		location.assign('/tipoff/follow');
	});
	show('#tipoff-step-receipt', '#tipoff-step-form');
	document.title = '举报已提交 - ' + document.title.replace(/^.* - /, '');
	$('#receipt-title').focus();
}

export function tipoffNew() {
	const form = $('#tipoff-form');
	const button = $('#tipoff-submit');
	const date = $('#f-occurred_on');
	let proof = null;
	let running = false;
	// Today as the portal counts it (UTC): early in a Beijing morning
	// the local date would still be "after today" there.
	if (!date.value)
		date.value = new Date().toISOString().slice(0, 10);
	// Each choice of the platform shows its own fields.  Not govuk's
	// conditional reveal: its aria-expanded on a radio is invalid ARIA.
	const kinds = document.querySelectorAll('input[name="platform-kind"]');
	for (const r of kinds) {
		r.addEventListener('change', () => {
			for (const k of kinds)
				$('#conditional-platform-' + k.value).classList
				    .toggle('govuk-radios__conditional--hidden',
				    !k.checked);
		});
	}
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		if (running)
			return;
		running = true;
		clearErrors();
		busy(button, true);
		const ui = powProgress();
		const body = submission();
		try {
			let out;
			for (let attempt = 0; ; attempt++) {
				if (!proof)
					proof = await prove(ui.step);
				ui.sending();
				try {
					out = await api.post('/api/v1/tipoffs',
					    Object.assign({}, body, proof),
					    { csrf: null });
					break;
				} catch (e) {
					// A spent or expired proof: solve a fresh one, once.
					if (e.status !== 403 || attempt > 0 ||
					    !e.code.startsWith('pow_'))
						throw e;
					proof = null;
				}
			}
			proof = null;
			ui.done();
			receipt(out);
		} catch (e) {
			ui.done();
			// Refused before the database: the proof is still unspent.
			if (e.status !== 422)
				proof = null;
			if (e.status === 429)
				e.message = tooMany(e);
			showErrors(e, null, labels);
		} finally {
			running = false;
			busy(button, false);
		}
	});
}

/* The follow-up page. */

const CSRF_KEY = 'vcp-tipoff-csrf';

function reporterCsrf() {
	return sessionStorage.getItem(CSRF_KEY);
}

function messageList(messages) {
	if (!messages.length)
		return h('p', { class: 'govuk-body' }, '还没有消息。监管部门答复后会显示在这里。');
	return h('ol', { class: 'govuk-list vcp-messages' }, messages.map((m) =>
	    h('li', { class: 'vcp-message' + (m.author === 'regulator' ?
		' vcp-message--regulator' : '') },
		h('h3', { class: 'govuk-heading-s govuk-!-margin-bottom-1' },
		    m.author === 'regulator' ? '监管部门的答复' : '您的留言'),
		h('p', { class: 'govuk-hint govuk-!-margin-bottom-2' },
		    stamp(m.created_at)),
		h('p', { class: 'govuk-body vcp-pre' }, m.body))));
}

const TYPE = { 'application/pdf': 'PDF 文档', 'image/png': 'PNG 图片',
    'image/jpeg': 'JPEG 图片' };

function evidenceRow(e, local) {
	const digest = local === undefined ? e.sha256 : h('span', {},
	    e.sha256, h('br'), local === e.sha256 ?
	    '（与您的浏览器计算的结果一致）' : '（与您的浏览器计算的结果不一致，请重新上传）');
	return h('div', { class: 'vcp-evidence', dataset: { id: e.id } },
	    h('h3', { class: 'govuk-heading-s vcp-break' }, e.filename),
	    summaryList([['类型', TYPE[e.media_type] || e.media_type],
		['大小', formatSize(e.size)], ['SHA-256', digest],
		['上传时间', stamp(e.uploaded_at)]]));
}

// digests: evidence id -> the SHA-256 this browser computed on upload.
function caseView(t, digests) {
	$('#case-reference').textContent = t.reference;
	const rows = [['处理状态', statusTag(t.status)],
	    ['举报类别', CATEGORY[t.category] || t.category],
	    ['提交时间', stamp(t.received_at)],
	    ['举报内容摘要（SHA-256）', t.submission_sha256]];
	if (t.action_taken)
		rows.splice(1, 0, ['处理结果', '监管部门已据此采取处理措施']);
	clear($('#case-summary')).append(summaryList(rows));
	clear($('#case-messages')).append(messageList(t.messages));
	const ev = clear($('#case-evidence'));
	if (!t.evidence.length)
		ev.append(h('p', { class: 'govuk-body' }, '还没有上传证据文件。'));
	for (const e of t.evidence)
		ev.append(evidenceRow(e, digests[e.id]));
}

function typeOf(file) {
	if (file.type)
		return file.type;
	const ext = (file.name.split('.').pop() || '').toLowerCase();
	return { pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg',
	    jpeg: 'image/jpeg' }[ext] || 'application/octet-stream';
}

async function sha256Hex(file) {
	const d = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
	return Array.from(new Uint8Array(d),
	    (b) => b.toString(16).padStart(2, '0')).join('');
}

// A new action: the last one's error or success message goes.
function fresh() {
	clearErrors();
	const b = $('.vcp-banner');
	if (b)
		b.remove();
}

export function tipoffFollow() {
	let reference = '';
	const digests = {};

	function codeStep(message) {
		sessionStorage.removeItem(CSRF_KEY);
		show('#follow-step-code', '#follow-step-case');
		if (message)
			showErrors({ message }, null, labels);
	}

	// Every call of the case: a lost session sends back to the code.
	async function call(work) {
		try {
			return await work();
		} catch (e) {
			if (e.status === 401) {
				codeStep('查询已超时或已退出，请重新输入受理码');
				return null;
			}
			throw e;
		}
	}

	async function load() {
		const r = await call(() => api.get('/api/v1/tipoffs/mine'));
		if (!r)
			return false;
		reference = r.tipoff.reference;
		caseView(r.tipoff, digests);
		show('#follow-step-case', '#follow-step-code');
		return true;
	}

	$('#code-form').addEventListener('submit', async (ev) => {
		ev.preventDefault();
		fresh();
		const code = fieldValue('code').replace(/\s+/g, '');
		try {
			const r = await api.post('/api/v1/tipoffs/session',
			    { code }, { csrf: null });
			sessionStorage.setItem(CSRF_KEY, r.csrf_token);
			$('#f-code').value = '';
			if (await load())
				$('#case-title').focus();
		} catch (e) {
			if (e.code === 'invalid_code')
				e.fields = { code: { message:
				    '受理码不正确，请核对后重新输入' } };
			else if (e.status === 429)
				e.fields = { code: { message: tooMany(e) } };
			showErrors(e, null, labels);
		}
	});

	$('#reply-form').addEventListener('submit', async (ev) => {
		ev.preventDefault();
		fresh();
		const text = $('#f-body').value.trim();
		try {
			const r = await call(() => api.post(
			    '/api/v1/tipoffs/mine/messages', { body: text },
			    { csrf: reporterCsrf() }));
			if (!r || !await load())
				return;
			$('#f-body').value = '';
			banner('留言已发送', true);
		} catch (e) {
			showErrors(e, null, labels);
		}
	});

	$('#evidence-form').addEventListener('submit', async (ev) => {
		ev.preventDefault();
		fresh();
		const input = $('#f-file');
		const file = input.files[0];
		if (!file) {
			showErrors({ message: '请选择要上传的文件', fields: {
			    file: { message: '请选择一个 PDF、PNG 或 JPEG 文件' } } },
			    null, labels);
			return;
		}
		const button = $('#upload-button');
		const bar = $('#upload-bar');
		const text = $('#upload-text');
		busy(button, true);
		$('#upload-status').classList.remove('vcp-hidden');
		bar.value = 0;
		text.textContent = '正在上传 ' + file.name + '（' +
		    formatSize(file.size) + '）……';
		try {
			const local = sha256Hex(file);
			const r = await call(() => upload(
			    '/api/v1/tipoffs/mine/evidence?filename=' +
			    encodeURIComponent(file.name), file, typeOf(file),
			    (done, total) => {
				    bar.value = Math.round(100 * done / total);
			    }, reporterCsrf()));
			if (!r)
				return;
			bar.value = 100;
			text.textContent = '';
			$('#upload-status').classList.add('vcp-hidden');
			input.value = '';
			digests[r.evidence.id] = await local;
			if (!await load())
				return;
			banner('证据文件已上传：' + r.evidence.filename, true);
		} catch (e) {
			$('#upload-status').classList.add('vcp-hidden');
			text.textContent = '';
			if (e.status === 413)
				e.message = '文件过大，请压缩或分成几个文件上传';
			if (e.status === 413 || e.status === 415 ||
			    e.code === 'too_many_attachments')
				e.fields = { file: { message: e.message } };
			showErrors(e, null, labels);
		} finally {
			busy(button, false);
		}
	});

	$('#ack-button').addEventListener('click', async () => {
		fresh();
		try {
			const xml = await call(() => api.get(
			    '/api/v1/tipoffs/mine/acknowledgement'));
			if (xml)
				saveFile(xml, 'application/xml',
				    'acknowledgement-' + reference + '.xml');
		} catch (e) {
			showErrors(e, null, labels);
		}
	});

	$('#logout-button').addEventListener('click', async () => {
		fresh();
		try {
			await api.del('/api/v1/tipoffs/session',
			    { csrf: reporterCsrf() });
		} catch (e) {
			/* already ended: the code step either way */
		}
		codeStep();
		banner('您已退出查询。再次查询时请输入受理码。', true);
	});

	// Back on the page within the session (a reload): the case again.
	if (reporterCsrf())
		return load().catch(() => codeStep());
	return null;
}
