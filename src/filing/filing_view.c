/*
 * A filing and a change as JSON, the way the API shows them: the form
 * opened in clear for its operator and masked for everyone else, with a
 * filing's history and attachments, and for a case under review whose
 * deadline waits for a year's notice, which year (deadline_pending).
 */

#include <stdlib.h>
#include <string.h>

#include "calendar/calendar_store.h"
#include "db/db.h"
#include "filing/filing.h"

static json_t *
filing_view_str(const char *s)
{
	return (s != NULL && *s != '\0' ? json_string(s) : json_null());
}

/*
 * Sets deadline_pending and deadline_label of a view: the year when the
 * case is under review (status submitted) without a deadline.  0 on a
 * database error.
 */
int
filing_view_pending(struct db *db, json_t *view, const char *status,
    const char *deadline, const char *receipt_date)
{
	int	year;

	year = 0;
	if (strcmp(status, "submitted") == 0 &&
	    (deadline == NULL || *deadline == '\0') &&
	    (year = filing_clock_pending(db, receipt_date)) < 0)
		return (0);
	calendar_pending_set(view, year);
	return (1);
}

/* The filing as its owner (clear) or a regulator (masked) sees it. */
json_t *
filing_view(struct db *db, const struct filing_row *r, int clear)
{
	return (filing_view_of(db, r, clear, NULL, NULL));
}

/*
 * The same from parts an operation already holds: history and
 * attachments (arrays, taken over) are read only when NULL.
 */
json_t *
filing_view_of(struct db *db, const struct filing_row *r, int clear,
    json_t *history, json_t *attachments)
{
	json_t	*form, *decision, *view;
	int	ok;

	if ((form = json_loads(r->form, 0, NULL)) == NULL ||
	    !filing_form_open(form, clear)) {
		json_decref(form);
		json_decref(history);
		json_decref(attachments);
		return (NULL);
	}
	decision = r->decision != NULL ? json_loads(r->decision, 0, NULL) :
	    NULL;
	ok = 1;
	if (history == NULL) {
		history = json_array();
		ok = filing_store_history_list(db, r->id, history);
	}
	if (attachments == NULL) {
		attachments = json_array();
		ok = ok && filing_attachment_list(db, r->id, attachments);
	}
	if (!ok) {
		json_decref(form);
		json_decref(history);
		json_decref(attachments);
		json_decref(decision);
		return (NULL);
	}
	view = json_pack("{s:I,s:s,s:I,s:o,s:I,s:o,s:o,s:o,s:o,s:o,s:o,"
	    "s:o,s:s,s:s,s:o,s:o}",
	    "id", (json_int_t)r->id, "status", r->status,
	    "version", (json_int_t)r->version, "form", form,
	    "receipts", (json_int_t)r->receipts,
	    "received_at", filing_view_str(r->received_at),
	    "receipt_date", filing_view_str(r->receipt_date),
	    "deadline", filing_view_str(r->deadline),
	    "decision", decision != NULL ? decision : json_null(),
	    "filing_number", filing_view_str(r->number),
	    "filed_on", filing_view_str(r->filed_on),
	    "ended_on", filing_view_str(r->ended_on),
	    "created_at", r->created_at, "updated_at", r->updated_at,
	    "history", history, "attachments", attachments);
	if (view != NULL && !filing_view_pending(db, view, r->status,
	    r->deadline, r->receipt_date)) {
		json_decref(view);
		return (NULL);
	}
	return (view);
}

/* A change as its operator (clear) or a regulator (masked) sees it. */
json_t *
change_view(struct db *db, const struct change_row *c, int clear)
{
	json_t	*form, *fields, *decision, *view;

	form = json_loads(c->form, 0, NULL);
	if (form == NULL || !filing_form_open(form, clear)) {
		json_decref(form);
		return (NULL);
	}
	fields = json_loads(c->fields, 0, NULL);
	decision = c->decision != NULL ? json_loads(c->decision, 0, NULL) :
	    NULL;
	view = json_pack("{s:I,s:I,s:s,s:o,s:o,s:s,s:s?,s:b,s:I,s:s,s:s,"
	    "s:s?,s:o,s:s?}", "id", (json_int_t)c->id,
	    "filing_id", (json_int_t)c->filing_id, "status", c->status,
	    "form", form, "fields", fields != NULL ? fields : json_array(),
	    "changed_on", c->changed_on,
	    "due_on", c->due_on[0] ? c->due_on : NULL, "late", c->late,
	    "receipts", (json_int_t)c->receipts,
	    "received_at", c->received_at, "receipt_date", c->receipt_date,
	    "deadline", c->deadline[0] ? c->deadline : NULL,
	    "decision", decision != NULL ? decision : json_null(),
	    "decided_on", c->decided_on[0] ? c->decided_on : NULL);
	if (view != NULL && !filing_view_pending(db, view, c->status,
	    c->deadline, c->receipt_date)) {
		json_decref(view);
		return (NULL);
	}
	return (view);
}
