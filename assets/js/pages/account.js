// Creating an operator account, logging in.
import { $ } from '../lib/dom.js';
import { api, setCsrf } from '../lib/api.js';
import { showErrors, clearErrors, fieldValue } from '../lib/form.js';

const labels = { login: '登录名', name: '运营者名称', password: '密码',
    password2: '再次输入密码' };

// Where to go after logging in: the page that sent us here (only a path
// of this site), or the account's home.
function landing(account) {
	const next = new URLSearchParams(location.search).get('next') || '';
	if (/^\/[^/\\]/.test(next))
		return next;
	return account.role === 'operator' ? '/operator' : '/review';
}

async function logIn(login, password) {
	const r = await api.post('/api/v1/session', { login, password });
	setCsrf(r.csrf_token);
	location.assign(landing(r.account));
}

export function accountRegister() {
	const form = $('#register-form');
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearErrors();
		const body = { login: fieldValue('login'), name: fieldValue('name'),
		    password: $('#f-password').value };
		if (body.password !== $('#f-password2').value) {
			showErrors({ message: '两次输入的密码不一致', fields: {
			    password2: { message: '两次输入的密码不一致' } } },
			    null, labels);
			return;
		}
		try {
			await api.post('/api/v1/accounts', body);
			await logIn(body.login, body.password);
		} catch (e) {
			if (e.code === 'login_taken')
				e.fields = { login: { message: e.message } };
			showErrors(e, null, labels);
		}
	});
}

export function accountLogin() {
	const form = $('#login-form');
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearErrors();
		try {
			await logIn(fieldValue('login'), $('#f-password').value);
		} catch (e) {
			showErrors(e, null, labels);
		}
	});
}
