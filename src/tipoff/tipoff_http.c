/*
 * The reporter's routes: decode, call the operation (tipoff_ops.c),
 * render.  None of them reads the client address but to key a rate
 * limit; the route table flags them .anon, so the audit log leaves the
 * address out too.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attachment/attachment.h"
#include "config.h"
#include "crypto/crypto.h"
#include "db/db.h"
#include "domain/field.h"
#include "domain/validate.h"
#include "http/api.h"
#include "tipoff/tipoff.h"

/* What prepare decoded for the submission's work on the pool thread. */
struct tipoff_call {
	struct tipoff_in	in;
	json_t			*submission;
	char			filename[256 * 4];
	const char		*type;
};

static void
tipoff_call_free(void *p)
{
	struct tipoff_call	*t;

	t = p;
	json_decref(t->submission);
	free(t);
}

static struct tipoff_call *
tipoff_call_new(struct api_call *call)
{
	struct tipoff_call	*t;

	if ((t = calloc(1, sizeof(*t))) == NULL) {
		api_error(call, 503, "busy", "服务繁忙，请稍后重试");
		return (NULL);
	}
	call->data = t;
	call->data_free = tipoff_call_free;
	return (t);
}

static void
tipoff_fail(struct api_call *call, struct db *db, enum tipoff_result r,
    int retry, const char *what)
{
	switch (r) {
	case TIPOFF_THROTTLED:
		(void)snprintf(call->retry_after, sizeof(call->retry_after),
		    "%d", retry);
		api_error(call, 429, "too_many_attempts",
		    "尝试过于频繁，请稍后再试");
		break;
	case TIPOFF_POW_UNKNOWN:
		api_error(call, 403, "pow_unknown",
		    "工作量证明的挑战不存在，请重新获取");
		break;
	case TIPOFF_POW_USED:
		api_error(call, 403, "pow_used",
		    "工作量证明的挑战已被使用，请重新获取");
		break;
	case TIPOFF_POW_EXPIRED:
		api_error(call, 403, "pow_expired",
		    "工作量证明的挑战已过期，请重新获取");
		break;
	case TIPOFF_POW_WRONG:
		api_error(call, 403, "pow_wrong", "工作量证明不正确");
		break;
	case TIPOFF_NO_FILING:
		api_error_fields(call, 422, "validation",
		    "提交的信息有误，请按提示修改", json_pack("{s:{s:s,s:s}}",
		    "platform.filing_number", "code", "not_found",
		    "message", "备案登记中没有该备案编号"));
		break;
	case TIPOFF_BAD_CODE:
		api_error(call, 401, "invalid_code", "受理码错误");
		break;
	case TIPOFF_TOO_MANY_FILES:
		api_error(call, 409, "too_many_attachments",
		    "证据文件数量已达上限");
		break;
	default:
		api_internal(call, db, what);
		break;
	}
}

void
tipoff_challenge(struct api_call *call, struct db *db)
{
	struct tipoff_challenge_out	out;
	enum tipoff_result		r;

	if ((r = tipoff_ops_challenge(db, call->client, &out)) != TIPOFF_OK) {
		tipoff_fail(call, db, r, out.retry_after, "tipoff challenge");
		return;
	}
	api_reply(call, 200, json_pack("{s:s,s:s,s:i,s:s,s:s}",
	    "id", out.id, "salt", out.salt, "difficulty", out.difficulty,
	    "algorithm", "sha256(salt || uint64be(nonce))",
	    "expires_at", out.expires_at));
}

/* One text member, checked as every free text is; copied into dst. */
static int
tipoff_text(json_t *src, const char *name, const char *field, int required,
    size_t max, int multiline, json_t *dst, json_t *fields)
{
	enum validate_result	v;
	const char		*s;
	size_t			len;

	if (!api_str(src, name, &s, &len, required, fields)) {
		/* api_str names the member; the field is its full path. */
		if (strcmp(name, field) != 0) {
			json_object_set(fields, field,
			    json_object_get(fields, name));
			json_object_del(fields, name);
		}
		return (0);
	}
	if (s == NULL || (len == 0 && !required))
		return (1);
	v = validate_text(s, len, max, multiline);
	if (v != VALIDATE_OK) {
		field_error(fields, field, validate_code(v),
		    validate_message(v));
		return (0);
	}
	json_object_set_new(dst, name, json_stringn(s, len));
	return (1);
}

