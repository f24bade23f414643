/*
 * Filing routes: operators draft, save and submit; regulators see the
 * queue and decide.  Personal fields are sealed before they are stored
 * and shown masked to anyone but the operator who entered them.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar/calendar_store.h"
#include "config.h"
#include "crypto/seal.h"
#include "db/db.h"
#include "domain/calendar.h"
#include "domain/filing_form.h"
#include "domain/filing_state.h"
#include "domain/role.h"
#include "domain/validate.h"
#include "filing/filing.h"
#include "registry/registry.h"
#include "http/api.h"
#include "notify/notify.h"

#define DECISION_ITEMS_MAX	50

static json_t *
form_at(json_t *form, const char *path, const char **leaf)
{
	char		group[32];
	const char	*dot;

	dot = strchr(path, '.');
	(void)snprintf(group, sizeof(group), "%.*s", (int)(dot - path), path);
	*leaf = dot + 1;
	return (json_object_get(form, group));
}

/* Replaces each personal field by its sealed form.  0 on failure. */
int
filing_form_seal(json_t *form)
{
	const char	**p, *leaf;
	json_t		*grp, *v;
	char		*sealed;

	for (p = filing_personal_fields; *p != NULL; p++) {
		grp = form_at(form, *p, &leaf);
		v = json_object_get(grp, leaf);
		if (!json_is_string(v) || json_string_length(v) == 0)
			continue;
		if ((sealed = seal(json_string_value(v),
		    json_string_length(v))) == NULL)
			return (0);
		json_object_set_new(grp, leaf, json_string(sealed));
		free(sealed);
	}
	return (1);
}

/* Opens the sealed fields, masking them unless clear is set. */
int
filing_form_open(json_t *form, int clear)
{
	const char	**p, *leaf;
	json_t		*grp, *v;
	char		*plain, masked[128];

	for (p = filing_personal_fields; *p != NULL; p++) {
		grp = form_at(form, *p, &leaf);
		v = json_object_get(grp, leaf);
		if (!json_is_string(v) || !seal_is_sealed(json_string_value(v)))
			continue;
		if ((plain = unseal(json_string_value(v))) == NULL)
			return (0);
		if (!clear) {
			filing_mask(*p, plain, masked, sizeof(masked));
			json_object_set_new(grp, leaf, json_string(masked));
		} else {
			json_object_set_new(grp, leaf, json_string(plain));
		}
		explicit_bzero(plain, strlen(plain));
		free(plain);
	}
	return (1);
}

int
filing_today(void)
{
	int	y, m, d;

	cal_date_to_ymd(cal_date_today_cst(time(NULL)), &y, &m, &d);
	return (y * 10000 + m * 100 + d);
}

static json_t *
opt_str(const char *s)
{
	return (s != NULL && *s != '\0' ? json_string(s) : json_null());
}

/* The filing as its owner (clear) or a regulator (masked) sees it. */
static json_t *
filing_view(struct db *db, struct filing_row *r, int clear)
{
	json_t	*form, *decision, *history, *attachments;

	if ((form = json_loads(r->form, 0, NULL)) == NULL ||
	    !filing_form_open(form, clear)) {
		json_decref(form);
		return (NULL);
	}
	decision = r->decision != NULL ? json_loads(r->decision, 0, NULL) :
	    NULL;
	history = json_array();
	attachments = json_array();
	if (!filing_store_history_list(db, r->id, history) ||
	    !attachment_store_list(db, r->id, attachments)) {
		json_decref(form);
		json_decref(history);
		json_decref(attachments);
		json_decref(decision);
		return (NULL);
	}
	return (json_pack("{s:I,s:s,s:I,s:o,s:I,s:o,s:o,s:o,s:o,s:o,s:o,"
	    "s:o,s:s,s:s,s:o,s:o}",
	    "id", (json_int_t)r->id, "status", r->status,
	    "version", (json_int_t)r->version, "form", form,
	    "receipts", (json_int_t)r->receipts,
	    "received_at", opt_str(r->received_at),
	    "receipt_date", opt_str(r->receipt_date),
	    "deadline", opt_str(r->deadline),
	    "decision", decision != NULL ? decision : json_null(),
	    "filing_number", opt_str(r->number),
	    "filed_on", opt_str(r->filed_on),
	    "ended_on", opt_str(r->ended_on),
	    "created_at", r->created_at, "updated_at", r->updated_at,
	    "history", history, "attachments", attachments));
}

