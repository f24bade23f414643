/*
 * The SQL of the tip-off channel's other ways in, its retention and its
 * statistics.  Months and days are Beijing time (UTC+8), as the rest of
 * the portal counts them; the columns hold UTC.
 */

#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "tipoff/tipoff_intake.h"

#define BJ(col)		"(" col " + INTERVAL 8 HOUR)"
#define MONTH(col)	"DATE_FORMAT(" BJ(col) ", '%Y-%m')"
#define DECIDED		"status IN ('verified', 'unfounded', 'closed')" \
			" AND decided_at IS NOT NULL"

static const char	*sql_channel =
    "UPDATE tipoff SET channel = ? WHERE id = ?";
/* The retention cutoff, and the six months no purge reaches into. */
static const char	*sql_cutoffs =
    "SELECT DATE_FORMAT(COALESCE(?, DATE(UTC_TIMESTAMP() + INTERVAL 8 HOUR)"
    " - INTERVAL ? DAY), '%Y-%m-%d'), DATE_FORMAT(DATE(UTC_TIMESTAMP()"
    " + INTERVAL 8 HOUR) - INTERVAL 6 MONTH, '%Y-%m-%d')";
static const char	*sql_purgeable =
    "SELECT id, reference FROM tipoff WHERE " DECIDED
    " AND " BJ("decided_at") " < ? AND " BJ("received_at") " < ?"
    " ORDER BY id FOR UPDATE";
static const char	*sql_tally =
    "INSERT INTO tipoff_purged (received_month, decided_month, category,"
    " channel, status, n) SELECT " MONTH("received_at") ", "
    MONTH("decided_at") ", category, channel, status, 1 FROM tipoff"
    " WHERE id = ? ON DUPLICATE KEY UPDATE n = n + 1";
static const char	*sql_tally_outcomes =
    "INSERT INTO tipoff_outcome_purged (month, category, kind, n)"
    " SELECT " MONTH("o.created_at") ", t.category, o.kind, COUNT(*)"
    " FROM tipoff_outcome o JOIN tipoff t ON t.id = o.tipoff_id"
    " WHERE o.tipoff_id = ? GROUP BY 1, 2, 3"
    " ON DUPLICATE KEY UPDATE n = n + VALUES(n)";
static const char	*sql_evidence_delete =
    "DELETE FROM attachment WHERE owner_type = 'tipoff' AND owner_id = ?";
static const char	*sql_unlink_duplicates =
    "UPDATE tipoff SET duplicate_of = NULL WHERE duplicate_of = ?";
/* Messages and reporter sessions go with it (ON DELETE CASCADE). */
static const char	*sql_delete =
    "DELETE FROM tipoff WHERE id = ?";
/*
 * Counts only: a month, received or decided, the category, the status
 * a decision ended in; and what was done about verified cases (measure
 * "action", the outcome's kind in the status column).  Purged cases
 * count through tipoff_purged and tipoff_outcome_purged.
 */
static const char	*sql_stats =
    "SELECT m, measure, category, status, CAST(SUM(n) AS SIGNED) FROM ("
    " SELECT " MONTH("received_at") " AS m, 'received' AS measure,"
    " category, '' AS status, 1 AS n FROM tipoff"
    " UNION ALL SELECT " MONTH("decided_at") ", 'decided', category,"
    " status, 1 FROM tipoff WHERE " DECIDED
    " UNION ALL SELECT received_month, 'received', category, '', n"
    " FROM tipoff_purged"
    " UNION ALL SELECT decided_month, 'decided', category, status, n"
    " FROM tipoff_purged"
    " UNION ALL SELECT " MONTH("o.created_at") ", 'action', t.category,"
    " o.kind, 1 FROM tipoff_outcome o JOIN tipoff t ON t.id = o.tipoff_id"
    " UNION ALL SELECT month, 'action', category, kind, n"
    " FROM tipoff_outcome_purged"
    ") s GROUP BY m, measure, category, status"
    " ORDER BY m, measure DESC, category, status";

int
tipoff_intake_store_channel(struct db *db, int64_t id, const char *channel)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_channel)) == NULL)
		return (0);
	db_bind_str(st, 0, channel);
	db_bind_i64(st, 1, id);
	return (db_execute(st) && db_affected(st) == 1);
}

/*
 * before: YYYY-MM-DD or NULL for today less days.  Gives that cutoff
 * and the six-month bound on reception, both YYYY-MM-DD.
 */
int
tipoff_intake_store_cutoffs(struct db *db, const char *before, int days,
    char *cutoff, size_t clen, char *floor, size_t flen)
{
	struct db_stmt	*st;
	int		r;

	if ((st = db_prepare(db, sql_cutoffs)) == NULL)
		return (0);
	if (before != NULL)
		db_bind_str(st, 0, before);
	else
		db_bind_null(st, 0);
	db_bind_i64(st, 1, days);
	if (!db_execute(st))
		return (0);
	if ((r = db_fetch(st)) == 1) {
		db_col_copy(st, 0, cutoff, clen);
		db_col_copy(st, 1, floor, flen);
	}
	db_reset(st);
	return (r == 1);
}

static int
tipoff_intake_by_id(struct db *db, const char *sql, int64_t id)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql)) == NULL)
		return (0);
	db_bind_i64(st, 0, id);
	return (db_execute(st));
}

/*
 * Deletes the cases decided before cutoff and received before floor,
 * with their evidence, messages and sessions, after counting them into
 * tipoff_purged.  Appends {id, reference} of each to done.
 */
int
tipoff_intake_store_purge(struct db *db, const char *cutoff,
    const char *floor, json_t *done)
{
	struct db_stmt	*st;
	json_t		*v;
	size_t		i;
	int64_t		id;
	int		r;

	if ((st = db_prepare(db, sql_purgeable)) == NULL)
		return (0);
	db_bind_str(st, 0, cutoff);
	db_bind_str(st, 1, floor);
	if (!db_execute(st))
		return (0);
	while ((r = db_fetch(st)) == 1)
		json_array_append_new(done, json_pack("{s:I,s:s}",
		    "id", (json_int_t)db_col_i64(st, 0),
		    "reference", db_col_str(st, 1, NULL)));
	db_reset(st);
	if (r != 0)
		return (0);
	json_array_foreach(done, i, v) {
		id = (int64_t)json_integer_value(json_object_get(v, "id"));
		if (!tipoff_intake_by_id(db, sql_tally, id) ||
		    !tipoff_intake_by_id(db, sql_tally_outcomes, id) ||
		    !tipoff_intake_by_id(db, sql_evidence_delete, id) ||
		    !tipoff_intake_by_id(db, sql_unlink_duplicates, id) ||
		    !tipoff_intake_by_id(db, sql_delete, id))
			return (0);
	}
	return (1);
}

/* Rows {month, measure, category, status, count} into out. */
int
tipoff_intake_store_stats(struct db *db, json_t *out)
{
	struct db_stmt	*st;
	int		r;

	if ((st = db_prepare(db, sql_stats)) == NULL || !db_execute(st))
		return (0);
	while ((r = db_fetch(st)) == 1)
		json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:s,s:I}",
		    "month", db_col_str(st, 0, NULL),
		    "measure", db_col_str(st, 1, NULL),
		    "category", db_col_str(st, 2, NULL),
		    "status", db_col_str(st, 3, NULL),
		    "count", (json_int_t)db_col_i64(st, 4)));
	db_reset(st);
	return (r == 0);
}
