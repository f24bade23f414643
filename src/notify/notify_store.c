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
 * Feed positions follow commit order (schema/008_feed_position.sql): the
 * recipient's counter row stays locked until the inserting transaction
 * ends, so no later transaction can take a higher position and commit
 * first.  The audit head is locked before it: audit checkpoints lock the
 * head and then insert events, and every audited request locks the head
 * before it commits, so taking it first keeps one lock order (head,
 * then mps, then cac) and costs no concurrency that the head does not
 * already take.
 */
static const char	*sql_order_lock =
    "SELECT id FROM audit_head WHERE id = 1 FOR UPDATE";
static const char	*sql_position_bump =
    "UPDATE notify_position SET last = last + 1 WHERE recipient = ?";
static const char	*sql_insert =
    "INSERT INTO notification (event_id, recipient, position, subject,"
    " subject_id, seq, event, payload, next_try_at, created_at)"
    " SELECT ?, recipient, last, ?, ?, ?, ?, ?, NOW(6), NOW(6)"
    " FROM notify_position WHERE recipient = ?";
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
 * A subject is a type ("filing", "audit", ...) and an id within it.  Runs
 * in the caller's transaction and holds the recipient's position until
 * it ends.
 */
int
notify_store_insert(struct db *db, const char *event_id,
    const char *recipient, const char *subject, int64_t id, int64_t seq,
    const char *event, const char *payload)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_order_lock)) == NULL ||
	    !db_execute(st) || db_fetch(st) != 1)
		return (0);
	db_reset(st);
	if ((st = db_prepare(db, sql_position_bump)) == NULL)
		return (0);
	db_bind_str(st, 0, recipient);
	if (!db_execute(st) || db_affected(st) != 1)
		return (0);
	if ((st = db_prepare(db, sql_insert)) == NULL)
		return (0);
	db_bind_str(st, 0, event_id);
	db_bind_str(st, 1, subject);
	db_bind_i64(st, 2, id);
	db_bind_i64(st, 3, seq);
	db_bind_str(st, 4, event);
	db_bind_str(st, 5, payload);
	db_bind_str(st, 6, recipient);
	return (db_execute(st) && db_affected(st) == 1);
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
 * Delivery side (vcpnotifyd).  A row is claimed with a lease: rows that
 * another daemon has locked are skipped (SKIP LOCKED), rows under a live
 * lease are left alone, and a row waits while an earlier event of the
 * same filing for the same recipient is still pending or was rejected,
 * so each ministry sees one filing's events in order and none after a
 * gap.
 */
static const char	*sql_claim =
    "SELECT n.id FROM notification n WHERE n.status = 'pending'"
    " AND n.next_try_at <= NOW(6)"
    " AND (n.lease_until IS NULL OR n.lease_until < NOW(6))"
    " AND NOT EXISTS (SELECT 1 FROM notification p"
    " WHERE p.subject = n.subject AND p.subject_id = n.subject_id"
    " AND p.recipient = n.recipient"
    " AND p.status IN ('pending', 'rejected') AND p.seq < n.seq)"
    " ORDER BY n.id LIMIT ? FOR UPDATE SKIP LOCKED";
static const char	*sql_lease =
    "UPDATE notification SET lease_owner = ?,"
    " lease_until = NOW(6) + INTERVAL ? SECOND WHERE id = ?";
static const char	*sql_load =
    "SELECT recipient, event_id, seq, payload FROM notification"
    " WHERE id = ? AND lease_owner = ?";
static const char	*sql_delivered =
    "UPDATE notification SET status = 'delivered', delivered_at = NOW(6),"
    " delivered_by = lease_owner, attempts = attempts + 1,"
    " last_error = NULL, answer_status = NULL, answer_body = NULL,"
    " lease_owner = NULL, lease_until = NULL"
    " WHERE id = ? AND lease_owner = ?";
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
static const char	*sql_attempts =
    "SELECT attempts FROM notification WHERE id = ?";

/* Claims up to max rows for owner; returns how many, or -1. */
int
notify_store_claim(struct db *db, const char *owner, int lease, int max,
    int64_t *ids)
{
	struct db_stmt	*st;
	int		n, i;

	if (!db_begin(db))
		return (-1);
	if ((st = db_prepare(db, sql_claim)) == NULL)
		goto fail;
	db_bind_i64(st, 0, max);
	if (!db_execute(st))
		goto fail;
	n = 0;
	while (n < max && db_fetch(st) == 1)
		ids[n++] = db_col_i64(st, 0);
	db_reset(st);
	for (i = 0; i < n; i++) {
		if ((st = db_prepare(db, sql_lease)) == NULL)
			goto fail;
		db_bind_str(st, 0, owner);
		db_bind_i64(st, 1, lease);
		db_bind_i64(st, 2, ids[i]);
		if (!db_execute(st))
			goto fail;
	}
	if (!db_commit(db))
		goto fail;
	return (n);
fail:
	(void)db_rollback(db);
	return (-1);
}

/* Returns 1 with the sealed payload (malloc'd), 0 lease lost, -1 error. */
int
notify_store_load(struct db *db, int64_t id, const char *owner,
    char *recipient, size_t rlen, char *event_id, size_t elen,
    int64_t *seq, char **payload)
{
	struct db_stmt	*st;
	int		r;

	*payload = NULL;
	if ((st = db_prepare(db, sql_load)) == NULL)
		return (-1);
	db_bind_i64(st, 0, id);
	db_bind_str(st, 1, owner);
	if (!db_execute(st))
		return (-1);
	if ((r = db_fetch(st)) == 1) {
		(void)snprintf(recipient, rlen, "%s", db_col_str(st, 0, NULL));
		(void)snprintf(event_id, elen, "%s", db_col_str(st, 1, NULL));
		*seq = db_col_i64(st, 2);
		if ((*payload = strdup(db_col_str(st, 3, NULL))) == NULL)
			r = -1;
	}
	db_reset(st);
	return (r);
}

int
notify_store_delivered(struct db *db, int64_t id, const char *owner)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_delivered)) == NULL)
		return (0);
	db_bind_i64(st, 0, id);
	db_bind_str(st, 1, owner);
	return (db_execute(st));
}

int
notify_store_attempts(struct db *db, int64_t id, int64_t *attempts)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_attempts)) == NULL)
		return (0);
	db_bind_i64(st, 0, id);
	if (!db_execute(st) || db_fetch(st) != 1)
		return (0);
	*attempts = db_col_i64(st, 0);
	db_reset(st);
	return (1);
}

/*
 * A try that did not succeed.  status is the receiver's HTTP status (0:
 * no answer) and answer its sealed body or NULL.  A permanent refusal
 * makes the row rejected; anything else is tried again after delay_us.
 */
int
notify_store_failed(struct db *db, int64_t id, const char *owner,
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
	db_bind_str(st, i, owner);
	return (db_execute(st));
}
