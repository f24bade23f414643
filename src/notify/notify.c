/*
 * The outbox: any capability emits an event about one of its subjects
 * inside the transaction that changes it, so the event exists exactly
 * when the change does.  The caller builds the payload's content from
 * its own snapshot (notify_build); the outbox numbers the event in its
 * subject's sequence, signs one document per recipient, seals it (it may
 * carry personal data) and stores it for vcpnotifyd and the feed.
 */

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
 * recipients: NULL for both ministries, or a NULL-terminated list (a
 * referral goes to one ministry only).  Returns 1, or 0 when nothing may
 * be committed.
 */
int
notify_emit(struct db *db, const struct notify_subject *s, const char *event,
    const char *const *recipients, notify_build build, void *arg)
{
	const char *const	*r;
	char			uuid[37], now[32], *xml, *sealed;
	int64_t			seq;
	size_t			len;
	int			ok;

	if (recipients == NULL)
		recipients = notify_ministries;
	if (!crypto_uuid4(uuid) || !notify_store_seq(db, s->type, s->id,
	    &seq) || !db_now(db, now, sizeof(now)))
		return (0);
	now[10] = 'T';
	now[19] = 'Z';
	now[20] = '\0';
	ok = 1;
	for (r = recipients; ok && *r != NULL; r++) {
		xml = notify_document(s, event, uuid, seq, *r, now, build, arg,
		    &len);
		sealed = xml != NULL ? seal(xml, len) : NULL;
		ok = sealed != NULL && notify_store_insert(db, uuid, *r,
		    s->type, s->id, seq, event, sealed);
		if (xml != NULL)
			explicit_bzero(xml, len);
		free(xml);
		free(sealed);
	}
	return (ok);
}
