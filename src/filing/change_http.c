/*
 * Changes of a filed platform (Art. 6).  The operator sends the changed
 * fields and the day they changed; the change is reviewed like an
 * application while the filing and its public record stay as they were,
 * and only approval puts the new version in force.  A change filed more
 * than 30 days after the day of the change is accepted, marked late,
 * with the deadline it missed.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar/calendar_store.h"
#include "db/db.h"
#include "domain/calendar.h"
#include "domain/filing_form.h"
#include "domain/filing_state.h"
#include "domain/role.h"
#include "domain/validate.h"
#include "filing/filing.h"
#include "http/api.h"
#include "notify/notify.h"

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
		json_object_set_new(fields, "changed_on", json_pack("{s:s,s:s}",
		    "code", "format", "message",
		    "请填写信息变化之日（不晚于今天的 YYYY-MM-DD）"));
	changes = json_object_get(call->in, "changes");
	if (!json_is_object(changes) || json_object_size(changes) == 0)
		json_object_set_new(fields, "changes", json_pack("{s:s,s:s}",
		    "code", "required", "message",
		    "请按表单分组填写变更的字段"));
	if (json_object_size(fields) > 0) {
		api_error_fields(call, 422, "validation", "变更信息有误",
		    fields);
		return (0);
	}
	json_decref(fields);
	return (1);
}

/*
 * Lays the changed fields over the current form.  Returns the list of
 * paths whose value really changed (empty when nothing did).
 */
static json_t *
change_merge(json_t *form, json_t *changes)
{
	json_t		*grp, *v, *paths;
	const char	*gk, *k;
	char		path[96];

	paths = json_array();
	json_object_foreach(changes, gk, grp) {
		if (!json_is_object(grp)) {
			json_object_set(form, gk, grp);
			continue;
		}
		if (!json_is_object(json_object_get(form, gk)))
			json_object_set_new(form, gk, json_object());
		json_object_foreach(grp, k, v) {
			if (!json_equal(json_object_get(json_object_get(form,
			    gk), k), v)) {
				(void)snprintf(path, sizeof(path), "%.*s.%.*s",
				    (int)validate_utf8_prefix(gk, strlen(gk),
				    40), gk, (int)validate_utf8_prefix(k,
				    strlen(k), 40), k);
				json_array_append_new(paths,
				    json_string(path));
			}
			json_object_set(json_object_get(form, gk), k, v);
		}
	}
	return (paths);
}

/*
 * Builds the change record: merged and checked form, receipt, review
 * deadline, the 30-day deadline and lateness.  Returns 0 with an answer.
 */
static int
change_prepare_row(struct api_call *call, struct db *db,
    struct filing_row *r, struct change_row *c)
{
	const struct calendar	*cal;
	struct calsnap		*snap;
	json_t			*form, *paths, *errors;
	int32_t			changed, day, out;
	int			missing;
	const char		*s;

	memset(c, 0, sizeof(*c));
	c->filing_id = r->id;
	if ((form = json_loads(r->form, 0, NULL)) == NULL ||
	    !filing_form_open(form, 1)) {
		json_decref(form);
		api_internal(call, db, "change open");
		return (0);
	}
	paths = change_merge(form, json_object_get(call->in, "changes"));
	errors = json_object();
	if (!filing_form_check(form, FORM_COMPLETE, filing_today(), errors,
	    NULL)) {
		json_decref(form);
		json_decref(paths);
		api_error_fields(call, 422, "validation",
		    "变更后的备案信息有误，请按提示修改", errors);
		return (0);
	}
	json_decref(errors);
	if (json_array_size(paths) == 0) {
		json_decref(form);
		json_decref(paths);
		api_error(call, 422, "no_change", "所填信息与现有备案信息相同");
		return (0);
	}
	if (!filing_form_seal(form)) {
		json_decref(form);
		json_decref(paths);
		api_internal(call, db, "seal");
		return (0);
	}
	c->form = json_dumps(form, JSON_COMPACT);
	c->fields = json_dumps(paths, JSON_COMPACT);
	json_decref(form);
	json_decref(paths);

	s = json_string_value(json_object_get(call->in, "changed_on"));
	(void)snprintf(c->changed_on, sizeof(c->changed_on), "%s", s);
	(void)cal_date_parse(s, strlen(s), &changed);
	if (!db_now(db, c->received_at, sizeof(c->received_at))) {
		api_internal(call, db, "now");
		return (0);
	}
	day = filing_cst_day(c->received_at);
	cal_date_format(day, c->receipt_date);
	if ((snap = calcache_get(db, &cal)) != NULL) {
		if (cal != NULL && calendar_add_workdays(cal, day,
		    FILING_REVIEW_WORKDAYS, &out, &missing) == CAL_OK)
			cal_date_format(out, c->deadline);
		if (cal != NULL && filing_change_late(cal, changed, day, &out,
		    &c->late, &missing))
			cal_date_format(out, c->due_on);
		calcache_put(snap);
	}
	return (c->form != NULL && c->fields != NULL);
}

