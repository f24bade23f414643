#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "filing/filing.h"

static const char	*sql_put =
    "INSERT INTO attachment (filing_id, kind, media_type, filename, size,"
    " sha256, content, uploaded_by, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NOW(6))";
static const char	*sql_list =
    "SELECT id, kind, media_type, filename, size, sha256,"
    " DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ')"
    " FROM attachment WHERE filing_id = ? ORDER BY id";
static const char	*sql_get =
    "SELECT media_type, content FROM attachment"
    " WHERE filing_id = ? AND id = ?";
static const char	*sql_delete =
    "DELETE FROM attachment WHERE filing_id = ? AND id = ?";
static const char	*sql_count =
    "SELECT COUNT(*), SUM(kind = 'mlps_certificate'),"
    " SUM(kind = 'commitment_letter') FROM attachment WHERE filing_id = ?";

int
attachment_store_put(struct db *db, int64_t filing, const char *kind,
    const char *type, const char *filename, const unsigned char *data,
    size_t len, const char *sha256, int64_t by, int64_t *id)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_put)) == NULL)
		return (0);
	db_bind_i64(st, 0, filing);
	db_bind_str(st, 1, kind);
	db_bind_str(st, 2, type);
	db_bind_str(st, 3, filename);
	db_bind_i64(st, 4, (int64_t)len);
	db_bind_str(st, 5, sha256);
	db_bind_blob(st, 6, data, len);
	db_bind_i64(st, 7, by);
	if (!db_execute(st))
		return (0);
	*id = (int64_t)db_insert_id(st);
	return (1);
}

int
attachment_store_list(struct db *db, int64_t filing, json_t *out)
{
	struct db_stmt	*st;
	int		r;

	if ((st = db_prepare(db, sql_list)) == NULL)
		return (0);
	db_bind_i64(st, 0, filing);
	if (!db_execute(st))
		return (0);
	while ((r = db_fetch(st)) == 1) {
		json_array_append_new(out, json_pack("{s:I,s:s,s:s,s:s,s:I,"
		    "s:s,s:s}", "id", (json_int_t)db_col_i64(st, 0),
		    "kind", db_col_str(st, 1, NULL),
		    "media_type", db_col_str(st, 2, NULL),
		    "filename", db_col_str(st, 3, NULL),
		    "size", (json_int_t)db_col_i64(st, 4),
		    "sha256", db_col_str(st, 5, NULL),
		    "uploaded_at", db_col_str(st, 6, NULL)));
	}
	db_reset(st);
	return (r == 0);
}

/* Returns 1 with a malloc'd copy of the content, 0 unknown, -1 error. */
int
attachment_store_get(struct db *db, int64_t filing, int64_t id,
    char *type, size_t tlen, unsigned char **data, size_t *len)
{
	struct db_stmt	*st;
	const char	*p;
	int		r;

	*data = NULL;
	if ((st = db_prepare(db, sql_get)) == NULL)
		return (-1);
	db_bind_i64(st, 0, filing);
	db_bind_i64(st, 1, id);
	if (!db_execute(st))
		return (-1);
	if ((r = db_fetch(st)) == 1) {
		(void)snprintf(type, tlen, "%s", db_col_str(st, 0, NULL));
		p = db_col_str(st, 1, len);
		if (p == NULL || (*data = malloc(*len + 1)) == NULL)
			r = -1;
		else
			memcpy(*data, p, *len);
	}
	db_reset(st);
	return (r);
}

int
attachment_store_delete(struct db *db, int64_t filing, int64_t id)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_delete)) == NULL)
		return (-1);
	db_bind_i64(st, 0, filing);
	db_bind_i64(st, 1, id);
	if (!db_execute(st))
		return (-1);
	return (db_affected(st) == 1);
}

int
attachment_store_count(struct db *db, int64_t filing, int *all, int *mlps,
    int *letter)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_count)) == NULL)
		return (0);
	db_bind_i64(st, 0, filing);
	if (!db_execute(st) || db_fetch(st) != 1)
		return (0);
	*all = (int)db_col_i64(st, 0);
	*mlps = (int)db_col_i64(st, 1);
	*letter = (int)db_col_i64(st, 2);
	db_reset(st);
	return (1);
}