/* A member checked by an identifier check (URL, mobile, e-mail). */
static void
tipoff_ident(json_t *src, const char *name, const char *field,
    int required, enum validate_result (*check)(const char *, size_t),
    json_t *dst, json_t *fields)
{
	enum validate_result	v;
	const char		*s;
	size_t			len;

	if (!api_str(src, name, &s, &len, required, fields)) {
		if (strcmp(name, field) != 0) {
			json_object_set(fields, field,
			    json_object_get(fields, name));
			json_object_del(fields, name);
		}
		return;
	}
	if (s == NULL || len == 0)
		return;
	if ((v = check(s, len)) != VALIDATE_OK) {
		field_error(fields, field, validate_code(v),
		    validate_message(v));
		return;
	}
	json_object_set_new(dst, name, json_stringn(s, len));
}

static void
tipoff_platform(json_t *in, json_t *sub, json_t *fields)
{
	json_t			*p, *out;
	const char		*number;
	size_t			len;
	enum validate_result	v;

	p = json_object_get(in, "platform");
	if (!json_is_object(p)) {
		field_error(fields, "platform", p == NULL ? "required" : "type",
		    "请填写被举报的平台：备案编号，或平台名称和网址");
		return;
	}
	out = json_object();
	json_object_set_new(sub, "platform", out);
	if (json_object_get(p, "filing_number") != NULL) {
		if (json_object_size(p) != 1) {
			field_error(fields, "platform", "format",
			    "填写备案编号时不再填写名称和网址");
			return;
		}
		if (!api_str(p, "filing_number", &number, &len, 1, fields)) {
			json_object_set(fields, "platform.filing_number",
			    json_object_get(fields, "filing_number"));
			json_object_del(fields, "filing_number");
			return;
		}
		if ((v = validate_text(number, len, 48, 0)) != VALIDATE_OK) {
			field_error(fields, "platform.filing_number",
			    validate_code(v), validate_message(v));
			return;
		}
		json_object_set_new(out, "filing_number",
		    json_stringn(number, len));
		return;
	}
	(void)tipoff_text(p, "name", "platform.name", 1, TIPOFF_NAME_MAX, 0,
	    out, fields);
	tipoff_ident(p, "url", "platform.url", 1, validate_url, out, fields);
}

static void
tipoff_contact(json_t *in, json_t *sub, json_t *fields)
{
	json_t	*c, *out;

	c = json_object_get(in, "contact");
	if (c == NULL || json_is_null(c))
		return;
	if (!json_is_object(c)) {
		field_error(fields, "contact", "type", "应为对象");
		return;
	}
	out = json_object();
	(void)tipoff_text(c, "name", "contact.name", 0, TIPOFF_NAME_MAX, 0,
	    out, fields);
	tipoff_ident(c, "phone", "contact.phone", 0, validate_mobile, out,
	    fields);
	tipoff_ident(c, "email", "contact.email", 0, validate_email, out,
	    fields);
	if (json_object_size(out) > 0)
		json_object_set_new(sub, "contact", out);
	else
		json_decref(out);
}

int
tipoff_submit_prepare(struct api_call *call)
{
	struct tipoff_call	*t;
	json_t			*fields, *sub, *v;
	const char		*s;

	if ((t = tipoff_call_new(call)) == NULL)
		return (0);
	/* The proof first: without one nothing else is looked at. */
	v = json_object_get(call->in, "nonce");
	s = json_string_value(json_object_get(call->in, "challenge"));
	if (s == NULL || strlen(s) != TIPOFF_CHALLENGE_ID ||
	    !json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > TIPOFF_NONCE_MAX) {
		api_error(call, 400, "pow_required",
		    "请先完成工作量证明（challenge 与 nonce）");
		return (0);
	}
	t->in.challenge = s;
	t->in.nonce = (uint64_t)json_integer_value(v);

	sub = json_object();
	t->submission = sub;
	fields = tipoff_decode(call->in, sub);
	if (json_object_size(fields) > 0) {
		api_error_fields(call, 422, "validation",
		    "提交的信息有误，请按提示修改", fields);
		return (0);
	}
	json_decref(fields);
	t->in.category = json_string_value(json_object_get(sub, "category"));
	t->in.filing_number = json_string_value(json_object_get(
	    json_object_get(sub, "platform"), "filing_number"));
	t->in.submission = sub;
	return (1);
}

