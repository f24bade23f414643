// Errors on forms, the govuk way: a summary at the top of the page that
// takes focus and links to each field, and each message beside its field
// (an element whose id is fieldId(path), inside a .govuk-form-group).
// Paths are the API's: "platform.publish_urls[1]", "sponsor.id_number".
import { h, $, $$, fieldId } from './dom.js';

export function clearErrors(root) {
	root = root || document;
	for (const s of $$('.govuk-error-summary', root))
		s.remove();
	for (const m of $$('.govuk-error-message.vcp-js', root))
		m.remove();
	for (const g of $$('.govuk-form-group--error', root))
		g.classList.remove('govuk-form-group--error');
	for (const i of $$('.govuk-input--error, .govuk-textarea--error, ' +
	    '.govuk-select--error, .govuk-file-upload--error', root)) {
		i.classList.remove('govuk-input--error', 'govuk-textarea--error',
		    'govuk-select--error', 'govuk-file-upload--error');
		const d = (i.getAttribute('aria-describedby') || '').split(' ')
		    .filter((x) => !x.endsWith('-error')).join(' ');
		if (d)
			i.setAttribute('aria-describedby', d);
		else
			i.removeAttribute('aria-describedby');
	}
}

function markField(path, message) {
	const el = document.getElementById(fieldId(path));
	if (!el)
		return null;
	const group = el.closest('.govuk-form-group') || el.parentElement;
	group.classList.add('govuk-form-group--error');
	const cls = { INPUT: 'govuk-input--error', TEXTAREA:
	    'govuk-textarea--error', SELECT: 'govuk-select--error' }[el.tagName];
	if (el.type === 'file')
		el.classList.add('govuk-file-upload--error');
	else if (cls)
		el.classList.add(cls);
	const id = fieldId(path) + '-error';
	const msg = h('p', { class: 'govuk-error-message vcp-js', id },
	    h('span', { class: 'govuk-visually-hidden' }, '错误：'), message);
	// Before the control, after its label and hint, as govuk places it
	// (before the whole set for a choice; a field revealed inside a
	// choice's set keeps its own place).
	const choice = el.type === 'radio' || el.type === 'checkbox';
	const anchor = el.closest('.govuk-input__wrapper') || (choice &&
	    el.closest('.govuk-radios, .govuk-checkboxes')) || el;
	anchor.before(msg);
	el.setAttribute('aria-describedby', ((el.getAttribute(
	    'aria-describedby') || '') + ' ' + id).trim());
	return el;
}

// err: an ApiError (or {message, fields}); labels: path -> field name,
// so a message in the summary says which field it is.  Fields that are
// not on this page still appear in the summary, without a link.
export function showErrors(err, root, labels) {
	root = root || $('#main-content');
	clearErrors(root);
	const items = [];
	const fields = err.fields || {};
	for (const [path, f] of Object.entries(fields)) {
		const msg = (f && f.message) || String(f);
		const el = markField(path, msg);
		const label = (labels && labels[path]) || '';
		const text = label ? label + '：' + msg : msg;
		items.push(h('li', {}, el ? h('a', { href: '#' + el.id,
		    onclick: (ev) => { ev.preventDefault(); el.focus(); } }, text) :
		    text));
	}
	if (items.length === 0)
		items.push(h('li', {}, err.message || '出现问题，请重试'));
	const summary = h('div', { class: 'govuk-error-summary',
	    'data-module': 'govuk-error-summary', tabindex: '-1' },
	    h('div', { role: 'alert' },
		h('h2', { class: 'govuk-error-summary__title' }, '出现问题'),
		h('div', { class: 'govuk-error-summary__body' },
		    items.length > 1 || Object.keys(fields).length ?
		    h('p', {}, err.message || '') : null,
		    h('ul', { class: 'govuk-list govuk-error-summary__list' },
			items))));
	const main = $('#main-content');
	main.prepend(summary);
	summary.focus();
	return summary;
}

// The value of a form control by path, '' when missing.
export function fieldValue(path) {
	const el = document.getElementById(fieldId(path));
	return el ? el.value.trim() : '';
}
