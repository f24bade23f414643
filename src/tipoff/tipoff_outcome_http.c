/*
 * POST /api/v1/review/tipoffs/:id/outcomes: what a verified case led
 * to, with reasons.  A rectification ordered by a due date; the
 * revocation of the linked filing (the supervisor's revocation, its
 * history naming the tip-off); a referral to one ministry through the
 * outbox.  The assigned reviewer or a supervisor records it.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "domain/calendar.h"
#include "domain/field.h"
#include "domain/role.h"
#include "domain/tipoff_state.h"
#include "domain/validate.h"
#include "filing/filing.h"
#include "http/api.h"
#include "tipoff/tipoff.h"
#include "tipoff/tipoff_case.h"
#include "tipoff/tipoff_outcome.h"

#define TIPOFF_REASONS_MAX	2000

/*
 * {"kind": "rectification" | "revocation" | "referral", "reasons": ...,
 *  "due_on": "YYYY-MM-DD" (rectification), "ministry": "mps" | "cac"
 *  (referral)}
 */
int
tipoff_outcome_prepare(struct api_call *call)
{
	struct tipoff_outcome_in	*in;
	enum validate_result		v;
	json_t				*fields;
	const char			*s;
	size_t				len;
	int32_t				day;

	if ((in = calloc(1, sizeof(*in))) == NULL) {
		api_error(call, 503, "busy", "服务繁忙，请稍后重试");
		return (0);
	}
	call->data = in;
	call->data_free = free;
	fields = json_object();
	if (api_str(call->in, "kind", &s, &len, 1, fields)) {
		if (strcmp(s, "rectification") == 0 ||
		    strcmp(s, "revocation") == 0 ||
		    strcmp(s, "referral") == 0)
			in->kind = s;
		else
			field_error(fields, "kind", "format", "处理结果须为 "
			    "rectification、revocation 或 referral");
	}
	if (api_str(call->in, "reasons", &s, &len, 1, fields)) {
		v = validate_text(s, len, TIPOFF_REASONS_MAX, 1);
		if (v == VALIDATE_OK && len == 0)
			field_error(fields, "reasons", "required",
			    "请填写处理理由");
		else if (v != VALIDATE_OK)
			field_error(fields, "reasons", validate_code(v),
			    validate_message(v));
		else
			in->reasons = s;
	}
	if (api_str(call->in, "due_on", &s, &len, 0, fields) && s != NULL) {
		if (in->kind == NULL || strcmp(in->kind, "rectification") != 0)
			field_error(fields, "due_on", "not_allowed",
			    "只有责令整改时填写整改期限");
		else if (!cal_date_parse(s, len, &day) ||
		    day <= cal_date_today_cst(time(NULL)))
			field_error(fields, "due_on", "format",
			    "整改期限须为今天之后的 YYYY-MM-DD 日期");
		else
			in->due_on = s;
	} else if (in->kind != NULL && strcmp(in->kind, "rectification") == 0)
		field_error(fields, "due_on", "required", "请填写整改期限");
	if (api_str(call->in, "ministry", &s, &len, 0, fields) && s != NULL) {
		if (in->kind == NULL || strcmp(in->kind, "referral") != 0)
			field_error(fields, "ministry", "not_allowed",
			    "只有移送时填写接收部门");
		else if (strcmp(s, "mps") == 0 || strcmp(s, "cac") == 0)
			in->ministry = s;
		else
			field_error(fields, "ministry", "format",
			    "接收部门须为 mps（公安部）或 cac（网信办）");
	} else if (in->kind != NULL && strcmp(in->kind, "referral") == 0)
		field_error(fields, "ministry", "required", "请选择接收部门");
	if (json_object_size(fields) > 0) {
		api_error_fields(call, 422, "validation",
		    "提交的信息有误，请按提示修改", fields);
		return (0);
	}
	json_decref(fields);
	return (1);
}

/* The supervisor's revocation of the linked filing, naming the case. */
static int
tipoff_outcome_revoke(struct api_call *call, struct db *db,
    const struct tipoff_case *c, const struct tipoff_outcome_in *in)
{
	struct filing_ending	e;
	struct filing_out	out;
	struct actor		a;
	enum filing_result	r;
	json_t			*detail;
	char			ref[TIPOFF_REF_MAX];

	if (tipoff_case_detail(db, c->id, &detail) != 1) {
		api_internal(call, db, "tipoff outcome");
		return (0);
	}
	(void)snprintf(ref, sizeof(ref), "%s",
	    json_string_value(json_object_get(detail, "reference")));
	json_decref(detail);
	api_actor(call, &a);
	memset(&e, 0, sizeof(e));
	e.event = EV_REVOKE;
	e.reasons = in->reasons;
	e.tipoff = ref;
	r = filing_ops_end(db, &a, c->filing_id, &e, &out);
	filing_out_free(&out);
	if (r == FILING_OK)
		return (1);
	if (r == FILING_INVALID_STATE || r == FILING_NOT_FOUND)
		api_error(call, 409, "filing_not_filed",
		    "关联的平台不是已备案状态，无法撤销");
	else
		api_internal(call, db, "tipoff revoke");
	return (0);
}

/* POST /api/v1/review/tipoffs/:id/outcomes */
void
tipoff_outcome(struct api_call *call, struct db *db)
{
	struct tipoff_outcome_in	*in;
	struct tipoff_case		c;
	json_t				*list, *o;
	int64_t				oid, filing;
	size_t				i;
	char				msg[128];

	in = call->data;
	if (!tipoff_case_load(call, db, 1, &c))
		return;
	if (c.status != TIPOFF_VERIFIED) {
		(void)snprintf(msg, sizeof(msg),
		    "举报当前状态（%s）不允许此操作；只有查证属实的举报可以处理",
		    tipoff_status_name(c.status));
		api_error(call, 409, "invalid_state", msg);
		return;
	}
	filing = 0;
	if (strcmp(in->kind, "revocation") == 0) {
		if (!(call->who.role & ROLE_SUPERVISOR)) {
			api_error(call, 403, "forbidden",
			    "只有处长可以撤销备案");
			return;
		}
		if (c.filing_id == 0) {
			api_error(call, 409, "no_filing",
			    "该举报未关联备案，无法撤销；请先关联备案");
			return;
		}
		if (!tipoff_outcome_revoke(call, db, &c, in))
			return;
		filing = c.filing_id;
	}
	if (!tipoff_outcome_add(db, c.id, in, filing, call->who.account_id,
	    &oid) || (in->ministry != NULL &&
	    !tipoff_outcome_refer(db, c.id, in->ministry, in->reasons))) {
		api_internal(call, db, "tipoff outcome");
		return;
	}
	list = json_array();
	if (!tipoff_outcome_list(db, c.id, list)) {
		json_decref(list);
		api_internal(call, db, "tipoff outcome");
		return;
	}
	o = NULL;
	json_array_foreach(list, i, o) {
		if (json_integer_value(json_object_get(o, "id")) == oid)
			break;
	}
	if (o == NULL || i == json_array_size(list)) {
		json_decref(list);
		api_internal(call, db, "tipoff outcome");
		return;
	}
	api_reply(call, 201, json_pack("{s:O}", "outcome", o));
	json_decref(list);
}
