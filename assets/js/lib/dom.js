// Building the DOM from data: text always goes in as text nodes, never
// as markup, so nothing a user typed can become HTML.

// h('p', {class: 'govuk-body'}, 'text', child, ...)
export function h(tag, attrs, ...children) {
	const el = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === null || v === undefined || v === false)
			continue;
		if (k === 'class')
			el.className = v;
		else if (k.startsWith('on') && typeof v === 'function')
			el.addEventListener(k.slice(2), v);
		else if (k === 'dataset')
			Object.assign(el.dataset, v);
		else
			el.setAttribute(k, v === true ? '' : String(v));
	}
	append(el, children);
	return el;
}

export function append(el, children) {
	for (const c of children.flat(Infinity)) {
		if (c === null || c === undefined || c === false)
			continue;
		el.append(c instanceof Node ? c : document.createTextNode(String(c)));
	}
	return el;
}

export function clear(el) {
	while (el.firstChild)
		el.firstChild.remove();
	return el;
}

export function $(sel, root) {
	return (root || document).querySelector(sel);
}

export function $$(sel, root) {
	return Array.from((root || document).querySelectorAll(sel));
}

// The id a form path gets as an element: "platform.publish_urls[1]" ->
// "f-platform-publish_urls-1", stable and valid in a fragment link.
export function fieldId(path) {
	return 'f-' + path.replace(/\[(\d+)\]/g, '-$1').replace(/\./g, '-');
}

// govuk summary list from [[key, value-or-node], ...]
export function summaryList(rows) {
	return h('dl', { class: 'govuk-summary-list' }, rows.map(([k, v]) =>
	    h('div', { class: 'govuk-summary-list__row' },
		h('dt', { class: 'govuk-summary-list__key' }, k),
		h('dd', { class: 'govuk-summary-list__value vcp-break' },
		    v === null || v === undefined || v === '' ? '—' : v))));
}

export function tag(text, colour) {
	return h('strong', { class: 'govuk-tag' + (colour ? ' govuk-tag--' +
	    colour : '') }, text);
}

export function button(text, attrs) {
	return h('button', Object.assign({ type: 'button', class: 'govuk-button',
	    'data-module': 'govuk-button' }, attrs || {}), text);
}

// A notification banner (success or information) at the top of main.
export function banner(text, success) {
	const main = $('#main-content');
	const old = $('.vcp-banner', main);
	if (old)
		old.remove();
	const b = h('div', { class: 'govuk-notification-banner vcp-banner' +
	    (success ? ' govuk-notification-banner--success' : ''),
	    role: success ? 'alert' : 'region',
	    'aria-labelledby': 'vcp-banner-title', tabindex: '-1' },
	    h('div', { class: 'govuk-notification-banner__header' },
		h('h2', { class: 'govuk-notification-banner__title',
		    id: 'vcp-banner-title' }, success ? '成功' : '请注意')),
	    h('div', { class: 'govuk-notification-banner__content' },
		h('p', { class: 'govuk-notification-banner__heading' }, text)));
	main.prepend(b);
	b.focus();
	return b;
}

export function date10(s) {
	return typeof s === 'string' ? s.slice(0, 10) : '';
}

export function formatSize(n) {
	if (n >= 1048576)
		return (n / 1048576).toFixed(1) + ' MiB';
	if (n >= 1024)
		return (n / 1024).toFixed(1) + ' KiB';
	return n + ' 字节';
}
