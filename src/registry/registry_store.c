/*
 * The SQL of the public register: one record per platform, search and
 * pages, the whole register for the exports, and its public events.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "registry/registry.h"

static const char	*sql_put =
    "INSERT INTO registry (filing_id, filing_number, platform_name,"
    " homepage_host, sponsor_name, status, record, filed_on, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NOW(6)) ON DUPLICATE KEY UPDATE"
    " platform_name = VALUES(platform_name),"
    " homepage_host = VALUES(homepage_host),"
    " sponsor_name = VALUES(sponsor_name), status = VALUES(status),"
    " record = VALUES(record), updated_at = NOW(6)";
static const char	*sql_get =
    "SELECT record FROM registry WHERE filing_number = ?";
static const char	*sql_count =
    "SELECT COUNT(*) FROM registry WHERE (? IS NULL OR status = ?) AND"
    " (? IS NULL OR platform_name LIKE ? OR sponsor_name LIKE ? OR"
    " homepage_host LIKE ? OR filing_number = ?)";
static const char	*sql_page =
    "SELECT record FROM registry WHERE (? IS NULL OR status = ?) AND"
    " (? IS NULL OR platform_name LIKE ? OR sponsor_name LIKE ? OR"
    " homepage_host LIKE ? OR filing_number = ?)"
    " ORDER BY filed_on DESC, filing_id DESC LIMIT ? OFFSET ?";

static const char	*sql_all =
    "SELECT record FROM registry ORDER BY filed_on, filing_id LIMIT 1000000";
static const char	*sql_events =
    "SELECT h.id, DATE_FORMAT(h.at, '%Y-%m-%dT%H:%i:%sZ'), h.event,"
    " r.filing_number, r.platform_name FROM filing_history h"
    " JOIN registry r ON r.filing_id = h.filing_id"
    " WHERE h.event IN ('approved', 'change_approved', 'deregistered',"
    " 'revoked') ORDER BY h.id DESC LIMIT 100";

int
registry_store_put(struct db *db, int64_t id, const char *number,
    const char *name, const char *host, const char *sponsor,
    const char *status, const char *record)
{
	struct db_stmt	*st;
	char		filed_on[11];
	json_t		*r;

	r = json_loads(record, 0, NULL);
	(void)snprintf(filed_on, sizeof(filed_on), "%s",
	    json_string_value(json_object_get(r, "filed_on")) != NULL ?
	    json_string_value(json_object_get(r, "filed_on")) : "");
	json_decref(r);
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
	return (db_execute(st));
}

/* Returns 1 found, 0 unknown, -1 error. */
int
registry_store_get(struct db *db, const char *number, json_t **out)
{
	struct db_stmt	*st;
	int		r;

	*out = NULL;
	if ((st = db_prepare(db, sql_get)) == NULL)
		return (-1);
	db_bind_str(st, 0, number);
	if (!db_execute(st))
		return (-1);
	if ((r = db_fetch(st)) == 1) {
		*out = json_loads(db_col_str(st, 0, NULL), 0, NULL);
		if (*out == NULL)
			r = -1;
	}
	db_reset(st);
	return (r);
}

/* LIKE pattern for a substring, with the wildcards in q escaped. */
static char *
registry_like(const char *q)
{
	char	*p, *o;

	if ((p = malloc(strlen(q) * 2 + 3)) == NULL)
		return (NULL);
	o = p;
	*o++ = '%';
	for (; *q != '\0'; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			*o++ = '\\';
		*o++ = *q;
	}
	*o++ = '%';
	*o = '\0';
	return (p);
}

static void
registry_bind(struct db_stmt *st, const char *q, const char *like,
    const char *status)
{
	db_bind_str(st, 0, status);
	db_bind_str(st, 1, status);
	db_bind_str(st, 2, q);
	db_bind_str(st, 3, like);
	db_bind_str(st, 4, like);
	db_bind_str(st, 5, like);
	db_bind_str(st, 6, q);
}

int
registry_store_search(struct db *db, const char *q, const char *status,
    int page, int per_page, json_t *out, int64_t *total)
{
	struct db_stmt	*st;
	char		*like;
	json_t		*rec;
	int		r;

	like = NULL;
	if (q != NULL && (like = registry_like(q)) == NULL)
		return (0);
	r = -1;
	if ((st = db_prepare(db, sql_count)) == NULL)
		goto out;
	registry_bind(st, q, like, status);
	if (!db_execute(st) || db_fetch(st) != 1)
		goto out;
	*total = db_col_i64(st, 0);
	db_reset(st);

	if ((st = db_prepare(db, sql_page)) == NULL)
		goto out;
	registry_bind(st, q, like, status);
	db_bind_i64(st, 7, per_page);
	db_bind_i64(st, 8, (int64_t)(page - 1) * per_page);
	if (!db_execute(st))
		goto out;
	while ((r = db_fetch(st)) == 1) {
		if ((rec = json_loads(db_col_str(st, 0, NULL), 0, NULL)))
			json_array_append_new(out, rec);
	}
	db_reset(st);
out:
	free(like);
	return (r == 0);
}

/* The whole register, oldest filing first: the exports. */
int
registry_store_all(struct db *db, json_t *out)
{
	struct db_stmt	*st;
	json_t		*rec;
	int		r;

	if ((st = db_prepare(db, sql_all)) == NULL || !db_execute(st))
		return (0);
	while ((r = db_fetch(st)) == 1) {
		if ((rec = json_loads(db_col_str(st, 0, NULL), 0, NULL)))
			json_array_append_new(out, rec);
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
