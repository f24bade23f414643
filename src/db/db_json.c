/* Columns as JSON values, for the store files that answer in JSON. */

#include "db/db.h"
#include "db/db_json.h"

/* A string column, or JSON null for SQL NULL. */
json_t *
db_col_jstr(struct db_stmt *st, int i)
{
	const char	*s;

	s = db_col_str(st, i, NULL);
	return (s != NULL ? json_string(s) : json_null());
}

/* A column holding JSON text, parsed; JSON null for NULL or bad text. */
json_t *
db_col_jobj(struct db_stmt *st, int i)
{
	const char	*s;
	json_t		*j;

	s = db_col_str(st, i, NULL);
	j = s != NULL ? json_loads(s, 0, NULL) : NULL;
	return (j != NULL ? j : json_null());
}
