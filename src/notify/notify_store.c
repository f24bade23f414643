#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/db_json.h"
#include "notify/notify.h"

static const char	*sql_seq_bump =
    "UPDATE filing SET event_seq = event_seq + 1 WHERE id = ?";
static const char	*sql_seq_get =
    "SELECT event_seq FROM filing WHERE id = ?";
static const char	*sql_insert =
    "INSERT INTO notification (event_id, recipient, subject, filing_id,"
    " seq, event, payload, next_try_at, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, NOW(6), NOW(6))";
static const char	*sql_list =
    "SELECT id, event_id, recipient, filing_id, seq, event, status,"
    " attempts, last_error,"
    " DATE_FORMAT(next_try_at, '%Y-%m-%dT%H:%i:%sZ'),"
    " DATE_FORMAT(delivered_at, '%Y-%m-%dT%H:%i:%sZ'),"
    " DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ'), subject"
    " FROM notification WHERE (? IS NULL OR status = ?)"
    " ORDER BY id DESC LIMIT 500";
static const char	*sql_retry =
    "UPDATE notification SET next_try_at = NOW(6)"
    " WHERE id = ? AND status = 'pending'";
static const char	*sql_feed =
    "SELECT id, event_id, filing_id, seq, event, payload,"
    " DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ'), subject"
    " FROM notification WHERE recipient = ? AND id > ?"
    " ORDER BY id LIMIT ?";

/* The filing's next event number; the caller holds the filing's row lock. */
int
notify_store_seq(struct db *db, int64_t filing, int64_t *seq)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_seq_bump)) == NULL)
		return (0);
	db_bind_i64(st, 0, filing);
	if (!db_execute(st))
		return (0);
	if ((st = db_prepare(db, sql_seq_get)) == NULL)
		return (0);
	db_bind_i64(st, 0, filing);
	if (!db_execute(st) || db_fetch(st) != 1)
		return (0);
	*seq = db_col_i64(st, 0);
	db_reset(st);
	return (1);
}

/* subject: "filing" (id is the filing's) or "audit" (id 0). */
int
notify_store_insert(struct db *db, const char *event_id,
    const char *recipient, const char *subject, int64_t id, int64_t seq,
    const char *event, const char *payload)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_insert)) == NULL)
		return (0);
	db_bind_str(st, 0, event_id);
	db_bind_str(st, 1, recipient);
	db_bind_str(st, 2, subject);
	db_bind_i64(st, 3, id);
	db_bind_i64(st, 4, seq);
	db_bind_str(st, 5, event);
	db_bind_str(st, 6, payload);
	return (db_execute(st));
}

int
notify_store_list(struct db *db, const char *status, json_t *out)
{
	struct db_stmt	*st;
	int		r;

	if ((st = db_prepare(db, sql_list)) == NULL)
		return (0);
	db_bind_str(st, 0, status);
	db_bind_str(st, 1, status);
	if (!db_execute(st))
		return (0);
	while ((r = db_fetch(st)) == 1) {
		json_array_append_new(out, json_pack("{s:I,s:s,s:s,s:I,s:I,"
		    "s:s,s:s,s:I,s:o,s:o,s:o,s:s,s:s}",
		    "id", (json_int_t)db_col_i64(st, 0),
		    "event_id", db_col_str(st, 1, NULL),
		    "recipient", db_col_str(st, 2, NULL),
		    "filing_id", (json_int_t)db_col_i64(st, 3),
		    "sequence", (json_int_t)db_col_i64(st, 4),
		    "event", db_col_str(st, 5, NULL),
		    "status", db_col_str(st, 6, NULL),
		    "attempts", (json_int_t)db_col_i64(st, 7),
		    "last_error", db_col_jstr(st, 8),
		    "next_try_at", db_col_jstr(st, 9),
		    "delivered_at", db_col_jstr(st, 10),
		    "created_at", db_col_str(st, 11, NULL),
		    "subject", db_col_str(st, 12, NULL)));
	}
	db_reset(st);
	return (r == 0);
}

/* Returns 1 when a pending row was moved to now, 0 when none, -1 error. */
int
notify_store_retry(struct db *db, int64_t id)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_retry)) == NULL)
		return (-1);
	db_bind_i64(st, 0, id);
	if (!db_execute(st))
		return (-1);
	return (db_affected(st) == 1);
}

/* Rows of one recipient after a cursor, in order; payloads still sealed. */
int
notify_store_feed(struct db *db, const char *recipient, int64_t after,
    int limit, json_t *out)
{
	struct db_stmt	*st;
	int		r;

	if ((st = db_prepare(db, sql_feed)) == NULL)
		return (0);
	db_bind_str(st, 0, recipient);
	db_bind_i64(st, 1, after);
	db_bind_i64(st, 2, limit);
	if (!db_execute(st))
		return (0);
	while ((r = db_fetch(st)) == 1) {
		json_array_append_new(out, json_pack("{s:I,s:s,s:I,s:I,s:s,"
		    "s:s,s:s,s:s}", "cursor", (json_int_t)db_col_i64(st, 0),
		    "event_id", db_col_str(st, 1, NULL),
		    "filing_id", (json_int_t)db_col_i64(st, 2),
		    "sequence", (json_int_t)db_col_i64(st, 3),
		    "event", db_col_str(st, 4, NULL),
		    "payload", db_col_str(st, 5, NULL),
		    "created_at", db_col_str(st, 6, NULL),
		    "subject", db_col_str(st, 7, NULL)));
	}
	db_reset(st);
	return (r == 0);
}

/*
 * Delivery side (vcpnotifyd).  A row is claimed with a lease: rows that
 * another daemon has locked are skipped (SKIP LOCKED), rows under a live
 * lease are left alone, and a row waits while an earlier event of the
 * same filing for the same recipient is still pending, so each ministry
 * sees one filing's events in order.
 */
static const char	*sql_claim =
    "SELECT n.id FROM notification n WHERE n.status = 'pending'"
    " AND n.next_try_at <= NOW(6)"
    " AND (n.lease_until IS NULL OR n.lease_until < NOW(6))"
    " AND NOT EXISTS (SELECT 1 FROM notification p"
    " WHERE p.subject = n.subject AND p.filing_id = n.filing_id"
    " AND p.recipient = n.recipient"
    " AND p.status = 'pending' AND p.seq < n.seq)"
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
    " last_error = NULL, lease_owner = NULL, lease_until = NULL"
    " WHERE id = ? AND lease_owner = ?";
static const char	*sql_failed =
    "UPDATE notification SET attempts = attempts + 1, last_error = ?,"
    " next_try_at = NOW(6) + INTERVAL ? MICROSECOND, lease_owner = NULL,"
    " lease_until = NULL WHERE id = ? AND lease_owner = ?";
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

int
notify_store_failed(struct db *db, int64_t id, const char *owner,
    const char *error, int64_t delay_us)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_failed)) == NULL)
		return (0);
	db_bind_str(st, 0, error);
	db_bind_i64(st, 1, delay_us);
	db_bind_i64(st, 2, id);
	db_bind_str(st, 3, owner);
	return (db_execute(st));
}
