/*
 * The SQL of the public register: one record per platform, the version
 * its snapshots follow, the whole register for a snapshot, and its public
 * events.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "registry/registry.h"

static const char	*sql_put =
    "INSERT INTO registry (filing_id, filing_number, platform_name,"
    " homepage_host, sponsor_name, status, record, filed_on, updated_at,"
    " rev) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NOW(6), ?)"
    " ON DUPLICATE KEY UPDATE platform_name = VALUES(platform_name),"
    " homepage_host = VALUES(homepage_host),"
    " sponsor_name = VALUES(sponsor_name), status = VALUES(status),"
    " record = VALUES(record), updated_at = NOW(6), rev = VALUES(rev)";
/* The new version comes back through LAST_INSERT_ID: no read after. */
static const char	*sql_bump =
    "UPDATE registry_meta SET version = LAST_INSERT_ID(version + 1)"
    " WHERE id = 1";
static const char	*sql_version =
    "SELECT version, epoch FROM registry_meta WHERE id = 1";
/* In no order: the snapshot sorts its records itself. */
#define SQL_SCAN							\
    "SELECT filing_id, filing_number, platform_name, homepage_host,"	\
    " sponsor_name, status, DATE_FORMAT(filed_on, '%Y-%m-%d'), record"	\
    " FROM registry"
static const char	*sql_scan = SQL_SCAN " LIMIT 10000000";
static const char	*sql_scan_since = SQL_SCAN " WHERE rev > ?";
/*
 * Each kind's newest page through filing_history_event, then the newest
 * page of those: never a walk past the events the feed does not show.
 */
static const char	*sql_events =
    "SELECT h.id, DATE_FORMAT(h.at, '%Y-%m-%dT%H:%i:%sZ'), h.event,"
    " r.filing_number, r.platform_name FROM ("
    " (SELECT id FROM filing_history WHERE event = 'approved'"
    "  ORDER BY id DESC LIMIT 100) UNION ALL"
    " (SELECT id FROM filing_history WHERE event = 'change_approved'"
    "  ORDER BY id DESC LIMIT 100) UNION ALL"
    " (SELECT id FROM filing_history WHERE event = 'deregistered'"
    "  ORDER BY id DESC LIMIT 100) UNION ALL"
    " (SELECT id FROM filing_history WHERE event = 'revoked'"
    "  ORDER BY id DESC LIMIT 100)) t"
    " JOIN filing_history h ON h.id = t.id"
    " JOIN registry r ON r.filing_id = h.filing_id"
    " ORDER BY h.id DESC LIMIT 100";

int
registry_store_put(struct db *db, int64_t id, const char *number,
    const char *name, const char *host, const char *sponsor,
    const char *status, const char *filed_on, const char *record,
    uint64_t rev)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_put)) == NULL)
		return (0);
	db_bind_i64(st, 0, id);
	db_bind_str(st, 1, number);
	db_bind_str(st, 2, name);
	db_bind_str(st, 3, host);
	db_bind_str(st, 4, sponsor);
	db_bind_str(st, 5, status);
	db_bind_str(st, 6, record);
	db_bind_str(st, 7, filed_on);
	db_bind_i64(st, 8, (int64_t)rev);
	return (db_execute(st));
}

/*
 * The register's next version, for a record about to be written: the
 * row stays locked to the commit, so versions are given in commit order.
 */
int
registry_store_bump(struct db *db, uint64_t *version)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_bump)) == NULL || !db_execute(st) ||
	    db_affected(st) != 1)
		return (0);
	*version = db_insert_id(st);
	return (*version > 0);
}

int
registry_store_version(struct db *db, uint64_t *version, uint64_t *epoch)
{
	struct db_stmt	*st;
	int		r;

	if ((st = db_prepare(db, sql_version)) == NULL || !db_execute(st))
		return (0);
	if ((r = db_fetch(st)) == 1) {
		*version = (uint64_t)db_col_i64(st, 0);
		*epoch = (uint64_t)db_col_i64(st, 1);
	}
	db_reset(st);
	return (r == 1);
}

/*
 * Hands every record (since: 0), or those a publish after version since
 * wrote, to cb; stops when cb fails.
 */
int
registry_store_scan(struct db *db, uint64_t since, int (*cb)(void *,
    const struct registry_row *), void *arg)
{
	struct db_stmt		*st;
	struct registry_row	row;
	int			r;

	if ((st = db_prepare(db, since > 0 ? sql_scan_since : sql_scan)) ==
	    NULL)
		return (0);
	if (since > 0)
		db_bind_i64(st, 0, (int64_t)since);
	if (!db_execute(st))
		return (0);
	while ((r = db_fetch(st)) == 1) {
		row.id = db_col_i64(st, 0);
		row.number = db_col_str(st, 1, &row.number_len);
		row.name = db_col_str(st, 2, &row.name_len);
		row.host = db_col_str(st, 3, &row.host_len);
		row.sponsor = db_col_str(st, 4, &row.sponsor_len);
		row.status = db_col_str(st, 5, NULL);
		row.filed_on = db_col_str(st, 6, NULL);
		row.record = db_col_str(st, 7, &row.record_len);
		if (!cb(arg, &row)) {
			r = -1;
			break;
		}
	}
	db_reset(st);
	return (r == 0);
}

/* The newest public events, for the Atom feed. */
int
registry_store_events(struct db *db, json_t *out)
{
	struct db_stmt	*st;
	int		r;

	if ((st = db_prepare(db, sql_events)) == NULL || !db_execute(st))
		return (0);
	while ((r = db_fetch(st)) == 1) {
		json_array_append_new(out, json_pack("{s:I,s:s,s:s,s:s,s:s}",
		    "id", (json_int_t)db_col_i64(st, 0),
		    "at", db_col_str(st, 1, NULL),
		    "event", db_col_str(st, 2, NULL),
		    "filing_number", db_col_str(st, 3, NULL),
		    "platform_name", db_col_str(st, 4, NULL)));
	}
	db_reset(st);
	return (r == 0);
}
