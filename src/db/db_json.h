#ifndef VCP_DB_JSON_H
#define VCP_DB_JSON_H

#include <jansson.h>

struct db_stmt;

json_t	*db_col_jstr(struct db_stmt *, int);
json_t	*db_col_jobj(struct db_stmt *, int);

#endif
