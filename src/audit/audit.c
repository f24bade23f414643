/*
 * The audit chain.  Row n's hash is HMAC-SHA-256, under the audit key,
 * over row n's fields, each written as a netstring so no field can bleed
 * into the next, followed by row n-1's hash.  Changing, inserting or
 * deleting any row breaks every later link, and audit_head pins the tip
 * with a MAC of its own, so truncation is seen too.
 *
 * The key lives in a file outside the database (audit_key_file): someone
 * who can write to the database but cannot read that file cannot compute
 * a single valid row.  Whoever holds the key as well is caught by the
 * checkpoints (audit_checkpoint.c) the ministries keep as witnesses.
 *
 * Rows written before the key existed (key_id NULL) are linked with plain
 * SHA-256; they may only precede the first keyed row, which the head's
 * MAC pins, so nobody can turn keyed rows back into plain ones.
 *
 * A request does not link its own record: it inserts it into audit_queue
 * (one statement, no shared row), in its own transaction, so the record
 * commits with the action or not at all.  The sealer (audit_seal, run by
 * vcpnotifyd and vcpctl) then numbers, links and keys committed records in
 * the order it reads them and moves the head, in one transaction that
 * starts with a write on the head (turn + 1): InnoDB's row lock orders
 * sealers on one node, Galera's certification between nodes, and the
 * loser's transaction is rolled back whole.  Requests never wait for the
 * head, and the chain's order is the order records were sealed in.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "crypto/crypto.h"
#include "db/db.h"

#define AUDIT_CANON_MAX		1024
#define AUDIT_KEY_LEN		32

static const char	*sql_enqueue =
    "INSERT INTO audit_queue (at, actor_id, actor_role, action, object,"
    " outcome, status, client) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char	*sql_enqueue_commit =
    "CALL audit_commit(?, ?, ?, ?, ?, ?, ?, ?)";
/* The sealer's turn: a write, which certification arbitrates. */
static const char	*sql_turn =
    "UPDATE audit_head SET turn = turn + 1 WHERE id = 1";
static const char	*sql_queue =
    "SELECT id, DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f'), actor_id,"
    " actor_role, action, object, outcome, status, client FROM audit_queue"
    " ORDER BY id LIMIT 500";
static const char	*sql_insert =
    "INSERT INTO audit_log (id, at, actor_id, actor_role, action, object,"
    " outcome, status, client, prev_hash, hash, key_id)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char	*sql_dequeue =
    "DELETE FROM audit_queue WHERE id = ?";
static const char	*sql_head_set =
    "UPDATE audit_head SET last_id = ?, last_hash = ?, first_keyed = ?,"
    " mac = ? WHERE id = 1";
static const char	*sql_walk =
    "SELECT id, DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f'), actor_id,"
    " actor_role, action, object, outcome, status, client,"
    " HEX(prev_hash), HEX(hash), key_id FROM audit_log WHERE id > ?"
    " ORDER BY id LIMIT 1000";
static const char	*sql_head =
    "SELECT last_id, HEX(last_hash), COALESCE(first_keyed, 0), HEX(mac)"
    " FROM audit_head WHERE id = 1";

static uint8_t		audit_key[AUDIT_KEY_LEN];
static char		audit_kid[9];
static int		audit_ready;

/* Loads the audit key (audit_key_file), creating it on first start. */
int
audit_init(const char *path, char *err, size_t errlen)
{
	uint8_t		h[CRYPTO_SHA256_LEN];

	if (!keyfile_load(path, audit_key, sizeof(audit_key), err, errlen))
		return (0);
	crypto_sha256(audit_key, sizeof(audit_key), h);
	crypto_hex(h, 4, audit_kid);
	audit_ready = 1;
	return (1);
}

const char *
audit_key_id(void)
{
	return (audit_kid);
}

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
    const uint8_t prev[CRYPTO_SHA256_LEN], int keyed,
    uint8_t out[CRYPTO_SHA256_LEN])
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
	if (keyed) {
		/* A zero link never verifies: a failure cannot pass. */
		if (!crypto_hmac_sha256(audit_key, sizeof(audit_key), buf,
		    off + CRYPTO_SHA256_LEN, out))
			memset(out, 0, CRYPTO_SHA256_LEN);
	} else
		crypto_sha256(buf, off + CRYPTO_SHA256_LEN, out);
}