static json_t *
change_view(struct change_row *c, int clear)
{
	json_t	*form, *fields, *decision;

	form = json_loads(c->form, 0, NULL);
	if (form == NULL || !filing_form_open(form, clear)) {
		json_decref(form);
		return (NULL);
	}
	fields = json_loads(c->fields, 0, NULL);
	decision = c->decision != NULL ? json_loads(c->decision, 0, NULL) :
	    NULL;
	return (json_pack("{s:I,s:I,s:s,s:o,s:o,s:s,s:s?,s:b,s:I,s:s,s:s,"
	    "s:s?,s:o,s:s?}", "id", (json_int_t)c->id,
	    "filing_id", (json_int_t)c->filing_id, "status", c->status,
	    "form", form, "fields", fields != NULL ? fields : json_array(),
	    "changed_on", c->changed_on,
	    "due_on", c->due_on[0] ? c->due_on : NULL, "late", c->late,
	    "receipts", (json_int_t)c->receipts,
	    "received_at", c->received_at, "receipt_date", c->receipt_date,
	    "deadline", c->deadline[0] ? c->deadline : NULL,
	    "decision", decision != NULL ? decision : json_null(),
	    "decided_on", c->decided_on[0] ? c->decided_on : NULL));
}

static void
reply_change(struct api_call *call, struct db *db, int64_t filing,
    int64_t id, int status)
{
	struct change_row	c;
	json_t			*view;

	if (change_store_get(db, filing, id, 0, &c) != 1) {
		api_internal(call, db, "change reload");
		return;
	}
	view = change_view(&c, call->who.role == ROLE_OPERATOR);
	change_row_free(&c);
	if (view == NULL) {
		api_internal(call, db, "change view");
		return;
	}
	api_reply(call, status, json_pack("{s:o}", "change", view));
}

static json_t *
change_detail(struct change_row *c, int64_t id)
{
	return (json_pack("{s:I,s:o,s:s,s:b,s:s?}", "change_id",
	    (json_int_t)id, "fields", json_loads(c->fields, 0, NULL),
	    "changed_on", c->changed_on, "late", c->late,
	    "due_on", c->due_on[0] ? c->due_on : NULL));
}

void
change_submit(struct api_call *call, struct db *db)
{
	struct filing_row	r;
	struct change_row	c;
	enum filing_status	to;
	json_t			*detail;
	int64_t			id;
	int			pending, ok;

	if (!filing_load_visible(call, db, 1, &r))
		return;
	if (!filing_transition(filing_status_parse(r.status), EV_CHANGE,
	    &to)) {
		filing_row_free(&r);
		api_error(call, 409, "invalid_state",
		    "只有已备案的平台可以办理变更");
		return;
	}
	if (!change_store_pending(db, r.id, &pending) || pending > 0) {
		filing_row_free(&r);
		if (pending > 0)
			api_error(call, 409, "change_pending",
			    "已有一项变更正在办理，请等待审核结果");
		else
			api_internal(call, db, "change pending");
		return;
	}
	ok = change_prepare_row(call, db, &r, &c);
	filing_row_free(&r);
	if (!ok) {
		change_row_free(&c);
		return;
	}
	ok = change_store_create(db, &c, &id) &&
	    filing_store_receipt(db, r.id, "change", c.received_at,
	    c.receipt_date, c.deadline[0] ? c.deadline : NULL,
	    call->who.account_id);
	detail = change_detail(&c, ok ? id : 0);
	ok = ok && filing_store_history(db, r.id, call->who.account_id,
	    "change_submitted", detail);
	json_decref(detail);
	change_row_free(&c);
	if (!ok) {
		api_internal(call, db, "change submit");
		return;
	}
	reply_change(call, db, r.id, id, 201);
}

