#ifndef VCP_FIELD_H
#define VCP_FIELD_H

#include <stddef.h>

#include <jansson.h>

/*
 * Field errors: the "fields" object of a 422 answer maps a field's name
 * to its own {code, message}.  Every check of every capability records
 * its findings with these, so the shape is written once.
 */
void	field_error(json_t *, const char *, const char *, const char *);
int	field_text(json_t *, const char *, const json_t *, size_t,
	    const char *);

#endif