/* The head's MAC: pins the tip and where the keyed rows begin. */
static void
audit_head_mac(uint64_t last_id, const uint8_t hash[CRYPTO_SHA256_LEN],
    uint64_t first_keyed, uint8_t out[CRYPTO_SHA256_LEN])
{
	char	buf[160], hex[CRYPTO_SHA256_LEN * 2 + 1];
	int	n;

	crypto_hex(hash, CRYPTO_SHA256_LEN, hex);
	n = snprintf(buf, sizeof(buf), "head:%" PRIu64 ":%s:%" PRIu64,
	    last_id, hex, first_keyed);
	if (!crypto_hmac_sha256(audit_key, sizeof(audit_key), buf, (size_t)n,
	    out))
		memset(out, 0, CRYPTO_SHA256_LEN);
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

static void
audit_bind_entry(struct db_stmt *st, int i, const struct audit_entry *e)
{
	if (e->actor_id > 0)
		db_bind_i64(st, i, e->actor_id);
	else
		db_bind_null(st, i);
	db_bind_str(st, i + 1, e->actor_role);
	db_bind_str(st, i + 2, e->action);
	db_bind_str(st, i + 3, e->object != NULL ? e->object : "");
	db_bind_str(st, i + 4, e->outcome);
	db_bind_i64(st, i + 5, e->status);
	db_bind_str(st, i + 6, e->client != NULL ? e->client : "");
}

/*
 * The record's statement, bound (at is the caller's: the statement keeps
 * a pointer to it until it runs).  NULL without the key or the statement.
 */
static struct db_stmt *
audit_enqueue(struct db *db, const char *sql, const struct audit_entry *e,
    char *at, size_t atlen)
{
	struct db_stmt	*st;

	/* No key, no record: and no record, no action. */
	if (!audit_ready)
		return (NULL);
	audit_now(at, atlen);
	if ((st = db_prepare(db, sql)) == NULL)
		return (NULL);
	db_bind_str(st, 0, at);
	audit_bind_entry(st, 1, e);
	return (st);
}

/*
 * Records one attempt inside the caller's transaction: one insert into
 * the queue, which audit_seal links into the chain once it has committed.
 */
int
audit_append(struct db *db, const struct audit_entry *e)
{
	struct db_stmt	*st;
	char		at[96];

	return ((st = audit_enqueue(db, sql_enqueue, e, at, sizeof(at))) !=
	    NULL && db_execute(st));
}

/*
 * The same record, and the caller's transaction committed with it in
 * one round trip (schema/023_audit_commit.sql).  On failure the caller
 * rolls back, as after a failed COMMIT.
 */
int
audit_append_commit(struct db *db, const struct audit_entry *e)
{
	struct db_stmt	*st;
	char		at[96];

	return ((st = audit_enqueue(db, sql_enqueue_commit, e, at,
	    sizeof(at))) != NULL && db_execute_commit(st));
}

/* The chain's tip while sealing. */
struct audit_chain_tip {
	uint64_t	last;
	uint64_t	first;
	uint8_t		hash[CRYPTO_SHA256_LEN];
};

static int	audit_read_head(struct db *, uint64_t *, uint64_t *,
		    uint8_t[32], char *, size_t);

/* Links one queued record (the row st is on) after the tip. */
static int
audit_seal_row(struct db *db, struct db_stmt *q, struct audit_chain_tip *t)
{
	struct audit_entry	e;
	struct db_stmt		*st;
	uint8_t			hash[CRYPTO_SHA256_LEN];
	const char		*at;
	uint64_t		id;

	memset(&e, 0, sizeof(e));
	at = db_col_str(q, 1, NULL);
	e.actor_id = db_col_i64(q, 2);
	e.actor_role = db_col_str(q, 3, NULL);
	e.action = db_col_str(q, 4, NULL);
	e.object = db_col_str(q, 5, NULL);
	e.outcome = db_col_str(q, 6, NULL);
	e.status = (int)db_col_i64(q, 7);
	e.client = db_col_str(q, 8, NULL);
	id = t->last + 1;
	audit_hash(id, at, &e, t->hash, 1, hash);

	if ((st = db_prepare(db, sql_insert)) == NULL)
		return (0);
	db_bind_i64(st, 0, (int64_t)id);
	db_bind_str(st, 1, at);
	audit_bind_entry(st, 2, &e);
	db_bind_blob(st, 9, t->hash, sizeof(t->hash));
	db_bind_blob(st, 10, hash, sizeof(hash));
	db_bind_str(st, 11, audit_kid);
	if (!db_execute(st))
		return (0);
	if ((st = db_prepare(db, sql_dequeue)) == NULL)
		return (0);
	db_bind_i64(st, 0, db_col_i64(q, 0));
	if (!db_execute(st) || db_affected(st) != 1)
		return (0);
	t->last = id;
	if (t->first == 0)
		t->first = id;
	memcpy(t->hash, hash, sizeof(hash));
	return (1);
}

/*
 * One batch: takes the turn, checks the head's MAC (a head someone moved
 * is never extended: verify must see it as it was left), links up to 500
 * queued records and moves the head.  Returns the records sealed, or -1.
 */
static int
audit_seal_batch(struct db *db, char *report, size_t len)
{
	struct audit_chain_tip	t;
	struct db_stmt		*st, *q;
	uint8_t			mac[CRYPTO_SHA256_LEN];
	int			n, r;

	if (!db_begin(db))
		return (-1);
	if ((st = db_prepare(db, sql_turn)) == NULL || !db_execute(st) ||
	    db_affected(st) != 1)
		goto fail;
	if ((r = audit_read_head(db, &t.last, &t.first, t.hash, report,
	    len)) != 1)
		goto fail;
	if ((q = db_prepare(db, sql_queue)) == NULL || !db_execute(q))
		goto fail;
	n = 0;
	while ((r = db_fetch(q)) == 1) {
		if (!audit_seal_row(db, q, &t)) {
			db_reset(q);
			goto fail;
		}
		n++;
	}
	db_reset(q);
	if (r < 0)
		goto fail;
	if (n == 0) {
		(void)db_rollback(db);
		return (0);
	}
	audit_head_mac(t.last, t.hash, t.first, mac);
	if ((st = db_prepare(db, sql_head_set)) == NULL)
		goto fail;
	db_bind_i64(st, 0, (int64_t)t.last);
	db_bind_blob(st, 1, t.hash, sizeof(t.hash));
	db_bind_i64(st, 2, (int64_t)t.first);
	db_bind_blob(st, 3, mac, sizeof(mac));
	if (!db_execute(st) || db_affected(st) != 1 || !db_commit(db))
		goto fail;
	return (n);
fail:
	(void)db_rollback(db);
	return (-1);
}

/*
 * Seals every committed record in the queue, batch by batch; outside any
 * transaction.  Returns how many, or -1 (report says why when the head
 * was altered; otherwise a database error, the loser of a race included).
 */
int64_t
audit_seal(struct db *db, char *report, size_t len)
{
	int64_t	total;
	int	n;

	if (!audit_ready)
		return (-1);
	report[0] = '\0';
	total = 0;
	do {
		if ((n = audit_seal_batch(db, report, len)) < 0)
			return (-1);
		total += n;
	} while (n == 500);
	return (total);
}

/* The state of one walk along the chain. */
struct audit_walk {
	uint64_t		next;
	uint8_t			prev[32];
	uint64_t		first_keyed;
	const struct audit_mark	*marks;
	size_t			nmarks;
	size_t			mark;
	char			*report;
	size_t			len;
};

/* Compares the row's hash with every checkpoint taken at that row. */
static int
audit_check_marks(struct audit_walk *w, uint64_t id, const uint8_t *hash)
{
	const struct audit_mark	*m;

	for (; w->mark < w->nmarks && w->marks[w->mark].id <= id; w->mark++) {
		m = &w->marks[w->mark];
		if (m->id < id)
			continue;
		if (!crypto_equal(m->hash, hash, 32)) {
			(void)snprintf(w->report, w->len, "row %" PRIu64
			    " differs from the checkpoint in %s: the log "
			    "before it was rewritten", id, m->source);
			return (0);
		}
	}
	return (1);
}

static int
audit_check_row(struct db_stmt *st, struct audit_walk *w)
{
	struct audit_entry	e;
	uint8_t			stored_prev[32], stored[32], calc[32];
	const char		*at, *hp, *hh, *kid;
	size_t			lp, lh;
	uint64_t		id;
	int			keyed;

	id = (uint64_t)db_col_i64(st, 0);
	if (id != w->next) {
		(void)snprintf(w->report, w->len, "row %" PRIu64 " missing "
		    "(next row is %" PRIu64 ")", w->next, id);
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
	kid = db_col_str(st, 11, NULL);
	if (at == NULL || hp == NULL || hh == NULL ||
	    !crypto_unhex(hp, lp, stored_prev, 32) ||
	    !crypto_unhex(hh, lh, stored, 32)) {
		(void)snprintf(w->report, w->len, "row %" PRIu64
		    " unreadable", id);
		return (0);
	}
	keyed = kid != NULL;
	if (keyed != (w->first_keyed != 0 && id >= w->first_keyed)) {
		(void)snprintf(w->report, w->len, "row %" PRIu64 " is %s, but "
		    "keyed rows begin at row %" PRIu64, id,
		    keyed ? "keyed" : "not keyed", w->first_keyed);
		return (0);
	}
	if (keyed && strcmp(kid, audit_kid) != 0) {
		(void)snprintf(w->report, w->len, "row %" PRIu64 " was keyed "
		    "with another audit key (%.8s)", id, kid);
		return (0);
	}
	if (!crypto_equal(stored_prev, w->prev, 32)) {
		(void)snprintf(w->report, w->len, "row %" PRIu64 " does not "
		    "link to row %" PRIu64, id, id - 1);
		return (0);
	}
	audit_hash(id, at, &e, w->prev, keyed, calc);
	if (!crypto_equal(calc, stored, 32)) {
		(void)snprintf(w->report, w->len, "row %" PRIu64
		    " was altered", id);
		return (0);
	}
	if (!audit_check_marks(w, id, stored))
		return (0);
	memcpy(w->prev, stored, 32);
	w->next++;
	return (1);
}

/* Reads the head; returns 1, 0 when its MAC is wrong, -1 on error. */
static int
audit_read_head(struct db *db, uint64_t *head_id, uint64_t *first_keyed,
    uint8_t tip[32], char *report, size_t len)
{
	struct db_stmt	*st;
	uint8_t		mac[32], calc[32];
	const char	*hex, *mhex;
	size_t		hexlen, mlen;
	int		ok;

	if ((st = db_prepare(db, sql_head)) == NULL || !db_execute(st) ||
	    db_fetch(st) != 1)
		return (-1);
	*head_id = (uint64_t)db_col_i64(st, 0);
	hex = db_col_str(st, 1, &hexlen);
	*first_keyed = (uint64_t)db_col_i64(st, 2);
	mhex = db_col_str(st, 3, &mlen);
	ok = hex != NULL && crypto_unhex(hex, hexlen, tip, 32);
	if (ok && mhex != NULL)
		ok = crypto_unhex(mhex, mlen, mac, 32);
	db_reset(st);
	if (!ok)
		return (-1);
	if (*head_id == 0)
		return (1);
	if (mhex == NULL) {
		(void)snprintf(report, len, "the head carries no MAC: it was "
		    "reset, or comes from before the key (restore it)");
		return (0);
	}
	audit_head_mac(*head_id, tip, *first_keyed, calc);
	if (!crypto_equal(calc, mac, 32)) {
		(void)snprintf(report, len, "the head was altered "
		    "(its MAC does not match)");
		return (0);
	}
	return (1);
}

static int
audit_mark_cmp(const void *a, const void *b)
{
	const struct audit_mark	*x = a, *y = b;

	return (x->id < y->id ? -1 : x->id > y->id);
}

/*
 * Walks the whole chain in pages, checking each link, the head, and each
 * checkpoint in marks (any order; sorted here).  Returns 1 intact, 0
 * broken (report says where), -1 on a database error.
 */
int
audit_verify(struct db *db, struct audit_mark *marks, size_t nmarks,
    uint64_t *count, char *report, size_t len)
{
	struct audit_walk	w;
	struct db_stmt		*st;
	uint8_t			tip[32];
	uint64_t		head_id;
	int			r, rows;

	*count = 0;
	if (!audit_ready)
		return (-1);
	memset(&w, 0, sizeof(w));
	w.report = report;
	w.len = len;
	w.next = 1;
	if (nmarks > 0)
		qsort(marks, nmarks, sizeof(*marks), audit_mark_cmp);
	w.marks = marks;
	w.nmarks = nmarks;
	if ((r = audit_read_head(db, &head_id, &w.first_keyed, tip, report,
	    len)) != 1)
		return (r);

	for (;;) {
		if ((st = db_prepare(db, sql_walk)) == NULL)
			return (-1);
		db_bind_i64(st, 0, (int64_t)(w.next - 1));
		if (!db_execute(st))
			return (-1);
		rows = 0;
		while ((r = db_fetch(st)) == 1) {
			rows++;
			if (!audit_check_row(st, &w)) {
				db_reset(st);
				return (0);
			}
			(*count)++;
		}
		db_reset(st);
		if (r < 0)
			return (-1);
		if (rows == 0)
			break;
	}

	if (*count != head_id || !crypto_equal(w.prev, tip, 32)) {
		(void)snprintf(report, len, "chain ends at row %" PRIu64
		    " but the head says %" PRIu64 ": rows were removed",
		    *count, head_id);
		return (0);
	}
	if (w.mark < nmarks) {
		(void)snprintf(report, len, "the checkpoint in %s names row %"
		    PRIu64 ", past the end of the chain: rows were removed",
		    marks[w.mark].source, marks[w.mark].id);
		return (0);
	}
	(void)snprintf(report, len, "%" PRIu64 " rows, chain intact, %zu "
	    "checkpoints match", *count, nmarks);
	return (1);
}
