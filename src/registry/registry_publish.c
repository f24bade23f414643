/*
 * Publishing: the public record of a filing, built from its form by the
 * pure rules of src/domain/filing_form.c (a fixed list of public keys,
 * nothing else), written to the registry table.  The caller, who owns
 * the filing, hands in the form (opened or sealed: only public keys are
 * read) and the dates of its approved changes.
 */

#include <stdlib.h>

#include "db/db.h"
#include "domain/filing_form.h"
#include "registry/registry.h"

/*
 * changes: [{"changed_on", "approved_on"}]; taken over by the record.
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
	json_t		*rec;
	char		*host, *text;
	const char	*name, *sponsor;
	uint64_t	rev;
	int		ok;

	rec = filing_public_record(form, number, status, filed_on, ended_on);
	if (changes != NULL)
		json_array_extend(json_object_get(rec, "changes"), changes);
	name = json_string_value(json_object_get(json_object_get(form,
	    "platform"), "name"));
	sponsor = json_string_value(json_object_get(json_object_get(form,
	    "sponsor"), "name"));
	host = filing_form_host(form);
	text = json_dumps(rec, JSON_COMPACT);
	ok = name != NULL && sponsor != NULL && host != NULL &&
	    text != NULL && registry_store_bump(db, &rev) &&
	    registry_store_put(db, id, number, name, host, sponsor, status,
	    filed_on, text, rev);
	free(host);
	free(text);
	json_decref(rec);
	return (ok);
}
