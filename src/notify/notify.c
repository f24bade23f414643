/*
 * The outbox: any capability emits an event about one of its subjects
 * inside the transaction that changes it, so the event exists exactly
 * when the change does.  The caller builds the payload's content from
 * its own snapshot (notify_build); the outbox numbers the event in its
 * subject's sequence, signs one document per recipient, seals it (it may
 * carry personal data) and stores it for vcpnotifyd and the feed.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "crypto/crypto.h"
#include "crypto/seal.h"
#include "db/db.h"
#include "notify/notify.h"

const char *const	notify_ministries[] = { "mps", "cac", NULL };

static char *
notify_document(const struct notify_subject *s, const char *event,
    const char *uuid, int64_t seq, const char *recipient, const char *now,
    notify_build build, void *arg, size_t *len)
{
	xmlDocPtr	doc;
	xmlNodePtr	root;
	xmlNsPtr	ns;

	(void)s;
	doc = xmlNewDoc((const xmlChar *)"1.0");
	root = notify_xml_root(doc, &ns, uuid, seq, event, recipient, now);
	if (!build(root, ns, arg)) {
		xmlFreeDoc(doc);
		return (NULL);
	}
	return (notify_xml_finish(doc, len));
}

/*
 * Numbers an event of subject: its id, its place in the subject's
 * sequence (the subject's row stays locked to commit) and its time, now
 * (the database's clock, "YYYY-MM-DD HH:MM:SS.ffffff") or, when NULL,
 * read here.  0 on a database error.
 */
int
notify_prepare(struct db *db, const struct notify_subject *s,
    const char *now, struct notify_ticket *t)
{
	char	clock[32];

	memset(t, 0, sizeof(*t));
	t->subject = *s;
	if (now == NULL) {
		if (!db_now(db, clock, sizeof(clock)))
			return (0);
		now = clock;
	}
	if (strlen(now) < 19 || !crypto_uuid4(t->uuid) ||
	    !notify_store_seq(db, s->type, s->id, &t->seq))
		return (0);
	(void)snprintf(t->at, sizeof(t->at), "%.10sT%.8sZ", now, now + 11);
	return (1);
}

/*
 * The ticket's event, one signed and sealed document per recipient
 * (NULL: both ministries, or a NULL-terminated list: a referral goes to
 * one ministry only).  0 when one cannot be made.
 */
int
notify_documents(const struct notify_ticket *t, const char *event,
    const char *const *recipients, notify_build build, void *arg,
    struct notify_docs *d)
{
	char	*xml;
	size_t	len;

	memset(d, 0, sizeof(*d));
	if (recipients == NULL)
		recipients = notify_ministries;
	for (d->n = 0; recipients[d->n] != NULL; d->n++) {
		if (d->n == NOTIFY_RECIPIENTS_MAX)
			goto fail;
		d->recipients[d->n] = recipients[d->n];
		xml = notify_document(&t->subject, event, t->uuid, t->seq,
		    recipients[d->n], t->at, build, arg, &len);
		if (xml == NULL)
			goto fail;
		d->sealed[d->n] = seal(xml, len);
		explicit_bzero(xml, len);
		free(xml);
		if (d->sealed[d->n] == NULL)
			goto fail;
	}
	return (1);

fail:
	notify_documents_free(d);
	return (0);
}

/* Every slot: a failed notify_documents leaves the one it failed on. */
void
notify_documents_free(struct notify_docs *d)
{
	int	i;

	for (i = 0; i < NOTIFY_RECIPIENTS_MAX; i++) {
		free(d->sealed[i]);
		d->sealed[i] = NULL;
	}
	d->n = 0;
}

/*
 * The ticket's documents (notify_documents) stored in one statement.
 * Returns 1, or 0 when nothing may be committed.
 */
int
notify_write(struct db *db, const struct notify_ticket *t, const char *event,
    const char *const *recipients, notify_build build, void *arg)
{
	struct notify_docs	d;
	int			ok;

	if (!notify_documents(t, event, recipients, build, arg, &d))
		return (0);
	ok = notify_store_insert(db, t->uuid, d.recipients, d.n,
	    t->subject.type, t->subject.id, t->seq, event,
	    (const char *const *)d.sealed);
	notify_documents_free(&d);
	return (ok);
}

/* An event numbered and written at once (notify_prepare, notify_write). */
int
notify_emit(struct db *db, const struct notify_subject *s, const char *event,
    const char *const *recipients, notify_build build, void *arg)
{
	struct notify_ticket	t;

	return (notify_prepare(db, s, NULL, &t) &&
	    notify_write(db, &t, event, recipients, build, arg));
}
