/*
 * The SQL of the outbox: sequences per subject, rows per recipient in
 * commit order, the list and health counts for regulators, the pull
 * feed, and the delivery side's claims, leases and results.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/db_json.h"
#include "notify/notify.h"

/*
 * The subject's next number.  The row lock taken here is held to commit,
 * so two events of one subject are numbered in the order they commit.
 */
static const char	*sql_seq_bump =
    "INSERT INTO notify_sequence (subject, subject_id, last)"
    " VALUES (?, ?, LAST_INSERT_ID(1))"
    " ON DUPLICATE KEY UPDATE last = LAST_INSERT_ID(last + 1)";
/*
 * Feed positions follow commit order (schema/008_feed_position.sql).  A
 * row is inserted without one; the sequencer (notify_store_sequence)
 * later gives the committed rows the recipient's next positions, so a
 * position is never handed out before its row has committed and a reader
 * past it can never miss a row that commits late.  The inserting request
 * locks no shared row.
 */
#define SQL_INSERT \
    "INSERT INTO notification (event_id, recipient, subject, subject_id," \
    " seq, event, payload, next_try_at, created_at)" \
    " VALUES (?, ?, ?, ?, ?, ?, ?, NOW(6), NOW(6))"
/* Indexed by the number of recipients, up to NOTIFY_RECIPIENTS_MAX. */
static const char	*sql_insert[] = {
	NULL,
	SQL_INSERT,
	SQL_INSERT ", (?, ?, ?, ?, ?, ?, ?, NOW(6), NOW(6))",
};
/*
 * The sequencer's turn is a write on the recipient's counter, which
 * InnoDB's row lock orders on one node and certification between Galera
 * nodes; it returns the last position through LAST_INSERT_ID.  Rows are
 * numbered in id order: within one subject that is its sequence order,
 * because an event is numbered (notify_sequence) only once the subject's
 * previous event has committed, and so inserted after it.
 */
static const char	*sql_position_turn =
    "UPDATE notify_position SET turn = turn + 1,"
    " last = LAST_INSERT_ID(last) WHERE recipient = ?";
/*
 * The rows are read without locks, then numbered one by one by primary
 * key: a statement that scanned for them with locks would wait for every
 * transaction still inserting rows, the very ones that come later.
 */
/* LIMIT is NOTIFY_SEQUENCE_BATCH. */
static const char	*sql_position_todo =
    "SELECT id FROM notification WHERE recipient = ? AND position IS NULL"
    " ORDER BY id LIMIT 1000";
static const char	*sql_position_assign =
    "UPDATE notification SET position = ? WHERE id = ? AND position IS NULL";
static const char	*sql_position_set =
    "UPDATE notify_position SET last = ? WHERE recipient = ?";
/*
 * blocked_by names the rejected row a pending one waits behind; blocking
 * counts the later events a rejected row holds back.  Both use the
 * (subject, subject_id, recipient, seq) key.  With a status the
 * (status, …) keys find the few rejected rows without reading every delivered one.
 */
#define LIST_COLUMNS \
    "SELECT n.id, n.event_id, n.recipient, n.subject_id, n.seq, n.event," \
    " n.status, n.attempts, n.last_error, n.answer_status, n.answer_body," \
    " DATE_FORMAT(n.next_try_at, '%Y-%m-%dT%H:%i:%sZ')," \
    " DATE_FORMAT(n.delivered_at, '%Y-%m-%dT%H:%i:%sZ')," \
    " DATE_FORMAT(n.rejected_at, '%Y-%m-%dT%H:%i:%sZ')," \
    " DATE_FORMAT(n.created_at, '%Y-%m-%dT%H:%i:%sZ')," \
    " IF(n.status = 'pending', (SELECT b.id FROM notification b" \
    " WHERE b.subject = n.subject AND b.subject_id = n.subject_id" \
    " AND b.recipient = n.recipient" \
    " AND b.status = 'rejected' AND b.seq < n.seq ORDER BY b.seq LIMIT 1)," \
    " NULL)," \
    " IF(n.status = 'rejected', (SELECT COUNT(*) FROM notification h" \
    " WHERE h.subject = n.subject AND h.subject_id = n.subject_id" \
    " AND h.recipient = n.recipient" \
    " AND h.status = 'pending' AND h.seq > n.seq), 0), n.subject"
