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

static const char	*sql_head_lock =
    "SELECT last_id, HEX(last_hash), COALESCE(first_keyed, 0)"
    " FROM audit_head WHERE id = 1 FOR UPDATE";
static const char	*sql_insert =
    "INSERT INTO audit_log (id, at, actor_id, actor_role, action, object,"
    " outcome, status, client, prev_hash, hash, key_id)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
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

/* Runs inside the caller's transaction, as its last statement. */
int
audit_append(struct db *db, const struct audit_entry *e)
{
	struct db_stmt	*st;
	uint8_t		prev[CRYPTO_SHA256_LEN], hash[CRYPTO_SHA256_LEN];
	uint8_t		mac[CRYPTO_SHA256_LEN];
	char		at[96];
	const char	*hex;
	size_t		hexlen;
	uint64_t	id, first;

	/* No key, no record: and no record, no action. */
	if (!audit_ready)
		return (0);
	if ((st = db_prepare(db, sql_head_lock)) == NULL ||
	    !db_execute(st) || db_fetch(st) != 1)
		return (0);
	id = (uint64_t)db_col_i64(st, 0) + 1;
	hex = db_col_str(st, 1, &hexlen);
	first = (uint64_t)db_col_i64(st, 2);
	if (hex == NULL || !crypto_unhex(hex, hexlen, prev, sizeof(prev))) {
		db_reset(st);
		return (0);
	}
	db_reset(st);
	if (first == 0)
		first = id;

	audit_now(at, sizeof(at));
	audit_hash(id, at, e, prev, 1, hash);
	audit_head_mac(id, hash, first, mac);

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
	db_bind_str(st, 11, audit_kid);
	if (!db_execute(st))
		return (0);

	if ((st = db_prepare(db, sql_head_set)) == NULL)
		return (0);
	db_bind_i64(st, 0, (int64_t)id);
	db_bind_blob(st, 1, hash, sizeof(hash));
	db_bind_i64(st, 2, (int64_t)first);
	db_bind_blob(st, 3, mac, sizeof(mac));
	return (db_execute(st) && db_affected(st) == 1);
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
audit_read_head(struct db *db, struct audit_walk *w, uint64_t *head_id,
    uint8_t tip[32])
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
	w->first_keyed = (uint64_t)db_col_i64(st, 2);
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
		(void)snprintf(w->report, w->len, "the head carries no MAC: "
		    "append one record (for example vcpctl audit checkpoint) "
		    "after upgrading, or the head was reset");
		return (0);
	}
	audit_head_mac(*head_id, tip, w->first_keyed, calc);
	if (!crypto_equal(calc, mac, 32)) {
		(void)snprintf(w->report, w->len, "the head was altered "
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
	if ((r = audit_read_head(db, &w, &head_id, tip)) != 1)
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
