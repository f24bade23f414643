/*
 * The operations on a filing, without Kore: create, save, submit,
 * decide, end (deregister or revoke), reveal, and loading a filing the
 * actor may see.  Each runs inside the caller's transaction, checks the
 * state machine (src/domain/filing_state.c), writes the filing, its
 * receipt and history, tells the register and the ministries when the
 * filing's public life changes, and gives back the filing as the actor
 * may see it.  Input is decoded and checked by the caller (the routes'
 * prepare, with the domain's checks); what needs the database is
 * checked here.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db/db.h"
#include "domain/calendar.h"
#include "domain/field.h"
#include "domain/filing_form.h"
#include "domain/role.h"
#include "filing/filing.h"

void
filing_out_free(struct filing_out *out)
{
	json_decref(out->view);
	json_decref(out->fields);
	out->view = out->fields = NULL;
}

/* Operators see their own personal data in clear, everyone else masked. */
static int
filing_ops_clear(const struct actor *a)
{
	return (a->role == ROLE_OPERATOR);
}

/*
 * Loads a filing the actor may see: an operator only their own (others'
 * are "not found", so ids reveal nothing), regulators and observers all.
 * lock: SELECT ... FOR UPDATE, for an operation that changes it.
 */
enum filing_result
filing_ops_load(struct db *db, const struct actor *a, int64_t id, int lock,
    struct filing_row *r)
{
	int	rc;

	if ((rc = filing_store_get(db, id, lock, r)) < 0) {
		filing_row_free(r);
		return (FILING_ERROR);
	}
	if (rc == 0 || (a->role == ROLE_OPERATOR &&
	    r->owner_id != a->account_id)) {
		filing_row_free(r);
		return (FILING_NOT_FOUND);
	}
	return (FILING_OK);
}

/* The filing as it now is, for the answer of an operation. */
static enum filing_result
filing_ops_view(struct db *db, const struct actor *a, int64_t id,
    struct filing_out *out)
{
	struct filing_row	r;

	out->id = id;
	if (filing_store_get(db, id, 0, &r) != 1) {
		filing_row_free(&r);
		return (FILING_ERROR);
	}
	out->view = filing_view(db, &r, filing_ops_clear(a));
	filing_row_free(&r);
	return (out->view != NULL ? FILING_OK : FILING_ERROR);
}

/* Loads a filing for an event of its state machine, locked. */
static enum filing_result
filing_ops_begin(struct db *db, const struct actor *a, int64_t id,
    enum filing_event ev, struct filing_row *r, enum filing_status *from,
    enum filing_status *to)
{
	enum filing_result	res;

	if ((res = filing_ops_load(db, a, id, 1, r)) != FILING_OK)
		return (res);
	*from = filing_status_parse(r->status);
	if (!filing_transition(*from, ev, to)) {
		filing_row_free(r);
		return (FILING_INVALID_STATE);
	}
	return (FILING_OK);
}

/* Seals a form's personal fields: the text to store, or NULL. */
static char *
filing_ops_seal(json_t *form)
{
	if (form == NULL || !filing_form_seal(form))
		return (NULL);
	return (json_dumps(form, JSON_COMPACT));
}

/*
 * form: a draft that passed filing_form_check, or NULL for an empty one.
 * The answer is what was written: nothing is read back.
 */
enum filing_result
filing_ops_create(struct db *db, const struct actor *a, const json_t *form,
    struct filing_out *out)
{
	struct filing_clock	clk;
	struct filing_row	r;
	json_t			*copy, *history;
	char			*text;
	int64_t			id;
	int			ok;

	memset(out, 0, sizeof(*out));
	if (!filing_clock_read(db, &clk))
		return (FILING_ERROR);
	copy = form != NULL ? json_deep_copy(form) : json_object();
	text = filing_ops_seal(copy);
	json_decref(copy);
	ok = text != NULL && filing_store_create(db, a->account_id, text,
	    clk.now, &id);
	if (!ok) {
		free(text);
		return (FILING_ERROR);
	}
	memset(&r, 0, sizeof(r));
	r.id = id;
	r.owner_id = a->account_id;
	(void)snprintf(r.status, sizeof(r.status), "%s",
	    filing_status_name(FILING_DRAFT));
	r.version = 1;
	r.form = text;
	filing_clock_iso(clk.now, r.created_at, sizeof(r.created_at));
	memcpy(r.updated_at, r.created_at, sizeof(r.updated_at));
	history = json_pack("[{s:s,s:s,s:n}]", "at", r.created_at,
	    "event", "created", "detail");
	out->id = id;
	out->view = filing_view_of(db, &r, filing_ops_clear(a), history,
	    json_array());
	filing_row_free(&r);
	return (out->view != NULL ? FILING_OK : FILING_ERROR);
}