static const char	*sql_list =
    LIST_COLUMNS " FROM notification n ORDER BY n.id DESC LIMIT 500";
static const char	*sql_list_status =
    LIST_COLUMNS " FROM notification n WHERE n.status = ?"
    " ORDER BY n.id DESC LIMIT 500";
static const char	*sql_retry_get =
    "SELECT status FROM notification WHERE id = ? FOR UPDATE";
static const char	*sql_retry =
    "UPDATE notification SET status = 'pending', next_try_at = NOW(6),"
    " rejected_at = NULL WHERE id = ? AND status IN ('pending', 'rejected')";
/* Counts stop at 10,000, so that a large backlog costs no more. */
static const char	*sql_health =
    "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM notification"
    " WHERE status = 'rejected' LIMIT 10000) r),"
    " (SELECT COUNT(*) FROM (SELECT 1 FROM notification"
    " WHERE status = 'pending' AND created_at < NOW(6) - INTERVAL ? SECOND"
    " LIMIT 10000) s)";
/* Pages by position, never by id: see sql_insert. */
static const char	*sql_feed =
    "SELECT position, event_id, subject_id, seq, event, payload,"
    " DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ'), subject"
    " FROM notification WHERE recipient = ? AND position > ?"
    " ORDER BY position LIMIT ?";

/* The next number in a subject's sequence of events. */
int
notify_store_seq(struct db *db, const char *subject, int64_t id,
    int64_t *seq)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_seq_bump)) == NULL)
		return (0);
	db_bind_str(st, 0, subject);
	db_bind_i64(st, 1, id);
	if (!db_execute(st))
		return (0);
	*seq = (int64_t)db_insert_id(st);
	return (*seq > 0);
}

/*
 * One event's rows, one per recipient with its payload, in one
 * statement.  A subject is a type ("filing", "audit", ...) and an id
 * within it.  Runs in the caller's transaction; the rows have no feed
 * position yet.
 */
int
notify_store_insert(struct db *db, const char *event_id,
    const char *const *recipients, int n, const char *subject, int64_t id,
    int64_t seq, const char *event, const char *const *payloads)
{
	struct db_stmt	*st;
	int		i, k;

	if (n < 1 || n > NOTIFY_RECIPIENTS_MAX ||
	    (st = db_prepare(db, sql_insert[n])) == NULL)
		return (0);
	for (i = 0, k = 0; i < n; i++) {
		db_bind_str(st, k++, event_id);
		db_bind_str(st, k++, recipients[i]);
		db_bind_str(st, k++, subject);
		db_bind_i64(st, k++, id);
		db_bind_i64(st, k++, seq);
		db_bind_str(st, k++, event);
		db_bind_str(st, k++, payloads[i]);
	}
	return (db_execute(st) && db_affected(st) == (uint64_t)n);
}

/*
 * Gives a recipient's committed rows without a position the next ones,
 * up to 1000, in the caller's transaction; the counter's row stays
 * locked until it ends.  Returns how many rows, or -1.
 */
int
notify_store_sequence(struct db *db, const char *recipient)
{
	struct db_stmt	*st, *q;
	int64_t		last, n;
	int		r;

	if ((st = db_prepare(db, sql_position_turn)) == NULL)
		return (-1);
	db_bind_str(st, 0, recipient);
	if (!db_execute(st) || db_affected(st) != 1)
		return (-1);
	last = (int64_t)db_insert_id(st);
	if ((q = db_prepare(db, sql_position_todo)) == NULL)
		return (-1);
	db_bind_str(q, 0, recipient);
	if (!db_execute(q))
		return (-1);
	n = 0;
	while ((r = db_fetch(q)) == 1) {
		if ((st = db_prepare(db, sql_position_assign)) == NULL)
			break;
		db_bind_i64(st, 0, last + n + 1);
		db_bind_i64(st, 1, db_col_i64(q, 0));
		/* 0 rows: another sequencer numbered it; ours rolls back. */
		if (!db_execute(st) || db_affected(st) != 1)
			break;
		n++;
	}
	db_reset(q);
	if (r != 0)
		return (-1);
	if (n == 0)
		return (0);
	if ((st = db_prepare(db, sql_position_set)) == NULL)
		return (-1);
	db_bind_i64(st, 0, last + n);
	db_bind_str(st, 1, recipient);
	if (!db_execute(st))
		return (-1);
	return ((int)n);
}

