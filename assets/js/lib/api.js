// The JSON API as the pages use it: same-origin cookies, the session's
// CSRF token on every write (read from GET /api/v1/session, kept in
// memory only), and errors as thrown ApiError objects that keep the
// server's code, message and field errors.

let csrf = null;
let me = undefined;

export class ApiError extends Error {
	constructor(status, body) {
		const e = (body && body.error) || {};
		super(e.message || '服务暂时不可用，请稍后重试');
		this.status = status;
		this.code = e.code || 'network';
		this.fields = e.fields || {};
	}
}

async function send(method, path, body, opts) {
	const headers = {};
	let payload;
	opts = opts || {};
	if (body instanceof Blob || body instanceof ArrayBuffer) {
		headers['Content-Type'] = opts.type || 'application/octet-stream';
		payload = body;
	} else if (body !== undefined) {
		headers['Content-Type'] = 'application/json';
		payload = JSON.stringify(body);
	}
	const token = opts.csrf !== undefined ? opts.csrf : csrf;
	if (method !== 'GET' && token)
		headers['X-CSRF-Token'] = token;
	if (opts.idempotencyKey)
		headers['Idempotency-Key'] = opts.idempotencyKey;
	let r;
	try {
		r = await fetch(path, { method, headers, body: payload,
		    credentials: 'same-origin', cache: 'no-store' });
	} catch (e) {
		throw new ApiError(0, { error: { code: 'network',
		    message: '无法连接到服务器，请检查网络后重试' } });
	}
	const type = r.headers.get('Content-Type') || '';
	if (!r.ok) {
		let data = null;
		if (type.startsWith('application/json'))
			data = await r.json().catch(() => null);
		const err = new ApiError(r.status, data);
		// Seconds until a refused attempt may be tried again (429).
		err.retryAfter = Number(r.headers.get('Retry-After')) || null;
		throw err;
	}
	if (r.status === 204)
		return null;
	if (opts.raw)
		return r;
	return type.startsWith('application/json') ? r.json() : r.text();
}

export const api = {
	get: (p, o) => send('GET', p, undefined, o),
	post: (p, b, o) => send('POST', p, b === undefined ? {} : b, o),
	put: (p, b, o) => send('PUT', p, b, o),
	del: (p, o) => send('DELETE', p, undefined, o),
};

// fetch() reports no upload progress; XMLHttpRequest does.  The raw file
// is the body with its media type; progress(done, total) as it goes; the
// session's CSRF token unless another is given (a tip-off reporter's).
export function upload(path, file, type, progress, token) {
	return new Promise((resolve, reject) => {
		const x = new XMLHttpRequest();
		x.open('POST', path);
		x.setRequestHeader('Content-Type', type);
		x.setRequestHeader('X-CSRF-Token',
		    (token !== undefined ? token : csrf) || '');
		x.upload.onprogress = (e) => {
			if (e.lengthComputable)
				progress(e.loaded, e.total);
		};
		x.onload = () => {
			let data = null;
			try {
				data = JSON.parse(x.responseText);
			} catch (e) {
				/* not JSON: the generic message */
			}
			if (x.status >= 200 && x.status < 300)
				resolve(data);
			else
				reject(new ApiError(x.status, data));
		};
		x.onerror = () => reject(new ApiError(0, { error: {
		    code: 'network', message: '上传中断，请检查网络后重试' } }));
		x.send(file);
	});
}

export function setCsrf(token) {
	csrf = token;
}

// The logged-in account, or null; asked once per page.
export async function session() {
	if (me !== undefined)
		return me;
	try {
		const r = await api.get('/api/v1/session');
		csrf = r.csrf_token;
		me = r.account;
	} catch (e) {
		if (e.status !== 401)
			throw e;
		me = null;
	}
	return me;
}

// The page needs one of these roles: otherwise off to the login page,
// coming back here afterwards.
export async function requireRole(roles) {
	const a = await session();
	if (!a) {
		location.assign('/account/login?next=' +
		    encodeURIComponent(location.pathname + location.search));
		return new Promise(() => {});
	}
	if (roles && !roles.includes(a.role)) {
		const e = new ApiError(403, { error: { code: 'forbidden',
		    message: '您的账户无权使用此页面' } });
		throw e;
	}
	return a;
}

export function pathId(index) {
	const parts = location.pathname.split('/');
	const v = parts[index];
	return /^[1-9][0-9]{0,18}$/.test(v || '') ? v : null;
}