/* The actor's own filings, newest first. */
enum filing_result
filing_ops_list(struct db *db, const struct actor *a, struct filing_out *out)
{
	memset(out, 0, sizeof(*out));
	out->view = json_array();
	if (!filing_store_list(db, a->account_id, out->view))
		return (FILING_ERROR);
	return (FILING_OK);
}

enum filing_result
filing_ops_show(struct db *db, const struct actor *a, int64_t id,
    struct filing_out *out)
{
	struct filing_row	r;
	enum filing_result	res;

	memset(out, 0, sizeof(*out));
	out->id = id;
	if ((res = filing_ops_load(db, a, id, 0, &r)) != FILING_OK)
		return (res);
	out->view = filing_view(db, &r, filing_ops_clear(a));
	filing_row_free(&r);
	return (out->view != NULL ? FILING_OK : FILING_ERROR);
}

/*
 * Saves a draft (or a filing sent back for correction) over the version
 * the operator edited; someone else's save in between makes it stale.
 */
enum filing_result
filing_ops_save(struct db *db, const struct actor *a, int64_t id,
    int64_t version, const json_t *form, struct filing_out *out)
{
	struct filing_row	r;
	enum filing_status	from, to;
	enum filing_result	res;
	json_t			*copy;
	char			*text;
	int			rc;

	memset(out, 0, sizeof(*out));
	if ((res = filing_ops_begin(db, a, id, EV_EDIT, &r, &from, &to)) !=
	    FILING_OK)
		return (res);
	filing_row_free(&r);
	copy = json_deep_copy(form);
	rc = (text = filing_ops_seal(copy)) == NULL ? -1 :
	    filing_store_save(db, id, version, text,
	    filing_form_online_date(copy));
	free(text);
	json_decref(copy);
	if (rc < 0)
		return (FILING_ERROR);
	if (rc == 0)
		return (FILING_STALE_VERSION);
	return (filing_ops_view(db, a, id, out));
}

/*
 * A submission needs the whole form and the two attachments the measures
 * ask for: the MLPS certificate and the commitment letter.  files: the
 * filing's attachments, as its view lists them.
 */
static enum filing_result
filing_ops_complete(const json_t *files, const json_t *form,
    struct filing_out *out)
{
	json_t		*errors, *warnings, *f;
	const char	*kind;
	size_t		i;
	int		mlps, letter;

	mlps = letter = 0;
	json_array_foreach(files, i, f) {
		kind = json_string_value(json_object_get(f, "kind"));
		if (kind == NULL)
			continue;
		mlps += strcmp(kind, "mlps_certificate") == 0;
		letter += strcmp(kind, "commitment_letter") == 0;
	}
	errors = json_object();
	warnings = json_object();
	(void)filing_form_check(form, FORM_COMPLETE, filing_clock_today(),
	    errors, warnings);
	json_decref(warnings);
	if (mlps == 0)
		field_error(errors, "attachments.mlps_certificate", "required",
		    "请上传网络安全等级保护备案证明");
	if (letter == 0)
		field_error(errors, "attachments.commitment_letter",
		    "required", "请上传签字盖章的承诺书");
	if (json_object_size(errors) > 0) {
		out->fields = errors;
		return (FILING_VALIDATION);
	}
	json_decref(errors);
	return (FILING_OK);
}

/* A filing row as an operation just rewrote it, for the answer. */
static void
filing_ops_touched(struct filing_row *r, const char *status,
    const char *now)
{
	(void)snprintf(r->status, sizeof(r->status), "%s", status);
	r->version++;
	free(r->decision);
	r->decision = NULL;
	filing_clock_iso(now, r->updated_at, sizeof(r->updated_at));
}

/*
 * Sends a draft, or a corrected filing, for review: a receipt, and a
 * review deadline ten working days on.  The attachments are read once,
 * for the check and the answer; the filing is not read back.
 */
enum filing_result
filing_ops_submit(struct db *db, const struct actor *a, int64_t id,
    struct filing_out *out)
{
	struct filing_row		r;
	struct filing_clock		clk;
	struct filing_submission	s;
	enum filing_status		from, to;
	enum filing_result		res;
	json_t				*form, *files, *history;
	char				due[11];
	int				resubmit;