/*
 * A row's subject in answers: "subject" and "subject_id", and, as the API
 * has always said, "filing_id" (null when the subject is not a filing).
 */
static void
notify_subject_json(json_t *row, const char *subject, int64_t id)
{
	json_object_set_new(row, "subject", json_string(subject));
	json_object_set_new(row, "subject_id", json_integer((json_int_t)id));
	json_object_set_new(row, "filing_id", strcmp(subject, "filing") == 0 ?
	    json_integer((json_int_t)id) : json_null());
}

/* The newest 500 rows; answers stay sealed for the caller to open. */
int
notify_store_list(struct db *db, const char *status, json_t *out)
{
	struct db_stmt	*st;
	json_t		*row, *blocked;
	int		r;

	if ((st = db_prepare(db, status != NULL ? sql_list_status :
	    sql_list)) == NULL)
		return (0);
	if (status != NULL)
		db_bind_str(st, 0, status);
	if (!db_execute(st))
		return (0);
	while ((r = db_fetch(st)) == 1) {
		blocked = db_col_null(st, 15) ? json_null() :
		    json_integer((json_int_t)db_col_i64(st, 15));
		row = json_pack("{s:I,s:s,s:s,s:I,s:s,s:s,s:I,s:o,s:o,"
		    "s:o,s:o,s:o,s:o,s:s,s:o,s:I}",
		    "id", (json_int_t)db_col_i64(st, 0),
		    "event_id", db_col_str(st, 1, NULL),
		    "recipient", db_col_str(st, 2, NULL),
		    "sequence", (json_int_t)db_col_i64(st, 4),
		    "event", db_col_str(st, 5, NULL),
		    "status", db_col_str(st, 6, NULL),
		    "attempts", (json_int_t)db_col_i64(st, 7),
		    "last_error", db_col_jstr(st, 8),
		    "answer_status", db_col_null(st, 9) ? json_null() :
		    json_integer((json_int_t)db_col_i64(st, 9)),
		    "answer", db_col_jstr(st, 10),
		    "next_try_at", db_col_jstr(st, 11),
		    "delivered_at", db_col_jstr(st, 12),
		    "rejected_at", db_col_jstr(st, 13),
		    "created_at", db_col_str(st, 14, NULL),
		    "blocked_by", blocked,
		    "blocking", (json_int_t)db_col_i64(st, 16));
		if (row == NULL)
			break;
		notify_subject_json(row, db_col_str(st, 17, NULL),
		    db_col_i64(st, 3));
		json_array_append_new(out, row);
	}
	db_reset(st);
	return (r == 0);
}

/*
 * Makes a pending or rejected row due now, keeping its event id and
 * sequence (the receiver drops a copy by event id).  Returns 1 with the
 * row's status before (nothing changes for "delivered"), 0 when there is
 * no such row, -1 on error.  Runs in the caller's transaction.
 */
int
notify_store_retry(struct db *db, int64_t id, char *before, size_t len)
{
	struct db_stmt	*st;
	int		r;

	if ((st = db_prepare(db, sql_retry_get)) == NULL)
		return (-1);
	db_bind_i64(st, 0, id);
	if (!db_execute(st) || (r = db_fetch(st)) < 0)
		return (-1);
	if (r == 1)
		db_col_copy(st, 0, before, len);
	db_reset(st);
	if (r == 0 || strcmp(before, "delivered") == 0)
		return (r);
	if ((st = db_prepare(db, sql_retry)) == NULL)
		return (-1);
	db_bind_i64(st, 0, id);
	if (!db_execute(st))
		return (-1);
	return (1);
}

/* Rows a person must act on, and pending rows older than stale seconds. */
int
notify_store_health(struct db *db, int stale, int64_t *rejected,
    int64_t *old)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_health)) == NULL)
		return (0);
	db_bind_i64(st, 0, stale);
	if (!db_execute(st) || db_fetch(st) != 1)
		return (0);
	*rejected = db_col_i64(st, 0);
	*old = db_col_i64(st, 1);
	db_reset(st);
	return (1);
}

