/*
 * The SQL of changes: the proposed form with the changed paths, the
 * change's own receipt and deadlines, its decision, and the public dates
 * of the approved ones.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/db_json.h"
#include "filing/filing.h"

static const char	*sql_dates =
    "SELECT DATE_FORMAT(changed_on, '%Y-%m-%d'),"
    " DATE_FORMAT(decided_on, '%Y-%m-%d') FROM filing_change"
    " WHERE filing_id = ? AND status = 'approved' ORDER BY id";
static const char	*sql_pending =
    "SELECT COUNT(*) FROM filing_change WHERE filing_id = ?"
    " AND status IN ('submitted', 'correction_requested')";
static const char	*sql_create =
    "INSERT INTO filing_change (filing_id, status, form, fields, changed_on,"
    " due_on, late, received_at, receipt_date, deadline, created_at)"
    " VALUES (?, 'submitted', ?, ?, ?, ?, ?, ?, ?, ?, NOW(6))";
static const char	*sql_get =
    "SELECT id, filing_id, status, form, fields, changed_on, due_on, late,"
    " receipts, DATE_FORMAT(received_at, '%Y-%m-%dT%H:%i:%sZ'),"
    " receipt_date, deadline, decision, decided_on"
    " FROM filing_change WHERE filing_id = ? AND id = ?";
static const char	*sql_get_lock =
    "SELECT id, filing_id, status, form, fields, changed_on, due_on, late,"
    " receipts, DATE_FORMAT(received_at, '%Y-%m-%dT%H:%i:%sZ'),"
    " receipt_date, deadline, decision, decided_on"
    " FROM filing_change WHERE filing_id = ? AND id = ? FOR UPDATE";
static const char	*sql_list =
    "SELECT id, status, fields, changed_on, due_on, late, receipts,"
    " receipt_date, deadline, decision, decided_on"
    " FROM filing_change WHERE filing_id = ? ORDER BY id";
static const char	*sql_resubmit =
    "UPDATE filing_change SET status = 'submitted', form = ?, fields = ?,"
    " changed_on = ?, due_on = ?, late = ?, receipts = receipts + 1,"
    " received_at = ?, receipt_date = ?, deadline = ?, decision = NULL"
    " WHERE id = ?";
static const char	*sql_pending_dates =
    "SELECT id, filing_id, receipts, DATE_FORMAT(receipt_date, '%Y-%m-%d'),"
    " DATE_FORMAT(changed_on, '%Y-%m-%d'),"
    " DATE_FORMAT(deadline, '%Y-%m-%d'), DATE_FORMAT(due_on, '%Y-%m-%d'),"
    " late FROM filing_change WHERE status = 'submitted'"
    " AND (deadline IS NULL OR due_on IS NULL) ORDER BY id";
/* Only while the same receipt is under review: a decision moves it on. */
static const char	*sql_set_dates =
    "UPDATE filing_change SET deadline = ?, due_on = ?, late = ?"
    " WHERE id = ? AND status = 'submitted' AND receipts = ?"
    " AND (deadline IS NULL OR due_on IS NULL)";
static const char	*sql_receipt_deadline =
    "UPDATE receipt SET deadline = ? WHERE filing_id = ? AND kind = 'change'"
    " AND deadline IS NULL AND received_at ="
    " (SELECT received_at FROM filing_change WHERE id = ?)";
static const char	*sql_decide =
    "UPDATE filing_change SET status = ?, decision = ?, decided_on = ?"
    " WHERE id = ?";

void
change_row_free(struct change_row *c)
{
	free(c->form);
	free(c->fields);
	free(c->decision);
	c->form = c->fields = c->decision = NULL;
}

/* The public part of a filing's changes: when each changed, was approved. */
int
change_store_dates(struct db *db, int64_t filing, json_t *out)
{
	struct db_stmt	*st;
	int		r;

	if ((st = db_prepare(db, sql_dates)) == NULL)
		return (0);
	db_bind_i64(st, 0, filing);
	if (!db_execute(st))
		return (0);
	while ((r = db_fetch(st)) == 1)
		json_array_append_new(out, json_pack("{s:o,s:o}",
		    "changed_on", db_col_jstr(st, 0),
		    "approved_on", db_col_jstr(st, 1)));
	db_reset(st);
	return (r == 0);
}

int
change_store_pending(struct db *db, int64_t filing, int *n)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_pending)) == NULL)
		return (0);
	db_bind_i64(st, 0, filing);
	if (!db_execute(st) || db_fetch(st) != 1)
		return (0);
	*n = (int)db_col_i64(st, 0);
	db_reset(st);
	return (1);
}

static const char *
opt(const char *s)
{
	return (s[0] != '\0' ? s : NULL);
}

int
change_store_create(struct db *db, const struct change_row *c, int64_t *id)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_create)) == NULL)
		return (0);
	db_bind_i64(st, 0, c->filing_id);
	db_bind_str(st, 1, c->form);
	db_bind_str(st, 2, c->fields);
	db_bind_str(st, 3, c->changed_on);
	db_bind_str(st, 4, opt(c->due_on));
	db_bind_i64(st, 5, c->late);
	db_bind_str(st, 6, c->received_at);
	db_bind_str(st, 7, c->receipt_date);
	db_bind_str(st, 8, opt(c->deadline));
	if (!db_execute(st))
		return (0);
	*id = (int64_t)db_insert_id(st);
	return (1);
}

int
change_store_get(struct db *db, int64_t filing, int64_t id, int lock,
    struct change_row *c)
{
	struct db_stmt	*st;
	int		r;

