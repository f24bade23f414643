/*
 * The SQL of attachments: files kept in the database (a backup of the
 * database is a backup of the evidence), each under its owner's subject
 * type and id.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attachment/attachment.h"
#include "db/db.h"

/*
 * The owner's count and the insert in one statement: no row when the
 * owner has its most already.  The caller holds the owner's row lock, so
 * two uploads cannot both see room for one.
 */
static const char	*sql_put =
    "INSERT INTO attachment (owner_type, owner_id, kind, media_type,"
    " filename, size, sha256, content, uploaded_by, created_at)"
    " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, NOW(6) FROM DUAL"
    " WHERE (SELECT COUNT(*) FROM attachment WHERE owner_type = ?"
    " AND owner_id = ?) < ?";
static const char	*sql_list =
    "SELECT id, kind, media_type, filename, size, sha256,"
    " DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ')"
    " FROM attachment WHERE owner_type = ? AND owner_id = ? ORDER BY id";
static const char	*sql_get =
    "SELECT media_type, content FROM attachment"
    " WHERE owner_type = ? AND owner_id = ? AND id = ?";
static const char	*sql_delete =
    "DELETE FROM attachment WHERE owner_type = ? AND owner_id = ? AND id = ?";

static void
attachment_bind_owner(struct db_stmt *st, const struct attachment_owner *o)
{
	db_bind_str(st, 0, o->type);
	db_bind_i64(st, 1, o->id);
}

/*
 * Stores an attachment unless its owner has max of them: 1 stored (its
 * id in *id), 0 the owner is full, -1 error.  size: the file's own, when
 * in->data is its sealed form.
 */
int
attachment_store_put(struct db *db, const struct attachment_owner *o,
    const struct attachment_in *in, size_t size, const char *sha256,
    int max, int64_t *id)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_put)) == NULL)
		return (-1);
	attachment_bind_owner(st, o);
	db_bind_str(st, 2, in->kind);
	db_bind_str(st, 3, in->media_type);
	db_bind_str(st, 4, in->filename);
	db_bind_i64(st, 5, (int64_t)size);
	db_bind_str(st, 6, sha256);
	db_bind_blob(st, 7, in->data, in->len);
	if (in->by > 0)
		db_bind_i64(st, 8, in->by);
	else
		db_bind_null(st, 8);
	db_bind_str(st, 9, o->type);
	db_bind_i64(st, 10, o->id);
	db_bind_i64(st, 11, max);
	if (!db_execute(st))
		return (-1);
	if (db_affected(st) != 1)
		return (0);
	*id = (int64_t)db_insert_id(st);
	return (1);
}

/* The owner's attachments, oldest first, without their content. */
int
attachment_store_list(struct db *db, const struct attachment_owner *o,
    json_t *out)
{
	struct db_stmt	*st;
	int		r;

	if ((st = db_prepare(db, sql_list)) == NULL)
		return (0);
	attachment_bind_owner(st, o);
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
attachment_store_get(struct db *db, const struct attachment_owner *o,
    int64_t id, char *type, size_t tlen, unsigned char **data, size_t *len)
{
	struct db_stmt	*st;
	const char	*p;
	int		r;

	*data = NULL;
	if ((st = db_prepare(db, sql_get)) == NULL)
		return (-1);
	attachment_bind_owner(st, o);
	db_bind_i64(st, 2, id);
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

/* Returns 1 deleted, 0 unknown, -1 error. */
int
attachment_store_delete(struct db *db, const struct attachment_owner *o,
    int64_t id)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_delete)) == NULL)
		return (-1);
	attachment_bind_owner(st, o);
	db_bind_i64(st, 2, id);
	if (!db_execute(st))
		return (-1);
	return (db_affected(st) == 1);
}