/* Rows of one recipient after a cursor, in order; payloads still sealed. */
int
notify_store_feed(struct db *db, const char *recipient, int64_t after,
    int limit, json_t *out)
{
	struct db_stmt	*st;
	json_t		*row;
	int		r;

	if ((st = db_prepare(db, sql_feed)) == NULL)
		return (0);
	db_bind_str(st, 0, recipient);
	db_bind_i64(st, 1, after);
	db_bind_i64(st, 2, limit);
	if (!db_execute(st))
		return (0);
	while ((r = db_fetch(st)) == 1) {
		row = json_pack("{s:I,s:s,s:I,s:s,s:s,s:s}",
		    "cursor", (json_int_t)db_col_i64(st, 0),
		    "event_id", db_col_str(st, 1, NULL),
		    "sequence", (json_int_t)db_col_i64(st, 3),
		    "event", db_col_str(st, 4, NULL),
		    "payload", db_col_str(st, 5, NULL),
		    "created_at", db_col_str(st, 6, NULL));
		if (row == NULL)
			break;
		notify_subject_json(row, db_col_str(st, 7, NULL),
		    db_col_i64(st, 2));
		json_array_append_new(out, row);
	}
	db_reset(st);
	return (r == 0);
}

/*
 * Delivery side (vcpnotifyd).  A batch of rows is claimed by one UPDATE
 * that sets a lease (a token naming the daemon and the batch) on rows
 * whose lease is free: the write decides, through InnoDB's row locks on
 * one node and certification between Galera nodes, so two daemons never
 * hold one row at once; no locking read is involved.  A row waits while
 * an earlier event of the same subject for the same recipient is still
 * pending or was rejected, so a batch holds at most one row per subject
 * and recipient, its sends may run at once, and each ministry sees one
 * subject's events in order and none after a gap.
 */
/*
 * The claim names its keys (schema/020_notification_claim.sql): the
 * optimizer would rather read the primary key in order from the oldest
 * delivered event, and on a freshly filled table (statistics not yet
 * recalculated) it may scan for the earlier events too.
 */
static const char	*sql_claim =
    "UPDATE notification n FORCE INDEX (notification_claim)"
    " SET n.lease_owner = ?,"
    " n.lease_until = NOW(6) + INTERVAL ? SECOND"
    " WHERE n.status = 'pending' AND n.next_try_at <= NOW(6)"
    " AND (n.lease_until IS NULL OR n.lease_until < NOW(6))"
    " AND NOT EXISTS (SELECT 1 FROM notification p"
    " FORCE INDEX (notification_order)"
    " WHERE p.subject = n.subject AND p.subject_id = n.subject_id"
    " AND p.recipient = n.recipient"
    " AND p.status IN ('pending', 'rejected') AND p.seq < n.seq)"
    " ORDER BY n.id LIMIT ?";
static const char	*sql_claimed =
    "SELECT id, recipient, event_id, seq, attempts, payload"
    " FROM notification WHERE lease_owner = ? ORDER BY id";
/* Every row still under the batch's lease was answered with a 2xx. */
static const char	*sql_delivered =
    "UPDATE notification SET status = 'delivered', delivered_at = NOW(6),"
    " delivered_by = ?, attempts = attempts + 1,"
    " last_error = NULL, answer_status = NULL, answer_body = NULL,"
    " lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?";
static const char	*sql_release =
    "UPDATE notification SET lease_owner = NULL, lease_until = NULL"
    " WHERE id = ? AND lease_owner = ?";
static const char	*sql_renew =
    "UPDATE notification SET lease_until = NOW(6) + INTERVAL ? SECOND"
    " WHERE lease_owner = ?";
static const char	*sql_release_all =
    "UPDATE notification SET lease_owner = NULL, lease_until = NULL"
    " WHERE lease_owner = ?";
static const char	*sql_failed =
    "UPDATE notification SET attempts = attempts + 1, last_error = ?,"
    " answer_status = ?, answer_body = ?,"
    " next_try_at = NOW(6) + INTERVAL ? MICROSECOND, lease_owner = NULL,"
    " lease_until = NULL WHERE id = ? AND lease_owner = ?";
