#ifndef VCP_ID_H
#define VCP_ID_H

#include <stdint.h>

/*
 * Ids and counts as they appear in paths, queries and commands: ASCII
 * digits only, no sign, no leading zero, no spaces, no overflow.  One
 * spelling per number, so "+5", "05" and " 5" name nothing.
 */
#define ID_MAX		INT64_MAX

int	id_parse(const char *, int64_t *);
int	id_parse_range(const char *, int64_t, int64_t, int64_t *);

#endif
