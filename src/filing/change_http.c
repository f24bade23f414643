/*
 * The routes of a filing's changes.  Each decodes the request, calls
 * the operation of change_ops.c and renders the result with the codes
 * and messages the API documents.
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/calendar.h"
#include "domain/decision.h"
#include "domain/field.h"
#include "domain/id.h"
#include "domain/role.h"
#include "filing/filing.h"
#include "filing/filing_http.h"
#include "http/api.h"

/*
 * The filing (404 when the path names none) and, with cid, the change.
 * A change id that is no id becomes 0, which no change has: the
 * operation then answers "no such change" after the filing's own
 * answers, in the order the routes have always given them.
 */
static int
change_target(struct api_call *call, int64_t *fid, int64_t *cid)
{
	if (!id_parse(call->params[0], fid)) {
		api_error(call, 404, "not_found", "未找到该备案");
		return (0);
	}
	api_object(call, "filing", *fid);
	if (cid != NULL && !id_parse(call->params[1], cid))
		*cid = 0;
	return (1);
}

/* invalid: what 409 invalid_state says on this route. */
static void
change_answer(struct api_call *call, struct db *db, enum filing_result r,
    struct filing_out *out, int status, const char *invalid,
    const char *what)
{
	switch (r) {
	case FILING_OK:
		api_reply(call, status, json_pack("{s:O}", "change",
		    out->view));
		break;
	case FILING_NOT_FOUND:
		api_error(call, 404, "not_found", "未找到该备案");
		break;
	case FILING_CHANGE_NOT_FOUND:
		api_error(call, 404, "not_found", "未找到该变更");
		break;
	case FILING_INVALID_STATE:
		api_error(call, 409, "invalid_state", invalid);
		break;
	case FILING_CHANGE_PENDING:
		api_error(call, 409, "change_pending",
		    "已有一项变更正在办理，请等待审核结果");
		break;
	case FILING_VALIDATION:
		api_error_fields(call, 422, "validation",
		    "变更后的备案信息有误，请按提示修改",
		    json_incref(out->fields));
		break;
	case FILING_NO_CHANGE:
		api_error(call, 422, "no_change", "所填信息与现有备案信息相同");
		break;
	default:
		api_internal(call, db, what);
		break;
	}
	filing_out_free(out);
}

int
change_submit_prepare(struct api_call *call)
{
	json_t		*fields, *changes;
	const char	*s;
	int32_t		day;

	fields = json_object();
	s = json_string_value(json_object_get(call->in, "changed_on"));
	if (s == NULL || !cal_date_parse(s, strlen(s), &day) ||
	    day > cal_date_today_cst(time(NULL)))
		field_error(fields, "changed_on", "format",
		    "请填写信息变化之日（不晚于今天的 YYYY-MM-DD）");
	changes = json_object_get(call->in, "changes");
	if (!json_is_object(changes) || json_object_size(changes) == 0)
		field_error(fields, "changes", "required",
		    "请按表单分组填写变更的字段");
	if (json_object_size(fields) > 0) {
		api_error_fields(call, 422, "validation", "变更信息有误",
		    fields);
		return (0);
	}
	json_decref(fields);
	return (1);
}

/* A change's input; resubmit: of cid, after a correction request. */
static void
change_decode(struct api_call *call, int resubmit, int64_t cid,
    struct change_input *in)
{
	memset(in, 0, sizeof(*in));
	in->resubmit = resubmit;
	in->change_id = cid;
	in->changed_on = json_string_value(json_object_get(call->in,
	    "changed_on"));
	in->changes = json_object_get(call->in, "changes");
}

void
change_submit(struct api_call *call, struct db *db)
{
	struct change_input	in;
	struct filing_out	out;
	struct actor		a;
	enum filing_result	r;
	int64_t			fid;

	if (!change_target(call, &fid, NULL))
		return;
	api_actor(call, &a);
	change_decode(call, 0, 0, &in);
	r = change_ops_submit(db, &a, fid, &in, &out);
	change_answer(call, db, r, &out, 201, "只有已备案的平台可以办理变更",
	    "change submit");
}

void
change_resubmit(struct api_call *call, struct db *db)
{
	struct change_input	in;
	struct filing_out	out;
	struct actor		a;
	enum filing_result	r;
	int64_t			fid, cid;

	if (!change_target(call, &fid, &cid))
		return;
	api_actor(call, &a);
	change_decode(call, 1, cid, &in);
	r = change_ops_submit(db, &a, fid, &in, &out);
	change_answer(call, db, r, &out, 200,
	    "只有被要求补正的变更可以重新提交", "change resubmit");
}

void
change_show(struct api_call *call, struct db *db)
{
	struct filing_out	out;
	struct actor		a;
	int64_t			fid, cid;

	if (!change_target(call, &fid, &cid))
		return;
	api_actor(call, &a);
	change_answer(call, db, change_ops_get(db, &a, fid, cid, &out), &out,
	    200, NULL, "change show");
}

void
change_list(struct api_call *call, struct db *db)
{
	struct filing_out	out;
	struct actor		a;
	enum filing_result	r;
	int64_t			fid;

	if (!change_target(call, &fid, NULL))
		return;
	api_actor(call, &a);
	if ((r = change_ops_list(db, &a, fid, &out)) == FILING_OK) {
		api_reply(call, 200, json_pack("{s:O}", "changes", out.view));
		filing_out_free(&out);
		return;
	}
	change_answer(call, db, r, &out, 200, NULL, "change list");
}

int
change_decide_prepare(struct api_call *call)
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
change_decide(struct api_call *call, struct db *db)
{
	struct decision_input	d;
	struct filing_out	out;
	struct actor		a;
	enum filing_result	r;
	int64_t			fid, cid;

	if (!change_target(call, &fid, &cid))
		return;
	api_actor(call, &a);
	memset(&out, 0, sizeof(out));
	r = decision_decode(call->in, &d) ? change_ops_decide(db, &a, fid,
	    cid, &d, &out) : FILING_ERROR;
	change_answer(call, db, r, &out, 200,
	    "只有待审核的变更可以作出审核决定", "change decision");
}
