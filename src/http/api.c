/*
 * The one Kore handler.  Every request comes through api_dispatch, which
 * finds the route, checks the request's shape on the event loop (body
 * size, media type, JSON syntax), then hands the rest to a pool thread:
 * the session lookup, the role check, the route's work and its audit
 * record all happen there, in one round of jobs, and the event loop only
 * writes the answer when the job comes back.
 */

#include <sys/socket.h>

#include <kore/kore.h>
#include <kore/http.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/account.h"
#include "audit/audit.h"
#include "config.h"
#include "db/db.h"
#include "domain/netaddr.h"
#include "domain/role.h"
#include "domain/validate.h"
#include "http/api.h"
#include "http/idempotency.h"

#define API_COOKIE	"vcp_session"
#define API_TRIES	3

struct api_state {
	struct api_call		*call;
};

static void	api_run(struct pool_job *, struct db *);
static void	api_done(struct pool_job *);
static void	api_call_free(struct api_call *);
static void	api_onfree(struct http_request *);
static void	api_respond(struct http_request *, struct api_call *);

void
api_reply(struct api_call *call, int status, json_t *body)
{
	if (call->out != NULL)
		json_decref(call->out);
	call->status = status;
	call->out = body;
}

void
api_error_fields(struct api_call *call, int status, const char *code,
    const char *message, json_t *fields)
{
	json_t	*err;

	err = json_pack("{s:s, s:s}", "code", code, "message", message);
	if (fields != NULL && json_object_size(fields) > 0)
		json_object_set(err, "fields", fields);
	if (fields != NULL)
		json_decref(fields);
	api_reply(call, status, json_pack("{s:o}", "error", err));
}

void
api_error(struct api_call *call, int status, const char *code,
    const char *message)
{
	api_error_fields(call, status, code, message, NULL);
}

/* A database failure: log what failed, never the values involved. */
void
api_internal(struct api_call *call, struct db *db, const char *what)
{
	kore_log(LOG_ERR, "%s: database error %u", what,
	    db != NULL ? db_errno(db) : 0);
	api_error(call, 500, "internal", "服务器内部错误，请稍后重试");
}

void
api_object(struct api_call *call, const char *type, int64_t id)
{
	(void)snprintf(call->object, sizeof(call->object), "%s:%lld",
	    type, (long long)id);
}

/* The caller as the service layer knows it. */
void
api_actor(const struct api_call *call, struct actor *a)
{
	a->account_id = call->who.account_id;
	a->role = call->who.role;
}

/* A non-JSON answer (downloads); takes ownership of body. */
void
api_reply_raw(struct api_call *call, const char *type, unsigned char *body,
    size_t len, const char *disposition)
{
	api_reply(call, 200, NULL);
	free(call->raw_out);
	call->raw_out = body;
	call->raw_out_len = len;
	(void)snprintf(call->raw_type, sizeof(call->raw_type), "%s", type);
	(void)snprintf(call->disposition, sizeof(call->disposition), "%s",
	    disposition != NULL ? disposition : "");
}

/* Adds a Set-Cookie header to the answer; a call may set several. */
void
api_set_cookie(struct api_call *call, const char *value)
{
	char	*p;
	size_t	len;

	if (call->set_cookie == NULL) {
		call->set_cookie = strdup(value);
		return;
	}
	len = strlen(call->set_cookie) + 1 + strlen(value) + 1;
	if ((p = malloc(len)) == NULL)
		return;
	(void)snprintf(p, len, "%s\n%s", call->set_cookie, value);
	free(call->set_cookie);
	call->set_cookie = p;
}