	memset(out, 0, sizeof(*out));
	if ((res = filing_ops_begin(db, a, id, EV_SUBMIT, &r, &from, &to)) !=
	    FILING_OK)
		return (res);
	resubmit = from == FILING_CORRECTION;
	form = json_loads(r.form, 0, NULL);
	files = json_array();
	history = NULL;
	res = FILING_ERROR;
	if (form == NULL || !filing_form_open(form, 1) ||
	    !filing_attachment_list(db, id, files))
		goto done;
	if ((res = filing_ops_complete(files, form, out)) != FILING_OK)
		goto done;
	res = FILING_ERROR;
	if (!filing_clock_read(db, &clk) ||
	    !filing_clock_deadline(db, clk.day, due))
		goto done;
	memset(&s, 0, sizeof(s));
	s.id = id;
	s.at = clk.now;
	s.date = clk.date;
	s.deadline = due[0] ? due : NULL;
	s.online = filing_form_online_date(form);
	s.kind = resubmit ? "resubmission" : "application";
	s.actor = a->account_id;
	s.event = resubmit ? "resubmitted" : "submitted";
	if ((history = json_array()) == NULL ||
	    !filing_store_submitted(db, &s, history))
		goto done;
	filing_ops_touched(&r, filing_status_name(to), clk.now);
	r.receipts++;
	filing_clock_iso(clk.now, r.received_at, sizeof(r.received_at));
	(void)snprintf(r.receipt_date, sizeof(r.receipt_date), "%s",
	    clk.date);
	(void)snprintf(r.deadline, sizeof(r.deadline), "%s", due);
	out->id = id;
	out->view = filing_view_of(db, &r, filing_ops_clear(a), history,
	    files);
	history = files = NULL;
	res = out->view != NULL ? FILING_OK : FILING_ERROR;
done:
	json_decref(form);
	json_decref(history);
	json_decref(files);
	filing_row_free(&r);
	return (res);
}

/*
 * Approval takes the next number of the year under the sequence's row
 * lock, which every approval waits for and which lasts to the commit:
 * whatever needs no number is done before it (the files were read by
 * the caller; the payload's form opened, the event numbered, the clock
 * read here), and after it one round trip writes all that needs the
 * number (filing_announce_filed), so that the lock is held across as few
 * as can be: the number, that call, the dispatcher's audit entry, the
 * commit.  Gives the history entry's detail, which the caller frees.
 */
static int
filing_ops_approve(struct db *db, const struct actor *who,
    const struct filing_row *r, const struct decision_effect *eff,
    json_t *files, struct filing_clock *clk, char *number, size_t len,
    json_t **detail)
{
	struct filing_announcement	a;
	struct filing_notice		e;
	uint32_t			seq;
	int				y, m, d, ok;

	*detail = NULL;
	if (!filing_clock_read(db, clk))
		return (0);
	cal_date_to_ymd(clk->day, &y, &m, &d);
	memset(&e, 0, sizeof(e));
	e.event = eff->notice;
	e.filing_id = r->id;
	e.number = number;
	e.status = filing_status_name(FILING_FILED);
	e.filed_on = clk->date;
	e.form = r->form;
	e.files = files;
	ok = filing_announce_begin(db, &e, clk->now, &a) &&
	    filing_store_next_number(db, y, &seq) &&
	    filing_number_format(vcp_conf.filing_prefix, y, seq, number,
	    len) && (*detail = json_pack("{s:s}", "filing_number",
	    number)) != NULL &&
	    filing_announce_filed(db, &a, clk->now, who->account_id,
	    eff->history, *detail);
	filing_announce_free(&a);
	return (ok);
}

/* A reviewer's decision on a submitted filing (decision_check'd). */
enum filing_result
filing_ops_decide(struct db *db, const struct actor *a, int64_t id,
    const struct decision_input *d, struct filing_out *out)
{
	const struct decision_effect	*eff;
	struct filing_clock		clk;
	struct filing_row		r;
	enum filing_status		from, to;
	enum filing_result		res;
	json_t				*detail, *history, *files;
	char				number[FILING_NUMBER_MAX], *text;
	int				ok;

	memset(out, 0, sizeof(*out));
	if ((eff = decision_effect(DECISION_FILING, d->decision)) == NULL)
		return (FILING_ERROR);
	if ((res = filing_ops_begin(db, a, id, eff->event, &r, &from, &to)) !=
	    FILING_OK)
		return (res);
	if (d->decision != DECISION_APPROVE) {
		detail = json_pack("{s:s,s:I,s:O?,s:O?}",
		    "decision", decision_name(d->decision),
		    "by", (json_int_t)a->account_id,
		    "items", d->items, "reasons", d->reasons);
		text = json_dumps(detail, JSON_COMPACT);
		ok = text != NULL && filing_store_decide(db, id,
		    filing_status_name(to), text) &&
		    filing_store_history(db, id, a->account_id, eff->history,
		    detail);
		free(text);
		json_decref(detail);
		filing_row_free(&r);
		return (ok ? filing_ops_view(db, a, id, out) : FILING_ERROR);
	}

	/*
	 * Approval.  What the answer needs besides is read before the
	 * number, whose row lock lasts to commit; the answer is the row as
	 * filed, not read back.
	 */
	history = json_array();
	files = json_array();
	number[0] = '\0';
	detail = NULL;
	ok = filing_store_history_list(db, id, history) &&
	    filing_attachment_list(db, id, files) &&
	    filing_ops_approve(db, a, &r, eff, files, &clk, number,
	    sizeof(number), &detail);
	if (ok) {
		filing_ops_touched(&r, filing_status_name(to), clk.now);
		(void)snprintf(r.number, sizeof(r.number), "%s", number);
		(void)snprintf(r.filed_on, sizeof(r.filed_on), "%s", clk.date);
		if (json_array_append_new(history, json_pack("{s:s,s:s,s:O}",
		    "at", r.updated_at, "event", eff->history, "detail",
		    detail)) == 0) {
			out->id = id;
			out->view = filing_view_of(db, &r, filing_ops_clear(a),
			    history, files);
			history = files = NULL;
		}
	}
	json_decref(detail);
	json_decref(history);
	json_decref(files);
	filing_row_free(&r);
	return (out->view != NULL ? FILING_OK : FILING_ERROR);
}

