/*
 * The filing routes.  Each decodes the request (its prepare checks the
 * input's shape on the event loop), calls the operation of filing_ops.c
 * and renders the result: the HTTP status, and the error codes and
 * messages the API documents.
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/calendar.h"
#include "domain/decision.h"
#include "domain/field.h"
#include "domain/filing_form.h"
#include "domain/id.h"
#include "domain/role.h"
#include "filing/filing.h"
#include "filing/filing_http.h"
#include "http/api.h"

/* The filing the call is about; 404 when the path names none. */
static int
filing_target(struct api_call *call, int64_t *id)
{
	if (!id_parse(call->params[0], id)) {
		api_error(call, 404, "not_found", "未找到该备案");
		return (0);
	}
	api_object(call, "filing", *id);
	return (1);
}

/*
 * Renders an operation's result: the filing with status, or the error.
 * invalid: what 409 invalid_state says on this route.
 */
static void
filing_answer(struct api_call *call, struct db *db, enum filing_result r,
    struct filing_out *out, int status, const char *invalid,
    const char *what)
{
	switch (r) {
	case FILING_OK:
		api_reply(call, status, json_pack("{s:O}", "filing",
		    out->view));
		break;
	case FILING_NOT_FOUND:
		api_error(call, 404, "not_found", "未找到该备案");
		break;
	case FILING_INVALID_STATE:
		api_error(call, 409, "invalid_state", invalid);
		break;
	case FILING_STALE_VERSION:
		api_error(call, 409, "stale_version",
		    "备案信息已被他人修改，请刷新后再编辑");
		break;
	case FILING_VALIDATION:
		api_error_fields(call, 422, "validation",
		    "备案信息不完整或有误，请按提示修改后再提交",
		    json_incref(out->fields));
		break;
	default:
		api_internal(call, db, what);
		break;
	}
	filing_out_free(out);
}

/* A draft's form: the checks that need no database. */
static int
filing_check_draft(struct api_call *call, const json_t *form)
{
	json_t	*errors, *warnings;
	int	ok;

	errors = json_object();
	warnings = json_object();
	ok = filing_form_check(form, FORM_DRAFT, filing_clock_today(), errors,
	    warnings);
	json_decref(warnings);
	if (!ok) {
		api_error_fields(call, 422, "validation",
		    "提交的信息有误，请按提示修改", errors);
		return (0);
	}
	json_decref(errors);
	return (1);
}

int
filing_create_prepare(struct api_call *call)
{
	json_t	*form;

	form = json_object_get(call->in, "form");
	if (form == NULL)
		return (1);
	return (filing_check_draft(call, form));
}

void
filing_create(struct api_call *call, struct db *db)
{
	struct filing_out	out;
	struct actor		a;
	enum filing_result	r;

	api_actor(call, &a);
	r = filing_ops_create(db, &a, json_object_get(call->in, "form"), &out);
	if (out.id > 0)
		api_object(call, "filing", out.id);
	filing_answer(call, db, r, &out, 201, NULL, "filing create");
}

void
filing_list(struct api_call *call, struct db *db)
{
	struct filing_out	out;
	struct actor		a;

	api_actor(call, &a);
	if (filing_ops_list(db, &a, &out) != FILING_OK)
		api_internal(call, db, "filing list");
	else
		api_reply(call, 200, json_pack("{s:O}", "filings", out.view));
	filing_out_free(&out);
}

void
filing_show(struct api_call *call, struct db *db)
{
	struct filing_out	out;
	struct actor		a;
	enum filing_result	r;
	int64_t			id;

	if (!filing_target(call, &id))
		return;
	api_actor(call, &a);
	r = filing_ops_show(db, &a, id, &out);
	filing_answer(call, db, r, &out, 200, NULL, "filing view");
}

int
filing_save_prepare(struct api_call *call)
{
	json_t	*fields, *v;

	fields = json_object();
	v = json_object_get(call->in, "version");
	if (!json_is_integer(v) || json_integer_value(v) < 1) {
		field_error(fields, "version", "required",
		    "请提供所编辑版本的 version");
		api_error_fields(call, 422, "validation",
		    "保存时须提供版本号", fields);
		return (0);
	}
	if (!json_is_object(json_object_get(call->in, "form"))) {
		field_error(fields, "form", "required", "请提供表单内容");
		api_error_fields(call, 422, "validation", "缺少表单内容",
		    fields);
		return (0);
	}
	json_decref(fields);
	return (filing_check_draft(call, json_object_get(call->in, "form")));
}

void
filing_save(struct api_call *call, struct db *db)
{
	struct filing_out	out;
	struct actor		a;
	enum filing_result	r;
	int64_t			id;

	if (!filing_target(call, &id))
		return;
	api_actor(call, &a);
	r = filing_ops_save(db, &a, id, json_integer_value(json_object_get(
	    call->in, "version")), json_object_get(call->in, "form"), &out);
	filing_answer(call, db, r, &out, 200, "当前状态下不能修改备案信息",
	    "filing save");
}

