/*
 * The rate limiter: each counted event is a row (a keyed hash and a
 * time); a key is over its limit when its rows within the window reach
 * the limit, and the answer says when the oldest of them leaves the
 * window.  Rows older than a day are pruned a few at a time on each hit.
 */

#include <stdio.h>
#include <string.h>

#include "crypto/seal.h"
#include "db/db.h"
#include "ratelimit/ratelimit.h"

#define RATELIMIT_LABEL		"vcp throttle v1"

static const char	*sql_count =
    "SELECT COUNT(*), COALESCE(CEIL(TIMESTAMPDIFF(MICROSECOND, NOW(6),"
    " MIN(at) + INTERVAL ? SECOND) / 1000000), 0)"
    " FROM rate_event WHERE key_hash = ? AND at > NOW(6) - INTERVAL ? SECOND";
static const char	*sql_hit =
    "INSERT INTO rate_event (key_hash, at) VALUES (?, NOW(6))";
static const char	*sql_prune =
    "DELETE FROM rate_event WHERE at < NOW(6) - INTERVAL 1 DAY LIMIT 100";
static const char	*sql_clear =
    "DELETE FROM rate_event WHERE key_hash = ?";

/*
 * The key of one counter: an HMAC under a key derived from the data key,
 * over what is counted (bucket) and whose (value), so a copy of the
 * table cannot be reversed by hashing every login or IPv4 address.
 */
int
ratelimit_key(const char *bucket, const char *value, struct ratelimit_key *k)
{
	uint8_t	key[SEAL_KEY_LEN];
	char	buf[320];
	int	n, ok;

	n = snprintf(buf, sizeof(buf), "%s\n%s", bucket, value);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return (0);
	ok = seal_derive(RATELIMIT_LABEL, key) &&
	    crypto_hmac_sha256(key, sizeof(key), buf, (size_t)n, k->hash);
	explicit_bzero(key, sizeof(key));
	return (ok);
}

/*
 * Returns 1 while the key has fewer than limit events within the last
 * window seconds, 0 when it has reached it (*retry: seconds until the
 * oldest leaves the window, at least 1), -1 on a database error.
 */
int
ratelimit_check(struct db *db, const struct ratelimit_key *k, int window,
    int limit, int *retry)
{
	struct db_stmt	*st;
	int64_t		n, wait;

	if ((st = db_prepare(db, sql_count)) == NULL)
		return (-1);
	db_bind_i64(st, 0, window);
	db_bind_blob(st, 1, k->hash, sizeof(k->hash));
	db_bind_i64(st, 2, window);
	if (!db_execute(st) || db_fetch(st) != 1)
		return (-1);
	n = db_col_i64(st, 0);
	wait = db_col_i64(st, 1);
	db_reset(st);
	if (n < limit)
		return (1);
	*retry = wait > 0 ? (int)wait : 1;
	return (0);
}

int
ratelimit_hit(struct db *db, const struct ratelimit_key *k)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_hit)) == NULL)
		return (0);
	db_bind_blob(st, 0, k->hash, sizeof(k->hash));
	if (!db_execute(st))
		return (0);
	if ((st = db_prepare(db, sql_prune)) == NULL)
		return (0);
	return (db_execute(st));
}

int
ratelimit_clear(struct db *db, const struct ratelimit_key *k)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_clear)) == NULL)
		return (0);
	db_bind_blob(st, 0, k->hash, sizeof(k->hash));
	return (db_execute(st));
}