/*
 * The submission's members, checked into sub (its canonical form); the
 * field errors, empty when there is none.
 */
json_t *
tipoff_decode(json_t *in, json_t *sub)
{
	json_t		*fields;
	const char	*s;
	size_t		len;
	char		today[11];
	time_t		now;
	struct tm	tm;

	fields = json_object();
	if (api_str(in, "category", &s, &len, 1, fields)) {
		if (!tipoff_category_valid(s))
			field_error(fields, "category", "format",
			    "举报类别不在列表中");
		else
			json_object_set_new(sub, "category", json_string(s));
	}
	tipoff_platform(in, sub, fields);
	(void)tipoff_text(in, "description", "description", 1,
	    TIPOFF_TEXT_MAX, 1, sub, fields);
	now = time(NULL);
	(void)gmtime_r(&now, &tm);
	(void)strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	if (api_str(in, "occurred_on", &s, &len, 1, fields)) {
		if (!tipoff_date_valid(s, len, today))
			field_error(fields, "occurred_on", "date",
			    "日期须为 YYYY-MM-DD，且不晚于今天");
		else
			json_object_set_new(sub, "occurred_on",
			    json_stringn(s, len));
	}
	tipoff_contact(in, sub, fields);
	return (fields);
}

void
tipoff_submit(struct api_call *call, struct db *db)
{
	struct tipoff_call	*t;
	struct tipoff_receipt	out;
	enum tipoff_result	r;

	t = call->data;
	t->in.client = call->client;
	r = tipoff_ops_submit(db, &t->in, &out);
	if (r != TIPOFF_OK) {
		/* The spent challenge and the counters stay spent. */
		if (r != TIPOFF_ERROR)
			call->keep_on_error = 1;
		tipoff_fail(call, db, r, out.retry_after, "tipoff submit");
		free(out.ack);
		return;
	}
	api_object(call, "tipoff", out.id);
	api_reply(call, 201, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}",
	    "reference", out.reference, "receipt_code", out.code,
	    "received_at", out.received_at, "submission_sha256", out.sha256,
	    "acknowledgement", out.ack,
	    "acknowledgement_url", "/api/v1/tipoffs/mine/acknowledgement"));
	explicit_bzero(out.code, sizeof(out.code));
	free(out.ack);
}

int
tipoff_session_prepare(struct api_call *call)
{
	json_t		*fields;
	const char	*s;
	size_t		len;

	fields = json_object();
	if (api_str(call->in, "code", &s, &len, 1, fields) && len > 64)
		field_error(fields, "code", "too_long", "受理码过长");
	if (json_object_size(fields) > 0) {
		api_error_fields(call, 422, "validation", "请输入受理码",
		    fields);
		return (0);
	}
	json_decref(fields);
	return (1);
}

static void
tipoff_cookie(struct api_call *call, const char *token, int maxage)
{
	char	buf[256];

	(void)snprintf(buf, sizeof(buf),
	    "%s=%s; Path=%s; Max-Age=%d; HttpOnly; SameSite=Strict%s",
	    API_REPORTER_COOKIE, token, API_REPORTER_PATH, maxage,
	    vcp_conf.cookie_secure ? "; Secure" : "");
	api_set_cookie(call, buf);
}

void
tipoff_session_create(struct api_call *call, struct db *db)
{
	struct tipoff_session_out	out;
	enum tipoff_result		r;
	json_t				*code;

	code = json_object_get(call->in, "code");
	r = tipoff_ops_open(db, call->client, json_string_value(code),
	    json_string_length(code), &out);
	if (r != TIPOFF_OK) {
		if (r != TIPOFF_ERROR)
			call->keep_on_error = 1;
		tipoff_fail(call, db, r, out.retry_after, "tipoff session");
		return;
	}
	api_object(call, "tipoff", out.id);
	tipoff_cookie(call, out.token, vcp_conf.tipoff_session_max);
	api_reply(call, 201, json_pack("{s:s,s:s}", "csrf_token", out.csrf,
	    "expires_at", out.expires_at));
	explicit_bzero(out.token, sizeof(out.token));
}

