/*
 * The regulators' routes on a tip-off (reviewer, supervisor): read it,
 * take or reassign it, decide it, write notes and messages, link its
 * filing, mark it a duplicate, open its evidence.  Every route is
 * audited, the reads too, with the case's id as the object.  A reviewer
 * acts only on a case assigned to them; a supervisor on any.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attachment/attachment.h"
#include "crypto/seal.h"
#include "db/db.h"
#include "domain/attachment.h"
#include "domain/field.h"
#include "domain/role.h"
#include "domain/tipoff_state.h"
#include "domain/validate.h"
#include "http/api.h"
#include "tipoff/tipoff.h"
#include "tipoff/tipoff_case.h"

/* What prepare decoded for the work on the pool thread. */
struct tipoff_case_in {
	int		event;		/* enum tipoff_event */
	const char	*reason;	/* closed: why */
	const char	*text;		/* a note's or message's body */
	const char	*filing_number;
	int64_t		other;		/* the case this one duplicates */
};

static struct tipoff_case_in *
tipoff_case_in(struct api_call *call)
{
	struct tipoff_case_in	*in;

	if ((in = calloc(1, sizeof(*in))) == NULL) {
		api_error(call, 503, "busy", "服务繁忙，请稍后重试");
		return (NULL);
	}
	call->data = in;
	call->data_free = free;
	return (in);
}

static int
tipoff_case_fields(struct api_call *call, json_t *fields)
{
	if (json_object_size(fields) > 0) {
		api_error_fields(call, 422, "validation",
		    "提交的信息有误，请按提示修改", fields);
		return (0);
	}
	json_decref(fields);
	return (1);
}

/*
 * Reads the path's case id and locks the case.  act: the caller is to
 * change it, so a reviewer must be its assignee.  1 to go on; otherwise
 * answered.
 */
int
tipoff_case_load(struct api_call *call, struct db *db, int act,
    struct tipoff_case *c)
{
	int64_t	id;
	int	r;

	if (!api_param_id(call, 0, &id, "未找到该举报"))
		return (0);
	api_object(call, "tipoff", id);
	if ((r = tipoff_case_get(db, id, c)) < 0) {
		api_internal(call, db, "tipoff case");
		return (0);
	}
	if (r == 0) {
		api_error(call, 404, "not_found", "未找到该举报");
		return (0);
	}
	if (act && !(call->who.role & ROLE_SUPERVISOR) &&
	    c->assigned_to != call->who.account_id) {
		api_error(call, 403, "not_assigned",
		    "该举报未分配给您；请先领取，或由处长重新分配");
		return (0);
	}
	return (1);
}

static void
tipoff_case_invalid(struct api_call *call, const struct tipoff_case *c)
{
	char	msg[128];

	(void)snprintf(msg, sizeof(msg), "举报当前状态（%s）不允许此操作",
	    tipoff_status_name(c->status));
	api_error(call, 409, "invalid_state", msg);
}

/* The case's row after a change, as the answer. */
static void
tipoff_case_answer(struct api_call *call, struct db *db, int64_t id)
{
	json_t	*out;

	if (tipoff_case_detail(db, id, &out) != 1) {
		api_internal(call, db, "tipoff detail");
		return;
	}
	/* A change's answer needs no copy of the report. */
	json_object_del(out, "submission");
	api_reply(call, 200, json_pack("{s:o}", "tipoff", out));
}

/* GET /api/v1/review/tipoffs/:id, audited as tipoff.read. */
void
tipoff_case_show(struct api_call *call, struct db *db)
{
	struct tipoff_case	c;
	struct attachment_owner	o;
	json_t			*out, *messages, *notes, *evidence, *outcomes;

	if (!tipoff_case_load(call, db, 0, &c))
		return;
	if (tipoff_case_detail(db, c.id, &out) != 1) {
		api_internal(call, db, "tipoff detail");
		return;
	}
	messages = json_array();
	notes = json_array();
	evidence = json_array();
	json_object_set_new(out, "messages", messages);
	json_object_set_new(out, "notes", notes);
	json_object_set_new(out, "evidence", evidence);
	outcomes = json_array();
	json_object_set_new(out, "outcomes", outcomes);
	o.type = "tipoff";
	o.id = c.id;
	if (!tipoff_store_messages(db, c.id, messages) ||
	    !tipoff_case_notes(db, c.id, notes) ||
	    !attachment_store_list(db, &o, evidence) ||
	    !tipoff_outcome_list(db, c.id, outcomes)) {
		json_decref(out);
		api_internal(call, db, "tipoff read");
		return;
	}
	api_reply(call, 200, json_pack("{s:o}", "tipoff", out));
}

