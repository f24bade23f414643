/*
 * Idempotency-Key: a retried write with the same key gets the first
 * answer instead of running twice.  The key is claimed by inserting its
 * row first, inside the write's transaction: a concurrent retry waits on
 * that row and then finds the stored answer; a failed write rolls the
 * claim back, so only successes are remembered (24 hours).
 *
 * The stored answer is sealed with the data key like every other copy of
 * personal data: a submit's answer carries the whole form, ID numbers and
 * mobiles included.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mysqld_error.h>

#include "crypto/seal.h"
#include "db/db.h"
#include "http/idempotency.h"

static const char	*sql_claim =
    "INSERT INTO idempotency (account_id, idem_key, route, status,"
    " response, created_at) VALUES (?, ?, ?, 0, '', NOW(6))";
static const char	*sql_find =
    "SELECT route, status, response FROM idempotency"
    " WHERE account_id = ? AND idem_key = ?";
static const char	*sql_finish =
    "UPDATE idempotency SET status = ?, response = ?"
    " WHERE account_id = ? AND idem_key = ?";
static const char	*sql_prune =
    "DELETE FROM idempotency WHERE created_at < NOW(6) - INTERVAL 1 DAY"
    " LIMIT 100";

/*
 * Returns 1 when claimed (run the write), 0 when the key was used before
 * (*status, *response and *same_route filled), -1 on error.
 */
int
idem_claim(struct db *db, int64_t account, const char *key,
    const char *route, int *status, char **response, int *same_route)
{
	struct db_stmt	*st;
	const char	*sealed;

	if ((st = db_prepare(db, sql_prune)) == NULL || !db_execute(st))
		return (-1);
	if ((st = db_prepare(db, sql_claim)) == NULL)
		return (-1);
	db_bind_i64(st, 0, account);
	db_bind_str(st, 1, key);
	db_bind_str(st, 2, route);
	if (db_execute(st))
		return (1);
	if (db_errno(db) != ER_DUP_ENTRY)
		return (-1);

	if ((st = db_prepare(db, sql_find)) == NULL)
		return (-1);
	db_bind_i64(st, 0, account);
	db_bind_str(st, 1, key);
	if (!db_execute(st) || db_fetch(st) != 1)
		return (-1);
	*same_route = strcmp(db_col_str(st, 0, NULL), route) == 0;
	*status = (int)db_col_i64(st, 1);
	sealed = db_col_str(st, 2, NULL);
	/* A claim still in progress has no answer yet. */
	if (*status == 0)
		*response = strdup("");
	else
		*response = unseal(sealed);
	db_reset(st);
	return (*response != NULL ? 0 : -1);
}

int
idem_finish(struct db *db, int64_t account, const char *key, int status,
    const char *response)
{
	struct db_stmt	*st;
	char		*sealed;
	int		ok;

	if ((sealed = seal(response, strlen(response))) == NULL)
		return (0);
	ok = 0;
	if ((st = db_prepare(db, sql_finish)) == NULL)
		goto cleanup;
	db_bind_i64(st, 0, status);
	db_bind_str(st, 1, sealed);
	db_bind_i64(st, 2, account);
	db_bind_str(st, 3, key);
	ok = db_execute(st);
cleanup:
	free(sealed);
	return (ok);
}