void
change_resubmit(struct api_call *call, struct db *db)
{
	struct filing_row	r;
	struct change_row	old, c;
	json_t			*detail;
	int64_t			cid;
	int			rc, ok;

	if (!filing_load_visible(call, db, 1, &r))
		return;
	if (!api_param_id(call, 1, &cid, "未找到该变更")) {
		filing_row_free(&r);
		return;
	}
	if ((rc = change_store_get(db, r.id, cid, 1, &old)) != 1 ||
	    strcmp(old.status, "correction_requested") != 0) {
		filing_row_free(&r);
		change_row_free(&old);
		if (rc < 0)
			api_internal(call, db, "change get");
		else if (rc == 0)
			api_error(call, 404, "not_found", "未找到该变更");
		else
			api_error(call, 409, "invalid_state",
			    "只有被要求补正的变更可以重新提交");
		return;
	}
	change_row_free(&old);
	ok = change_prepare_row(call, db, &r, &c);
	filing_row_free(&r);
	if (!ok) {
		change_row_free(&c);
		return;
	}
	c.id = cid;
	detail = change_detail(&c, cid);
	ok = change_store_resubmit(db, &c) &&
	    filing_store_receipt(db, r.id, "change", c.received_at,
	    c.receipt_date, c.deadline[0] ? c.deadline : NULL,
	    call->who.account_id) &&
	    filing_store_history(db, r.id, call->who.account_id,
	    "change_resubmitted", detail);
	json_decref(detail);
	change_row_free(&c);
	if (!ok) {
		api_internal(call, db, "change resubmit");
		return;
	}
	reply_change(call, db, r.id, cid, 200);
}

void
change_list(struct api_call *call, struct db *db)
{
	struct filing_row	r;
	json_t			*list;

	if (!filing_load_visible(call, db, 0, &r))
		return;
	filing_row_free(&r);
	list = json_array();
	if (!change_store_list(db, r.id, list)) {
		json_decref(list);
		api_internal(call, db, "change list");
		return;
	}
	api_reply(call, 200, json_pack("{s:o}", "changes", list));
}

static int
change_approve(struct db *db, struct filing_row *r, struct change_row *c,
    const char *date)
{
	struct filing_notice	e;
	json_t		*form;
	const char	*online;
	int		ok;

	if ((form = json_loads(c->form, 0, NULL)) == NULL)
		return (0);
	online = json_string_value(json_object_get(json_object_get(form,
	    "platform"), "online_date"));
	memset(&e, 0, sizeof(e));
	e.event = "changed";
	e.filing_id = r->id;
	e.number = r->number;
	e.status = r->status;
	e.filed_on = r->filed_on;
	e.form = c->form;
	e.changed_on = c->changed_on;
	e.fields = c->fields;
	ok = filing_store_replace_form(db, r->id, c->form, online) &&
	    change_store_decide(db, c->id, "approved", NULL, date) &&
	    filing_publish(db, r->id, r->number, r->filed_on, c->form,
	    r->status, NULL) && filing_emit(db, &e);
	json_decref(form);
	return (ok);
}

void
change_decide(struct api_call *call, struct db *db)
{
	struct filing_row	r;
	struct change_row	c;
	const char		*d;
	json_t			*detail;
	char			now[32], date[11], *text;
	int64_t			cid;
	int			rc, ok;

	d = json_string_value(json_object_get(call->in, "decision"));
	if (!filing_load_visible(call, db, 1, &r))
		return;
	if (!api_param_id(call, 1, &cid, "未找到该变更")) {
		filing_row_free(&r);
		return;
	}
	if ((rc = change_store_get(db, r.id, cid, 1, &c)) != 1 ||
	    strcmp(c.status, "submitted") != 0 || strcmp(r.status, "filed")) {
		filing_row_free(&r);
		change_row_free(&c);
		if (rc < 0)
			api_internal(call, db, "change get");
		else if (rc == 0)
			api_error(call, 404, "not_found", "未找到该变更");
		else
			api_error(call, 409, "invalid_state",
			    "只有待审核的变更可以作出审核决定");
		return;
	}
	if (!db_now(db, now, sizeof(now))) {
		filing_row_free(&r);
		change_row_free(&c);
		api_internal(call, db, "now");
		return;
	}
	cal_date_format(filing_cst_day(now), date);
	detail = json_pack("{s:s,s:I,s:I,s:O?,s:O?}", "decision", d,
	    "change_id", (json_int_t)cid, "by", (json_int_t)call->who.account_id,
	    "items", json_object_get(call->in, "items"),
	    "reasons", json_object_get(call->in, "reasons"));
	if (!strcmp(d, "approve")) {
		ok = change_approve(db, &r, &c, date);
	} else {
		text = json_dumps(detail, JSON_COMPACT);
		ok = text != NULL && change_store_decide(db, cid,
		    !strcmp(d, "correct") ? "correction_requested" :
		    "rejected", text, date);
		free(text);
	}
	ok = ok && filing_store_history(db, r.id, call->who.account_id,
	    !strcmp(d, "approve") ? "change_approved" : !strcmp(d, "correct") ?
	    "change_correction_requested" : "change_rejected", detail);
	json_decref(detail);
	filing_row_free(&r);
	change_row_free(&c);
	if (!ok) {
		api_internal(call, db, "change decision");
		return;
	}
	reply_change(call, db, r.id, cid, 200);
}
