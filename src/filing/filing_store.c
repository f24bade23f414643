/*
 * The SQL of filings: the filing row and its version, the yearly number
 * sequence, the history, and the receipts of every submission.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/db_json.h"
#include "filing/filing.h"
#include "registry/registry.h"

/*
 * Writes take their time from the request's one clock read (bound as
 * at), so the answer is built from what was written without reading the
 * row back.
 */
/* schema/026_filing_create.sql: the draft and its history, one trip. */
static const char	*sql_create = "CALL filing_create(?, ?, ?)";
static const char	*sql_get =
    "SELECT id, owner_id, status, version, form, receipts,"
    " DATE_FORMAT(received_at, '%Y-%m-%dT%H:%i:%sZ'), receipt_date,"
    " deadline, online_date, decision, filing_number, filed_on, ended_on,"
    " DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ'),"
    " DATE_FORMAT(updated_at, '%Y-%m-%dT%H:%i:%sZ')"
    " FROM filing WHERE id = ?";
static const char	*sql_get_lock =
    "SELECT id, owner_id, status, version, form, receipts,"
    " DATE_FORMAT(received_at, '%Y-%m-%dT%H:%i:%sZ'), receipt_date,"
    " deadline, online_date, decision, filing_number, filed_on, ended_on,"
    " DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ'),"
    " DATE_FORMAT(updated_at, '%Y-%m-%dT%H:%i:%sZ')"
    " FROM filing WHERE id = ? FOR UPDATE";
static const char	*sql_save =
    "UPDATE filing SET form = ?, online_date = ?, version = version + 1,"
    " updated_at = NOW(6) WHERE id = ? AND version = ?";
static const char	*sql_replace =
    "UPDATE filing SET form = ?, online_date = ?, version = version + 1,"
    " updated_at = NOW(6) WHERE id = ?";
static const char	*sql_list =
    "SELECT id, status, version, JSON_UNQUOTE(JSON_EXTRACT(form,"
    " '$.platform.name')), filing_number, deadline,"
    " DATE_FORMAT(updated_at, '%Y-%m-%dT%H:%i:%sZ')"
    " FROM filing WHERE owner_id = ? ORDER BY id DESC LIMIT 500";
/* schema/025_filing_submit.sql: the writes and the history, one trip. */
static const char	*sql_submit = "CALL filing_submit(?, ?, ?, ?, ?, ?, ?, ?)";
static const char	*sql_decide =
    "UPDATE filing SET status = ?, decision = ?, version = version + 1,"
    " updated_at = NOW(6) WHERE id = ?";
/* schema/022_filing_file.sql: an approval's writes in one round trip. */
static const char	*sql_filed =
    "CALL filing_file(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char	*sql_end =
    "UPDATE filing SET status = ?, ended_on = ?, decision = ?,"
    " version = version + 1, updated_at = NOW(6) WHERE id = ?";
/* The new number comes back through LAST_INSERT_ID: no read after. */
static const char	*sql_seq_bump =
    "INSERT INTO filing_sequence (year, last) VALUES (?, LAST_INSERT_ID(1))"
    " ON DUPLICATE KEY UPDATE last = LAST_INSERT_ID(last + 1)";
static const char	*sql_history =
    "INSERT INTO filing_history (filing_id, at, actor_id, event, detail)"
    " VALUES (?, NOW(6), ?, ?, ?)";
static const char	*sql_history_list =
    "SELECT DATE_FORMAT(at, '%Y-%m-%dT%H:%i:%sZ'), event, detail"
    " FROM filing_history WHERE filing_id = ? ORDER BY id LIMIT 1000";
static const char	*sql_receipt =
    "INSERT INTO receipt (filing_id, kind, received_at, receipt_date,"
    " deadline, account_id) VALUES (?, ?, ?, ?, ?, ?)";
static const char	*sql_cutoff =
    "SELECT DATE_FORMAT(LEAST(COALESCE(?, '9999-12-31'),"
    " DATE(UTC_TIMESTAMP() + INTERVAL 8 HOUR) - INTERVAL 6 MONTH),"
    " '%Y-%m-%d')";
static const char	*sql_purge =
    "DELETE FROM receipt WHERE receipt_date < ?";
static const char	*sql_pending =
    "SELECT id, receipts, DATE_FORMAT(receipt_date, '%Y-%m-%d')"
    " FROM filing WHERE status = 'submitted' AND deadline IS NULL"
    " AND receipt_date IS NOT NULL ORDER BY id";