/*
 * POST /api/v1/review/tipoffs/:id/assignment [{"account_id": N}]: a
 * reviewer takes an unassigned case (itself only); a supervisor takes or
 * reassigns any open case to a reviewer or supervisor.  A new case goes
 * into review.
 */
void
tipoff_case_take(struct api_call *call, struct db *db)
{
	struct tipoff_case	c;
	enum tipoff_status	to;
	json_t			*v;
	int64_t			target;
	int			role, r, supervisor;

	supervisor = (call->who.role & ROLE_SUPERVISOR) != 0;
	v = json_object_get(call->in, "account_id");
	target = call->who.account_id;
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) <= 0) {
			api_error_fields(call, 422, "validation",
			    "提交的信息有误，请按提示修改", json_pack(
			    "{s:{s:s,s:s}}", "account_id", "code", "type",
			    "message", "应为账号编号"));
			return;
		}
		target = json_integer_value(v);
	}
	if (!supervisor && target != call->who.account_id) {
		api_error(call, 403, "forbidden",
		    "只有处长可以把举报分配给他人");
		return;
	}
	if (!tipoff_case_load(call, db, 0, &c))
		return;
	if (!tipoff_status_open(c.status)) {
		tipoff_case_invalid(call, &c);
		return;
	}
	if (!supervisor && c.assigned_to != 0 &&
	    c.assigned_to != call->who.account_id) {
		api_error(call, 409, "already_assigned",
		    "该举报已由其他审核员处理");
		return;
	}
	if (target != call->who.account_id) {
		if ((r = tipoff_case_staff_role(db, target, &role)) < 0) {
			api_internal(call, db, "tipoff assign");
			return;
		}
		if (r == 0 || !(role & ROLE_REGULATOR)) {
			api_error_fields(call, 422, "validation",
			    "提交的信息有误，请按提示修改", json_pack(
			    "{s:{s:s,s:s}}", "account_id", "code",
			    "not_regulator", "message",
			    "只能分配给在用的审核员或处长账号"));
			return;
		}
	}
	if (!tipoff_case_assign(db, c.id, target) ||
	    (c.status == TIPOFF_NEW &&
	    (!tipoff_transition(c.status, TIPOFF_EV_TAKE, &to) ||
	    !tipoff_case_set_status(db, c.id, tipoff_status_name(to), NULL,
	    0)))) {
		api_internal(call, db, "tipoff assign");
		return;
	}
	tipoff_case_answer(call, db, c.id);
}

/* {"status": "verified" | "unfounded" | "closed", "reason": ...} */
int
tipoff_case_status_prepare(struct api_call *call)
{
	struct tipoff_case_in	*in;
	json_t			*fields;
	const char		*s, *reason;
	size_t			len;

	if ((in = tipoff_case_in(call)) == NULL)
		return (0);
	fields = json_object();
	in->event = -1;
	if (api_str(call->in, "status", &s, &len, 1, fields)) {
		if (strcmp(s, "verified") == 0)
			in->event = TIPOFF_EV_VERIFY;
		else if (strcmp(s, "unfounded") == 0)
			in->event = TIPOFF_EV_UNFOUND;
		else if (strcmp(s, "closed") == 0)
			in->event = TIPOFF_EV_CLOSE;
		else
			field_error(fields, "status", "format",
			    "状态须为 verified、unfounded 或 closed");
	}
	if (api_str(call->in, "reason", &reason, &len, 0, fields) &&
	    in->event == TIPOFF_EV_CLOSE) {
		if (reason == NULL)
			field_error(fields, "reason", "required",
			    "关闭须说明原因：spam 或 out_of_scope");
		else if (strcmp(reason, "duplicate") == 0)
			field_error(fields, "reason", "use_duplicate",
			    "重复举报请用“标记重复”，并指明原举报");
		else if (!tipoff_close_reason_valid(reason))
			field_error(fields, "reason", "format",
			    "原因须为 spam 或 out_of_scope");
		else
			in->reason = reason;
	} else if (reason != NULL && in->event >= 0)
		field_error(fields, "reason", "not_allowed",
		    "只有关闭时填写原因");
	return (tipoff_case_fields(call, fields));
}

