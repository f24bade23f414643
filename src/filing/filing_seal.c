/*
 * The personal fields of a stored form: sealed (AES-256-GCM, the data
 * key) before a form is stored, opened in clear for the operator who
 * entered them and masked for everyone else, and taken out in clear
 * when a regulator asks with a reason.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/seal.h"
#include "domain/filing_form.h"
#include "filing/filing.h"

/* The group object of a "group.field" path, and the field's name. */
static json_t *
filing_seal_at(const json_t *form, const char *path, const char **leaf)
{
	char		group[32];
	const char	*dot;

	dot = strchr(path, '.');
	(void)snprintf(group, sizeof(group), "%.*s", (int)(dot - path), path);
	*leaf = dot + 1;
	return (json_object_get(form, group));
}

/* Replaces each personal field by its sealed form.  0 on failure. */
int
filing_form_seal(json_t *form)
{
	const char	**p, *leaf;
	json_t		*grp, *v;
	char		*sealed;

	for (p = filing_personal_fields; *p != NULL; p++) {
		grp = filing_seal_at(form, *p, &leaf);
		v = json_object_get(grp, leaf);
		if (!json_is_string(v) || json_string_length(v) == 0)
			continue;
		if ((sealed = seal(json_string_value(v),
		    json_string_length(v))) == NULL)
			return (0);
		json_object_set_new(grp, leaf, json_string(sealed));
		free(sealed);
	}
	return (1);
}

/* Opens the sealed fields, masking them unless clear is set. */
int
filing_form_open(json_t *form, int clear)
{
	const char	**p, *leaf;
	json_t		*grp, *v;
	char		*plain, masked[128];

	for (p = filing_personal_fields; *p != NULL; p++) {
		grp = filing_seal_at(form, *p, &leaf);
		v = json_object_get(grp, leaf);
		if (!json_is_string(v) || !seal_is_sealed(json_string_value(v)))
			continue;
		if ((plain = unseal(json_string_value(v))) == NULL)
			return (0);
		if (!clear) {
			filing_mask(*p, plain, masked, sizeof(masked));
			json_object_set_new(grp, leaf, json_string(masked));
		} else {
			json_object_set_new(grp, leaf, json_string(plain));
		}
		explicit_bzero(plain, strlen(plain));
		free(plain);
	}
	return (1);
}

/* The personal fields of an opened form by path, null where absent. */
json_t *
filing_form_personal(const json_t *form)
{
	const char	**p, *leaf;
	json_t		*out, *grp, *v;

	out = json_object();
	for (p = filing_personal_fields; *p != NULL; p++) {
		grp = filing_seal_at(form, *p, &leaf);
		v = json_object_get(grp, leaf);
		json_object_set(out, *p, v != NULL ? v : json_null());
	}
	return (out);
}