/* Only while the same receipt is under review: a decision moves it on. */
static const char	*sql_set_deadline =
    "UPDATE filing SET deadline = ? WHERE id = ? AND status = 'submitted'"
    " AND receipts = ? AND deadline IS NULL";
static const char	*sql_receipt_deadline =
    "UPDATE receipt SET deadline = ? WHERE filing_id = ?"
    " AND kind IN ('application', 'resubmission') AND deadline IS NULL"
    " AND received_at = (SELECT received_at FROM filing WHERE id = ?)";

static int	filing_history_rows(struct db_stmt *, json_t *);

void
filing_row_free(struct filing_row *r)
{
	free(r->form);
	free(r->decision);
	r->form = r->decision = NULL;
}

/* A new draft of owner's, with its "created" history entry at at. */
int
filing_store_create(struct db *db, int64_t owner, const char *form,
    const char *at, int64_t *id)
{
	struct db_stmt	*st;
	int		ok;

	if ((st = db_prepare(db, sql_create)) == NULL)
		return (0);
	db_bind_i64(st, 0, owner);
	db_bind_str(st, 1, form);
	db_bind_str(st, 2, at);
	if (!db_execute(st))
		return (0);
	ok = db_fetch(st) == 1;
	if (ok)
		*id = db_col_i64(st, 0);
	db_reset(st);
	return (ok && *id > 0);
}

/* Returns 1 found, 0 not found, -1 error.  lock: SELECT ... FOR UPDATE. */
int
filing_store_get(struct db *db, int64_t id, int lock, struct filing_row *r)
{
	struct db_stmt	*st;
	int		rc;

	memset(r, 0, sizeof(*r));
	if ((st = db_prepare(db, lock ? sql_get_lock : sql_get)) == NULL)
		return (-1);
	db_bind_i64(st, 0, id);
	if (!db_execute(st))
		return (-1);
	if ((rc = db_fetch(st)) == 1) {
		r->id = db_col_i64(st, 0);
		r->owner_id = db_col_i64(st, 1);
		db_col_copy(st, 2, r->status, sizeof(r->status));
		r->version = db_col_i64(st, 3);
		r->form = db_col_dup(st, 4);
		r->receipts = db_col_i64(st, 5);
		db_col_copy(st, 6, r->received_at, sizeof(r->received_at));
		db_col_copy(st, 7, r->receipt_date, sizeof(r->receipt_date));
		db_col_copy(st, 8, r->deadline, sizeof(r->deadline));
		db_col_copy(st, 9, r->online_date, sizeof(r->online_date));
		r->decision = db_col_dup(st, 10);
		db_col_copy(st, 11, r->number, sizeof(r->number));
		db_col_copy(st, 12, r->filed_on, sizeof(r->filed_on));
		db_col_copy(st, 13, r->ended_on, sizeof(r->ended_on));
		db_col_copy(st, 14, r->created_at, sizeof(r->created_at));
		db_col_copy(st, 15, r->updated_at, sizeof(r->updated_at));
		if (r->form == NULL)
			rc = -1;
	}
	db_reset(st);
	return (rc);
}

/* Returns 1 saved, 0 stale version, -1 error. */
int
filing_store_save(struct db *db, int64_t id, int64_t version,
    const char *form, const char *online)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_save)) == NULL)
		return (-1);
	db_bind_str(st, 0, form);
	db_bind_str(st, 1, online);
	db_bind_i64(st, 2, id);
	db_bind_i64(st, 3, version);
	if (!db_execute(st))
		return (-1);
	return (db_affected(st) == 1);
}

/* An approved change's form replaces the filing's. */
int
filing_store_replace_form(struct db *db, int64_t id, const char *form,
    const char *online)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_replace)) == NULL)
		return (0);
	db_bind_str(st, 0, form);
	db_bind_str(st, 1, online);
	db_bind_i64(st, 2, id);
	return (db_execute(st) && db_affected(st) == 1);
}

int
filing_store_list(struct db *db, int64_t owner, json_t *out)
{
	struct db_stmt	*st;
	int		r;

	if ((st = db_prepare(db, sql_list)) == NULL)
		return (0);
	db_bind_i64(st, 0, owner);
	if (!db_execute(st))
		return (0);
	while ((r = db_fetch(st)) == 1) {
		json_array_append_new(out, json_pack("{s:I,s:s,s:I,s:o,s:o,"
		    "s:o,s:s}", "id", (json_int_t)db_col_i64(st, 0),
		    "status", db_col_str(st, 1, NULL),
		    "version", (json_int_t)db_col_i64(st, 2),
		    "platform_name", db_col_jstr(st, 3),
		    "filing_number", db_col_jstr(st, 4),
		    "deadline", db_col_jstr(st, 5),
		    "updated_at", db_col_str(st, 6, NULL)));
	}
	db_reset(st);
	return (r == 0);
}

