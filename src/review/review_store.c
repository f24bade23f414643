/*
 * The SQL of the review queue: for each kind of case, the ones waiting
 * for a decision, as raw rows (what the queue shows, the receipt date
 * its deadline counts from).  The queue adds deadlines and flags.
 */

#include <stdlib.h>

#include "crypto/seal.h"
#include "db/db.h"
#include "db/db_json.h"
#include "review/review.h"

static const char	*sql_filings =
    "SELECT id, IF(receipts > 1, 'resubmission', 'application'),"
    " JSON_UNQUOTE(JSON_EXTRACT(form, '$.platform.name')),"
    " JSON_UNQUOTE(JSON_EXTRACT(form, '$.sponsor.name')),"
    " receipt_date, online_date, receipts"
    " FROM filing WHERE status = 'submitted'"
    " ORDER BY deadline, received_at LIMIT 1000";
static const char	*sql_changes =
    "SELECT c.filing_id, c.id, JSON_UNQUOTE(JSON_EXTRACT(c.form,"
    " '$.platform.name')), JSON_UNQUOTE(JSON_EXTRACT(c.form,"
    " '$.sponsor.name')), c.receipt_date, c.receipts, c.late, c.due_on"
    " FROM filing_change c WHERE c.status = 'submitted'"
    " ORDER BY c.deadline, c.received_at LIMIT 1000";

/*
 * Tip-offs, oldest first: status "open" (new, in review), "all" or one
 * status; of one category if asked (NULL: any).  The day of receipt is China's
 * (UTC+8), as every working day is.
 */
static const char	*sql_tipoffs =
    "SELECT t.id, t.reference, t.status, t.category, t.channel,"
    " DATE_FORMAT(t.received_at + INTERVAL 8 HOUR, '%Y-%m-%d'),"
    " DATE_FORMAT(t.received_at, '%Y-%m-%dT%H:%i:%sZ'),"
    " t.first_answer_at IS NOT NULL, t.assigned_to, a.login, t.filing_id,"
    " f.filing_number, JSON_UNQUOTE(JSON_EXTRACT(f.form,"
    " '$.platform.name')), t.content, t.duplicate_of"
    " FROM tipoff t LEFT JOIN account a ON a.id = t.assigned_to"
    " LEFT JOIN filing f ON f.id = t.filing_id"
    " WHERE CASE ? WHEN 'open' THEN t.status IN ('new', 'in_review')"
    " WHEN 'all' THEN 1 ELSE t.status = ? END"
    " AND (? IS NULL OR t.category = ?)"
    " ORDER BY t.received_at, t.id LIMIT 1000";

/* The platform a tip-off names: its filing's, else the sealed report's. */
static json_t *
review_tipoff_platform(struct db_stmt *st)
{
	json_t	*sub, *p, *out;
	char	*plain;

	if (!db_col_null(st, 10))
		return (json_pack("{s:I,s:o,s:o}", "filing_id",
		    (json_int_t)db_col_i64(st, 10), "filing_number",
		    db_col_jstr(st, 11), "name", db_col_jstr(st, 12)));
	out = json_object();
	if ((plain = unseal(db_col_str(st, 13, NULL))) == NULL)
		return (out);
	sub = json_loads(plain, 0, NULL);
	free(plain);
	p = json_object_get(sub, "platform");
	if (json_is_object(p))
		json_object_update(out, p);
	json_decref(sub);
	return (out);
}

int
review_store_tipoffs(struct db *db, const char *status, const char *category,
    json_t *out)
{
	struct db_stmt	*st;
	int		r;

	if ((st = db_prepare(db, sql_tipoffs)) == NULL)
		return (0);
	db_bind_str(st, 0, status);
	db_bind_str(st, 1, status);
	if (category != NULL) {
		db_bind_str(st, 2, category);
		db_bind_str(st, 3, category);
	} else {
		db_bind_null(st, 2);
		db_bind_null(st, 3);
	}
	if (!db_execute(st))
		return (0);
	while ((r = db_fetch(st)) == 1) {
		json_array_append_new(out, json_pack("{s:I,s:s,s:s,s:s,s:s,"
		    "s:s,s:s,s:b,s:o,s:o,s:o,s:o}",
		    "tipoff_id", (json_int_t)db_col_i64(st, 0),
		    "reference", db_col_str(st, 1, NULL),
		    "status", db_col_str(st, 2, NULL),
		    "category", db_col_str(st, 3, NULL),
		    "channel", db_col_str(st, 4, NULL),
		    "receipt_date", db_col_str(st, 5, NULL),
		    "received_at", db_col_str(st, 6, NULL),
		    "answered", (int)db_col_i64(st, 7),
		    "assigned_to", db_col_null(st, 8) ? json_null() :
		    json_integer(db_col_i64(st, 8)),
		    "assigned_login", db_col_jstr(st, 9),
		    "platform", review_tipoff_platform(st),
		    "duplicate_of", db_col_null(st, 14) ? json_null() :
		    json_integer(db_col_i64(st, 14))));
	}
	db_reset(st);
	return (r == 0);
}

/* Applications and resubmissions of filings. */
int
review_store_filings(struct db *db, json_t *out)
{
	struct db_stmt	*st;
	int		r;

	if ((st = db_prepare(db, sql_filings)) == NULL || !db_execute(st))
		return (0);
	while ((r = db_fetch(st)) == 1) {
		json_array_append_new(out, json_pack("{s:I,s:s,s:o,s:o,s:s,"
		    "s:o,s:I}", "filing_id", (json_int_t)db_col_i64(st, 0),
		    "kind", db_col_str(st, 1, NULL),
		    "platform_name", db_col_jstr(st, 2),
		    "sponsor_name", db_col_jstr(st, 3),
		    "receipt_date", db_col_str(st, 4, NULL),
		    "online_date", db_col_jstr(st, 5),
		    "receipts", (json_int_t)db_col_i64(st, 6)));
	}
	db_reset(st);
	return (r == 0);
}

/* Changes of filed platforms. */
int
review_store_changes(struct db *db, json_t *out)
{
	struct db_stmt	*st;
	int		r;

	if ((st = db_prepare(db, sql_changes)) == NULL || !db_execute(st))
		return (0);
	while ((r = db_fetch(st)) == 1) {
		json_array_append_new(out, json_pack("{s:I,s:I,s:s,s:o,s:o,"
		    "s:s,s:o,s:I,s:b,s:o}",
		    "filing_id", (json_int_t)db_col_i64(st, 0),
		    "change_id", (json_int_t)db_col_i64(st, 1),
		    "kind", "change",
		    "platform_name", db_col_jstr(st, 2),
		    "sponsor_name", db_col_jstr(st, 3),
		    "receipt_date", db_col_str(st, 4, NULL),
		    "online_date", json_null(),
		    "receipts", (json_int_t)db_col_i64(st, 5),
		    "late_change", (int)db_col_i64(st, 6),
		    "change_due_on", db_col_jstr(st, 7)));
	}
	db_reset(st);
	return (r == 0);
}
