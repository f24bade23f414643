/*
 * Operations on a call that need no Kore: setting the answer (JSON,
 * errors, downloads, cookies), reading path ids and JSON members.  Handlers use only these, so the handlers, the
 * route table and these link into a unit test without a server.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "domain/id.h"
#include "domain/role.h"
#include "http/api.h"
#include "log.h"

/* The caller as the service layer knows it. */
void
api_actor(const struct api_call *call, struct actor *a)
{
	a->account_id = call->who.account_id;
	a->role = call->who.role;
}

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
	vcp_log(LOG_ERR, "%s: database error %u", what,
	    db != NULL ? db_errno(db) : 0);
	api_error(call, 500, "internal", "服务器内部错误，请稍后重试");
}

void
api_object(struct api_call *call, const char *type, int64_t id)
{
	(void)snprintf(call->object, sizeof(call->object), "%s:%lld",
	    type, (long long)id);
}

/* A non-JSON answer (downloads); takes ownership of body. */
void
api_reply_raw(struct api_call *call, const char *type, unsigned char *body,
    size_t len, const char *disposition)
{
	api_reply(call, 200, NULL);
	if (!call->raw_borrowed)
		free(call->raw_out);
	call->raw_borrowed = 0;
	call->raw_out = body;
	call->raw_out_len = len;
	(void)snprintf(call->raw_type, sizeof(call->raw_type), "%s", type);
	(void)snprintf(call->disposition, sizeof(call->disposition), "%s",
	    disposition != NULL ? disposition : "");
}

/* An HTML page (owned, freed with the call) with its status. */
void
api_reply_page(struct api_call *call, int status, unsigned char *body,
    size_t len)
{
	if (body == NULL) {
		api_error(call, 500, "internal", "服务器内部错误");
		return;
	}
	api_reply_raw(call, "text/html; charset=utf-8", body, len, NULL);
	call->status = status;
}

/*
 * Bytes that outlive the call (static files read at start): answered as
 * they are, never copied or freed; cache is the Cache-Control to send.
 */
void
api_reply_static(struct api_call *call, const char *type,
    const unsigned char *body, size_t len, const char *cache)
{
	api_reply(call, 200, NULL);
	if (!call->raw_borrowed)
		free(call->raw_out);
	call->raw_out = (unsigned char *)(uintptr_t)body;
	call->raw_borrowed = 1;
	call->raw_out_len = len;
	call->cache = cache;
	(void)snprintf(call->raw_type, sizeof(call->raw_type), "%s", type);
}

/* A redirect to a path of ours (the caller checked what it holds). */
void
api_redirect(struct api_call *call, int status, const char *location)
{
	api_reply(call, status, NULL);
	(void)snprintf(call->location, sizeof(call->location), "%s",
	    location);
}

/*
 * From a .loop route's handler on the event loop: what it needs is not
 * in memory, so the call goes to a pool thread like any other, where the
 * handler runs again with a database.
 */
void
api_defer(struct api_call *call)
{
	call->defer = 1;
}

/* A 200 written piece by piece as it is sent (chunked); takes src. */
void
api_reply_stream(struct api_call *call, const char *type,
    const char *disposition, const struct api_stream *src)
{
	api_reply(call, 200, NULL);
	if (call->stream.free != NULL)
		call->stream.free(call->stream.arg);
	call->stream = *src;
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

/*
 * Reads path parameter n as an id (domain/id.c: one spelling per
 * number).  Anything else names nothing: 404 with the caller's message,
 * and 0.
 */
int
api_param_id(struct api_call *call, int n, int64_t *id,
    const char *message)
{
	if (n < 0 || n >= API_PARAMS_MAX || !id_parse(call->params[n], id)) {
		api_error(call, 404, "not_found", message);
		return (0);
	}
	return (1);
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

void
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
	if (!call->raw_borrowed)
		free(call->raw_out);
	if (call->stream.free != NULL)
		call->stream.free(call->stream.arg);
	free(call);
}
