/*
 * The one Kore handler.  Every request comes through api_dispatch, which
 * finds the route, checks the request's shape on the event loop (body
 * size, media type, JSON syntax), then hands the rest to a pool thread
 * (api_run.c): the session lookup, the role check, the route's work and
 * its audit record all happen there, in one round of jobs, and the event
 * loop only writes the answer when the job comes back.  This is the only
 * file of src/http/ that speaks Kore: it turns a request into a struct
 * api_call and the call's answer into a response.
 */

#include <sys/socket.h>

#include <kore/kore.h>
#include <kore/http.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "domain/netaddr.h"
#include "http/api.h"
#include "http/idempotency.h"

#define API_COOKIE	"vcp_session"

struct api_state {
	struct api_call		*call;
};

static void	api_done(struct pool_job *);
static void	api_onfree(struct http_request *);
static void	api_respond(struct http_request *, struct api_call *);
static void	api_stream_start(struct http_request *,
		    struct api_call *);

/*
 * A streamed answer's state, owned by its connection's send queue once
 * the headers are out: one buffer, refilled each time its piece is sent.
 */
#define API_CHUNK	(64 * 1024)

struct api_streaming {
	struct api_stream	src;
	int			done;
	size_t			off;
	unsigned char		buf[API_CHUNK + 32];
};

/* Per worker, from kore_worker_configure: sessions and the audit log. */
void
api_init(api_session_fn resolve, api_session_fn reporter,
    api_record_fn record)
{
	api_set_session_resolver(resolve);
	api_set_reporter_resolver(reporter);
	api_set_recorder(record);
}

/*
 * What a person's browser gets for an address that is not a page: the
 * portal's "not found" page, where the JSON API (everything under /api/,
 * and /healthz) answers JSON.  app.c registers it; src/http/ knows no
 * page.
 */
static api_page_fn	api_missing_page;

void
api_set_missing_page(api_page_fn fn)
{
	api_missing_page = fn;
}

static int
api_is_api_path(const char *path)
{
	return (strncmp(path, "/api/", 5) == 0 ||
	    strcmp(path, "/healthz") == 0);
}