	memset(c, 0, sizeof(*c));
	if ((st = db_prepare(db, lock ? sql_get_lock : sql_get)) == NULL)
		return (-1);
	db_bind_i64(st, 0, filing);
	db_bind_i64(st, 1, id);
	if (!db_execute(st))
		return (-1);
	if ((r = db_fetch(st)) == 1) {
		c->id = db_col_i64(st, 0);
		c->filing_id = db_col_i64(st, 1);
		db_col_copy(st, 2, c->status, sizeof(c->status));
		c->form = db_col_dup(st, 3);
		c->fields = db_col_dup(st, 4);
		db_col_copy(st, 5, c->changed_on, sizeof(c->changed_on));
		db_col_copy(st, 6, c->due_on, sizeof(c->due_on));
		c->late = (int)db_col_i64(st, 7);
		c->receipts = db_col_i64(st, 8);
		db_col_copy(st, 9, c->received_at, sizeof(c->received_at));
		db_col_copy(st, 10, c->receipt_date, sizeof(c->receipt_date));
		db_col_copy(st, 11, c->deadline, sizeof(c->deadline));
		c->decision = db_col_dup(st, 12);
		db_col_copy(st, 13, c->decided_on, sizeof(c->decided_on));
		if (c->form == NULL || c->fields == NULL)
			r = -1;
	}
	db_reset(st);
	return (r);
}

int
change_store_list(struct db *db, int64_t filing, json_t *out)
{
	struct db_stmt	*st;
	int		r;

	if ((st = db_prepare(db, sql_list)) == NULL)
		return (0);
	db_bind_i64(st, 0, filing);
	if (!db_execute(st))
		return (0);
	while ((r = db_fetch(st)) == 1) {
		json_array_append_new(out, json_pack("{s:I,s:s,s:o,s:s,s:o,"
		    "s:b,s:I,s:s,s:o,s:o,s:o}",
		    "id", (json_int_t)db_col_i64(st, 0),
		    "status", db_col_str(st, 1, NULL),
		    "fields", db_col_jobj(st, 2),
		    "changed_on", db_col_str(st, 3, NULL),
		    "due_on", db_col_jstr(st, 4),
		    "late", (int)db_col_i64(st, 5),
		    "receipts", (json_int_t)db_col_i64(st, 6),
		    "receipt_date", db_col_str(st, 7, NULL),
		    "deadline", db_col_jstr(st, 8),
		    "decision", db_col_jobj(st, 9),
		    "decided_on", db_col_jstr(st, 10)));
	}
	db_reset(st);
	return (r == 0);
}

int
change_store_resubmit(struct db *db, const struct change_row *c)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_resubmit)) == NULL)
		return (0);
	db_bind_str(st, 0, c->form);
	db_bind_str(st, 1, c->fields);
	db_bind_str(st, 2, c->changed_on);
	db_bind_str(st, 3, opt(c->due_on));
	db_bind_i64(st, 4, c->late);
	db_bind_str(st, 5, c->received_at);
	db_bind_str(st, 6, c->receipt_date);
	db_bind_str(st, 7, opt(c->deadline));
	db_bind_i64(st, 8, c->id);
	return (db_execute(st) && db_affected(st) == 1);
}

int
change_store_decide(struct db *db, int64_t id, const char *status,
    const char *decision, const char *date)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_decide)) == NULL)
		return (0);
	db_bind_str(st, 0, status);
	db_bind_str(st, 1, decision);
	db_bind_str(st, 2, date);
	db_bind_i64(st, 3, id);
	return (db_execute(st) && db_affected(st) == 1);
}

/*
 * Changes under review without a review deadline or a due date; *out is
 * the caller's to free.
 */
int
change_store_pending_dates(struct db *db, struct filing_pending **out,
    size_t *n)
{
	struct filing_pending	*p;
	struct db_stmt		*st;
	size_t			cap;
	int			r;

	*out = NULL;
	*n = cap = 0;
	if ((st = db_prepare(db, sql_pending_dates)) == NULL ||
	    !db_execute(st))
		return (0);
	while ((r = db_fetch(st)) == 1) {
		if (!filing_store_pending_push(out, n, &cap, &p)) {
			r = -1;
			break;
		}
		p->id = db_col_i64(st, 0);
		p->filing_id = db_col_i64(st, 1);
		p->receipts = db_col_i64(st, 2);
		db_col_copy(st, 3, p->receipt_date, sizeof(p->receipt_date));
		db_col_copy(st, 4, p->changed_on, sizeof(p->changed_on));
		db_col_copy(st, 5, p->deadline, sizeof(p->deadline));
		db_col_copy(st, 6, p->due_on, sizeof(p->due_on));
		p->late = db_col_i64(st, 7) != 0;
	}
	db_reset(st);
	return (r == 0);
}

/*
 * Stores a pending change's dates (the review deadline on its receipt
 * too).  1 when stored, 0 when the case moved on meanwhile, -1 on an
 * error.
 */
int
change_store_set_dates(struct db *db, const struct filing_pending *p)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_set_dates)) == NULL)
		return (-1);
	db_bind_str(st, 0, opt(p->deadline));
	db_bind_str(st, 1, opt(p->due_on));
	db_bind_i64(st, 2, p->late);
	db_bind_i64(st, 3, p->id);
	db_bind_i64(st, 4, p->receipts);
	if (!db_execute(st))
		return (-1);
	if (db_affected(st) != 1)
		return (0);
	if (p->deadline[0] == '\0')
		return (1);
	if ((st = db_prepare(db, sql_receipt_deadline)) == NULL)
		return (-1);
	db_bind_str(st, 0, p->deadline);
	db_bind_i64(st, 1, p->filing_id);
	db_bind_i64(st, 2, p->id);
	return (db_execute(st) ? 1 : -1);
}
