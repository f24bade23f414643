/*
 * The SQL of the working-day calendar: a year's notice stored as its
 * holidays and adjusted working days, the version bumped on each load,
 * and the whole calendar read back for a worker's snapshot.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/calendar_store.h"
#include "db/db.h"
#include "domain/calendar.h"

static const char	*sql_version =
    "SELECT version FROM calendar_meta WHERE id = 1";
static const char	*sql_version_lock =
    "SELECT version FROM calendar_meta WHERE id = 1 LOCK IN SHARE MODE";
static const char	*sql_years = "SELECT year FROM calendar_year";
static const char	*sql_days =
    "SELECT DATE_FORMAT(day, '%Y-%m-%d'), kind FROM calendar_day";
static const char	*sql_year_clear =
    "DELETE FROM calendar_day WHERE year = ?";
static const char	*sql_year_set =
    "INSERT INTO calendar_year (year, loaded_at, source_sha256)"
    " VALUES (?, NOW(6), ?) ON DUPLICATE KEY UPDATE"
    " loaded_at = NOW(6), source_sha256 = VALUES(source_sha256)";
static const char	*sql_day =
    "INSERT INTO calendar_day (day, kind, year, name) VALUES (?, ?, ?, ?)"
    " ON DUPLICATE KEY UPDATE kind = VALUES(kind), year = VALUES(year),"
    " name = VALUES(name)";
static const char	*sql_year_sha =
    "SELECT source_sha256 FROM calendar_year WHERE year = ?";
static const char	*sql_bump =
    "UPDATE calendar_meta SET version = version + 1 WHERE id = 1";

static int
calendar_store_read_version(struct db *db, const char *sql,
    uint64_t *version)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql)) == NULL || !db_execute(st) ||
	    db_fetch(st) != 1)
		return (0);
	*version = (uint64_t)db_col_i64(st, 0);
	db_reset(st);
	return (1);
}

int
calendar_store_version(struct db *db, uint64_t *version)
{
	return (calendar_store_read_version(db, sql_version, version));
}

/* The version, with a shared lock on it to the end of the transaction. */
int
calendar_store_version_locked(struct db *db, uint64_t *version)
{
	return (calendar_store_read_version(db, sql_version_lock, version));
}

static int
calendar_store_days(struct db *db, struct calendar *cal)
{
	struct db_stmt	*st;
	const char	*s, *kind;
	size_t		len;
	int32_t		day;
	int		r;

	if ((st = db_prepare(db, sql_days)) == NULL || !db_execute(st))
		return (0);
	while ((r = db_fetch(st)) == 1) {
		s = db_col_str(st, 0, &len);
		kind = db_col_str(st, 1, NULL);
		if (s == NULL || kind == NULL || !cal_date_parse(s, len, &day))
			break;
		if (!calendar_mark(cal, day, strcmp(kind, "holiday") == 0 ?
		    CAL_HOLIDAY : CAL_WORKDAY))
			break;
	}
	db_reset(st);
	return (r == 0);
}

/* Builds a fresh calendar from the tables. */
int
calendar_store_load(struct db *db, struct calendar **out)
{
	struct calendar	*cal;
	struct db_stmt	*st;
	int		r;

	*out = NULL;
	if ((cal = calendar_new()) == NULL)
		return (0);
	if ((st = db_prepare(db, sql_years)) == NULL || !db_execute(st)) {
		calendar_free(cal);
		return (0);
	}
	while ((r = db_fetch(st)) == 1) {
		if (!calendar_add_year(cal, (int)db_col_i64(st, 0)))
			break;
	}
	db_reset(st);
	if (r != 0 || !calendar_store_days(db, cal)) {
		calendar_free(cal);
		return (0);
	}
	*out = cal;
	return (1);
}

/* The notice year a day belongs to: the nearest year the notice declares. */
static int
calendar_store_owner(const struct cal_notice *n, int32_t day)
{
	size_t	i;
	int	y, m, d, best, dist, bestdist;

	cal_date_to_ymd(day, &y, &m, &d);
	best = n->years[0];
	bestdist = abs(y - best);
	for (i = 1; i < n->nyears; i++) {
		dist = abs(y - n->years[i]);
		if (dist < bestdist) {
			best = n->years[i];
			bestdist = dist;
		}
	}
	return (best);
}

/*
 * Replaces the notice's years with its content, inside the caller's
 * transaction, and bumps the version the workers watch.
 */
int
calendar_store_save(struct db *db, const struct cal_notice *n,
    const char *sha256hex)
{
	struct db_stmt	*st;
	const struct cal_entry *e;
	char		date[11];
	size_t		i;

	for (i = 0; i < n->nyears; i++) {
		if ((st = db_prepare(db, sql_year_clear)) == NULL)
			return (0);
		db_bind_i64(st, 0, n->years[i]);
		if (!db_execute(st))
			return (0);
		if ((st = db_prepare(db, sql_year_set)) == NULL)
			return (0);
		db_bind_i64(st, 0, n->years[i]);
		db_bind_str(st, 1, sha256hex);
		if (!db_execute(st))
			return (0);
	}
	for (i = 0; i < n->nentries; i++) {
		e = &n->entries[i];
		cal_date_format(e->day, date);
		if ((st = db_prepare(db, sql_day)) == NULL)
			return (0);
		db_bind_str(st, 0, date);
		db_bind_str(st, 1, e->kind == CAL_HOLIDAY ?
		    "holiday" : "workday");
		db_bind_i64(st, 2, calendar_store_owner(n, e->day));
		db_bind_str(st, 3, e->name);
		if (!db_execute(st))
			return (0);
	}
	if ((st = db_prepare(db, sql_bump)) == NULL)
		return (0);
	return (db_execute(st));
}

/* Returns 1 when every year of the notice was loaded from this same file. */
int
calendar_store_same(struct db *db, const struct cal_notice *n,
    const char *sha256hex)
{
	struct db_stmt	*st;
	const char	*sum;
	size_t		i;
	int		same;

	for (i = 0; i < n->nyears; i++) {
		if ((st = db_prepare(db, sql_year_sha)) == NULL)
			return (0);
		db_bind_i64(st, 0, n->years[i]);
		if (!db_execute(st))
			return (0);
		same = db_fetch(st) == 1 && (sum = db_col_str(st, 0, NULL)) !=
		    NULL && strcmp(sum, sha256hex) == 0;
		db_reset(st);
		if (!same)
			return (0);
	}
	return (1);
}
