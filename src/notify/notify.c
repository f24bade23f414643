/*
 * Emitting a filing event: called inside the transaction that changes
 * the filing, so the event exists exactly when the change does.  One
 * signed payload per recipient, sealed before it is stored.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "crypto/seal.h"
#include "db/db.h"
#include "filing/filing.h"
#include "notify/notify.h"

static const char	*recipients[] = { "mps", "cac", NULL };

int
notify_emit(struct db *db, const struct notify_event *e)
{
	json_t		*form, *files;
	char		uuid[37], now[32], *xml, *sealed;
	const char	**r;
	int64_t		seq;
	size_t		len;
	int		ok;

	if (!crypto_uuid4(uuid) || !notify_store_seq(db, e->filing_id, &seq) ||
	    !filing_store_now(db, now, sizeof(now)))
		return (0);
	now[10] = 'T';
	now[19] = 'Z';
	now[20] = '\0';
	files = json_array();
	if ((form = json_loads(e->form, 0, NULL)) == NULL ||
	    !filing_form_open(form, 1) ||
	    !attachment_store_list(db, e->filing_id, files)) {
		json_decref(form);
		json_decref(files);
		return (0);
	}
	ok = 1;
	for (r = recipients; ok && *r != NULL; r++) {
		xml = notify_payload(form, files, e, uuid, seq, *r, now, &len);
		sealed = xml != NULL ? seal(xml, len) : NULL;
		ok = sealed != NULL && notify_store_insert(db, uuid, *r,
		    "filing", e->filing_id, seq, e->event, sealed);
		if (xml != NULL)
			explicit_bzero(xml, len);
		free(xml);
		free(sealed);
	}
	json_decref(form);
	json_decref(files);
	return (ok);
}
