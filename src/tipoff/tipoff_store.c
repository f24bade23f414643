/*
 * The SQL of tip-offs: challenges, cases, messages and reporter
 * sessions.  Sealing is the caller's; nothing here sees a client address.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/seal.h"
#include "db/db.h"
#include "http/api.h"
#include "tipoff/tipoff.h"

#define TS	"'%Y-%m-%dT%H:%i:%sZ'"

static const char	*sql_challenge_purge =
    "DELETE FROM tipoff_challenge WHERE expires_at < NOW(6) - INTERVAL 1 DAY"
    " LIMIT 100";
static const char	*sql_challenge_new =
    "INSERT INTO tipoff_challenge (id, salt, difficulty, expires_at)"
    " VALUES (?, ?, ?, NOW(6) + INTERVAL ? SECOND)";
static const char	*sql_challenge_expires =
    "SELECT DATE_FORMAT(expires_at, " TS ") FROM tipoff_challenge"
    " WHERE id = ?";
static const char	*sql_challenge_get =
    "SELECT salt, difficulty, used_at IS NOT NULL, expires_at <= NOW(6)"
    " FROM tipoff_challenge WHERE id = ? FOR UPDATE";
static const char	*sql_challenge_use =
    "UPDATE tipoff_challenge SET used_at = NOW(6) WHERE id = ?";
static const char	*sql_filing_id =
    "SELECT id FROM filing WHERE filing_number = ?";
static const char	*sql_insert =
    "INSERT INTO tipoff (reference, receipt_hash, category, filing_id,"
    " content, submission_sha256, acknowledgement, received_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char	*sql_by_receipt =
    "SELECT id FROM tipoff WHERE receipt_hash = ?";
static const char	*sql_lock =
    "SELECT id FROM tipoff WHERE id = ? FOR UPDATE";
static const char	*sql_show =
    "SELECT reference, status, category, DATE_FORMAT(received_at, " TS "),"
    " submission_sha256 FROM tipoff WHERE id = ?";
static const char	*sql_ack =
    "SELECT acknowledgement FROM tipoff WHERE id = ?";
static const char	*sql_message_add =
    "INSERT INTO tipoff_message (tipoff_id, author, account_id, body,"
    " created_at) VALUES (?, ?, ?, ?, NOW(6))";
static const char	*sql_message_at =
    "SELECT DATE_FORMAT(created_at, " TS ") FROM tipoff_message"
    " WHERE id = ?";
static const char	*sql_messages =
    "SELECT id, author, body, DATE_FORMAT(created_at, " TS ")"
    " FROM tipoff_message WHERE tipoff_id = ? ORDER BY id";
static const char	*sql_session_purge =
    "DELETE FROM tipoff_session WHERE expires_at < NOW(6) LIMIT 100";
static const char	*sql_session_new =
    "INSERT INTO tipoff_session (token_hash, tipoff_id, csrf, expires_at)"
    " VALUES (?, ?, ?, NOW(6) + INTERVAL ? SECOND)";
static const char	*sql_session_expires =
    "SELECT DATE_FORMAT(expires_at, " TS ") FROM tipoff_session"
    " WHERE token_hash = ?";
static const char	*sql_session_get =
    "SELECT tipoff_id, csrf FROM tipoff_session"
    " WHERE token_hash = ? AND expires_at > NOW(6)";
static const char	*sql_session_delete =
    "DELETE FROM tipoff_session WHERE token_hash = ?";

/* Runs a statement that returns no rows. */
static int
tipoff_exec(struct db_stmt *st)
{
	return (st != NULL && db_execute(st));
}

/* One string column of one row into out; 1, 0 none, -1 error. */
static int
tipoff_one_str(struct db_stmt *st, char *out, size_t len)
{
	int	r;

	if (!db_execute(st))
		return (-1);
	if ((r = db_fetch(st)) == 1)
		db_col_copy(st, 0, out, len);
	db_reset(st);
	return (r);
}

int
tipoff_store_challenge_new(struct db *db, const char *id, const uint8_t *salt,
    int difficulty, int ttl, char *expires, size_t elen)
{
	struct db_stmt	*st;

	if (!tipoff_exec(db_prepare(db, sql_challenge_purge)))
		return (0);
	if ((st = db_prepare(db, sql_challenge_new)) == NULL)
		return (0);
	db_bind_str(st, 0, id);
	db_bind_blob(st, 1, salt, TIPOFF_SALT_LEN);
	db_bind_i64(st, 2, difficulty);
	db_bind_i64(st, 3, ttl);
	if (!db_execute(st) || (st = db_prepare(db,
	    sql_challenge_expires)) == NULL)
		return (0);
	db_bind_str(st, 0, id);
	return (tipoff_one_str(st, expires, elen) == 1);
}