static int
api_unhex(char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* Percent-decodes [s, s+len) into out; 0 on bad escapes or overflow. */
static int
api_urldecode(const char *s, size_t len, char *out, size_t outlen, int plus)
{
	size_t	i, o;
	int	hi, lo;

	for (i = 0, o = 0; i < len; i++) {
		if (o + 1 >= outlen)
			return (0);
		if (s[i] == '%') {
			if (i + 2 >= len)
				return (0);
			hi = api_unhex(s[i + 1]);
			lo = api_unhex(s[i + 2]);
			if (hi < 0 || lo < 0)
				return (0);
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (plus && s[i] == '+') {
			out[o++] = ' ';
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return (strlen(out) == o && validate_utf8(out, o, NULL));
}

/*
 * Looks up a query parameter.  Returns 1 found, 0 absent, -1 malformed
 * (bad escape, invalid UTF-8, too long, or given twice).
 */
int
api_query(struct api_call *call, const char *name, char *out, size_t len)
{
	const char	*p, *end, *eq, *amp;
	size_t		nlen;
	int		found;

	found = 0;
	nlen = strlen(name);
	p = call->query;
	end = p + strlen(p);
	while (p < end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		eq = memchr(p, '=', (size_t)(amp - p));
		if (eq != NULL && (size_t)(eq - p) == nlen &&
		    !memcmp(p, name, nlen)) {
			if (found)
				return (-1);
			if (!api_urldecode(eq + 1, (size_t)(amp - eq - 1),
			    out, len, 1))
				return (-1);
			found = 1;
		}
		p = amp + 1;
	}
	return (found);
}

/*
 * Reads a string member.  Records "required", "type" or a length error
 * into fields under the member's name; returns 1 when a usable value
 * (possibly absent and optional) was found.
 */
int
api_str(json_t *obj, const char *name, const char **out, size_t *len,
    int required, json_t *fields)
{
	json_t	*v;

	*out = NULL;
	*len = 0;
	v = json_object_get(obj, name);
	if (v == NULL || json_is_null(v)) {
		if (required) {
			json_object_set_new(fields, name, json_pack("{s:s,s:s}",
			    "code", "required", "message", "此项为必填项"));
			return (0);
		}
		return (1);
	}
	if (!json_is_string(v)) {
		json_object_set_new(fields, name, json_pack("{s:s,s:s}",
		    "code", "type", "message", "应为字符串"));
		return (0);
	}
	*out = json_string_value(v);
	*len = json_string_length(v);
	if (*len == 0 && required) {
		json_object_set_new(fields, name, json_pack("{s:s,s:s}",
		    "code", "required", "message", "此项为必填项"));
		return (0);
	}
	return (1);
}

static int
api_match(const char *pattern, const char *path, struct api_call *call)
{
	const char	*pe, *se;
	size_t		plen, slen;
	int		n;

	n = 0;
	for (;;) {
		if (*pattern != '/' || *path != '/')
			return (0);
		pattern++;
		path++;
		pe = pattern + strcspn(pattern, "/");
		se = path + strcspn(path, "/");
		plen = (size_t)(pe - pattern);
		slen = (size_t)(se - path);
		if (plen > 0 && *pattern == ':') {
			if (slen == 0 || n >= API_PARAMS_MAX)
				return (0);
			if (call != NULL && !api_urldecode(path, slen,
			    call->params[n], API_PARAM_LEN, 0))
				return (0);
			n++;
		} else if (plen != slen || memcmp(pattern, path, plen)) {
			return (0);
		}
		pattern = pe;
		path = se;
		if (*pattern == '\0' && *path == '\0')
			return (1);
	}
}

static const char *
api_method_name(int m)
{
	switch (m) {
	case HTTP_METHOD_GET:
		return ("GET");
	case HTTP_METHOD_POST:
		return ("POST");
	case HTTP_METHOD_PUT:
		return ("PUT");
	case HTTP_METHOD_DELETE:
		return ("DELETE");
	case HTTP_METHOD_PATCH:
		return ("PATCH");
	default:
		return ("OTHER");
	}
}

static const struct api_route *
api_route_find(struct api_call *call, const char *path, char *allow,
    size_t allowlen)
{
	const struct api_route	*r;
	size_t			off;
	int			method;

	/* HEAD is GET without the body; Kore leaves the body out. */
	method = call->method;
	if (method == HTTP_METHOD_HEAD)
		method = HTTP_METHOD_GET;
	off = 0;
	allow[0] = '\0';
	for (r = api_routes(); r->pattern != NULL; r++) {
		if (!api_match(r->pattern, path, NULL))
			continue;
		if (r->method == method) {
			(void)api_match(r->pattern, path, call);
			return (r);
		}
		off += (size_t)snprintf(allow + off, allowlen - off, "%s%s%s",
		    off > 0 ? ", " : "", api_method_name(r->method),
		    r->method == HTTP_METHOD_GET ? ", HEAD" : "");
		if (off >= allowlen)
			off = allowlen - 1;
	}
	return (NULL);
}

/*
 * The client's address: the TCP peer, or, when the peer is one of our
 * proxies (trusted_proxies), the address the proxy put in X-Real-IP.
 * Anyone else could write any address there, so from them it is ignored,
 * and so is anything that is not an address.
 */
static void
api_client(struct http_request *req, char *out, size_t len)
{
	struct connection	*c;
	const void		*peer;
	const char		*hdr;
	unsigned char		addr[sizeof(struct in6_addr)];

	c = req->owner;
	(void)snprintf(out, len, "unknown");
	if (c == NULL)
		return;
	if (c->family == AF_INET)
		peer = &c->addr.ipv4.sin_addr;
	else if (c->family == AF_INET6)
		peer = &c->addr.ipv6.sin6_addr;
	else
		return;
	if (netaddr_list_match(&vcp_conf.trusted_proxies, c->family, peer) &&
	    http_request_header(req, "x-real-ip", &hdr)) {
		if (inet_pton(AF_INET, hdr, addr) == 1 &&
		    inet_ntop(AF_INET, addr, out, len) != NULL)
			return;
		if (inet_pton(AF_INET6, hdr, addr) == 1 &&
		    inet_ntop(AF_INET6, addr, out, len) != NULL)
			return;
	}
	if (inet_ntop(c->family, peer, out, len) == NULL)
		(void)snprintf(out, len, "unknown");
}

static void
api_credentials(struct http_request *req, struct api_call *call)
{
	char		*cookie;
	const char	*csrf;
	size_t		len;

	http_populate_cookies(req);
	if (http_request_cookie(req, API_COOKIE, &cookie)) {
		len = strlen(cookie);
		call->has_token = crypto_unb64url(cookie, len, call->token,
		    sizeof(call->token));
	}
	if (http_request_cookie(req, ACCOUNT_DEVICE_COOKIE, &cookie) &&
	    strlen(cookie) < sizeof(call->device))
		(void)snprintf(call->device, sizeof(call->device), "%s", cookie);
	if (http_request_header(req, "x-csrf-token", &csrf) &&
	    strlen(csrf) < sizeof(call->csrf))
		(void)snprintf(call->csrf, sizeof(call->csrf), "%s", csrf);
}

static int
api_media_json(struct http_request *req)
{
	const char	*ct, *p;

	if (!http_request_header(req, "content-type", &ct))
		return (0);
	if (strncasecmp(ct, "application/json", 16) != 0)
		return (0);
	p = ct + 16;
	while (*p == ' ')
		p++;
	if (*p == '\0')
		return (1);
	if (*p != ';')
		return (0);
	p++;
	while (*p == ' ')
		p++;
	return (strcasecmp(p, "charset=utf-8") == 0);
}

/* Reads and parses the JSON body; answers 4xx itself and returns 0. */
static int
api_body(struct http_request *req, struct api_call *call)
{
	json_error_t	jerr;
	struct kore_buf	*buf;
	ssize_t		r;
	char		chunk[8192];
	int		ok;

	if (!api_media_json(req)) {
		api_error(call, 415, "unsupported_media_type",
		    "请求体须为 application/json (UTF-8)");
		return (0);
	}
	if (req->http_body_length > API_BODY_DEFAULT) {
		api_error(call, 413, "payload_too_large",
		    "请求体过大（上限 64 KiB）");
		return (0);
	}
	buf = kore_buf_alloc(req->http_body_length + 1);
	ok = 1;
	for (;;) {
		r = http_body_read(req, chunk, sizeof(chunk));
		if (r == -1) {
			ok = 0;
			break;
		}
		if (r == 0)
			break;
		kore_buf_append(buf, chunk, (size_t)r);
		if (buf->offset > API_BODY_DEFAULT) {
			kore_buf_free(buf);
			api_error(call, 413, "payload_too_large",
			    "请求体过大（上限 64 KiB）");
			return (0);
		}
	}
	if (ok)
		call->in = json_loadb((const char *)buf->data, buf->offset,
		    JSON_REJECT_DUPLICATES, &jerr);
	kore_buf_free(buf);
	if (call->in == NULL) {
		api_error(call, 400, "bad_json", "请求体不是有效的 JSON");
		return (0);
	}
	if (!json_is_object(call->in)) {
		api_error(call, 400, "bad_json", "请求体须为 JSON 对象");
		return (0);
	}
	return (1);
}

/* Reads an upload: at most API_RAW_MAX bytes, kept with its media type. */
static int
api_raw(struct http_request *req, struct api_call *call)
{
	const char	*ct;
	ssize_t		r;
	size_t		off;

	if (!http_request_header(req, "content-type", &ct) ||
	    strlen(ct) >= sizeof(call->content_type)) {
		api_error(call, 415, "unsupported_media_type",
		    "请注明文件类型（PDF、PNG 或 JPEG）");
		return (0);
	}
	(void)snprintf(call->content_type, sizeof(call->content_type), "%s",
	    ct);
	if (req->http_body_length > API_RAW_MAX) {
		api_error(call, 413, "payload_too_large",
		    "文件过大（上限 10 MiB）");
		return (0);
	}
	if (req->http_body_length == 0) {
		api_error(call, 400, "empty_body", "文件内容为空");
		return (0);
	}
	if ((call->raw = malloc(req->http_body_length)) == NULL) {
		api_error(call, 503, "busy", "服务繁忙，请稍后重试");
		return (0);
	}
	for (off = 0; off < req->http_body_length; off += (size_t)r) {
		r = http_body_read(req, call->raw + off,
		    req->http_body_length - off);
		if (r <= 0)
			break;
	}
	call->raw_len = off;
	return (1);
}

/* 1..128 printable ASCII characters, or no header at all. */
static int
api_idem_key(struct http_request *req, struct api_call *call)
{
	const char	*k, *p;

	if (!http_request_header(req, "idempotency-key", &k))
		return (1);
	for (p = k; *p != '\0'; p++) {
		if (*p < 0x21 || *p > 0x7e)
			break;
	}
	if (*p != '\0' || p == k || p - k > IDEM_KEY_MAX) {
		api_error(call, 400, "bad_idempotency_key",
		    "Idempotency-Key 须为1至128个可见 ASCII 字符");
		return (0);
	}
	(void)snprintf(call->idem_key, sizeof(call->idem_key), "%s", k);
	return (1);
}

static int
api_start(struct http_request *req, struct api_call *call)
{
	const struct api_route	*r;
	char			allow[128];
	size_t			qlen;

	call->method = req->method;
	if (strlen(req->path) > 1024) {
		api_error(call, 414, "uri_too_long", "请求地址过长");
		return (0);
	}
	if ((r = api_route_find(call, req->path, allow,
	    sizeof(allow))) == NULL) {
		if (allow[0] != '\0') {
			http_response_header(req, "allow", allow);
			api_error(call, 405, "method_not_allowed",
			    "该地址不支持此请求方法");
		} else {
			api_error(call, 404, "not_found", "未找到该资源");
		}
		return (0);
	}
	call->route = r;
	if (req->query_string != NULL) {
		qlen = strlen(req->query_string);
		if (qlen > API_QUERY_MAX) {
			api_error(call, 414, "uri_too_long", "查询参数过长");
			return (0);
		}
		memcpy(call->query, req->query_string, qlen + 1);
	}
	api_client(req, call->client, sizeof(call->client));
	api_credentials(req, call);
	if ((r->flags & API_JSON) && !api_body(req, call))
		return (0);
	if ((r->flags & API_RAW) && !api_raw(req, call))
		return (0);
	if ((r->flags & API_IDEM) && !api_idem_key(req, call))
		return (0);
	if (r->prepare != NULL && !r->prepare(call))
		return (0);
	return (1);
}

int
api_dispatch(struct http_request *req)
{
	struct api_state	*state;
	struct api_call		*call;

	if (!http_state_exists(req)) {
		state = http_state_create(req, sizeof(*state), api_onfree);
		if ((call = calloc(1, sizeof(*call))) == NULL) {
			http_response(req, 503, NULL, 0);
			return (KORE_RESULT_OK);
		}
		state->call = call;
		call->req = req;
		if (!api_start(req, call) || (call->route->flags & API_NODB)) {
			if (call->status == 0 && call->route != NULL)
				call->route->exec(call, NULL);
			api_respond(req, call);
			return (KORE_RESULT_OK);
		}
		call->job.run = api_run;
		call->job.done = api_done;
		call->job.arg = call;
		if (!pool_submit(&call->job)) {
			http_response_header(req, "retry-after", "1");
			api_error(call, 503, "busy", "服务繁忙，请稍后重试");
			api_respond(req, call);
			return (KORE_RESULT_OK);
		}
		call->inflight = 1;
		http_request_sleep(req);
		return (KORE_RESULT_RETRY);
	}

	state = http_state_get(req);
	call = state->call;
	if (call->inflight)
		return (KORE_RESULT_RETRY);
	api_respond(req, call);
	return (KORE_RESULT_OK);
}

static void
api_done(struct pool_job *job)
{
	struct api_call		*call;

	call = job->arg;
	call->inflight = 0;
	if (call->req == NULL) {
		/* The client went away while the job ran. */
		api_call_free(call);
		return;
	}
	http_request_wakeup(call->req);
}

static void
api_onfree(struct http_request *req)
{
	struct api_state	*state;

	state = http_state_get(req);
	if (state == NULL || state->call == NULL)
		return;
	if (state->call->inflight)
		state->call->req = NULL;
	else
		api_call_free(state->call);
	state->call = NULL;
}

static void
api_call_free(struct api_call *call)
{
	if (call->in != NULL)
		json_decref(call->in);
	if (call->out != NULL)
		json_decref(call->out);
	if (call->data_free != NULL && call->data != NULL)
		call->data_free(call->data);
	free(call->set_cookie);
	free(call->raw);
	free(call->raw_out);
	free(call);
}

static void
api_respond(struct http_request *req, struct api_call *call)
{
	char	*body, *line, *next;
	size_t	len;

	if (call->raw_out != NULL) {
		http_response_header(req, "content-type", call->raw_type);
		if (call->disposition[0] != '\0')
			http_response_header(req, "content-disposition",
			    call->disposition);
	} else {
		http_response_header(req, "content-type",
		    "application/json; charset=utf-8");
	}
	http_response_header(req, "cache-control", "no-store");
	http_response_header(req, "x-content-type-options", "nosniff");
	http_response_header(req, "x-frame-options", "DENY");
	http_response_header(req, "referrer-policy", "no-referrer");
	http_response_header(req, "content-security-policy",
	    "default-src 'none'; frame-ancestors 'none'");
	for (line = call->set_cookie; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		http_response_header(req, "set-cookie", line);
	}
	if (call->retry_after[0] != '\0')
		http_response_header(req, "retry-after", call->retry_after);

	if (call->raw_out != NULL) {
		http_response(req, call->status, call->raw_out,
		    call->raw_out_len);
		return;
	}
	if (call->status == 0)
		api_error(call, 500, "internal", "服务器内部错误");
	if (call->status == 204 || call->out == NULL) {
		http_response(req, call->status, NULL, 0);
		return;
	}
	body = json_dumps(call->out, JSON_COMPACT);
	len = body != NULL ? strlen(body) : 0;
	http_response(req, call->status, body, len);
	free(body);
}

static int
api_is_write(int method)
{
	return (method != HTTP_METHOD_GET && method != HTTP_METHOD_HEAD);
}

/* The session check, on the pool thread.  Returns 0 with an answer set. */
static int
api_authorize(struct api_call *call, struct db *db)
{
	int	r;

	if (!call->has_token) {
		api_error(call, 401, "unauthenticated", "请先登录");
		return (0);
	}
	r = session_resolve(db, call->token, &call->who);
	if (r < 0) {
		api_internal(call, db, "session");
		return (0);
	}
	if (r == 0) {
		api_error(call, 401, "unauthenticated", "登录已失效，请重新登录");
		return (0);
	}
	if (call->route->roles != 0 && !(call->who.role & call->route->roles)) {
		api_error(call, 403, "forbidden", "当前账号无权执行此操作");
		return (0);
	}
	/*
	 * A cookie is sent by the browser whoever made the page; the CSRF
	 * token is only known to our own pages, so every write needs both.
	 */
	if (api_is_write(call->method) &&
	    !crypto_equal(call->csrf, call->who.csrf, sizeof(call->csrf))) {
		api_error(call, 403, "csrf", "缺少或错误的 CSRF 令牌");
		return (0);
	}
	return (1);
}

static int
api_audit(struct api_call *call, struct db *db, int own_txn)
{
	struct audit_entry	e;
	const char		*outcome;
	json_t			*err;

	memset(&e, 0, sizeof(e));
	e.actor_id = call->who.account_id;
	e.actor_role = call->who.role ? role_name(call->who.role) : NULL;
	e.action = call->route->action;
	e.object = call->object;
	e.status = call->status;
	e.client = call->client;
	outcome = "ok";
	if (call->status >= 400) {
		err = json_object_get(json_object_get(call->out, "error"),
		    "code");
		outcome = json_is_string(err) ? json_string_value(err) :
		    "error";
	}
	e.outcome = outcome;
	if (own_txn && !db_begin(db))
		return (0);
	if (!audit_append(db, &e)) {
		kore_log(LOG_ERR, "audit append failed: %u", db_errno(db));
		(void)db_rollback(db);
		return (0);
	}
	if (own_txn)
		return (db_commit(db));
	return (1);
}

static void
api_reset_answer(struct api_call *call)
{
	api_reply(call, 0, NULL);
	free(call->set_cookie);
	call->set_cookie = NULL;
	call->keep_on_error = 0;
}

/*
 * Claims the call's Idempotency-Key.  Returns 1 to go on with the write,
 * 0 when the answer is set (a replay, or a refusal).
 */
static int
api_idem_claim(struct api_call *call, struct db *db)
{
	const unsigned char	*p;
	char			*resp, route[64];
	int			r, status, same;

	if (call->idem_key[0] == '\0')
		return (1);
	/*
	 * Ids are short ASCII.  Any other segment names nothing: the write
	 * fails as not found, and a failure is not remembered, so there is
	 * nothing to claim.  Cut to fit, it would be one character cut in
	 * two, or two segments made one, in an ASCII column.
	 */
	for (p = (const unsigned char *)call->params[0]; *p != '\0'; p++) {
		if (*p < 0x21 || *p > 0x7e)
			return (1);
	}
	if (strlen(call->params[0]) > 32)
		return (1);
	/* The same key on another filing is another operation. */
	(void)snprintf(route, sizeof(route), "%.24s/%.32s",
	    call->route->action, call->params[0]);
	r = idem_claim(db, call->who.account_id, call->idem_key, route,
	    &status, &resp, &same);
	if (r == 1)
		return (1);
	(void)db_rollback(db);
	if (r < 0) {
		api_internal(call, db, "idempotency");
		return (0);
	}
	if (!same)
		api_error(call, 422, "idempotency_key_reused",
		    "该 Idempotency-Key 已用于其他操作");
	else if (status == 0)
		api_error(call, 409, "in_progress", "相同的请求正在处理");
	else
		api_reply(call, status, json_loads(resp, 0, NULL));
	free(resp);
	return (0);
}

static int
api_idem_finish(struct api_call *call, struct db *db)
{
	char	*body;
	int	ok;

	if (call->idem_key[0] == '\0')
		return (1);
	body = call->out != NULL ? json_dumps(call->out, JSON_COMPACT) : NULL;
	ok = idem_finish(db, call->who.account_id, call->idem_key,
	    call->status, body != NULL ? body : "null");
	free(body);
	return (ok);
}

static void
api_run(struct pool_job *job, struct db *db)
{
	struct api_call		*call;
	int			tries, audited, keep;

	call = job->arg;
	if (db == NULL) {
		call->retry_after[0] = '5';
		api_error(call, 503, "db_unavailable", "数据库暂不可用，请稍后重试");
		return;
	}
	if ((call->route->flags & API_AUTH) && !api_authorize(call, db)) {
		if (call->route->flags & API_AUDIT)
			(void)api_audit(call, db, 1);
		return;
	}

	audited = call->route->flags & API_AUDIT;
	for (tries = 0; tries < API_TRIES; tries++) {
		api_reset_answer(call);
		if (!db_begin(db)) {
			api_internal(call, db, "begin");
			return;
		}
		if (!api_idem_claim(call, db))
			return;
		call->route->exec(call, db);
		keep = call->status < 400 || call->keep_on_error;
		if (call->status >= 500 && db_retryable(db)) {
			(void)db_rollback(db);
			continue;
		}
		if (!keep) {
			(void)db_rollback(db);
			if (audited && db_alive(db))
				(void)api_audit(call, db, 1);
			return;
		}
		/* No audit record, no action: the two commit together. */
		if ((call->status >= 400 || api_idem_finish(call, db)) &&
		    (!audited || api_audit(call, db, 0)) && db_commit(db))
			return;
		(void)db_rollback(db);
		if (!db_retryable(db))
			break;
	}
	api_internal(call, db, "commit");
}
