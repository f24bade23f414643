/*
 * Telling the world that a filing changed: its record on the public
 * register is rewritten and the ministries' event is emitted, both in
 * the caller's transaction, so neither exists without the change.  Every
 * filing event (filed, changed, deregistered, revoked) does both.
 */

#include "db/db.h"
#include "filing/filing.h"
#include "registry/registry.h"

/*
 * The public record, with the dates of the filing's approved changes.
 * The form may be sealed: only public keys are read.
 */
static int
filing_announce_publish(struct db *db, const struct filing_notice *e)
{
	json_t	*form, *changes;
	int	ok;

	if ((form = json_loads(e->form, 0, NULL)) == NULL)
		return (0);
	changes = json_array();
	ok = change_store_dates(db, e->filing_id, changes) &&
	    registry_publish(db, e->filing_id, e->number, e->filed_on, form,
	    e->status, e->ended_on, changes);
	json_decref(changes);
	json_decref(form);
	return (ok);
}

int
filing_announce(struct db *db, const struct filing_notice *e)
{
	return (filing_announce_publish(db, e) && filing_emit(db, e) &&
	    registry_changed(db));
}
