// One filing, as its operator sees it: the form as steps over the seven
// groups with a task list, save as draft, check your answers and submit
// (editable while a draft or when a correction is asked for); otherwise
// where it stands: the receipt and deadline, the number and the badge.
import { h, $, $$, clear, fieldId, summaryList, tag, banner, formatSize }
    from '../lib/dom.js';
import { api, requireRole, pathId, ApiError, upload } from '../lib/api.js';
import { showErrors, clearErrors } from '../lib/form.js';
import { STEPS, KINDS, LABELS, labelOf, stepOf, get, field, collect,
    shown, cstDate, markProblem } from './operator-fields.js';

export const STATUS = {
	draft: ['草稿', 'grey'],
	submitted: ['审核中', 'blue'],
	correction_requested: ['需要补正', 'orange'],
	filed: ['已备案', 'green'],
	rejected: ['未通过', 'red'],
	deregistered: ['已注销', 'grey'],
	revoked: ['已撤销', 'red'],
};

export function statusTag(s) {
	const [t, c] = STATUS[s] || [s, 'grey'];
	return tag(t, c);
}

const ALL = STEPS.flatMap((s) => s.fields);
const UPLOAD_MAX = 10 * 1024 * 1024;

function randomKey() {
	const b = new Uint8Array(16);
	crypto.getRandomValues(b);
	return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

// Labels for the paths an error names, list entries included.
export function labelsFor(e) {
	return Object.fromEntries(Object.keys(e.fields || {}).map((p) =>
	    [p, labelOf(p)]));
}

function link(text, href, onclick) {
	return h('a', { class: 'govuk-link', href, onclick }, text);
}

// The two-thirds column of a section, emptied.
function column(sec) {
	const col = h('div', { class: 'govuk-grid-column-two-thirds' });
	clear(sec).append(h('div', { class: 'govuk-grid-row' }, col));
	return col;
}

function deadlineText(x) {
	return x.deadline || x.deadline_label || '';
}

export async function operatorFiling() {
	await requireRole(['operator']);
	const id = pathId(3);
	if (!id)
		throw new ApiError(404, { error: { message: '没有找到这个备案' } });
	const r = await api.get('/api/v1/filings/' + id);
	if (r.filing.status === 'draft' ||
	    r.filing.status === 'correction_requested')
		new Editor(r.filing).start();
	else
		await statusView(r.filing);
}

class Editor {
	constructor(f) {
		this.f = f;
		this.app = $('#app');
		this.items = f.status === 'correction_requested' && f.decision &&
		    Array.isArray(f.decision.items) ? f.decision.items : [];
	}

	start() {
		const app = clear(this.app);
		this.sections = {};
		if (this.items.length)
			app.append(this.itemsBanner());
		this.sections.tasks = h('section', { class: 'vcp-step',
		    dataset: { step: 'tasks' } });
		app.append(this.sections.tasks);
		STEPS.forEach((s, i) => {
			const sec = this.stepSection(s, i);
			this.sections[s.key] = sec;
			app.append(sec);
		});
		this.sections.check = h('section', { class: 'vcp-step',
		    dataset: { step: 'check' } });
		app.append(this.sections.check);
		for (const it of this.items)
			markProblem(it.field, it.problem);
		addEventListener('popstate', () => this.show(this.urlStep(), false));
		this.show(this.urlStep(), false);
		const target = location.hash && document.getElementById(
		    location.hash.slice(1));
		if (target)
			target.focus();
	}

	urlStep() {
		const s = new URLSearchParams(location.search).get('step');
		return s && this.sections[s] ? s : 'tasks';
	}

	// Shows one step (the others are hidden, all stay in the page so
	// that every field's error has its control); push: a new history
	// entry, so the browser's back button walks the steps.
	show(step, push, focus) {
		if (step === 'tasks')
			this.drawTasks();
		if (step === 'check')
			this.drawCheck();
		for (const [k, sec] of Object.entries(this.sections))
			sec.hidden = k !== step;
		if (push) {
			const u = new URL(location.href);
			u.hash = '';
			if (step === 'tasks')
				u.searchParams.delete('step');
			else
				u.searchParams.set('step', step);
			history.pushState(null, '', u);
		}
		const title = step === 'tasks' ? '备案申请' : step === 'check' ?
		    '检查并提交' : STEPS.find((s) => s.key === step).title;
		document.title = title + ' - 漏洞收集平台备案';
		if (focus !== false) {
			const h1 = $('h1', this.sections[step]);
			if (focus)
				focus.focus();
			else if (h1 && push)
				h1.focus();
		}
	}

	// The link to a field, on whatever step it is.
	fieldLink(path, text) {
		const step = stepOf(path) || 'tasks';
		return link(text, '?step=' + step + '#' + fieldId(path), (ev) => {
			ev.preventDefault();
			this.goField(path);
		});
	}

	goField(path) {
		const step = stepOf(path) || 'tasks';
		let el = document.getElementById(fieldId(path));
		if (!el) {
			const list = path.replace(/\[\d+\].*$/, '');
			el = document.getElementById(fieldId(list));
		}
		this.show(step, step !== this.urlStep(), el || undefined);
	}

	itemsBanner() {
		return h('div', { class: 'govuk-notification-banner',
		    role: 'region', 'aria-labelledby': 'items-title' },
		    h('div', { class: 'govuk-notification-banner__header' },
			h('h2', { class: 'govuk-notification-banner__title',
			    id: 'items-title' }, '需要补正')),
		    h('div', { class: 'govuk-notification-banner__content' },
			h('p', { class: 'govuk-notification-banner__heading' },
			    '审核人员要求修改以下内容，修改后请重新提交'),
			h('ul', { class: 'govuk-list govuk-list--bullet',
			    id: 'correction-items' }, this.items.map((it) =>
			    h('li', {}, this.fieldLink(it.field,
				labelOf(it.field)), '：', it.problem)))));
	}

	stepSection(s, i) {
		const sec = h('section', { class: 'vcp-step', dataset: {
		    step: s.key } });
		const head = [h('span', { class: 'govuk-caption-l' },
		    '第' + (i + 1) + '步，共' + STEPS.length + '步'),
		    h('h1', { class: 'govuk-heading-l', tabindex: '-1' }, s.title)];
		const form = h('form', { novalidate: true, onsubmit: (ev) => {
			ev.preventDefault();
			this.saveAndGo(i + 1 < STEPS.length ? STEPS[i + 1].key :
			    'check');
		} });
		if (s.key === 'attachments') {
			form.append(h('p', { class: 'govuk-body' },
			    '每个文件须为 PDF、PNG 或 JPEG，不超过 10 MiB；一份备案最多20个附件。'),
			    ...KINDS.map(([k, label, req]) => this.kindBlock(k, label,
				req)));
		} else {
			let section = null;
			for (const f of s.fields) {
				if (f.section && f.section !== section) {
					section = f.section;
					form.append(h('h2', { class: 'govuk-heading-m' },
					    section));
				}
				form.append(field(f, get(this.f.form, f.path)));
			}
		}
		form.append(h('div', { class: 'govuk-button-group' },
		    h('button', { type: 'submit', class: 'govuk-button',
			'data-module': 'govuk-button' }, '保存并继续'),
		    h('button', { type: 'button', class: 'govuk-button ' +
			'govuk-button--secondary', onclick: () =>
			this.saveDraft() }, '保存草稿'),
		    link('返回任务列表', '?', (ev) => {
			    ev.preventDefault();
			    this.show('tasks', true);
		    })));
		sec.append(h('div', { class: 'govuk-grid-row' },
		    h('div', { class: 'govuk-grid-column-two-thirds' }, head,
			form)));
		return sec;
	}

	// The form as the page holds it, with the attachments kept as they are.
	form() {
		return collect(ALL);
	}

	async save() {
		clearErrors();
		try {
			const r = await api.put('/api/v1/filings/' + this.f.id,
			    { version: this.f.version, form: this.form() });
			this.f = r.filing;
			return true;
		} catch (e) {
			this.fail(e);
			return false;
		}
	}

	fail(e) {
		if (e.code === 'stale_version') {
			const s = showErrors({ message: '' }, null, LABELS);
			const body = $('.govuk-error-summary__body', s);
			clear(body).append(h('p', {}, '没有保存：这份备案已在另一个' +
			    '窗口或设备上修改过，您看到的不是最新版本。为了不覆盖那边' +
			    '的修改，这里的内容没有保存。'),
			    h('p', {}, link('重新加载最新版本', location.pathname +
				location.search)),
			    h('p', {}, '重新加载前，可以先复制需要保留的内容。'));
			return;
		}
		const s = showErrors(e, null, labelsFor(e));
		// The summary's links reach fields on other steps too.
		for (const a of $$('a', s)) {
			const path = Object.keys(e.fields || {}).find((p) =>
			    '#' + fieldId(p) === a.getAttribute('href'));
			if (!path)
				continue;
			a.setAttribute('href', '?step=' + stepOf(path) + '#' +
			    fieldId(path));
			a.addEventListener('click', (ev) => {
				ev.preventDefault();
				ev.stopImmediatePropagation();
				this.goField(path);
			}, true);
		}
	}

	async saveAndGo(next) {
		if (await this.save())
			this.show(next, true);
	}

	async saveDraft() {
		if (await this.save())
			banner('草稿已保存（' + cstDate(this.f.updated_at) + '）', true);
	}

	// How far a step is: 'done', 'todo' or 'correct'.
	stepState(s, form) {
		if (this.items.some((it) => stepOf(it.field) === s.key))
			return 'correct';
		if (s.key === 'attachments') {
			return KINDS.every(([k, , req]) => !req ||
			    this.f.attachments.some((a) => a.kind === k)) ?
			    'done' : 'todo';
		}
		return s.fields.every((f) => !f.required ||
		    get(form, f.path) !== undefined) ? 'done' : 'todo';
	}

	drawTasks() {
		const form = this.form();
		const sec = column(this.sections.tasks);
		const name = get(form, 'platform.name');
		const states = STEPS.map((s) => this.stepState(s, form));
		const done = states.filter((x) => x === 'done').length;
		sec.append(h('span', { class: 'govuk-caption-l' },
		    this.f.status === 'draft' ? '备案申请（草稿）' : '备案申请（需要补正）'),
		h('h1', { class: 'govuk-heading-l', tabindex: '-1' },
		    name || '新的备案申请'),
		h('p', { class: 'govuk-body' }, '已完成 ' + done + ' 项，共 ' +
		    STEPS.length + ' 项。可以按任意顺序填写，随时保存草稿；全部完成后检查并提交。'),
		h('ul', { class: 'govuk-task-list' }, STEPS.map((s, i) => {
			const st = states[i];
			const sid = 'task-' + s.key + '-status';
			return h('li', { class: 'govuk-task-list__item ' +
			    'govuk-task-list__item--with-link' },
			    h('div', { class: 'govuk-task-list__name-and-hint' },
				h('a', { class: 'govuk-link govuk-task-list__link',
				    href: '?step=' + s.key, 'aria-describedby': sid,
				    onclick: (ev) => {
					    ev.preventDefault();
					    this.show(s.key, true);
				    } }, s.title)),
			    h('div', { class: 'govuk-task-list__status', id: sid },
				st === 'done' ? '已完成' : st === 'correct' ?
				tag('需要修改', 'orange') : tag('未完成', 'blue')));
		})),
		h('h2', { class: 'govuk-heading-m' }, '检查并提交'),
		h('p', { class: 'govuk-body' }, link('检查填写的内容并提交',
		    '?step=check', (ev) => {
			    ev.preventDefault();
			    this.show('check', true);
		    })));
	}

	drawCheck() {
		const form = this.form();
		const sec = column(this.sections.check);
		const change = (path, label) => link(h('span', {}, '修改',
		    h('span', { class: 'govuk-visually-hidden' }, label)),
		    '?step=' + stepOf(path) + '#' + fieldId(path), (ev) => {
			ev.preventDefault();
			this.goField(path);
		});
		sec.append(h('h1', { class: 'govuk-heading-l', tabindex: '-1' },
		    '检查填写的内容'),
		    h('p', { class: 'govuk-body' }, '提交前请核对以下内容。需要修改的，' +
			'点“修改”回到对应的步骤。'));
		for (const s of STEPS) {
			const rows = s.key === 'attachments' ?
			    KINDS.map(([k, label]) => [label,
				this.f.attachments.filter((a) => a.kind === k)
				    .map((a) => a.filename).join('、'),
				'attachments.' + k]) :
			    s.fields.map((f) => [f.label, shown(f, get(form,
				f.path)), f.path]);
			sec.append(h('div', { class: 'govuk-summary-card' },
			    h('div', { class: 'govuk-summary-card__title-wrapper' },
				h('h2', { class: 'govuk-summary-card__title' },
				    s.title)),
			    h('div', { class: 'govuk-summary-card__content' },
				h('dl', { class: 'govuk-summary-list' },
				    rows.map(([k, v, path]) => h('div', { class:
					'govuk-summary-list__row' },
					h('dt', { class: 'govuk-summary-list__key' }, k),
					h('dd', { class: 'govuk-summary-list__value ' +
					    'vcp-break' }, v === '' ? '未填写' : v),
					h('dd', { class: 'govuk-summary-list__actions' },
					    change(path, k))))))));
		}
		sec.append(h('h2', { class: 'govuk-heading-m' }, '提交备案申请'),
		    h('p', { class: 'govuk-body' }, '提交即表示您确认所填信息真实、' +
			'准确、完整。工业和信息化部自收到完整材料之日起10个工作日内' +
			'完成审核。'),
		    h('button', { type: 'button', class: 'govuk-button',
			id: 'submit-filing', 'data-module': 'govuk-button',
			onclick: (ev) => this.submit(ev.currentTarget) },
			this.f.status === 'draft' ? '提交备案申请' : '重新提交'));
	}

	async submit(btn) {
		btn.disabled = true;
		try {
			if (!await this.save())
				return;
			// One key per version: a retry after a lost answer is the
			// same submission, not a second one.
			const k = 'vcp-submit-' + this.f.id + '-' + this.f.version;
			const key = sessionStorage.getItem(k) || randomKey();
			sessionStorage.setItem(k, key);
			const r = await api.post('/api/v1/filings/' + this.f.id +
			    '/submit', {}, { idempotencyKey: key });
			history.replaceState(null, '', location.pathname);
			await statusView(r.filing, true);
		} catch (e) {
			this.fail(e);
		} finally {
			btn.disabled = false;
		}
	}

	// One kind of attachment: the files there are, and an upload.
	kindBlock(kind, label, required) {
		const id = fieldId('attachments.' + kind);
		const list = h('div', { class: 'vcp-files', id: id + '-files' });
		this.boxes = this.boxes || {};
		this.boxes[kind] = list;
		const inp = h('input', { class: 'govuk-file-upload', id,
		    name: kind, type: 'file', 'aria-describedby': id + '-hint',
		    accept: '.pdf,.png,.jpg,.jpeg,application/pdf,image/png,' +
		    'image/jpeg' });
		const bar = h('progress', { class: 'vcp-progress', max: '100',
		    value: '0', id: id + '-progress', hidden: true,
		    'aria-label': label + '上传进度' });
		const status = h('p', { class: 'govuk-body vcp-upload-status',
		    'aria-live': 'polite', id: id + '-status' });
		const btn = h('button', { type: 'button', class: 'govuk-button ' +
		    'govuk-button--secondary', id: id + '-upload', onclick: () => this.upload(kind,
		    inp, bar, status, btn) }, h('span', {}, '上传',
		    h('span', { class: 'govuk-visually-hidden' }, label)));
		const block = h('div', { class: 'vcp-kind' },
		    h('h2', { class: 'govuk-heading-m' }, label,
			required ? '' : h('span', { class: 'govuk-caption-m' },
			    '（可选）')),
		    list,
		    h('div', { class: 'govuk-form-group' },
			h('label', { class: 'govuk-label', for: id }, '选择文件'),
			h('div', { class: 'govuk-hint', id: id + '-hint' },
			    required ? '必须上传' : '需要时上传'),
			inp),
		    btn, bar, status);
		this.drawFiles(kind);
		return block;
	}

	drawFiles(kind) {
		const box = clear(this.boxes[kind]);
		for (const a of this.f.attachments.filter((x) => x.kind === kind)) {
			box.append(h('div', { class: 'govuk-summary-card' },
			    h('div', { class: 'govuk-summary-card__title-wrapper' },
				h('h3', { class: 'govuk-summary-card__title ' +
				    'vcp-break' }, a.filename),
				h('ul', { class: 'govuk-summary-card__actions' },
				    h('li', { class: 'govuk-summary-card__action' },
					h('button', { type: 'button', class:
					    'govuk-button govuk-button--warning ' +
					    'vcp-delete', onclick: () => this.remove(a) },
					    h('span', {}, '删除', h('span', { class:
						'govuk-visually-hidden' }, a.filename)))))),
			    h('div', { class: 'govuk-summary-card__content' },
				summaryList([['类型', a.media_type],
				    ['大小', formatSize(a.size)],
				    ['SHA-256', h('code', {}, a.sha256)],
				    ['上传时间', cstDate(a.uploaded_at)]]))));
		}
	}

	async upload(kind, inp, bar, status, btn) {
		clearErrors();
		const path = 'attachments.' + kind;
		const file = inp.files[0];
		const bad = (m) => showErrors({ message: m, fields: { [path]:
		    { message: m } } }, null, LABELS);
		if (!file)
			return bad('请先选择要上传的文件');
		if (file.size > UPLOAD_MAX)
			return bad('文件超过 10 MiB，请压缩后再上传');
		const type = file.type || ({ pdf: 'application/pdf',
		    png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg' })[
		    (file.name.split('.').pop() || '').toLowerCase()] ||
		    'application/octet-stream';
		const name = file.name.replace(/[/\\"\x00-\x1f\x7f]/g, '_')
		    .slice(0, 200);
		btn.disabled = true;
		bar.hidden = false;
		bar.value = 0;
		status.textContent = '正在上传 ' + name + '…';
		try {
			// The session's own CSRF token (read when the page started).
			const a = (await upload('/api/v1/filings/' + this.f.id +
			    '/attachments?kind=' + kind + '&filename=' +
			    encodeURIComponent(name), file, type, (done, total) => {
				bar.value = Math.round(100 * done / total);
				status.textContent = '已上传 ' + bar.value + '%';
			})).attachment;
			a.uploaded_at = a.uploaded_at || new Date().toISOString();
			this.f.attachments.push(a);
			this.drawFiles(kind);
			inp.value = '';
			bar.value = 100;
			status.textContent = '已上传：' + a.filename;
		} catch (e) {
			bar.hidden = true;
			status.textContent = '';
			if (!Object.keys(e.fields).length)
				e.fields = { [path]: { message: e.message } };
			showErrors(e, null, LABELS);
		} finally {
			btn.disabled = false;
		}
	}

	async remove(a) {
		clearErrors();
		try {
			await api.del('/api/v1/filings/' + this.f.id +
			    '/attachments/' + a.id);
			this.f.attachments = this.f.attachments.filter((x) =>
			    x.id !== a.id);
			this.drawFiles(a.kind);
			const st = document.getElementById(fieldId('attachments.' +
			    a.kind) + '-status');
			st.textContent = '已删除：' + a.filename;
			document.getElementById(fieldId('attachments.' + a.kind))
			    .focus();
		} catch (e) {
			showErrors(e, null, LABELS);
		}
	}
}

// The form read-only, as a summary list per group.
function formSummary(f) {
	return STEPS.map((s) => h('div', { class: 'govuk-summary-card' },
	    h('div', { class: 'govuk-summary-card__title-wrapper' },
		h('h3', { class: 'govuk-summary-card__title' }, s.title)),
	    h('div', { class: 'govuk-summary-card__content' },
		summaryList(s.key === 'attachments' ? f.attachments.map((a) =>
		    [LABELS['attachments.' + a.kind], h('span', {}, a.filename,
			h('br'), h('span', { class: 'govuk-hint' }, a.media_type +
			'，' + formatSize(a.size) + '，SHA-256 ' + a.sha256))]) :
		    s.fields.map((x) => [x.label, shown(x, get(f.form,
			x.path))])))));
}

// Where a filing stands when the operator cannot edit it.
async function statusView(f, justSubmitted) {
	const app = clear($('#app'));
	const name = get(f.form, 'platform.name') || '备案申请';
	document.title = name + ' - 漏洞收集平台备案';
	const col = h('div', { class: 'govuk-grid-column-two-thirds' });
	app.append(h('div', { class: 'govuk-grid-row' }, col));
	if (justSubmitted) {
		col.append(h('div', { class: 'govuk-panel ' +
		    'govuk-panel--confirmation', id: 'receipt', tabindex: '-1' },
		    h('h1', { class: 'govuk-panel__title' },
			f.receipts > 1 ? '已重新提交' : '备案申请已提交'),
		    h('div', { class: 'govuk-panel__body' },
			'受理日期 ' + (f.receipt_date || ''), h('br'),
			'审核期限 ' + deadlineText(f))));
	} else {
		col.append(h('span', { class: 'govuk-caption-l' }, '备案申请'),
		    h('h1', { class: 'govuk-heading-l' }, name));
	}
	const rows = [['状态', statusTag(f.status)]];
	if (f.filing_number)
		rows.push(['备案编号', h('strong', { id: 'filing-number' },
		    f.filing_number)]);
	if (f.receipt_date)
		rows.push(['受理日期', f.receipt_date]);
	if (f.status === 'submitted')
		rows.push(['审核期限', deadlineText(f)]);
	if (f.filed_on)
		rows.push(['备案日期', f.filed_on]);
	if (f.ended_on)
		rows.push([f.status === 'revoked' ? '撤销日期' : '注销日期',
		    f.ended_on]);
	col.append(summaryList(rows));
	if (f.status === 'submitted') {
		col.append(h('p', { class: 'govuk-body' }, '审核人员将在审核期限前' +
		    '作出决定：通过后给出备案编号；如需补正，会在这里列出要修改的' +
		    '内容。'));
	}
	if (f.status === 'rejected' && f.decision) {
		col.append(h('h2', { class: 'govuk-heading-m' }, '未通过的原因'),
		    h('div', { class: 'govuk-inset-text vcp-break' },
			f.decision.reasons || ''));
	}
	if (f.status === 'filed')
		await filedBlock(col, f);
	col.append(h('h2', { class: 'govuk-heading-m' }, '备案信息'),
	    ...formSummary(f),
	    h('p', { class: 'govuk-body' }, link('返回我的备案', '/operator')));
	const p = $('#receipt');
	if (p)
		p.focus();
}

// The number, the badge to copy, and what the operator may do next.
async function filedBlock(col, f) {
	const snippet = await api.get('/api/v1/registry/' +
	    encodeURIComponent(f.filing_number) + '/badge');
	const box = h('textarea', { class: 'govuk-textarea vcp-badge-snippet',
	    id: 'badge-snippet', rows: 6, readonly: true,
	    'aria-describedby': 'badge-snippet-hint' });
	box.value = String(snippet).trim();
	const said = h('p', { class: 'govuk-body', id: 'badge-copied',
	    'aria-live': 'polite' });
	const copy = async () => {
		box.focus();
		box.select();
		let ok = false;
		try {
			await navigator.clipboard.writeText(box.value);
			ok = true;
		} catch (e) {
			ok = document.execCommand && document.execCommand('copy');
		}
		said.textContent = ok ? '已复制到剪贴板' :
		    '无法自动复制：代码已选中，请按 Ctrl+C 复制';
	};
	col.append(h('h2', { class: 'govuk-heading-m' }, '备案编号标识'),
	    h('div', { class: 'govuk-form-group' },
		h('label', { class: 'govuk-label govuk-label--s',
		    for: 'badge-snippet' }, '标识代码'),
		h('div', { class: 'govuk-hint', id: 'badge-snippet-hint' },
		    '按规定应在平台首页底部显著位置标明备案编号。把这段代码放到' +
		    '首页底部，它显示备案编号并链接到本系统中该平台的公开备案信息。'),
		box),
	    h('button', { type: 'button', class: 'govuk-button ' +
		'govuk-button--secondary', id: 'copy-badge', onclick: copy },
		'复制代码'),
	    said,
	    h('p', { class: 'govuk-body' }, '公开备案信息：',
		link('/register/' + f.filing_number, '/register/' +
		    encodeURIComponent(f.filing_number))));
	const changes = (await api.get('/api/v1/filings/' + f.id +
	    '/changes')).changes || [];
	col.append(h('h2', { class: 'govuk-heading-m' }, '变更和注销'),
	    h('p', { class: 'govuk-body' }, '备案信息发生变化的，应当在变化之日起' +
		'30日内报送变更；平台终止服务的，应当及时注销备案。'),
	    h('div', { class: 'govuk-button-group' },
		h('a', { class: 'govuk-button', role: 'button',
		    href: '/operator/filings/' + f.id + '/change',
		    id: 'start-change' }, '报送变更'),
		h('a', { class: 'govuk-button govuk-button--warning',
		    role: 'button', href: '/operator/filings/' + f.id +
		    '/deregister', id: 'start-deregister' }, '注销备案')));
	if (changes.length) {
		col.append(h('h3', { class: 'govuk-heading-s' }, '已报送的变更'),
		    ...changes.slice().reverse().map((c) => summaryList([
			['变化日期', c.changed_on],
			['变更内容', c.fields.map(labelOf).join('、')],
			['状态', tag(CHANGE_STATUS[c.status] || c.status,
			    c.status === 'approved' ? 'green' : 'blue')],
			['报送期限', (c.due_on || '') + (c.late ? '（逾期报送）' :
			    '')],
			['审核期限', c.status === 'submitted' ? deadlineText(c) :
			    ''],
		    ])));
	}
}

export const CHANGE_STATUS = { submitted: '审核中',
    correction_requested: '需要补正', approved: '已通过', rejected: '未通过' };