/*
 * A submission's writes, and the filing's history as they leave it (the
 * answer shows it), in one round trip.
 */
int
filing_store_submitted(struct db *db, const struct filing_submission *s,
    json_t *history)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_submit)) == NULL)
		return (0);
	db_bind_i64(st, 0, s->id);
	db_bind_str(st, 1, s->at);
	db_bind_str(st, 2, s->date);
	db_bind_str(st, 3, s->deadline);
	db_bind_str(st, 4, s->online);
	db_bind_str(st, 5, s->kind);
	db_bind_i64(st, 6, s->actor);
	db_bind_str(st, 7, s->event);
	return (db_execute(st) && filing_history_rows(st, history));
}

int
filing_store_decide(struct db *db, int64_t id, const char *status,
    const char *decision)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_decide)) == NULL)
		return (0);
	db_bind_str(st, 0, status);
	db_bind_str(st, 1, decision);
	db_bind_i64(st, 2, id);
	return (db_execute(st) && db_affected(st) == 1);
}

/*
 * The filing filed with its number, its record put on the register (and
 * the register's version moved), the event's documents and the history
 * entry: what filing_store.c, registry_store.c and notify_store.c write
 * one statement at a time, here in one call, since the caller holds the
 * year's number until its commit.
 */
int
filing_store_filed(struct db *db, const struct filing_filed *f)
{
	const struct registry_publication	*r = f->entry;
	const struct notify_docs		*d = f->docs;
	struct db_stmt				*st;
	int					i, k;

	if (d->n < 1 || d->n > NOTIFY_RECIPIENTS_MAX ||
	    (st = db_prepare(db, sql_filed)) == NULL)
		return (0);
	i = 0;
	db_bind_i64(st, i++, r->id);
	db_bind_str(st, i++, r->number);
	db_bind_str(st, i++, r->filed_on);
	db_bind_str(st, i++, f->at);
	db_bind_str(st, i++, r->name);
	db_bind_str(st, i++, r->host);
	db_bind_str(st, i++, r->sponsor);
	db_bind_str(st, i++, r->record);
	db_bind_str(st, i++, f->ticket->uuid);
	db_bind_i64(st, i++, f->ticket->seq);
	db_bind_str(st, i++, f->event);
	for (k = 0; k < NOTIFY_RECIPIENTS_MAX; k++) {
		db_bind_str(st, i++, k < d->n ? d->recipients[k] : NULL);
		db_bind_str(st, i++, k < d->n ? d->sealed[k] : NULL);
	}
	db_bind_i64(st, i++, f->actor);
	db_bind_str(st, i++, f->history);
	db_bind_str(st, i, f->detail);
	return (db_execute(st));
}

/*
 * The next number of a year's sequence.  The row lock holds until the
 * caller commits, so concurrent approvals queue here and a rolled-back
 * approval gives its number back rather than leaving a hole.  One write
 * takes it, the year's first included: two first approvals of a year
 * would both find no row to lock and collide on inserting one.  On a
 * Galera cluster row locks are each node's own; two nodes that bump the
 * same year conflict at certification, and the loser's whole call runs
 * again (db_again) with the winner's number already taken.
 */
int
filing_store_next_number(struct db *db, int year, uint32_t *seq)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_seq_bump)) == NULL)
		return (0);
	db_bind_i64(st, 0, year);
	if (!db_execute(st))
		return (0);
	*seq = (uint32_t)db_insert_id(st);
	return (*seq > 0);
}

/* A history entry at the database's now; actor 0: the system's. */
int
filing_store_history(struct db *db, int64_t filing, int64_t actor,
    const char *event, const json_t *detail)
{
	struct db_stmt	*st;
	char		*d;
	int		ok;

	if ((st = db_prepare(db, sql_history)) == NULL)
		return (0);
	d = detail != NULL ? json_dumps(detail, JSON_COMPACT) : NULL;
	db_bind_i64(st, 0, filing);
	if (actor > 0)
		db_bind_i64(st, 1, actor);
	else
		db_bind_null(st, 1);
	db_bind_str(st, 2, event);
	db_bind_str(st, 3, d);
	ok = db_execute(st);
	free(d);
	return (ok);
}

int
filing_store_history_list(struct db *db, int64_t filing, json_t *out)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_history_list)) == NULL)
		return (0);
	db_bind_i64(st, 0, filing);
	return (db_execute(st) && filing_history_rows(st, out));
}