void
filing_submit(struct api_call *call, struct db *db)
{
	struct filing_out	out;
	struct actor		a;
	enum filing_result	r;
	int64_t			id;

	if (!filing_target(call, &id))
		return;
	api_actor(call, &a);
	r = filing_ops_submit(db, &a, id, &out);
	filing_answer(call, db, r, &out, 200, "当前状态下不能提交备案",
	    "filing submit");
}

int
filing_decide_prepare(struct api_call *call)
{
	json_t	*fields;

	fields = json_object();
	if (!decision_check(call->in, fields)) {
		api_error_fields(call, 422, "validation", "审核决定有误",
		    fields);
		return (0);
	}
	json_decref(fields);
	return (1);
}

void
filing_decide(struct api_call *call, struct db *db)
{
	struct decision_input	d;
	struct filing_out	out;
	struct actor		a;
	enum filing_result	r;
	int64_t			id;

	if (!filing_target(call, &id))
		return;
	api_actor(call, &a);
	memset(&out, 0, sizeof(out));
	r = decision_decode(call->in, &d) ? filing_ops_decide(db, &a, id, &d,
	    &out) : FILING_ERROR;
	filing_answer(call, db, r, &out, 200,
	    "只有已提交待审核的备案可以作出审核决定", "decision");
}

int
filing_deregister_prepare(struct api_call *call)
{
	json_t		*fields;
	const char	*s;
	int32_t		day;

	s = json_string_value(json_object_get(call->in, "ended_on"));
	if (s == NULL || !cal_date_parse(s, strlen(s), &day) ||
	    day > cal_date_today_cst(time(NULL))) {
		fields = json_object();
		field_error(fields, "ended_on", "format",
		    "须为不晚于今天的 YYYY-MM-DD 日期");
		api_error_fields(call, 422, "validation", "请填写业务终止日期",
		    fields);
		return (0);
	}
	return (1);
}

void
filing_deregister(struct api_call *call, struct db *db)
{
	struct filing_ending	e;
	struct filing_out	out;
	struct actor		a;
	enum filing_result	r;
	int64_t			id;

	if (!filing_target(call, &id))
		return;
	api_actor(call, &a);
	memset(&e, 0, sizeof(e));
	e.event = EV_DEREGISTER;
	e.ended_on = json_string_value(json_object_get(call->in, "ended_on"));
	r = filing_ops_end(db, &a, id, &e, &out);
	filing_answer(call, db, r, &out, 200, "只有已备案的平台可以注销",
	    "deregister");
}

int
filing_revoke_prepare(struct api_call *call)
{
	json_t	*fields;

	fields = json_object();
	if (!field_text(fields, "reasons", json_object_get(call->in,
	    "reasons"), 2000, "请填写撤销理由（2000字以内）")) {
		api_error_fields(call, 422, "validation", "撤销须说明理由",
		    fields);
		return (0);
	}
	json_decref(fields);
	return (1);
}

void
filing_revoke(struct api_call *call, struct db *db)
{
	struct filing_ending	e;
	struct filing_out	out;
	struct actor		a;
	enum filing_result	r;
	int64_t			id;

	if (!filing_target(call, &id))
		return;
	api_actor(call, &a);
	memset(&e, 0, sizeof(e));
	e.event = EV_REVOKE;
	e.reasons = json_string_value(json_object_get(call->in, "reasons"));
	r = filing_ops_end(db, &a, id, &e, &out);
	filing_answer(call, db, r, &out, 200, "只有已备案的平台可以撤销",
	    "revoke");
}

int
filing_reveal_prepare(struct api_call *call)
{
	json_t	*fields;

	fields = json_object();
	if (!field_text(fields, "reason", json_object_get(call->in, "reason"),
	    500, "请填写查看事由（500字以内）")) {
		api_error_fields(call, 422, "validation",
		    "查看个人信息须说明事由", fields);
		return (0);
	}
	json_decref(fields);
	return (1);
}

void
filing_reveal(struct api_call *call, struct db *db)
{
	struct filing_out	out;
	struct actor		a;
	enum filing_result	r;
	int64_t			id;

	if (!filing_target(call, &id))
		return;
	api_actor(call, &a);
	r = filing_ops_reveal(db, &a, id, json_string_value(json_object_get(
	    call->in, "reason")), &out);
	if (r == FILING_OK) {
		api_reply(call, 200, json_pack("{s:I,s:O}", "filing_id",
		    (json_int_t)id, "personal", out.view));
		filing_out_free(&out);
		return;
	}
	filing_answer(call, db, r, &out, 200, NULL, "reveal");
}
