/*
 * The SQL of the review queue: for each kind of case, the ones waiting
 * for a decision, as raw rows (what the queue shows, the receipt date
 * its deadline counts from).  The queue adds deadlines and flags.
 */

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
