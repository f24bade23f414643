/*
 * Publishing: the public record of a filing, built from its form by the
 * pure rules of src/domain/filing_form.c (a fixed list of public keys,
 * nothing else), written to the registry table.  The caller, who owns
 * the filing, hands in the form (opened or sealed: only public keys are
 * read) and the dates of its approved changes.
 */

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "domain/filing_form.h"
#include "registry/registry.h"

/*
 * The record and the columns the register is searched by, built from
 * the form.  changes: [{"changed_on", "approved_on"}]; taken over by the
 * record.  0 when the form lacks what a record needs.
 */
int
registry_pub_make(struct registry_publication *re, int64_t id,
    const char *number, const char *filed_on, const json_t *form,
    const char *status, const char *ended_on, json_t *changes)
{
	json_t		*rec;

	memset(re, 0, sizeof(*re));
	re->id = id;
	re->number = number;
	re->filed_on = filed_on;
	re->status = status;
	rec = filing_public_record(form, number, status, filed_on, ended_on);
	if (changes != NULL)
		json_array_extend(json_object_get(rec, "changes"), changes);
	re->name = json_string_value(json_object_get(json_object_get(form,
	    "platform"), "name"));
	re->sponsor = json_string_value(json_object_get(json_object_get(form,
	    "sponsor"), "name"));
	re->host = filing_form_host(form);
	re->record = json_dumps(rec, JSON_COMPACT);
	json_decref(rec);
	if (re->name == NULL || re->sponsor == NULL || re->host == NULL ||
	    re->record == NULL) {
		registry_pub_free(re);
		return (0);
	}
	return (1);
}

void
registry_pub_free(struct registry_publication *re)
{
	free(re->host);
	free(re->record);
	re->host = re->record = NULL;
}

/*
 * The record carries the register's next version (registry_store_bump),
 * which tells every worker of every host to look: the version's row lock
 * is held to the caller's commit, so versions follow the commits and a
 * worker reads only the records newer than its snapshot.
 */
int
registry_publish(struct db *db, int64_t id, const char *number,
    const char *filed_on, const json_t *form, const char *status,
    const char *ended_on, json_t *changes)
{
	struct registry_publication	re;
	uint64_t			rev;
	int				ok;

	if (!registry_pub_make(&re, id, number, filed_on, form, status,
	    ended_on, changes))
		return (0);
	ok = registry_store_bump(db, &rev) && registry_store_put(db, re.id,
	    re.number, re.name, re.host, re.sponsor, re.status, re.filed_on,
	    re.record, rev);
	registry_pub_free(&re);
	return (ok);
}
