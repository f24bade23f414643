/*
 * The audit chain.  Row n's hash is SHA-256 over row n's fields, each
 * written as a netstring so no field can bleed into the next, followed by
 * row n-1's hash.  Changing, inserting or deleting any row breaks every
 * later link, and audit_head pins the tip so truncation is seen too.
 *
 * The application's database user may only INSERT into audit_log; the
 * chain is what catches someone with more rights than that.
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "crypto/crypto.h"
#include "db/db.h"

#define AUDIT_CANON_MAX		1024

static const char	*sql_head_lock =
    "SELECT last_id, HEX(last_hash) FROM audit_head WHERE id = 1 FOR UPDATE";
static const char	*sql_insert =
    "INSERT INTO audit_log (id, at, actor_id, actor_role, action, object,"
    " outcome, status, client, prev_hash, hash)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char	*sql_head_set =
    "UPDATE audit_head SET last_id = ?, last_hash = ? WHERE id = 1";
static const char	*sql_walk =
    "SELECT id, DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f'), actor_id,"
    " actor_role, action, object, outcome, status, client,"
    " HEX(prev_hash), HEX(hash) FROM audit_log WHERE id > ?"
    " ORDER BY id LIMIT 1000";
static const char	*sql_head =
    "SELECT last_id, HEX(last_hash) FROM audit_head WHERE id = 1";

static void
audit_field(char *buf, size_t *off, const char *s)
{
	int	n;

	if (s == NULL)
		s = "";
	n = snprintf(buf + *off, AUDIT_CANON_MAX - *off, "%zu:%s,",
	    strlen(s), s);
	if (n > 0)
		*off += (size_t)n;
	if (*off >= AUDIT_CANON_MAX)
		*off = AUDIT_CANON_MAX - 1;
}

static void
audit_hash(uint64_t id, const char *at, const struct audit_entry *e,
    const uint8_t prev[CRYPTO_SHA256_LEN], uint8_t out[CRYPTO_SHA256_LEN])
{
	char		buf[AUDIT_CANON_MAX + CRYPTO_SHA256_LEN];
	char		num[32], actor[32], status[16];
	size_t		off;

	(void)snprintf(num, sizeof(num), "%" PRIu64, id);
	(void)snprintf(actor, sizeof(actor), "%" PRId64, e->actor_id);
	(void)snprintf(status, sizeof(status), "%d", e->status);
	off = 0;
	audit_field(buf, &off, num);
	audit_field(buf, &off, at);
	audit_field(buf, &off, actor);
	audit_field(buf, &off, e->actor_role);
	audit_field(buf, &off, e->action);
	audit_field(buf, &off, e->object);
	audit_field(buf, &off, e->outcome);
	audit_field(buf, &off, status);
	audit_field(buf, &off, e->client);
	memcpy(buf + off, prev, CRYPTO_SHA256_LEN);
	crypto_sha256(buf, off + CRYPTO_SHA256_LEN, out);
}

static void
audit_now(char *buf, size_t len)
{
	struct timespec	ts;
	struct tm	tm;

	(void)clock_gettime(CLOCK_REALTIME, &ts);
	(void)gmtime_r(&ts.tv_sec, &tm);
	(void)snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d.%06ld",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000);
}

/* Runs inside the caller's transaction, as its last statement. */
int
audit_append(struct db *db, const struct audit_entry *e)
{
	struct db_stmt	*st;
	uint8_t		prev[CRYPTO_SHA256_LEN], hash[CRYPTO_SHA256_LEN];
	char		at[96];
	const char	*hex;
	size_t		hexlen;
	uint64_t	id;

	if ((st = db_prepare(db, sql_head_lock)) == NULL ||
	    !db_execute(st) || db_fetch(st) != 1)
		return (0);
	id = (uint64_t)db_col_i64(st, 0) + 1;
	hex = db_col_str(st, 1, &hexlen);
	if (hex == NULL || !crypto_unhex(hex, hexlen, prev, sizeof(prev)))
		return (0);
	db_reset(st);

	audit_now(at, sizeof(at));
	audit_hash(id, at, e, prev, hash);

	if ((st = db_prepare(db, sql_insert)) == NULL)
		return (0);
	db_bind_i64(st, 0, (int64_t)id);
	db_bind_str(st, 1, at);
	if (e->actor_id > 0)
		db_bind_i64(st, 2, e->actor_id);
	else
		db_bind_null(st, 2);
	db_bind_str(st, 3, e->actor_role);
	db_bind_str(st, 4, e->action);
	db_bind_str(st, 5, e->object != NULL ? e->object : "");
	db_bind_str(st, 6, e->outcome);
	db_bind_i64(st, 7, e->status);
	db_bind_str(st, 8, e->client != NULL ? e->client : "");
	db_bind_blob(st, 9, prev, sizeof(prev));
	db_bind_blob(st, 10, hash, sizeof(hash));
	if (!db_execute(st))
		return (0);

	if ((st = db_prepare(db, sql_head_set)) == NULL)
		return (0);
	db_bind_i64(st, 0, (int64_t)id);
	db_bind_blob(st, 1, hash, sizeof(hash));
	return (db_execute(st) && db_affected(st) == 1);
}