static void
reply_filing(struct api_call *call, struct db *db, int64_t id, int status)
{
	struct filing_row	r;
	json_t			*view;

	if (filing_store_get(db, id, 0, &r) != 1) {
		api_internal(call, db, "filing reload");
		return;
	}
	view = filing_view(db, &r, call->who.role == ROLE_OPERATOR);
	filing_row_free(&r);
	if (view == NULL) {
		api_internal(call, db, "filing view");
		return;
	}
	api_reply(call, status, json_pack("{s:o}", "filing", view));
}

/*
 * Loads a filing the caller may see: an operator only their own (others'
 * are "not found", so ids reveal nothing), regulators and observers all.
 */
int
filing_load_visible(struct api_call *call, struct db *db, int lock,
    struct filing_row *r)
{
	int64_t		id;
	int		rc;

	if (!api_param_id(call, 0, &id, "未找到该备案"))
		return (0);
	api_object(call, "filing", id);
	if ((rc = filing_store_get(db, id, lock, r)) < 0) {
		api_internal(call, db, "filing get");
		return (0);
	}
	if (rc == 0 || (call->who.role == ROLE_OPERATOR &&
	    r->owner_id != call->who.account_id)) {
		filing_row_free(r);
		api_error(call, 404, "not_found", "未找到该备案");
		return (0);
	}
	return (1);
}

static int
check_form(struct api_call *call, json_t *form, int complete)
{
	json_t	*errors, *warnings;

	errors = json_object();
	warnings = json_object();
	if (!filing_form_check(form, complete, filing_today(), errors,
	    warnings)) {
		json_decref(warnings);
		api_error_fields(call, 422, "validation", complete ?
		    "备案信息不完整或有误，请按提示修改后再提交" :
		    "提交的信息有误，请按提示修改", errors);
		return (0);
	}
	json_decref(errors);
	json_decref(warnings);
	return (1);
}

/*
 * A submission needs the whole form and the two attachments the measures
 * ask for: the MLPS certificate and the commitment letter.
 */
