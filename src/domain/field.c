/*
 * Field errors of a 422 answer, shared by every input check: one
 * {code, message} per field name, and the check of a reason given in
 * words.
 */

#include <jansson.h>

#include "domain/field.h"
#include "domain/validate.h"

/*
 * Records a field's error.  The first one found stands: checks run from
 * the most basic (missing, wrong type) to the finest, and the basic
 * problem is the one worth telling.
 */
void
field_error(json_t *fields, const char *name, const char *code,
    const char *message)
{
	if (json_object_get(fields, name) != NULL)
		return;
	json_object_set_new(fields, name, json_pack("{s:s,s:s}",
	    "code", code, "message", message));
}

/*
 * A reason given in words: required, then checked as multi-line text,
 * so that what XML cannot carry never reaches a stored decision.
 * Returns 1 when it is good.
 */
int
field_text(json_t *fields, const char *name, const json_t *v, size_t max,
    const char *missing)
{
	enum validate_result	r;

	r = json_is_string(v) ? validate_text(json_string_value(v),
	    json_string_length(v), max, 1) : VALIDATE_EMPTY;
	if (r == VALIDATE_EMPTY)
		field_error(fields, name, "required", missing);
	else if (r != VALIDATE_OK)
		field_error(fields, name, validate_code(r),
		    validate_message(r));
	return (r == VALIDATE_OK);
}