static enum api_method
api_method(int m)
{
	switch (m) {
	case HTTP_METHOD_GET:
		return (API_GET);
	case HTTP_METHOD_HEAD:
		return (API_HEAD);
	case HTTP_METHOD_POST:
		return (API_POST);
	case HTTP_METHOD_PUT:
		return (API_PUT);
	case HTTP_METHOD_DELETE:
		return (API_DELETE);
	case HTTP_METHOD_PATCH:
		return (API_PATCH);
	default:
		return (API_METHOD_OTHER);
	}
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
	if (http_request_cookie(req, API_REPORTER_COOKIE, &cookie)) {
		len = strlen(cookie);
		call->has_reporter_token = crypto_unb64url(cookie, len,
		    call->reporter_token, sizeof(call->reporter_token));
	}
	if (http_request_cookie(req, API_DEVICE_COOKIE, &cookie) &&
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

	/*
	 * A route whose body is optional takes no body as {}: a client
	 * that has nothing to send sends nothing, with or without a type.
	 */
	if (call->route->flags.optional_body && req->http_body_length == 0) {
		call->in = json_object();
		return (1);
	}
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

/*
 * 1..128 printable ASCII characters, or no header at all.  (A header
 * with bytes outside ASCII never gets here: Kore refuses the request;
 * nginx.conf answers it in JSON first.)
 */
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
	const char		*ae;
	char			allow[128];
	size_t			qlen;

	call->method = api_method(req->method);
	if (strlen(req->path) > 1024) {
		api_error(call, 414, "uri_too_long", "请求地址过长");
		return (0);
	}
	if ((r = api_route_find(api_routes(), call->method, req->path,
	    call->params, allow, sizeof(allow))) == NULL) {
		if (allow[0] != '\0') {
			http_response_header(req, "allow", allow);
			api_error(call, 405, "method_not_allowed",
			    "该地址不支持此请求方法");
		} else if (api_missing_page != NULL &&
		    (call->method == API_GET || call->method == API_HEAD) &&
		    !api_is_api_path(req->path)) {
			api_missing_page(call);
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
	/* Public routes answered on the event loop read no cookie. */
	if (!r->flags.loop && !r->flags.nodb)
		api_credentials(req, call);
	if (r->flags.gzip && http_request_header(req, "accept-encoding", &ae))
		call->accept_gzip = api_accepts_gzip(ae);
	if (r->flags.json && !api_body(req, call))
		return (0);
	if (r->flags.raw && !api_raw(req, call))
		return (0);
	if (r->flags.idem && !api_idem_key(req, call))
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
		call->worker = pool_worker_id;
		if (!api_start(req, call) || call->route->flags.nodb) {
			if (call->status == 0 && call->route != NULL)
				call->route->exec(call, NULL);
			api_respond(req, call);
			return (KORE_RESULT_OK);
		}
		if (call->route->flags.loop) {
			call->route->exec(call, NULL);
			if (!call->defer) {
				api_respond(req, call);
				return (KORE_RESULT_OK);
			}
			call->defer = 0;
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

/*
 * A page may load the portal's own stylesheet, scripts (and the proof of
 * work's worker), images and fonts, and talk to the portal alone; no
 * inline script or style, no framing, no form sent elsewhere.
 */
#define API_PAGE_CSP	"default-src 'none'; script-src 'self'; "	\
	"style-src 'self'; img-src 'self' data:; font-src 'self'; "	\
	"connect-src 'self'; worker-src 'self'; form-action 'self'; "	\
	"frame-ancestors 'none'; base-uri 'none'"

static int
api_is_page(const struct api_call *call)
{
	return (call->raw_out != NULL &&
	    strncmp(call->raw_type, "text/html", 9) == 0);
}

static void
api_streaming_free(struct api_streaming *st)
{
	if (st->src.free != NULL)
		st->src.free(st->src.arg);
	free(st);
}

/*
 * The next piece as an HTTP/1.1 chunk at st->buf + st->off, the last one
 * followed by the empty chunk that ends the body.  Returns its length,
 * 0 on a failure.
 */
static size_t
api_streaming_fill(struct api_streaming *st)
{
	size_t	n, hlen;
	int	done;
	char	head[16];

	done = 0;
	n = st->src.fill(st->src.arg, st->buf + 10, API_CHUNK, &done);
	if (n == 0 && !done)
		return (0);
	st->off = 10;
	if (n > 0) {
		(void)snprintf(head, sizeof(head), "%x\r\n", (unsigned)n);
		hlen = strlen(head);
		st->off = 10 - hlen;
		memcpy(st->buf + st->off, head, hlen);
		memcpy(st->buf + 10 + n, "\r\n", 2);
		n += 2;
	}
	if (done) {
		memcpy(st->buf + 10 + n, "0\r\n\r\n", 5);
		n += 5;
		st->done = 1;
	}
	return (10 - st->off + n);
}

/* Kore calls this when a piece is sent, or its connection is gone. */
static int
api_streaming_next(struct netbuf *nb)
{
	struct api_streaming	*st;
	struct connection	*c;
	size_t			len;

	st = nb->extra;
	c = nb->owner;
	if (st->done || c == NULL || c->state != CONN_STATE_ESTABLISHED) {
		api_streaming_free(st);
		return (KORE_RESULT_OK);
	}
	if ((len = api_streaming_fill(st)) == 0) {
		api_streaming_free(st);
		kore_connection_disconnect(c);
		return (KORE_RESULT_OK);
	}
	net_send_stream(c, st->buf + st->off, len, api_streaming_next, &nb);
	nb->extra = st;
	return (KORE_RESULT_OK);
}

/*
 * The headers, then the first piece; each piece's end queues the next.
 * Chunked: the length is known only at the end.  Kore sends this
 * connection's pieces in order; nginx never pipelines a second request
 * behind one whose answer is still coming.
 */
static void
api_stream_start(struct http_request *req, struct api_call *call)
{
	struct api_streaming	*st;
	size_t			len;

	if (req->owner == NULL)
		return;		/* gone: api_call_free ends the stream */
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		http_response(req, 503, NULL, 0);
		return;
	}
	st->src = call->stream;
	memset(&call->stream, 0, sizeof(call->stream));
	len = 0;
	if (req->method != HTTP_METHOD_HEAD &&
	    (len = api_streaming_fill(st)) == 0) {
		api_streaming_free(st);
		http_response(req, 500, NULL, 0);
		return;
	}
	req->flags |= HTTP_REQUEST_NO_CONTENT_LENGTH;
	http_response_header(req, "transfer-encoding", "chunked");
	if (req->method == HTTP_METHOD_HEAD) {
		http_response(req, call->status, NULL, 0);
		api_streaming_free(st);
		return;
	}
	http_response_stream(req, call->status, st->buf + st->off, len,
	    api_streaming_next, st);
}

static void
api_respond(struct http_request *req, struct api_call *call)
{
	char	*body, *line, *next;
	size_t	len;

	if (call->raw_out != NULL || call->stream.fill != NULL) {
		http_response_header(req, "content-type", call->raw_type);
		if (call->disposition[0] != '\0')
			http_response_header(req, "content-disposition",
			    call->disposition);
	} else {
		http_response_header(req, "content-type",
		    "application/json; charset=utf-8");
	}
	http_response_header(req, "cache-control",
	    call->cache != NULL ? call->cache : "no-store");
	http_response_header(req, "x-content-type-options", "nosniff");
	http_response_header(req, "x-frame-options", "DENY");
	http_response_header(req, "referrer-policy", "no-referrer");
	http_response_header(req, "content-security-policy",
	    api_is_page(call) ? API_PAGE_CSP :
	    "default-src 'none'; frame-ancestors 'none'");
	if (call->encoding != NULL)
		http_response_header(req, "content-encoding", call->encoding);
	if (call->route != NULL && call->route->flags.gzip)
		http_response_header(req, "vary", "accept-encoding");
	if (call->location[0] != '\0')
		http_response_header(req, "location", call->location);
	for (line = call->set_cookie; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		http_response_header(req, "set-cookie", line);
	}
	if (call->retry_after[0] != '\0')
		http_response_header(req, "retry-after", call->retry_after);

	if (call->stream.fill != NULL) {
		api_stream_start(req, call);
		return;
	}
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