/* History rows (at, event, detail) as the view lists them; resets st. */
static int
filing_history_rows(struct db_stmt *st, json_t *out)
{
	json_t		*detail;
	const char	*d;
	int		r;

	while ((r = db_fetch(st)) == 1) {
		d = db_col_str(st, 2, NULL);
		detail = d != NULL ? json_loads(d, 0, NULL) : NULL;
		json_array_append_new(out, json_pack("{s:s,s:s,s:o}",
		    "at", db_col_str(st, 0, NULL),
		    "event", db_col_str(st, 1, NULL),
		    "detail", detail != NULL ? detail : json_null()));
	}
	db_reset(st);
	return (r == 0);
}

int
filing_store_receipt(struct db *db, int64_t filing, const char *kind,
    const char *at, const char *date, const char *deadline, int64_t account)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_receipt)) == NULL)
		return (0);
	db_bind_i64(st, 0, filing);
	db_bind_str(st, 1, kind);
	db_bind_str(st, 2, at);
	db_bind_str(st, 3, date);
	db_bind_str(st, 4, deadline);
	db_bind_i64(st, 5, account);
	return (db_execute(st));
}

int
filing_store_end(struct db *db, int64_t id, const char *status,
    const char *ended_on, const char *decision)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_end)) == NULL)
		return (0);
	db_bind_str(st, 0, status);
	db_bind_str(st, 1, ended_on);
	db_bind_str(st, 2, decision);
	db_bind_i64(st, 3, id);
	return (db_execute(st) && db_affected(st) == 1);
}

/*
 * Deletes receipts older than `before`, but never one younger than six
 * months (regulation 2021, art. 5), whatever `before` says: the cutoff is
 * the earlier of the two.  Reports the cutoff used and the rows removed.
 */
int
filing_store_purge_receipts(struct db *db, const char *before,
    char *cutoff, size_t len, uint64_t *deleted)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_cutoff)) == NULL)
		return (0);
	db_bind_str(st, 0, before);
	if (!db_execute(st) || db_fetch(st) != 1)
		return (0);
	db_col_copy(st, 0, cutoff, len);
	db_reset(st);
	if ((st = db_prepare(db, sql_purge)) == NULL)
		return (0);
	db_bind_str(st, 0, cutoff);
	if (!db_execute(st))
		return (0);
	*deleted = db_affected(st);
	return (1);
}

/* The rows of a pending-case query, grown as they come. */
int
filing_store_pending_push(struct filing_pending **v, size_t *n,
    size_t *cap, struct filing_pending **out)
{
	struct filing_pending	*nv;

	if (*n == *cap) {
		*cap = *cap == 0 ? 16 : *cap * 2;
		if ((nv = reallocarray(*v, *cap, sizeof(**v))) == NULL)
			return (0);
		*v = nv;
	}
	*out = &(*v)[(*n)++];
	memset(*out, 0, sizeof(**out));
	return (1);
}

/* Filings under review without a deadline; *out is the caller's to free. */
int
filing_store_pending(struct db *db, struct filing_pending **out, size_t *n)
{
	struct filing_pending	*p;
	struct db_stmt		*st;
	size_t			cap;
	int			r;

	*out = NULL;
	*n = cap = 0;
	if ((st = db_prepare(db, sql_pending)) == NULL || !db_execute(st))
		return (0);
	while ((r = db_fetch(st)) == 1) {
		if (!filing_store_pending_push(out, n, &cap, &p)) {
			r = -1;
			break;
		}
		p->id = db_col_i64(st, 0);
		p->filing_id = p->id;
		p->receipts = db_col_i64(st, 1);
		db_col_copy(st, 2, p->receipt_date, sizeof(p->receipt_date));
	}
	db_reset(st);
	return (r == 0);
}

/*
 * Stores a pending filing's deadline, on the filing and its receipt.
 * 1 when stored, 0 when the case moved on meanwhile, -1 on an error.
 */
int
filing_store_set_deadline(struct db *db, const struct filing_pending *p)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_set_deadline)) == NULL)
		return (-1);
	db_bind_str(st, 0, p->deadline);
	db_bind_i64(st, 1, p->id);
	db_bind_i64(st, 2, p->receipts);
	if (!db_execute(st))
		return (-1);
	if (db_affected(st) != 1)
		return (0);
	if ((st = db_prepare(db, sql_receipt_deadline)) == NULL)
		return (-1);
	db_bind_str(st, 0, p->deadline);
	db_bind_i64(st, 1, p->id);
	db_bind_i64(st, 2, p->id);
	return (db_execute(st) ? 1 : -1);
}
