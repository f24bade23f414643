/*
 * The SQL of a tip-off's handling by staff: the case locked for a
 * change, the case opened for reading, notes, status, assignment, the
 * linked filing and duplicates.  Notes are sealed here like messages.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/seal.h"
#include "db/db.h"
#include "db/db_json.h"
#include "domain/role.h"
#include "domain/tipoff_state.h"
#include "tipoff/tipoff_case.h"

#define TS	"'%Y-%m-%dT%H:%i:%sZ'"

static const char	*sql_get =
    "SELECT status, assigned_to, duplicate_of, filing_id FROM tipoff"
    " WHERE id = ?"
    " FOR UPDATE";
static const char	*sql_detail =
    "SELECT t.reference, t.channel, t.status, t.category,"
    " DATE_FORMAT(t.received_at, " TS "), DATE_FORMAT(t.updated_at, " TS "),"
    " t.assigned_to, a.login, t.filing_id, f.filing_number,"
    " t.duplicate_of, d.reference, t.close_reason,"
    " DATE_FORMAT(t.first_answer_at, " TS "),"
    " DATE_FORMAT(t.decided_at, " TS "), t.content, t.submission_sha256"
    " FROM tipoff t LEFT JOIN account a ON a.id = t.assigned_to"
    " LEFT JOIN filing f ON f.id = t.filing_id"
    " LEFT JOIN tipoff d ON d.id = t.duplicate_of WHERE t.id = ?";
static const char	*sql_notes =
    "SELECT n.id, n.account_id, a.login, n.body,"
    " DATE_FORMAT(n.created_at, " TS ") FROM tipoff_note n"
    " JOIN account a ON a.id = n.account_id WHERE n.tipoff_id = ?"
    " ORDER BY n.id";
static const char	*sql_note_add =
    "INSERT INTO tipoff_note (tipoff_id, account_id, body, created_at)"
    " VALUES (?, ?, ?, NOW(6))";
static const char	*sql_note_at =
    "SELECT DATE_FORMAT(created_at, " TS ") FROM tipoff_note WHERE id = ?";
static const char	*sql_status =
    "UPDATE tipoff SET status = ?, close_reason = ?,"
    " decided_at = IF(?, NOW(6), decided_at), updated_at = NOW(6)"
    " WHERE id = ?";
static const char	*sql_assign =
    "UPDATE tipoff SET assigned_to = ?, updated_at = NOW(6) WHERE id = ?";
static const char	*sql_answered =
    "UPDATE tipoff SET first_answer_at = COALESCE(first_answer_at,"
    " NOW(6)), updated_at = NOW(6) WHERE id = ?";
static const char	*sql_link =
    "UPDATE tipoff SET filing_id = ?, updated_at = NOW(6) WHERE id = ?";
static const char	*sql_duplicate =
    "UPDATE tipoff SET duplicate_of = ?, updated_at = NOW(6) WHERE id = ?";
static const char	*sql_role =
    "SELECT role FROM account WHERE id = ? AND status = 'active'";

static json_t *
tipoff_case_jid(struct db_stmt *st, int col)
{
	return (db_col_null(st, col) ? json_null() :
	    json_integer(db_col_i64(st, col)));
}

/* Locks the case.  1 with c filled, 0 no such case, -1 error. */
int
tipoff_case_get(struct db *db, int64_t id, struct tipoff_case *c)
{
	struct db_stmt	*st;
	int		r;

	if ((st = db_prepare(db, sql_get)) == NULL)
		return (-1);
	db_bind_i64(st, 0, id);
	if (!db_execute(st))
		return (-1);
	if ((r = db_fetch(st)) == 1) {
		memset(c, 0, sizeof(*c));
		c->id = id;
		c->status = tipoff_status_parse(db_col_str(st, 0, NULL));
		c->assigned_to = db_col_null(st, 1) ? 0 : db_col_i64(st, 1);
		c->duplicate_of = db_col_null(st, 2) ? 0 : db_col_i64(st, 2);
		c->filing_id = db_col_null(st, 3) ? 0 : db_col_i64(st, 3);
	}
	db_reset(st);
	return (r);
}

