/*
 * Changes of a filed platform (Art. 6), without Kore.  The operator
 * sends the changed fields and the day they changed; the change is
 * reviewed like an application while the filing and its public record
 * stay as they were, and only approval puts the new version in force.
 * A change filed more than 30 days after the day of the change is
 * accepted, marked late, with the deadline it missed.  A change sent
 * back for correction is resubmitted through the same path as a new
 * one.  Its life is the table of src/domain/change_state.c.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/calendar_store.h"
#include "db/db.h"
#include "domain/calendar.h"
#include "domain/change_state.h"
#include "domain/filing_form.h"
#include "domain/role.h"
#include "domain/validate.h"
#include "filing/filing.h"

/*
 * Lays the changed fields over the current form.  Returns the list of
 * paths whose value really changed (empty when nothing did).
 */
static json_t *
change_ops_merge(json_t *form, const json_t *changes)
{
	json_t		*grp, *v, *paths;
	const char	*gk, *k;
	char		path[96];

	paths = json_array();
	json_object_foreach((json_t *)changes, gk, grp) {
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

/* Receipt, review deadline, the 30-day deadline and lateness. */
static int
change_ops_dates(struct db *db, const struct change_input *in,
    struct change_row *c)
{
	const struct calendar	*cal;
	struct calsnap		*snap;
	struct filing_clock	clk;
	int32_t			changed, out;
	int			missing;

	(void)snprintf(c->changed_on, sizeof(c->changed_on), "%s",
	    in->changed_on);
	if (!filing_clock_read(db, &clk))
		return (0);
	(void)snprintf(c->received_at, sizeof(c->received_at), "%s",
	    clk.now);
	(void)snprintf(c->receipt_date, sizeof(c->receipt_date), "%s",
	    clk.date);
	if (!filing_clock_deadline(db, clk.day, c->deadline))
		return (0);
	if (!cal_date_parse(in->changed_on, strlen(in->changed_on), &changed))
		return (0);
	if ((snap = calcache_get(db, &cal)) != NULL) {
		if (cal != NULL && filing_change_late(cal, changed, clk.day,
		    &out, &c->late, &missing))
			cal_date_format(out, c->due_on);
		calcache_put(snap);
	}
	return (1);
}

/*
 * Builds the change record: the filing's form with the changes laid
 * over it, checked as a whole, sealed, and dated.
 */
static enum filing_result
change_ops_row(struct db *db, const struct filing_row *r,
    const struct change_input *in, struct change_row *c,
    struct filing_out *out)
{
	json_t	*form, *paths, *errors;
	int	ok;

	memset(c, 0, sizeof(*c));
	c->filing_id = r->id;
	if ((form = json_loads(r->form, 0, NULL)) == NULL ||
	    !filing_form_open(form, 1)) {
		json_decref(form);
		return (FILING_ERROR);
	}
	paths = change_ops_merge(form, in->changes);
	errors = json_object();
	if (!filing_form_check(form, FORM_COMPLETE, filing_clock_today(),
	    errors, NULL)) {
		json_decref(form);
		json_decref(paths);
		out->fields = errors;
		return (FILING_VALIDATION);
	}
	json_decref(errors);
	if (json_array_size(paths) == 0) {
		json_decref(form);
		json_decref(paths);
		return (FILING_NO_CHANGE);
	}
	ok = filing_form_seal(form);
	if (ok) {
		c->form = json_dumps(form, JSON_COMPACT);
		c->fields = json_dumps(paths, JSON_COMPACT);
	}
	json_decref(form);
	json_decref(paths);
	if (!ok || c->form == NULL || c->fields == NULL ||
	    !change_ops_dates(db, in, c))
		return (FILING_ERROR);
	return (FILING_OK);
}

/* The change as it now is, for the answer of an operation. */
static enum filing_result
change_ops_view(struct db *db, const struct actor *a, int64_t filing,
    int64_t id, struct filing_out *out)
{
	struct change_row	c;

	out->id = id;
	if (change_store_get(db, filing, id, 0, &c) != 1) {
		change_row_free(&c);
		return (FILING_ERROR);
	}
	out->view = change_view(db, &c, a->role == ROLE_OPERATOR);
	change_row_free(&c);
	return (out->view != NULL ? FILING_OK : FILING_ERROR);
}

static json_t *
change_ops_detail(const struct change_row *c, int64_t id)
{
	return (json_pack("{s:I,s:o,s:s,s:b,s:s?}", "change_id",
	    (json_int_t)id, "fields", json_loads(c->fields, 0, NULL),
	    "changed_on", c->changed_on, "late", c->late,
	    "due_on", c->due_on[0] ? c->due_on : NULL));
}

/*
 * Whether the filing may take this change: a new one needs a filed
 * platform with no other change being handled, a resubmission a change
 * of this filing that was sent back for correction.
 */
static enum filing_result
change_ops_admit(struct db *db, const struct filing_row *r,
    const struct change_input *in)
{
	struct change_row	old;
	enum filing_status	fto;
	enum change_status	to;
	int			rc, ok, pending;

	if (!in->resubmit) {
		if (!filing_transition(filing_status_parse(r->status),
		    EV_CHANGE, &fto))
			return (FILING_INVALID_STATE);
		if (!change_store_pending(db, r->id, &pending))
			return (FILING_ERROR);
		return (pending > 0 ? FILING_CHANGE_PENDING : FILING_OK);
	}
	rc = change_store_get(db, r->id, in->change_id, 1, &old);
	ok = rc == 1 && change_transition(change_status_parse(old.status),
	    CHANGE_EV_RESUBMIT, &to);
	change_row_free(&old);
	if (rc < 0)
		return (FILING_ERROR);
	if (rc == 0)
		return (FILING_CHANGE_NOT_FOUND);
	return (ok ? FILING_OK : FILING_INVALID_STATE);
}

/* A new change, or a change resubmitted after a correction request. */
enum filing_result
change_ops_submit(struct db *db, const struct actor *a, int64_t filing,
    const struct change_input *in, struct filing_out *out)
{
	struct filing_row	r;
	struct change_row	c;
	enum filing_result	res;
	json_t			*detail;
	int64_t			id;
	int			ok;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	if ((res = filing_ops_load(db, a, filing, 1, &r)) != FILING_OK)
		return (res);
	if ((res = change_ops_admit(db, &r, in)) == FILING_OK)
		res = change_ops_row(db, &r, in, &c, out);
	filing_row_free(&r);
	if (res != FILING_OK) {
		change_row_free(&c);
		return (res);
	}
	id = 0;
	if (in->resubmit) {
		c.id = id = in->change_id;
		ok = change_store_resubmit(db, &c);
	} else
		ok = change_store_create(db, &c, &id);
	ok = ok && filing_store_receipt(db, filing, "change", c.received_at,
	    c.receipt_date, c.deadline[0] ? c.deadline : NULL,
	    a->account_id);
	detail = change_ops_detail(&c, ok ? id : 0);
	ok = ok && filing_store_history(db, filing, a->account_id,
	    in->resubmit ? "change_resubmitted" : "change_submitted", detail);
	json_decref(detail);
	change_row_free(&c);
	if (!ok)
		return (FILING_ERROR);
	return (change_ops_view(db, a, filing, id, out));
}

/* Approval puts the change's form in force, on the register too. */
static int
change_ops_approve(struct db *db, const struct filing_row *r,
    const struct change_row *c, const char *status, const char *event,
    const char *date)
{
	struct filing_notice	e;
	json_t			*form;
	int			ok;

	if ((form = json_loads(c->form, 0, NULL)) == NULL)
		return (0);
	memset(&e, 0, sizeof(e));
	e.event = event;
	e.filing_id = r->id;
	e.number = r->number;
	e.status = r->status;
	e.filed_on = r->filed_on;
	e.form = c->form;
	e.changed_on = c->changed_on;
	e.fields = c->fields;
	ok = filing_store_replace_form(db, r->id, c->form,
	    filing_form_online_date(form)) &&
	    change_store_decide(db, c->id, status, NULL, date) &&
	    filing_announce(db, &e);
	json_decref(form);
	return (ok);
}

/* A reviewer's decision on a submitted change (decision_check'd). */
enum filing_result
change_ops_decide(struct db *db, const struct actor *a, int64_t filing,
    int64_t id, const struct decision_input *d, struct filing_out *out)
{
	const struct decision_effect	*eff;
	struct filing_row		r;
	struct change_row		c;
	struct filing_clock		clk;
	enum filing_status		fto;
	enum change_status		to;
	enum filing_result		res;
	json_t				*detail;
	char				*text;
	int				rc, ok;

	memset(out, 0, sizeof(*out));
	if ((eff = decision_effect(DECISION_CHANGE, d->decision)) == NULL)
		return (FILING_ERROR);
	if ((res = filing_ops_load(db, a, filing, 1, &r)) != FILING_OK)
		return (res);
	rc = change_store_get(db, filing, id, 1, &c);
	if (rc < 0)
		res = FILING_ERROR;
	else if (rc == 0)
		res = FILING_CHANGE_NOT_FOUND;
	else if (!change_transition(change_status_parse(c.status),
	    eff->event, &to) || !filing_transition(filing_status_parse(
	    r.status), EV_CHANGE, &fto))
		res = FILING_INVALID_STATE;
	else if (!filing_clock_read(db, &clk))
		res = FILING_ERROR;
	if (res != FILING_OK) {
		filing_row_free(&r);
		change_row_free(&c);
		return (res);
	}
	detail = json_pack("{s:s,s:I,s:I,s:O?,s:O?}",
	    "decision", decision_name(d->decision), "change_id", (json_int_t)id,
	    "by", (json_int_t)a->account_id, "items", d->items,
	    "reasons", d->reasons);
	if (d->decision == DECISION_APPROVE) {
		ok = change_ops_approve(db, &r, &c, change_status_name(to),
		    eff->notice, clk.date);
	} else {
		text = json_dumps(detail, JSON_COMPACT);
		ok = text != NULL && change_store_decide(db, id,
		    change_status_name(to), text, clk.date);
		free(text);
	}
	ok = ok && filing_store_history(db, filing, a->account_id,
	    eff->history, detail);
	json_decref(detail);
	filing_row_free(&r);
	change_row_free(&c);
	if (!ok)
		return (FILING_ERROR);
	return (change_ops_view(db, a, filing, id, out));
}

/* The filing whose changes are read, if the actor may see it. */
static enum filing_result
change_ops_filing(struct db *db, const struct actor *a, int64_t filing,
    struct filing_out *out)
{
	struct filing_row	r;
	enum filing_result	res;

	memset(out, 0, sizeof(*out));
	out->id = filing;
	if ((res = filing_ops_load(db, a, filing, 0, &r)) == FILING_OK)
		filing_row_free(&r);
	return (res);
}

/*
 * One change of a filing the actor may see, with its whole form (masked
 * but for the owner): what a reviewer decides on.
 */
enum filing_result
change_ops_get(struct db *db, const struct actor *a, int64_t filing,
    int64_t id, struct filing_out *out)
{
	struct change_row	c;
	enum filing_result	res;
	int			got;

	if ((res = change_ops_filing(db, a, filing, out)) != FILING_OK)
		return (res);
	if (id == 0)
		return (FILING_CHANGE_NOT_FOUND);
	got = change_store_get(db, filing, id, 0, &c);
	change_row_free(&c);
	if (got == 0)
		return (FILING_CHANGE_NOT_FOUND);
	if (got != 1)
		return (FILING_ERROR);
	return (change_ops_view(db, a, filing, id, out));
}

/* The changes of a filing the actor may see, oldest first. */
enum filing_result
change_ops_list(struct db *db, const struct actor *a, int64_t filing,
    struct filing_out *out)
{
	enum filing_result	res;
	json_t			*row;
	size_t			i;

	if ((res = change_ops_filing(db, a, filing, out)) != FILING_OK)
		return (res);
	out->view = json_array();
	if (!change_store_list(db, filing, out->view))
		return (FILING_ERROR);
	json_array_foreach(out->view, i, row) {
		if (!filing_view_pending(db, row, json_string_value(
		    json_object_get(row, "status")), json_string_value(
		    json_object_get(row, "deadline")), json_string_value(
		    json_object_get(row, "receipt_date"))))
			return (FILING_ERROR);
	}
	return (FILING_OK);
}