/* POST /api/v1/review/tipoffs/:id/status */
void
tipoff_case_status(struct api_call *call, struct db *db)
{
	struct tipoff_case_in	*in;
	struct tipoff_case	c;
	enum tipoff_status	to;

	in = call->data;
	if (!tipoff_case_load(call, db, 1, &c))
		return;
	if (!tipoff_transition(c.status, in->event, &to)) {
		tipoff_case_invalid(call, &c);
		return;
	}
	if (!tipoff_case_set_status(db, c.id, tipoff_status_name(to),
	    in->reason, !tipoff_status_open(to))) {
		api_internal(call, db, "tipoff status");
		return;
	}
	tipoff_case_answer(call, db, c.id);
}

/* {"body": "..."}: a note or a message. */
int
tipoff_case_text_prepare(struct api_call *call)
{
	struct tipoff_case_in	*in;
	enum validate_result	v;
	json_t			*fields;
	const char		*s;
	size_t			len;

	if ((in = tipoff_case_in(call)) == NULL)
		return (0);
	fields = json_object();
	if (api_str(call->in, "body", &s, &len, 1, fields)) {
		v = validate_text(s, len, TIPOFF_MESSAGE_MAX, 1);
		if (v == VALIDATE_OK && len == 0)
			field_error(fields, "body", "required", "请填写内容");
		else if (v != VALIDATE_OK)
			field_error(fields, "body", validate_code(v),
			    validate_message(v));
		else
			in->text = s;
	}
	return (tipoff_case_fields(call, fields));
}

/* POST /api/v1/review/tipoffs/:id/notes: never shown to the reporter. */
void
tipoff_case_note(struct api_call *call, struct db *db)
{
	struct tipoff_case_in	*in;
	struct tipoff_case	c;
	char			at[32];
	int64_t			nid;

	in = call->data;
	if (!tipoff_case_load(call, db, 1, &c))
		return;
	if (!tipoff_case_note_add(db, c.id, call->who.account_id, in->text,
	    &nid, at, sizeof(at))) {
		api_internal(call, db, "tipoff note");
		return;
	}
	api_reply(call, 201, json_pack("{s:{s:I,s:I,s:s,s:s,s:s}}", "note",
	    "id", (json_int_t)nid, "account_id",
	    (json_int_t)call->who.account_id, "login", call->who.login,
	    "body", in->text, "created_at", at));
}

/* POST /api/v1/review/tipoffs/:id/messages: to the reporter. */
void
tipoff_case_message(struct api_call *call, struct db *db)
{
	struct tipoff_case_in	*in;
	struct tipoff_case	c;
	char			at[32];
	int64_t			mid;

	in = call->data;
	if (!tipoff_case_load(call, db, 1, &c))
		return;
	if (!tipoff_store_message_add(db, c.id, "regulator",
	    call->who.account_id, in->text, &mid, at, sizeof(at)) ||
	    !tipoff_case_answered(db, c.id)) {
		api_internal(call, db, "tipoff message");
		return;
	}
	api_reply(call, 201, json_pack("{s:{s:I,s:s,s:s,s:s}}", "message",
	    "id", (json_int_t)mid, "author", "regulator", "body", in->text,
	    "created_at", at));
}

/* {"filing_number": "..."} */
int
tipoff_case_filing_prepare(struct api_call *call)
{
	struct tipoff_case_in	*in;
	enum validate_result	v;
	json_t			*fields;
	const char		*s;
	size_t			len;

	if ((in = tipoff_case_in(call)) == NULL)
		return (0);
	fields = json_object();
	if (api_str(call->in, "filing_number", &s, &len, 1, fields)) {
		if ((v = validate_text(s, len, 48, 0)) != VALIDATE_OK)
			field_error(fields, "filing_number", validate_code(v),
			    validate_message(v));
		else
			in->filing_number = s;
	}
	return (tipoff_case_fields(call, fields));
}