/*
 * Locks and spends the challenge: whatever the proof, it is not taken
 * twice.  1 with c filled, 0 unknown, -1 error.
 */
int
tipoff_store_challenge_take(struct db *db, const char *id,
    struct tipoff_challenge *c)
{
	struct db_stmt	*st;
	const char	*p;
	size_t		len;
	int		r;

	if ((st = db_prepare(db, sql_challenge_get)) == NULL)
		return (-1);
	db_bind_str(st, 0, id);
	if (!db_execute(st))
		return (-1);
	if ((r = db_fetch(st)) == 1) {
		p = db_col_str(st, 0, &len);
		if (p == NULL || len != TIPOFF_SALT_LEN)
			r = -1;
		else
			memcpy(c->salt, p, TIPOFF_SALT_LEN);
		c->difficulty = (int)db_col_i64(st, 1);
		c->used = db_col_i64(st, 2) != 0;
		c->expired = db_col_i64(st, 3) != 0;
	}
	db_reset(st);
	if (r != 1)
		return (r);
	if ((st = db_prepare(db, sql_challenge_use)) == NULL)
		return (-1);
	db_bind_str(st, 0, id);
	return (db_execute(st) ? 1 : -1);
}

/* 1 with the filing's id, 0 no filing has that number, -1 error. */
int
tipoff_store_filing_id(struct db *db, const char *number, int64_t *id)
{
	struct db_stmt	*st;
	int		r;

	if ((st = db_prepare(db, sql_filing_id)) == NULL)
		return (-1);
	db_bind_str(st, 0, number);
	if (!db_execute(st))
		return (-1);
	if ((r = db_fetch(st)) == 1)
		*id = db_col_i64(st, 0);
	db_reset(st);
	return (r);
}

/* content and ack: sealed by the caller.  filing_id 0: none. */
int
tipoff_store_insert(struct db *db, const char *reference,
    const uint8_t *receipt_hash, const char *category, int64_t filing_id,
    const char *content, const char *sha256, const char *ack,
    const char *received_at, int64_t *id)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_insert)) == NULL)
		return (0);
	db_bind_str(st, 0, reference);
	db_bind_blob(st, 1, receipt_hash, CRYPTO_SHA256_LEN);
	db_bind_str(st, 2, category);
	if (filing_id > 0)
		db_bind_i64(st, 3, filing_id);
	else
		db_bind_null(st, 3);
	db_bind_str(st, 4, content);
	db_bind_str(st, 5, sha256);
	db_bind_str(st, 6, ack);
	db_bind_str(st, 7, received_at);
	db_bind_str(st, 8, received_at);
	if (!db_execute(st))
		return (0);
	*id = (int64_t)db_insert_id(st);
	return (1);
}

/* 1 with the case's id, 0 no case has that hash, -1 error. */
int
tipoff_store_by_receipt(struct db *db, const uint8_t *hash, int64_t *id)
{
	struct db_stmt	*st;
	int		r;

	if ((st = db_prepare(db, sql_by_receipt)) == NULL)
		return (-1);
	db_bind_blob(st, 0, hash, CRYPTO_SHA256_LEN);
	if (!db_execute(st))
		return (-1);
	if ((r = db_fetch(st)) == 1)
		*id = db_col_i64(st, 0);
	db_reset(st);
	return (r);
}

/* The case's row lock: its evidence count is checked under it. */
int
tipoff_store_lock(struct db *db, int64_t id)
{
	struct db_stmt	*st;
	int		r;

	if ((st = db_prepare(db, sql_lock)) == NULL)
		return (-1);
	db_bind_i64(st, 0, id);
	if (!db_execute(st))
		return (-1);
	r = db_fetch(st);
	db_reset(st);
	return (r);
}

/* What the reporter sees of their case. */
int
tipoff_store_show(struct db *db, int64_t id, json_t **out)
{
	struct db_stmt	*st;
	int		r;

	*out = NULL;
	if ((st = db_prepare(db, sql_show)) == NULL)
		return (-1);
	db_bind_i64(st, 0, id);
	if (!db_execute(st))
		return (-1);
	if ((r = db_fetch(st)) == 1)
		*out = json_pack("{s:s,s:s,s:s,s:s,s:s}",
		    "reference", db_col_str(st, 0, NULL),
		    "status", db_col_str(st, 1, NULL),
		    "category", db_col_str(st, 2, NULL),
		    "received_at", db_col_str(st, 3, NULL),
		    "submission_sha256", db_col_str(st, 4, NULL));
	db_reset(st);
	if (r == 1 && *out == NULL)
		r = -1;
	return (r);
}

