/*
 * The SQL of accounts and sessions: creating an operator account, finding
 * one by login, and sessions stored only as the SHA-256 of their token,
 * with idle and absolute expiry.
 */

#include <stdio.h>
#include <string.h>

#include <mysqld_error.h>

#include "account/account.h"
#include "config.h"
#include "db/db.h"
#include "domain/role.h"
#include "http/api.h"

static const char	*sql_create =
    "INSERT INTO account (login, role, display_name, password_hash,"
    " created_at, updated_at) VALUES (?, ?, ?, ?, NOW(6), NOW(6))";
static const char	*sql_by_login =
    "SELECT id, login, role, display_name, password_hash,"
    " status = 'active' FROM account WHERE login = ?";
static const char	*sql_session_create =
    "INSERT INTO session (token_hash, account_id, csrf_token, created_at,"
    " last_seen_at, expires_at) VALUES (?, ?, ?, NOW(6), NOW(6),"
    " NOW(6) + INTERVAL ? SECOND)";
static const char	*sql_session_prune =
    "DELETE FROM session WHERE expires_at < NOW(6) LIMIT 100";
static const char	*sql_session_expiry =
    "SELECT DATE_FORMAT(expires_at, '%Y-%m-%dT%H:%i:%sZ') FROM session"
    " WHERE token_hash = ?";
static const char	*sql_session_delete =
    "DELETE FROM session WHERE token_hash = ?";
/* schema/024_session_check.sql: the row, and the call's transaction. */
static const char	*sql_session_find = "CALL session_check(?, ?)";

/* Returns 1 created, 0 login taken, -1 error. */
int
account_store_create(struct db *db, const char *login, const char *role,
    const char *name, const char *hash, int64_t *id)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_create)) == NULL)
		return (-1);
	db_bind_str(st, 0, login);
	db_bind_str(st, 1, role);
	db_bind_str(st, 2, name);
	db_bind_str(st, 3, hash);
	if (!db_execute(st))
		return (db_errno(db) == ER_DUP_ENTRY ? 0 : -1);
	*id = (int64_t)db_insert_id(st);
	return (1);
}

/* Returns 1 found, 0 no such login, -1 error. */
int
account_store_by_login(struct db *db, const char *login, struct account *a)
{
	struct db_stmt	*st;
	int		r;

	memset(a, 0, sizeof(*a));
	if ((st = db_prepare(db, sql_by_login)) == NULL)
		return (-1);
	db_bind_str(st, 0, login);
	if (!db_execute(st))
		return (-1);
	if ((r = db_fetch(st)) == 1) {
		a->id = db_col_i64(st, 0);
		(void)snprintf(a->login, sizeof(a->login), "%s",
		    db_col_str(st, 1, NULL));
		(void)snprintf(a->role, sizeof(a->role), "%s",
		    db_col_str(st, 2, NULL));
		(void)snprintf(a->display_name, sizeof(a->display_name), "%s",
		    db_col_str(st, 3, NULL));
		(void)snprintf(a->password_hash, sizeof(a->password_hash),
		    "%s", db_col_str(st, 4, NULL));
		a->active = (int)db_col_i64(st, 5);
	}
	db_reset(st);
	return (r);
}

/* Stores the hash of a new session token; returns its expiry (ISO 8601). */
int
session_store_create(struct db *db, const uint8_t *hash, int64_t account,
    const char *csrf, int lifetime, char *expires, size_t len)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_session_prune)) == NULL ||
	    !db_execute(st))
		return (0);
	if ((st = db_prepare(db, sql_session_create)) == NULL)
		return (0);
	db_bind_blob(st, 0, hash, CRYPTO_SHA256_LEN);
	db_bind_i64(st, 1, account);
	db_bind_str(st, 2, csrf);
	db_bind_i64(st, 3, lifetime);
	if (!db_execute(st))
		return (0);
	if ((st = db_prepare(db, sql_session_expiry)) == NULL)
		return (0);
	db_bind_blob(st, 0, hash, CRYPTO_SHA256_LEN);
	if (!db_execute(st) || db_fetch(st) != 1)
		return (0);
	(void)snprintf(expires, len, "%s", db_col_str(st, 0, NULL));
	db_reset(st);
	return (1);
}

int
session_store_delete(struct db *db, const uint8_t *hash)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_session_delete)) == NULL)
		return (0);
	db_bind_blob(st, 0, hash, CRYPTO_SHA256_LEN);
	return (db_execute(st));
}

/*
 * Finds the account behind a session token.  Returns 1 valid, 0 unknown
 * or expired, -1 error.  The procedure refreshes last_seen_at, at most
 * once a minute so that reads do not each cost a write, and opens the
 * call's transaction in the same round trip (db_in_txn says whether it
 * did, whatever the answer).
 */
int
session_resolve(struct db *db, const uint8_t *token,
    struct api_principal *who)
{
	struct db_stmt	*st;
	uint8_t		hash[CRYPTO_SHA256_LEN];
	int		r;

	crypto_sha256(token, CRYPTO_TOKEN_LEN, hash);
	if ((st = db_prepare(db, sql_session_find)) == NULL)
		return (-1);
	db_bind_blob(st, 0, hash, sizeof(hash));
	db_bind_i64(st, 1, vcp_conf.session_idle);
	if (!db_execute(st))
		return (-1);
	if ((r = db_fetch(st)) == 1) {
		who->account_id = db_col_i64(st, 0);
		who->role = role_parse(db_col_str(st, 1, NULL));
		(void)snprintf(who->login, sizeof(who->login), "%s",
		    db_col_str(st, 2, NULL));
		(void)snprintf(who->csrf, sizeof(who->csrf), "%s",
		    db_col_str(st, 3, NULL));
		/* The call's clock (db_now): one round trip fewer a write. */
		db_clock_hold(db, db_col_str(st, 4, NULL));
	}
	db_reset(st);
	(void)db_began(db);
	return (r);
}