/* PUT /api/v1/review/tipoffs/:id/filing */
void
tipoff_case_filing(struct api_call *call, struct db *db)
{
	struct tipoff_case_in	*in;
	struct tipoff_case	c;
	int64_t			fid;
	int			r;

	in = call->data;
	if (!tipoff_case_load(call, db, 1, &c))
		return;
	if ((r = tipoff_store_filing_id(db, in->filing_number, &fid)) < 0) {
		api_internal(call, db, "tipoff filing");
		return;
	}
	if (r == 0) {
		api_error_fields(call, 422, "validation",
		    "提交的信息有误，请按提示修改", json_pack("{s:{s:s,s:s}}",
		    "filing_number", "code", "not_found", "message",
		    "备案登记中没有该备案编号"));
		return;
	}
	if (!tipoff_case_link_filing(db, c.id, fid)) {
		api_internal(call, db, "tipoff filing");
		return;
	}
	tipoff_case_answer(call, db, c.id);
}

/* {"duplicate_of": N} */
int
tipoff_case_duplicate_prepare(struct api_call *call)
{
	struct tipoff_case_in	*in;
	json_t			*v;

	if ((in = tipoff_case_in(call)) == NULL)
		return (0);
	v = json_object_get(call->in, "duplicate_of");
	if (!json_is_integer(v) || json_integer_value(v) <= 0) {
		api_error_fields(call, 422, "validation",
		    "提交的信息有误，请按提示修改", json_pack("{s:{s:s,s:s}}",
		    "duplicate_of", "code", v == NULL ? "required" : "type",
		    "message", "请填写原举报的编号（id）"));
		return (0);
	}
	in->other = json_integer_value(v);
	return (1);
}

/*
 * POST /api/v1/review/tipoffs/:id/duplicate: closes the case as a
 * duplicate of an original, which is not itself a duplicate (so no chain
 * or cycle forms).
 */
void
tipoff_case_duplicate(struct api_call *call, struct db *db)
{
	struct tipoff_case_in	*in;
	struct tipoff_case	c, o;
	enum tipoff_status	to;
	const char		*why;
	int			r;

	in = call->data;
	if (!tipoff_case_load(call, db, 1, &c))
		return;
	if (!tipoff_transition(c.status, TIPOFF_EV_CLOSE, &to)) {
		tipoff_case_invalid(call, &c);
		return;
	}
	why = NULL;
	r = 1;
	if (in->other == c.id)
		why = "不能标记为自身的重复";
	else if ((r = tipoff_case_get(db, in->other, &o)) < 0) {
		api_internal(call, db, "tipoff duplicate");
		return;
	} else if (r == 0)
		why = "没有该编号的举报";
	else if (o.duplicate_of != 0)
		why = "该举报本身是重复举报；请指明原举报";
	if (why != NULL) {
		api_error_fields(call, 422, "validation",
		    "提交的信息有误，请按提示修改", json_pack("{s:{s:s,s:s}}",
		    "duplicate_of", "code", in->other == c.id ? "self" :
		    r == 0 ? "not_found" : "duplicate", "message", why));
		return;
	}
	if (!tipoff_case_set_duplicate(db, c.id, o.id) ||
	    !tipoff_case_set_status(db, c.id, tipoff_status_name(to),
	    "duplicate", 1)) {
		api_internal(call, db, "tipoff duplicate");
		return;
	}
	tipoff_case_answer(call, db, c.id);
}

/* GET /api/v1/review/tipoffs/:id/evidence/:aid, opened; audited. */
void
tipoff_case_evidence(struct api_call *call, struct db *db)
{
	struct tipoff_case	c;
	struct attachment_owner	o;
	unsigned char		*data, *plain;
	char			type[32], disp[96], *text;
	size_t			len, plen;
	int64_t			aid;
	int			r;

	if (!tipoff_case_load(call, db, 0, &c))
		return;
	if (!api_param_id(call, 1, &aid, "未找到该证据"))
		return;
	o.type = "tipoff";
	o.id = c.id;
	if ((r = attachment_store_get(db, &o, aid, type, sizeof(type), &data,
	    &len)) < 0) {
		api_internal(call, db, "tipoff evidence");
		return;
	}
	if (r == 0) {
		api_error(call, 404, "not_found", "未找到该证据");
		return;
	}
	/* Stored as the seal's text; the content may hold zero bytes. */
	text = (char *)data;
	text[len] = '\0';
	plain = unseal_len(text, &plen);
	free(data);
	if (plain == NULL) {
		api_internal(call, db, "tipoff evidence unseal");
		return;
	}
	(void)snprintf(disp, sizeof(disp),
	    "attachment; filename=\"evidence-%lld.%s\"", (long long)aid,
	    attachment_extension(type));
	api_reply_raw(call, type, plain, plen, disp);
}