void
tipoff_session_delete(struct api_call *call, struct db *db)
{
	uint8_t	hash[CRYPTO_SHA256_LEN];

	crypto_sha256(call->reporter_token, sizeof(call->reporter_token),
	    hash);
	if (!tipoff_store_session_delete(db, hash)) {
		api_internal(call, db, "tipoff logout");
		return;
	}
	api_object(call, "tipoff", call->who.tipoff_id);
	tipoff_cookie(call, "", 0);
	api_reply(call, 204, NULL);
}

void
tipoff_mine(struct api_call *call, struct db *db)
{
	json_t	*out;

	if (tipoff_ops_view(db, call->who.tipoff_id, &out) != TIPOFF_OK) {
		api_internal(call, db, "tipoff view");
		return;
	}
	api_reply(call, 200, json_pack("{s:o}", "tipoff", out));
}

int
tipoff_message_prepare(struct api_call *call)
{
	struct tipoff_call	*t;
	json_t			*fields;

	if ((t = tipoff_call_new(call)) == NULL)
		return (0);
	fields = json_object();
	t->submission = json_object();
	(void)tipoff_text(call->in, "body", "body", 1, TIPOFF_MESSAGE_MAX, 1,
	    t->submission, fields);
	if (json_object_size(fields) > 0) {
		api_error_fields(call, 422, "validation",
		    "提交的信息有误，请按提示修改", fields);
		return (0);
	}
	json_decref(fields);
	return (1);
}

void
tipoff_message(struct api_call *call, struct db *db)
{
	struct tipoff_call	*t;
	const char		*body;
	char			at[32];
	int64_t			id;

	t = call->data;
	body = json_string_value(json_object_get(t->submission, "body"));
	if (!tipoff_store_message_add(db, call->who.tipoff_id, "reporter", 0,
	    body, &id, at, sizeof(at))) {
		api_internal(call, db, "tipoff message");
		return;
	}
	api_object(call, "tipoff", call->who.tipoff_id);
	api_reply(call, 201, json_pack("{s:{s:I,s:s,s:s,s:s}}", "message",
	    "id", (json_int_t)id, "author", "reporter", "body", body,
	    "created_at", at));
}

int
tipoff_evidence_prepare(struct api_call *call)
{
	struct tipoff_call	*t;
	enum attachment_result	ar;
	const char		*code, *message;
	int			r;

	if ((t = tipoff_call_new(call)) == NULL)
		return (0);
	if (call->raw_len > (size_t)vcp_conf.tipoff_evidence_size) {
		api_error(call, 413, "payload_too_large", "证据文件过大");
		return (0);
	}
	r = api_query(call, "filename", t->filename, sizeof(t->filename));
	if (r == 0)
		(void)snprintf(t->filename, sizeof(t->filename), "evidence");
	else if (r < 0 || !attachment_ops_filename_ok(t->filename)) {
		api_error_fields(call, 422, "validation", "附件参数有误",
		    json_pack("{s:{s:s,s:s}}", "filename", "code", "format",
		    "message", "文件名须为200字以内，不含 / \\ \""));
		return (0);
	}
	ar = attachment_ops_check(call->raw, call->raw_len, call->content_type,
	    &t->type);
	if (ar == ATTACHMENT_OK)
		return (1);
	attachment_ops_refusal(ar, &code, &message);
	api_error(call, 415, code, message);
	return (0);
}

void
tipoff_evidence(struct api_call *call, struct db *db)
{
	struct tipoff_call	*t;
	enum tipoff_result	r;
	json_t			*view;

	t = call->data;
	api_object(call, "tipoff", call->who.tipoff_id);
	r = tipoff_ops_evidence(db, call->who.tipoff_id, t->filename, t->type,
	    call->raw, call->raw_len, &view);
	if (r != TIPOFF_OK) {
		tipoff_fail(call, db, r, 0, "tipoff evidence");
		return;
	}
	api_reply(call, 201, json_pack("{s:o}", "evidence", view));
}

void
tipoff_acknowledgement(struct api_call *call, struct db *db)
{
	char	*xml;

	if (tipoff_store_ack(db, call->who.tipoff_id, &xml) != 1) {
		api_internal(call, db, "tipoff acknowledgement");
		return;
	}
	api_reply_raw(call, "application/xml; charset=utf-8",
	    (unsigned char *)xml, strlen(xml),
	    "attachment; filename=\"tipoff-acknowledgement.xml\"");
}