/* The signed acknowledgement, opened (malloc'd). */
int
tipoff_store_ack(struct db *db, int64_t id, char **xml)
{
	struct db_stmt	*st;
	int		r;

	*xml = NULL;
	if ((st = db_prepare(db, sql_ack)) == NULL)
		return (-1);
	db_bind_i64(st, 0, id);
	if (!db_execute(st))
		return (-1);
	if ((r = db_fetch(st)) == 1 &&
	    (*xml = unseal(db_col_str(st, 0, NULL))) == NULL)
		r = -1;
	db_reset(st);
	return (r);
}

/* body: in clear; sealed here.  account 0: the reporter. */
int
tipoff_store_message_add(struct db *db, int64_t tipoff, const char *author,
    int64_t account, const char *body, int64_t *id, char *at, size_t atlen)
{
	struct db_stmt	*st;
	char		*sealed;
	int		ok;

	if ((sealed = seal(body, strlen(body))) == NULL)
		return (0);
	ok = (st = db_prepare(db, sql_message_add)) != NULL;
	if (ok) {
		db_bind_i64(st, 0, tipoff);
		db_bind_str(st, 1, author);
		if (account > 0)
			db_bind_i64(st, 2, account);
		else
			db_bind_null(st, 2);
		db_bind_str(st, 3, sealed);
		ok = db_execute(st);
	}
	free(sealed);
	if (!ok)
		return (0);
	*id = (int64_t)db_insert_id(st);
	if ((st = db_prepare(db, sql_message_at)) == NULL)
		return (0);
	db_bind_i64(st, 0, *id);
	return (tipoff_one_str(st, at, atlen) == 1);
}

/* The case's messages, oldest first, opened; who wrote them by side only. */
int
tipoff_store_messages(struct db *db, int64_t tipoff, json_t *out)
{
	struct db_stmt	*st;
	char		*body;
	int		r;

	if ((st = db_prepare(db, sql_messages)) == NULL)
		return (0);
	db_bind_i64(st, 0, tipoff);
	if (!db_execute(st))
		return (0);
	while ((r = db_fetch(st)) == 1) {
		if ((body = unseal(db_col_str(st, 2, NULL))) == NULL) {
			r = -1;
			break;
		}
		json_array_append_new(out, json_pack("{s:I,s:s,s:s,s:s}",
		    "id", (json_int_t)db_col_i64(st, 0),
		    "author", db_col_str(st, 1, NULL), "body", body,
		    "created_at", db_col_str(st, 3, NULL)));
		free(body);
	}
	db_reset(st);
	return (r == 0);
}

int
tipoff_store_session_new(struct db *db, const uint8_t *hash, int64_t tipoff,
    const char *csrf, int ttl, char *expires, size_t elen)
{
	struct db_stmt	*st;

	if (!tipoff_exec(db_prepare(db, sql_session_purge)) ||
	    (st = db_prepare(db, sql_session_new)) == NULL)
		return (0);
	db_bind_blob(st, 0, hash, CRYPTO_SHA256_LEN);
	db_bind_i64(st, 1, tipoff);
	db_bind_str(st, 2, csrf);
	db_bind_i64(st, 3, ttl);
	if (!db_execute(st) ||
	    (st = db_prepare(db, sql_session_expires)) == NULL)
		return (0);
	db_bind_blob(st, 0, hash, CRYPTO_SHA256_LEN);
	return (tipoff_one_str(st, expires, elen) == 1);
}

int
tipoff_store_session_delete(struct db *db, const uint8_t *hash)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_session_delete)) == NULL)
		return (0);
	db_bind_blob(st, 0, hash, CRYPTO_SHA256_LEN);
	return (db_execute(st));
}

/*
 * The dispatcher's resolver for .reporter routes: the case a reporter
 * token opens, and its CSRF token.  1, 0 none or expired, -1 error.
 * It opens no transaction: the dispatcher opens a reporter's call's
 * itself.
 */
int
tipoff_session_resolve(struct db *db, const uint8_t *token,
    struct api_principal *who)
{
	struct db_stmt	*st;
	uint8_t		hash[CRYPTO_SHA256_LEN];
	int		r;

	crypto_sha256(token, CRYPTO_TOKEN_LEN, hash);
	if ((st = db_prepare(db, sql_session_get)) == NULL)
		return (-1);
	db_bind_blob(st, 0, hash, sizeof(hash));
	if (!db_execute(st))
		return (-1);
	if ((r = db_fetch(st)) == 1) {
		memset(who, 0, sizeof(*who));
		who->tipoff_id = db_col_i64(st, 0);
		db_col_copy(st, 1, who->csrf, sizeof(who->csrf));
	}
	db_reset(st);
	return (r);
}