static const char	*sql_rejected =
    "UPDATE notification SET status = 'rejected', rejected_at = NOW(6),"
    " attempts = attempts + 1, last_error = ?, answer_status = ?,"
    " answer_body = ?, lease_owner = NULL, lease_until = NULL"
    " WHERE id = ? AND lease_owner = ?";

/* Leases up to max due rows to token, in its own transaction; n or -1. */
int
notify_store_claim(struct db *db, const char *token, int lease, int max)
{
	struct db_stmt	*st;
	int64_t		n;

	if (!db_begin(db))
		return (-1);
	if ((st = db_prepare(db, sql_claim)) == NULL)
		goto fail;
	db_bind_str(st, 0, token);
	db_bind_i64(st, 1, lease);
	db_bind_i64(st, 2, max);
	if (!db_execute(st))
		goto fail;
	n = (int64_t)db_affected(st);
	if (!db_commit(db))
		goto fail;
	return ((int)n);
fail:
	(void)db_rollback(db);
	return (-1);
}

/*
 * The rows under token's lease, in id order, up to max: each with its
 * sealed payload (malloc'd).  Returns how many, or -1.
 */
int
notify_store_claimed(struct db *db, const char *token,
    struct notify_claim *rows, int max)
{
	struct db_stmt	*st;
	int		n, r;

	if ((st = db_prepare(db, sql_claimed)) == NULL)
		return (-1);
	db_bind_str(st, 0, token);
	if (!db_execute(st))
		return (-1);
	n = 0;
	while (n < max && (r = db_fetch(st)) == 1) {
		rows[n].id = db_col_i64(st, 0);
		db_col_copy(st, 1, rows[n].recipient,
		    sizeof(rows[n].recipient));
		db_col_copy(st, 2, rows[n].event_id, sizeof(rows[n].event_id));
		rows[n].seq = db_col_i64(st, 3);
		rows[n].attempts = db_col_i64(st, 4);
		if ((rows[n].payload = db_col_dup(st, 5)) == NULL)
			break;
		n++;
	}
	db_reset(st);
	return (n);
}

/* Gives a claimed row back untried (its lease ends now). */
int
notify_store_release(struct db *db, int64_t id, const char *token)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_release)) == NULL)
		return (0);
	db_bind_i64(st, 0, id);
	db_bind_str(st, 1, token);
	return (db_execute(st));
}

/*
 * Starts token's lease again from now, on the rows it still holds, in
 * its own statement: a batch that is still being sent or recorded keeps
 * its rows from the other daemons.
 */
int
notify_store_renew(struct db *db, const char *token, int lease)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_renew)) == NULL)
		return (0);
	db_bind_i64(st, 0, lease);
	db_bind_str(st, 1, token);
	return (db_execute(st));
}

/* Gives every row of a batch back untried, in its own statement. */
int
notify_store_release_all(struct db *db, const char *token)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_release_all)) == NULL)
		return (0);
	db_bind_str(st, 0, token);
	return (db_execute(st));
}

/*
 * Marks every row still under token's lease delivered by owner: the
 * caller has recorded, released or lost every other row of the batch.
 */
int
notify_store_delivered(struct db *db, const char *token, const char *owner)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_delivered)) == NULL)
		return (0);
	db_bind_str(st, 0, owner);
	db_bind_str(st, 1, token);
	return (db_execute(st));
}

/*
 * A try that did not succeed.  status is the receiver's HTTP status (0:
 * no answer) and answer its sealed body or NULL.  A permanent refusal
 * makes the row rejected; anything else is tried again after delay_us.
 */
int
notify_store_failed(struct db *db, int64_t id, const char *token,
    const char *error, long status, const char *answer, int permanent,
    int64_t delay_us)
{
	struct db_stmt	*st;
	int		i;

	if ((st = db_prepare(db, permanent ? sql_rejected : sql_failed)) ==
	    NULL)
		return (0);
	i = 0;
	db_bind_str(st, i++, error);
	if (status > 0)
		db_bind_i64(st, i++, status);
	else
		db_bind_null(st, i++);
	db_bind_str(st, i++, answer);
	if (!permanent)
		db_bind_i64(st, i++, delay_us);
	db_bind_i64(st, i++, id);
	db_bind_str(st, i, token);
	return (db_execute(st));
}
