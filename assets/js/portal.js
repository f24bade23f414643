// The portal's script: govuk-frontend's components, who is logged in,
// and the page's own code, chosen by <body data-page>.
import { initAll } from 'govuk-frontend';
import { h, $, clear } from './lib/dom.js';
import { api, session } from './lib/api.js';
import { pages } from './pages/index.js';

async function whoami() {
	const slot = $('#vcp-whoami');
	if (!slot || document.body.dataset.page.startsWith('register'))
		return;
	let a = null;
	try {
		a = await session();
	} catch (e) {
		return;
	}
	if (!a)
		return;
	clear(slot).append(h('span', { class: 'govuk-service-navigation__text' },
	    a.login + ' '), h('a', { href: '#', class:
	    'govuk-service-navigation__link', id: 'vcp-logout',
	    onclick: async (ev) => {
		    ev.preventDefault();
		    try {
			    await api.del('/api/v1/session');
		    } catch (e) {
			    /* already ended: the login page either way */
		    }
		    location.assign('/account/login');
	    } }, '退出'));
	slot.classList.remove('vcp-hidden');
}

function start() {
	document.body.classList.add('govuk-frontend-supported');
	initAll();
	const page = pages[document.body.dataset.page];
	const work = [whoami()];
	if (page) {
		work.push(Promise.resolve().then(page).catch((e) => {
			const main = $('#main-content');
			main.prepend(h('div', { class: 'govuk-error-summary',
			    tabindex: '-1' }, h('div', { role: 'alert' },
				h('h2', { class: 'govuk-error-summary__title' },
				    '出现问题'),
				h('div', { class: 'govuk-error-summary__body' },
				    h('p', {}, e.message || '页面加载失败')))));
			main.firstChild.focus();
		}));
	}
	// The browser tests wait for this before they look at the page.
	Promise.allSettled(work).then(() => {
		document.body.dataset.ready = '1';
	});
}

if (document.readyState === 'loading')
	document.addEventListener('DOMContentLoaded', start);
else
	start();