/*
 * Ends a filed platform's filing.  Deregistration (Art. 7): the operator
 * names the day collection stopped; it takes effect at once, is a
 * receipt like any submission, and is marked late when filed after that
 * day.  Revocation: a supervisor's act with reasons, ending it today.
 * Either way the register shows the end and the ministries are told.
 */
enum filing_result
filing_ops_end(struct db *db, const struct actor *a, int64_t id,
    const struct filing_ending *in, struct filing_out *out)
{
	struct filing_row	r;
	struct filing_notice	e;
	struct filing_clock	clk;
	enum filing_status	from, to;
	enum filing_result	res;
	const char		*ended, *status;
	json_t			*detail;
	char			*text;
	int32_t			end;
	int			ok, deregister;

	memset(out, 0, sizeof(*out));
	if ((res = filing_ops_begin(db, a, id, in->event, &r, &from, &to)) !=
	    FILING_OK)
		return (res);
	if (!filing_clock_read(db, &clk)) {
		filing_row_free(&r);
		return (FILING_ERROR);
	}
	deregister = in->event == EV_DEREGISTER;
	status = filing_status_name(to);
	if (deregister) {
		ended = in->ended_on;
		if (!cal_date_parse(ended, strlen(ended), &end))
			end = clk.day;
		detail = json_pack("{s:s,s:b}", "ended_on", ended,
		    "late", clk.day > end);
	} else {
		ended = clk.date;
		detail = json_pack("{s:s,s:s,s:I}", "revoked_on", ended,
		    "reasons", in->reasons, "by", (json_int_t)a->account_id);
		if (detail != NULL && in->tipoff != NULL)
			json_object_set_new(detail, "tipoff",
			    json_string(in->tipoff));
	}
	memset(&e, 0, sizeof(e));
	e.event = status;
	e.filing_id = id;
	e.number = r.number;
	e.status = status;
	e.filed_on = r.filed_on;
	e.ended_on = ended;
	e.form = r.form;
	text = json_dumps(detail, JSON_COMPACT);
	ok = text != NULL && filing_store_end(db, id, status, ended, text) &&
	    filing_announce(db, &e) && (!deregister ||
	    filing_store_receipt(db, id, "deregistration", clk.now, clk.date,
	    NULL, a->account_id)) &&
	    filing_store_history(db, id, a->account_id, status, detail);
	free(text);
	json_decref(detail);
	filing_row_free(&r);
	if (!ok)
		return (FILING_ERROR);
	return (filing_ops_view(db, a, id, out));
}

/*
 * A regulator asks to see the personal data in clear.  The request is
 * kept in the filing's history with its reason.  out->view: the
 * personal fields by path.
 */
enum filing_result
filing_ops_reveal(struct db *db, const struct actor *a, int64_t id,
    const char *reason, struct filing_out *out)
{
	struct filing_row	r;
	enum filing_result	res;
	json_t			*form, *detail;
	int			ok;

	memset(out, 0, sizeof(*out));
	out->id = id;
	if ((res = filing_ops_load(db, a, id, 0, &r)) != FILING_OK)
		return (res);
	form = json_loads(r.form, 0, NULL);
	filing_row_free(&r);
	if (form == NULL || !filing_form_open(form, 1)) {
		json_decref(form);
		return (FILING_ERROR);
	}
	out->view = filing_form_personal(form);
	json_decref(form);
	detail = json_pack("{s:I,s:s}", "by", (json_int_t)a->account_id,
	    "reason", reason);
	ok = filing_store_history(db, id, a->account_id,
	    "personal_data_revealed", detail);
	json_decref(detail);
	return (ok ? FILING_OK : FILING_ERROR);
}