static int
audit_check_row(struct db_stmt *st, uint64_t expect_id, uint8_t prev[32],
    char *report, size_t len)
{
	struct audit_entry	e;
	uint8_t			stored_prev[32], stored[32], calc[32];
	const char		*at, *hp, *hh;
	size_t			lp, lh;
	uint64_t		id;

	id = (uint64_t)db_col_i64(st, 0);
	if (id != expect_id) {
		(void)snprintf(report, len, "row %" PRIu64 " missing "
		    "(next row is %" PRIu64 ")", expect_id, id);
		return (0);
	}
	at = db_col_str(st, 1, NULL);
	memset(&e, 0, sizeof(e));
	e.actor_id = db_col_i64(st, 2);
	e.actor_role = db_col_str(st, 3, NULL);
	e.action = db_col_str(st, 4, NULL);
	e.object = db_col_str(st, 5, NULL);
	e.outcome = db_col_str(st, 6, NULL);
	e.status = (int)db_col_i64(st, 7);
	e.client = db_col_str(st, 8, NULL);
	hp = db_col_str(st, 9, &lp);
	hh = db_col_str(st, 10, &lh);
	if (at == NULL || hp == NULL || hh == NULL ||
	    !crypto_unhex(hp, lp, stored_prev, 32) ||
	    !crypto_unhex(hh, lh, stored, 32)) {
		(void)snprintf(report, len, "row %" PRIu64 " unreadable", id);
		return (0);
	}
	if (!crypto_equal(stored_prev, prev, 32)) {
		(void)snprintf(report, len, "row %" PRIu64 " does not link "
		    "to row %" PRIu64, id, id - 1);
		return (0);
	}
	audit_hash(id, at, &e, prev, calc);
	if (!crypto_equal(calc, stored, 32)) {
		(void)snprintf(report, len, "row %" PRIu64 " was altered", id);
		return (0);
	}
	memcpy(prev, stored, 32);
	return (1);
}

/*
 * Walks the whole chain in pages.  Returns 1 intact, 0 broken (report
 * says where), -1 on a database error.
 */
int
audit_verify(struct db *db, uint64_t *count, char *report, size_t len)
{
	struct db_stmt	*st;
	uint8_t		prev[32], tip[32];
	uint64_t	next, head_id;
	const char	*hex;
	size_t		hexlen;
	int		r, rows;

	*count = 0;
	if ((st = db_prepare(db, sql_head)) == NULL || !db_execute(st) ||
	    db_fetch(st) != 1)
		return (-1);
	head_id = (uint64_t)db_col_i64(st, 0);
	hex = db_col_str(st, 1, &hexlen);
	if (hex == NULL || !crypto_unhex(hex, hexlen, tip, sizeof(tip)))
		return (-1);
	db_reset(st);

	memset(prev, 0, sizeof(prev));
	next = 1;
	for (;;) {
		if ((st = db_prepare(db, sql_walk)) == NULL)
			return (-1);
		db_bind_i64(st, 0, (int64_t)(next - 1));
		if (!db_execute(st))
			return (-1);
		rows = 0;
		while ((r = db_fetch(st)) == 1) {
			rows++;
			if (!audit_check_row(st, next, prev, report, len)) {
				db_reset(st);
				return (0);
			}
			next++;
			(*count)++;
		}
		db_reset(st);
		if (r < 0)
			return (-1);
		if (rows == 0)
			break;
	}

	if (*count != head_id || !crypto_equal(prev, tip, 32)) {
		(void)snprintf(report, len, "chain ends at row %" PRIu64
		    " but the head says %" PRIu64 ": rows were removed",
		    *count, head_id);
		return (0);
	}
	(void)snprintf(report, len, "%" PRIu64 " rows, chain intact", *count);
	return (1);
}
