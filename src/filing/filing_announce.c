/*
 * Telling the world that a filing changed: its record on the public
 * register is rewritten and the ministries' event is emitted, both in
 * the caller's transaction, so neither exists without the change.  Every
 * filing event (filed, changed, deregistered, revoked) does both.
 */

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "filing/filing.h"
#include "notify/notify.h"
#include "registry/registry.h"

/*
 * The public record, with the dates of the filing's approved changes.
 * The form may be sealed: only public keys are read.
 */
static int
filing_announce_publish(struct db *db, const struct filing_announcement *a)
{
	const struct filing_notice	*e = a->snap.e;
	json_t				*form;
	int				ok;

	if ((form = json_loads(e->form, 0, NULL)) == NULL)
		return (0);
	ok = registry_publish(db, e->filing_id, e->number, e->filed_on, form,
	    e->status, e->ended_on, a->changes);
	json_decref(form);
	return (ok);
}

/*
 * The part that needs nothing e will still receive (approval's number):
 * the payload's content and the changes' dates read, the event numbered,
 * at now (the database's clock) or, when NULL, the clock read here.
 */
int
filing_announce_begin(struct db *db, const struct filing_notice *e,
    const char *now, struct filing_announcement *a)
{
	struct notify_subject	subject;

	memset(a, 0, sizeof(*a));
	subject.type = "filing";
	subject.id = e->filing_id;
	return ((a->changes = json_array()) != NULL &&
	    change_store_dates(db, e->filing_id, a->changes) &&
	    filing_snapshot_open(db, e, &a->snap) &&
	    notify_prepare(db, &subject, now, &a->ticket));
}

/* The record rewritten and the event written, from e as it is now. */
int
filing_announce_end(struct db *db, struct filing_announcement *a)
{
	return (filing_announce_publish(db, a) &&
	    filing_emit_write(db, &a->snap, &a->ticket));
}

/*
 * An approval's end, once it holds its number: the record and the
 * ministries' documents made, then written with the filing's own row and
 * its history entry (history, detail, by actor, at) in one round trip,
 * the number's row lock being held until the commit.
 */
int
filing_announce_filed(struct db *db, struct filing_announcement *a,
    const char *at, int64_t actor, const char *history, const json_t *detail)
{
	const struct filing_notice	*e = a->snap.e;
	struct registry_publication	r;
	struct notify_docs		d;
	struct filing_filed		f;
	json_t				*form;
	char				*text;
	int				ok;

	ok = 0;
	text = NULL;
	memset(&r, 0, sizeof(r));
	memset(&d, 0, sizeof(d));
	/* The record's strings point into the form: it lives to the end. */
	if ((form = json_loads(e->form, 0, NULL)) == NULL ||
	    !registry_pub_make(&r, e->filing_id, e->number, e->filed_on, form,
	    e->status, e->ended_on, a->changes) ||
	    !filing_emit_docs(&a->snap, &a->ticket, &d) ||
	    (text = json_dumps(detail, JSON_COMPACT)) == NULL)
		goto cleanup;
	memset(&f, 0, sizeof(f));
	f.at = at;
	f.entry = &r;
	f.ticket = &a->ticket;
	f.event = e->event;
	f.docs = &d;
	f.actor = actor;
	f.history = history;
	f.detail = text;
	ok = filing_store_filed(db, &f);
cleanup:
	free(text);
	notify_documents_free(&d);
	registry_pub_free(&r);
	json_decref(form);
	return (ok);
}

void
filing_announce_free(struct filing_announcement *a)
{
	filing_snapshot_close(&a->snap);
	json_decref(a->changes);
	a->changes = NULL;
}

/*
 * Both steps at once, for every event but approval: emitted inside the
 * transaction that changes the filing, so it exists exactly when the
 * change does.
 */
int
filing_announce(struct db *db, const struct filing_notice *e)
{
	struct filing_announcement	a;
	int				ok;

	ok = filing_announce_begin(db, e, NULL, &a) &&
	    filing_announce_end(db, &a);
	filing_announce_free(&a);
	return (ok);
}