static int
check_complete(struct api_call *call, struct db *db, int64_t id,
    json_t *form)
{
	json_t	*errors, *warnings;
	int	all, mlps, letter;

	if (!attachment_store_count(db, id, &all, &mlps, &letter)) {
		api_internal(call, db, "attachments");
		return (0);
	}
	errors = json_object();
	warnings = json_object();
	(void)filing_form_check(form, FORM_COMPLETE, filing_today(), errors,
	    warnings);
	json_decref(warnings);
	if (mlps == 0)
		json_object_set_new(errors, "attachments.mlps_certificate",
		    json_pack("{s:s,s:s}", "code", "required", "message",
		    "请上传网络安全等级保护备案证明"));
	if (letter == 0)
		json_object_set_new(errors, "attachments.commitment_letter",
		    json_pack("{s:s,s:s}", "code", "required", "message",
		    "请上传签字盖章的承诺书"));
	if (json_object_size(errors) > 0) {
		api_error_fields(call, 422, "validation",
		    "备案信息不完整或有误，请按提示修改后再提交", errors);
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
	return (check_form(call, form, FORM_DRAFT));
}

void
filing_create(struct api_call *call, struct db *db)
{
	json_t	*form;
	char	*text;
	int64_t	id;
	int	ok;

	form = json_object_get(call->in, "form");
	form = form != NULL ? json_deep_copy(form) : json_object();
	if (!filing_form_seal(form)) {
		json_decref(form);
		api_internal(call, db, "seal");
		return;
	}
	text = json_dumps(form, JSON_COMPACT);
	json_decref(form);
	ok = text != NULL && filing_store_create(db, call->who.account_id,
	    text, &id) && filing_store_history(db, id, call->who.account_id,
	    "created", NULL);
	free(text);
	if (!ok) {
		api_internal(call, db, "filing create");
		return;
	}
	api_object(call, "filing", id);
	reply_filing(call, db, id, 201);
}

void
filing_list(struct api_call *call, struct db *db)
{
	json_t	*list;

	list = json_array();
	if (!filing_store_list(db, call->who.account_id, list)) {
		json_decref(list);
		api_internal(call, db, "filing list");
		return;
	}
	api_reply(call, 200, json_pack("{s:o}", "filings", list));
}

void
filing_show(struct api_call *call, struct db *db)
{
	struct filing_row	r;
	json_t			*view;

	if (!filing_load_visible(call, db, 0, &r))
		return;
	view = filing_view(db, &r, call->who.role == ROLE_OPERATOR);
	filing_row_free(&r);
	if (view == NULL) {
		api_internal(call, db, "filing view");
		return;
	}
	api_reply(call, 200, json_pack("{s:o}", "filing", view));
}

int
filing_save_prepare(struct api_call *call)
{
	json_t	*fields, *v;

	v = json_object_get(call->in, "version");
	if (!json_is_integer(v) || json_integer_value(v) < 1) {
		fields = json_pack("{s:{s:s,s:s}}", "version", "code",
		    "required", "message", "请提供所编辑版本的 version");
		api_error_fields(call, 422, "validation",
		    "保存时须提供版本号", fields);
		return (0);
	}
	if (!json_is_object(json_object_get(call->in, "form"))) {
		fields = json_pack("{s:{s:s,s:s}}", "form", "code",
		    "required", "message", "请提供表单内容");
		api_error_fields(call, 422, "validation", "缺少表单内容",
		    fields);
		return (0);
	}
	return (check_form(call, json_object_get(call->in, "form"),
	    FORM_DRAFT));
}

static const char *
online_of(const json_t *form)
{
	const json_t	*v;

	v = json_object_get(json_object_get(form, "platform"), "online_date");
	return (json_is_string(v) && json_string_length(v) == 10 ?
	    json_string_value(v) : NULL);
}

void
filing_save(struct api_call *call, struct db *db)
{
	struct filing_row	r;
	enum filing_status	to;
	json_t			*form;
	char			*text;
	int			rc;

	if (!filing_load_visible(call, db, 1, &r))
		return;
	rc = filing_transition(filing_status_parse(r.status), EV_EDIT, &to);
	filing_row_free(&r);
	if (!rc) {
		api_error(call, 409, "invalid_state",
		    "当前状态下不能修改备案信息");
		return;
	}
	form = json_deep_copy(json_object_get(call->in, "form"));
	if (!filing_form_seal(form) || (text = json_dumps(form,
	    JSON_COMPACT)) == NULL) {
		json_decref(form);
		api_internal(call, db, "seal");
		return;
	}
	rc = filing_store_save(db, r.id, json_integer_value(
	    json_object_get(call->in, "version")), text, online_of(form));
	free(text);
	json_decref(form);
	if (rc < 0) {
		api_internal(call, db, "filing save");
		return;
	}
	if (rc == 0) {
		api_error(call, 409, "stale_version",
		    "备案信息已被他人修改，请刷新后再编辑");
		return;
	}
	reply_filing(call, db, r.id, 200);
}

/* "YYYY-MM-DD HH:MM:SS.ffffff" in UTC to the CST calendar day. */
int32_t
filing_cst_day(const char *utc)
{
	struct tm	tm;

	memset(&tm, 0, sizeof(tm));
	if (strptime(utc, "%Y-%m-%d %H:%M:%S", &tm) == NULL)
		return (cal_date_today_cst(time(NULL)));
	return (cal_date_today_cst(timegm(&tm)));
}

void
filing_submit(struct api_call *call, struct db *db)
{
	struct filing_row	r;
	enum filing_status	from, to;
	const struct calendar	*cal;
	struct calsnap		*snap;
	json_t			*form;
	char			now[32], date[11], due[11];
	int32_t			day, deadline;
	int			missing, ok, resubmit;

	if (!filing_load_visible(call, db, 1, &r))
		return;
	from = filing_status_parse(r.status);
	if (!filing_transition(from, EV_SUBMIT, &to)) {
		filing_row_free(&r);
		api_error(call, 409, "invalid_state", "当前状态下不能提交备案");
		return;
	}
	resubmit = from == FILING_CORRECTION;
	form = json_loads(r.form, 0, NULL);
	filing_row_free(&r);
	if (form == NULL || !filing_form_open(form, 1)) {
		json_decref(form);
		api_internal(call, db, "filing open");
		return;
	}
	ok = check_complete(call, db, r.id, form);
	if (!ok) {
		json_decref(form);
		return;
	}
	if (!db_now(db, now, sizeof(now))) {
		json_decref(form);
		api_internal(call, db, "now");
		return;
	}
	day = filing_cst_day(now);
	cal_date_format(day, date);
	due[0] = '\0';
	if ((snap = calcache_get(db, &cal)) != NULL) {
		if (cal != NULL && calendar_add_workdays(cal, day,
		    FILING_REVIEW_WORKDAYS, &deadline, &missing) == CAL_OK)
			cal_date_format(deadline, due);
		calcache_put(snap);
	}
	ok = filing_store_submit(db, r.id, now, date, due[0] ? due : NULL,
	    online_of(form)) &&
	    filing_store_receipt(db, r.id, resubmit ? "resubmission" :
	    "application", now, date, due[0] ? due : NULL,
	    call->who.account_id) &&
	    filing_store_history(db, r.id, call->who.account_id,
	    resubmit ? "resubmitted" : "submitted", NULL);
	json_decref(form);
	if (!ok) {
		api_internal(call, db, "filing submit");
		return;
	}
	reply_filing(call, db, r.id, 200);
}

static int
queue_cmp(const void *a, const void *b)
{
	const char	*da, *db;

	da = json_string_value(json_object_get(*(json_t *const *)a,
	    "deadline"));
	db = json_string_value(json_object_get(*(json_t *const *)b,
	    "deadline"));
	if (da == NULL || db == NULL)
		return ((da == NULL) - (db == NULL));
	return (strcmp(da, db));
}

/* Applications and changes together, the nearest deadline first. */
static json_t *
queue_sorted(json_t *rows)
{
	json_t	**v, *out;
	size_t	i, n;

	n = json_array_size(rows);
	if (n == 0 || (v = calloc(n, sizeof(*v))) == NULL)
		return (rows);
	for (i = 0; i < n; i++)
		v[i] = json_array_get(rows, i);
	qsort(v, n, sizeof(*v), queue_cmp);
	out = json_array();
	for (i = 0; i < n; i++)
		json_array_append(out, v[i]);
	free(v);
	json_decref(rows);
	return (out);
}

void
review_queue(struct api_call *call, struct db *db)
{
	const struct calendar	*cal;
	struct calsnap		*snap;
	struct review_flags	f;
	json_t			*rows, *row;
	const char		*rd, *od;
	char			due[11];
	int32_t			received, online, today;
	size_t			i;
	int			missing;

	rows = json_array();
	if (!filing_store_queue(db, rows) || !change_store_queue(db, rows) ||
	    (snap = calcache_get(db, &cal)) == NULL) {
		json_decref(rows);
		api_internal(call, db, "queue");
		return;
	}
	today = cal_date_today_cst(time(NULL));
	json_array_foreach(rows, i, row) {
		rd = json_string_value(json_object_get(row, "receipt_date"));
		od = json_string_value(json_object_get(row, "online_date"));
		if (od == NULL || !cal_date_parse(od, strlen(od), &online))
			online = INT32_MAX;
		json_object_set_new(row, "resubmission", json_boolean(
		    json_integer_value(json_object_get(row, "receipts")) > 1));
		missing = 0;
		if (rd == NULL || !cal_date_parse(rd, strlen(rd), &received) ||
		    cal == NULL || !filing_review_flags(cal, received, online,
		    today, &f, &missing)) {
			json_object_set_new(row, "deadline", json_null());
			json_object_set_new(row, "calendar_year_missing",
			    json_integer(missing));
			continue;
		}
		cal_date_format(f.deadline, due);
		json_object_set_new(row, "deadline", json_string(due));
		json_object_set_new(row, "workdays_left",
		    json_integer(f.workdays_left));
		json_object_set_new(row, "overdue", json_boolean(f.overdue));
		json_object_set_new(row, "online_before_filing",
		    json_boolean(f.online_before_filing));
		if (json_object_get(row, "late_change") == NULL)
			json_object_set_new(row, "late_change", json_false());
	}
	calcache_put(snap);
	api_reply(call, 200, json_pack("{s:o}", "queue", queue_sorted(rows)));
}

static void
field_err(json_t *fields, const char *name, const char *code,
    const char *message)
{
	json_object_set_new(fields, name, json_pack("{s:s,s:s}", "code", code,
	    "message", message));
}

/*
 * A reason given in words: required, then checked as multi-line text,
 * so that what XML cannot carry never reaches a stored decision.
 */
static void
reason_check(json_t *fields, const char *name, const json_t *v, size_t max,
    const char *missing)
{
	enum validate_result	r;

	r = json_is_string(v) ? validate_text(json_string_value(v),
	    json_string_length(v), max, 1) : VALIDATE_EMPTY;
	if (r == VALIDATE_EMPTY)
		field_err(fields, name, "required", missing);
	else if (r != VALIDATE_OK)
		field_err(fields, name, validate_code(r), validate_message(r));
}

static void
decide_items(json_t *items, json_t *fields)
{
	enum validate_result	v;
	json_t			*it;
	const char		*f, *p;
	size_t			i;

	if (!json_is_array(items) || json_array_size(items) < 1 ||
	    json_array_size(items) > DECISION_ITEMS_MAX) {
		field_err(fields, "items", "required",
		    "补正须列出1至50项，每项指明字段及问题");
		return;
	}
	json_array_foreach(items, i, it) {
		f = json_string_value(json_object_get(it, "field"));
		p = json_string_value(json_object_get(it, "problem"));
		v = VALIDATE_EMPTY;
		if (json_is_object(it) && json_object_size(it) == 2 &&
		    f != NULL && p != NULL &&
		    (v = validate_text(f, strlen(f), 96, 0)) == VALIDATE_OK)
			v = validate_text(p, strlen(p), 500, 1);
		if (v == VALIDATE_EMPTY) {
			field_err(fields, "items", "format", "每项须为 "
			    "{\"field\": 字段, \"problem\": 问题说明}");
			return;
		}
		if (v != VALIDATE_OK) {
			field_err(fields, "items", validate_code(v),
			    validate_message(v));
			return;
		}
		if (!filing_form_path_valid(f)) {
			field_err(fields, "items", "unknown_field", "字段须为表单"
			    "中的字段，如 platform.publish_urls[0]");
			return;
		}
	}
}

int
filing_decide_prepare(struct api_call *call)
{
	json_t		*fields;
	const char	*d;

	fields = json_object();
	d = json_string_value(json_object_get(call->in, "decision"));
	if (d == NULL || (strcmp(d, "approve") && strcmp(d, "correct") &&
	    strcmp(d, "reject")))
		field_err(fields, "decision", "format",
		    "须为 approve、correct 或 reject");
	else if (!strcmp(d, "correct"))
		decide_items(json_object_get(call->in, "items"), fields);
	else if (!strcmp(d, "reject"))
		reason_check(fields, "reasons", json_object_get(call->in,
		    "reasons"), 2000, "驳回须说明理由");
	if (json_object_size(fields) > 0) {
		api_error_fields(call, 422, "validation", "审核决定有误",
		    fields);
		return (0);
	}
	json_decref(fields);
	return (1);
}

static int
decide_approve(struct db *db, struct filing_row *r, char *number,
    size_t len)
{
	struct filing_notice	e;
	char			now[32], date[11];
	uint32_t		seq;
	int			y, m, d;

	if (!db_now(db, now, sizeof(now)))
		return (0);
	cal_date_format(filing_cst_day(now), date);
	cal_date_to_ymd(filing_cst_day(now), &y, &m, &d);
	if (!filing_store_next_number(db, y, &seq) ||
	    !filing_number_format(vcp_conf.filing_prefix, y, seq, number,
	    len) || !filing_store_file(db, r->id, number, date) ||
	    !filing_publish(db, r->id, number, date, r->form, "filed", NULL))
		return (0);
	memset(&e, 0, sizeof(e));
	e.event = "filed";
	e.filing_id = r->id;
	e.number = number;
	e.status = "filed";
	e.filed_on = date;
	e.form = r->form;
	return (filing_emit(db, &e));
}

void
filing_decide(struct api_call *call, struct db *db)
{
	struct filing_row	r;
	enum filing_status	to;
	enum filing_event	ev;
	const char		*d;
	json_t			*detail;
	char			number[FILING_NUMBER_MAX], *text;
	int			ok;

	d = json_string_value(json_object_get(call->in, "decision"));
	ev = !strcmp(d, "approve") ? EV_APPROVE : !strcmp(d, "correct") ?
	    EV_CORRECT : EV_REJECT;
	if (!filing_load_visible(call, db, 1, &r))
		return;
	if (!filing_transition(filing_status_parse(r.status), ev, &to)) {
		filing_row_free(&r);
		api_error(call, 409, "invalid_state",
		    "只有已提交待审核的备案可以作出审核决定");
		return;
	}
	if (ev == EV_APPROVE) {
		ok = decide_approve(db, &r, number, sizeof(number));
		detail = json_pack("{s:s}", "filing_number", number);
	} else {
		detail = json_pack("{s:s,s:I,s:O?,s:O?}", "decision", d,
		    "by", (json_int_t)call->who.account_id,
		    "items", json_object_get(call->in, "items"),
		    "reasons", json_object_get(call->in, "reasons"));
		text = json_dumps(detail, JSON_COMPACT);
		ok = text != NULL && filing_store_decide(db, r.id,
		    filing_status_name(to), text);
		free(text);
	}
	ok = ok && filing_store_history(db, r.id, call->who.account_id,
	    ev == EV_APPROVE ? "approved" : ev == EV_CORRECT ?
	    "correction_requested" : "rejected", detail);
	json_decref(detail);
	filing_row_free(&r);
	if (!ok) {
		api_internal(call, db, "decision");
		return;
	}
	reply_filing(call, db, r.id, 200);
}

/*
 * Puts a filing's public record on the register, with the dates of its
 * approved changes.  The form may be sealed: only public keys are read.
 */
int
filing_publish(struct db *db, int64_t id, const char *number,
    const char *filed_on, const char *form_text, const char *status,
    const char *ended_on)
{
	json_t		*form, *changes;
	int		ok;

	if ((form = json_loads(form_text, 0, NULL)) == NULL)
		return (0);
	changes = json_array();
	ok = change_store_dates(db, id, changes) && registry_publish(db, id,
	    number, filed_on, form, status, ended_on, changes);
	json_decref(changes);
	json_decref(form);
	return (ok);
}

/* The event of a filing that ended: deregistered or revoked. */
static int
notify_end(struct db *db, struct filing_row *r, const char *event,
    const char *ended_on)
{
	struct filing_notice	e;

	memset(&e, 0, sizeof(e));
	e.event = event;
	e.filing_id = r->id;
	e.number = r->number;
	e.status = event;
	e.filed_on = r->filed_on;
	e.ended_on = ended_on;
	e.form = r->form;
	return (filing_emit(db, &e));
}

int
filing_deregister_prepare(struct api_call *call)
{
	const char	*s;
	int32_t		day;

	s = json_string_value(json_object_get(call->in, "ended_on"));
	if (s == NULL || !cal_date_parse(s, strlen(s), &day) ||
	    day > cal_date_today_cst(time(NULL))) {
		api_error_fields(call, 422, "validation", "请填写业务终止日期",
		    json_pack("{s:{s:s,s:s}}", "ended_on", "code", "format",
		    "message", "须为不晚于今天的 YYYY-MM-DD 日期"));
		return (0);
	}
	return (1);
}

/*
 * Art. 7: deregister on the day collection stops.  It takes effect at
 * once; filed after that day, it is marked late.
 */
void
filing_deregister(struct api_call *call, struct db *db)
{
	struct filing_row	r;
	enum filing_status	to;
	const char		*ended;
	json_t			*detail;
	char			now[32], date[11], *text;
	int32_t			end;
	int			ok, late;

	ended = json_string_value(json_object_get(call->in, "ended_on"));
	if (!filing_load_visible(call, db, 1, &r))
		return;
	if (!filing_transition(filing_status_parse(r.status), EV_DEREGISTER,
	    &to)) {
		filing_row_free(&r);
		api_error(call, 409, "invalid_state", "只有已备案的平台可以注销");
		return;
	}
	if (!db_now(db, now, sizeof(now))) {
		filing_row_free(&r);
		api_internal(call, db, "now");
		return;
	}
	cal_date_format(filing_cst_day(now), date);
	(void)cal_date_parse(ended, strlen(ended), &end);
	late = filing_cst_day(now) > end;
	detail = json_pack("{s:s,s:b}", "ended_on", ended, "late", late);
	text = json_dumps(detail, JSON_COMPACT);
	ok = text != NULL && filing_store_end(db, r.id, "deregistered", ended,
	    text) && filing_publish(db, r.id, r.number, r.filed_on, r.form,
	    "deregistered", ended) &&
	    notify_end(db, &r, "deregistered", ended) &&
	    filing_store_receipt(db, r.id, "deregistration", now, date, NULL,
	    call->who.account_id) && filing_store_history(db, r.id,
	    call->who.account_id, "deregistered", detail);
	free(text);
	json_decref(detail);
	filing_row_free(&r);
	if (!ok) {
		api_internal(call, db, "deregister");
		return;
	}
	reply_filing(call, db, r.id, 200);
}

int
filing_revoke_prepare(struct api_call *call)
{
	json_t	*fields;

	fields = json_object();
	reason_check(fields, "reasons", json_object_get(call->in, "reasons"),
	    2000, "请填写撤销理由（2000字以内）");
	if (json_object_size(fields) > 0) {
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
	struct filing_row	r;
	enum filing_status	to;
	json_t			*detail;
	char			now[32], date[11], *text;
	int			ok;

	if (!filing_load_visible(call, db, 1, &r))
		return;
	if (!filing_transition(filing_status_parse(r.status), EV_REVOKE,
	    &to)) {
		filing_row_free(&r);
		api_error(call, 409, "invalid_state", "只有已备案的平台可以撤销");
		return;
	}
	if (!db_now(db, now, sizeof(now))) {
		filing_row_free(&r);
		api_internal(call, db, "now");
		return;
	}
	cal_date_format(filing_cst_day(now), date);
	detail = json_pack("{s:s,s:O,s:I}", "revoked_on", date, "reasons",
	    json_object_get(call->in, "reasons"), "by",
	    (json_int_t)call->who.account_id);
	text = json_dumps(detail, JSON_COMPACT);
	ok = text != NULL && filing_store_end(db, r.id, "revoked", date,
	    text) && filing_publish(db, r.id, r.number, r.filed_on, r.form,
	    "revoked", date) && notify_end(db, &r, "revoked", date) &&
	    filing_store_history(db, r.id, call->who.account_id, "revoked",
	    detail);
	free(text);
	json_decref(detail);
	filing_row_free(&r);
	if (!ok) {
		api_internal(call, db, "revoke");
		return;
	}
	reply_filing(call, db, r.id, 200);
}

int
filing_reveal_prepare(struct api_call *call)
{
	json_t	*fields;

	fields = json_object();
	reason_check(fields, "reason", json_object_get(call->in, "reason"),
	    500, "请填写查看事由（500字以内）");
	if (json_object_size(fields) > 0) {
		api_error_fields(call, 422, "validation",
		    "查看个人信息须说明事由", fields);
		return (0);
	}
	json_decref(fields);
	return (1);
}

/*
 * A regulator asks to see the personal data in clear.  The request is
 * audited and kept in the filing's history with its reason.
 */
void
filing_reveal(struct api_call *call, struct db *db)
{
	struct filing_row	r;
	const char		**p, *leaf;
	json_t			*form, *out, *detail, *grp, *v;
	int			ok;

	if (!filing_load_visible(call, db, 0, &r))
		return;
	form = json_loads(r.form, 0, NULL);
	filing_row_free(&r);
	if (form == NULL || !filing_form_open(form, 1)) {
		json_decref(form);
		api_internal(call, db, "reveal");
		return;
	}
	out = json_object();
	for (p = filing_personal_fields; *p != NULL; p++) {
		grp = form_at(form, *p, &leaf);
		v = json_object_get(grp, leaf);
		json_object_set(out, *p, v != NULL ? v : json_null());
	}
	json_decref(form);
	detail = json_pack("{s:I,s:O}", "by", (json_int_t)call->who.account_id,
	    "reason", json_object_get(call->in, "reason"));
	ok = filing_store_history(db, r.id, call->who.account_id,
	    "personal_data_revealed", detail);
	json_decref(detail);
	if (!ok) {
		json_decref(out);
		api_internal(call, db, "reveal history");
		return;
	}
	api_reply(call, 200, json_pack("{s:I,s:o}", "filing_id",
	    (json_int_t)r.id, "personal", out));
}