/* The case as staff read it: the report opened.  1, 0 none, -1 error. */
int
tipoff_case_detail(struct db *db, int64_t id, json_t **out)
{
	struct db_stmt	*st;
	json_t		*sub;
	char		*plain;
	int		r;

	*out = NULL;
	if ((st = db_prepare(db, sql_detail)) == NULL)
		return (-1);
	db_bind_i64(st, 0, id);
	if (!db_execute(st))
		return (-1);
	if ((r = db_fetch(st)) == 1) {
		sub = NULL;
		if ((plain = unseal(db_col_str(st, 15, NULL))) != NULL) {
			sub = json_loads(plain, 0, NULL);
			explicit_bzero(plain, strlen(plain));
			free(plain);
		}
		if (sub == NULL)
			r = -1;
		else
			*out = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,"
			    "s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:s}",
			    "id", (json_int_t)id,
			    "reference", db_col_str(st, 0, NULL),
			    "channel", db_col_str(st, 1, NULL),
			    "status", db_col_str(st, 2, NULL),
			    "category", db_col_str(st, 3, NULL),
			    "received_at", db_col_str(st, 4, NULL),
			    "updated_at", db_col_str(st, 5, NULL),
			    "assigned_to", tipoff_case_jid(st, 6),
			    "assigned_login", db_col_jstr(st, 7),
			    "filing_id", tipoff_case_jid(st, 8),
			    "filing_number", db_col_jstr(st, 9),
			    "duplicate_of", tipoff_case_jid(st, 10),
			    "duplicate_of_reference", db_col_jstr(st, 11),
			    "close_reason", db_col_jstr(st, 12),
			    "first_answer_at", db_col_jstr(st, 13),
			    "decided_at", db_col_jstr(st, 14),
			    "submission", sub,
			    "submission_sha256", db_col_str(st, 16, NULL));
	}
	db_reset(st);
	if (r == 1 && *out == NULL)
		r = -1;
	return (r);
}

/* The internal notes, oldest first, opened. */
int
tipoff_case_notes(struct db *db, int64_t id, json_t *out)
{
	struct db_stmt	*st;
	char		*body;
	int		r;

	if ((st = db_prepare(db, sql_notes)) == NULL)
		return (0);
	db_bind_i64(st, 0, id);
	if (!db_execute(st))
		return (0);
	while ((r = db_fetch(st)) == 1) {
		if ((body = unseal(db_col_str(st, 3, NULL))) == NULL) {
			r = -1;
			break;
		}
		json_array_append_new(out, json_pack("{s:I,s:I,s:s,s:s,s:s}",
		    "id", (json_int_t)db_col_i64(st, 0),
		    "account_id", (json_int_t)db_col_i64(st, 1),
		    "login", db_col_str(st, 2, NULL), "body", body,
		    "created_at", db_col_str(st, 4, NULL)));
		free(body);
	}
	db_reset(st);
	return (r == 0);
}

int
tipoff_case_note_add(struct db *db, int64_t id, int64_t account,
    const char *body, int64_t *nid, char *at, size_t atlen)
{
	struct db_stmt	*st;
	char		*sealed;
	int		ok, r;

	if ((sealed = seal(body, strlen(body))) == NULL)
		return (0);
	ok = (st = db_prepare(db, sql_note_add)) != NULL;
	if (ok) {
		db_bind_i64(st, 0, id);
		db_bind_i64(st, 1, account);
		db_bind_str(st, 2, sealed);
		ok = db_execute(st);
	}
	free(sealed);
	if (!ok)
		return (0);
	*nid = (int64_t)db_insert_id(st);
	if ((st = db_prepare(db, sql_note_at)) == NULL)
		return (0);
	db_bind_i64(st, 0, *nid);
	if (!db_execute(st))
		return (0);
	if ((r = db_fetch(st)) == 1)
		db_col_copy(st, 0, at, atlen);
	db_reset(st);
	return (r == 1);
}

/* reason: NULL but for closed; decided: the case leaves the open ones. */
int
tipoff_case_set_status(struct db *db, int64_t id, const char *status,
    const char *reason, int decided)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_status)) == NULL)
		return (0);
	db_bind_str(st, 0, status);
	if (reason != NULL)
		db_bind_str(st, 1, reason);
	else
		db_bind_null(st, 1);
	db_bind_i64(st, 2, decided);
	db_bind_i64(st, 3, id);
	return (db_execute(st));
}

static int
tipoff_case_set2(struct db *db, const char *sql, int64_t v, int64_t id)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql)) == NULL)
		return (0);
	db_bind_i64(st, 0, v);
	db_bind_i64(st, 1, id);
	return (db_execute(st));
}

int
tipoff_case_assign(struct db *db, int64_t id, int64_t account)
{
	return (tipoff_case_set2(db, sql_assign, account, id));
}

int
tipoff_case_link_filing(struct db *db, int64_t id, int64_t filing)
{
	return (tipoff_case_set2(db, sql_link, filing, id));
}

int
tipoff_case_set_duplicate(struct db *db, int64_t id, int64_t of)
{
	return (tipoff_case_set2(db, sql_duplicate, of, id));
}

/* The first message to the reporter stops the answer target's clock. */
int
tipoff_case_answered(struct db *db, int64_t id)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_answered)) == NULL)
		return (0);
	db_bind_i64(st, 0, id);
	return (db_execute(st));
}

/* An active account's role bit: 1, 0 none or disabled, -1 error. */
int
tipoff_case_staff_role(struct db *db, int64_t account, int *role)
{
	struct db_stmt	*st;
	int		r;

	if ((st = db_prepare(db, sql_role)) == NULL)
		return (-1);
	db_bind_i64(st, 0, account);
	if (!db_execute(st))
		return (-1);
	if ((r = db_fetch(st)) == 1)
		*role = role_parse(db_col_str(st, 0, NULL));
	db_reset(st);
	return (r);
}
