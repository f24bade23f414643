/*
 * A filing's attachments, under the filing's rules: the operator adds
 * and removes them while the filing can be edited, the filing's
 * operator and the regulators read them, and a filing holds at most
 * FILING_ATTACHMENTS_MAX.  The files themselves are src/attachment's,
 * owned by ("filing", id).
 */

#include <stdio.h>
#include <string.h>

#include "attachment/attachment.h"
#include "db/db.h"
#include "filing/filing.h"

static struct attachment_owner
filing_attachment_owner(int64_t id)
{
	struct attachment_owner	o;

	o.type = "filing";
	o.id = id;
	return (o);
}

int
filing_attachment_list(struct db *db, int64_t id, json_t *out)
{
	struct attachment_owner	o;

	o = filing_attachment_owner(id);
	return (attachment_store_list(db, &o, out));
}

/* Loads the filing for a change of its attachments: it must be editable. */
static enum filing_result
filing_attachment_editable(struct db *db, const struct actor *a, int64_t id)
{
	struct filing_row	r;
	enum filing_status	to;
	enum filing_result	res;
	int			ok;

	if ((res = filing_ops_load(db, a, id, 1, &r)) != FILING_OK)
		return (res);
	ok = filing_transition(filing_status_parse(r.status), EV_EDIT, &to);
	filing_row_free(&r);
	return (ok ? FILING_OK : FILING_INVALID_STATE);
}

/* in: checked by the caller (attachment_ops_check, the filing's kinds). */
enum filing_result
filing_attachment_add(struct db *db, const struct actor *a, int64_t id,
    const struct attachment_in *in, struct filing_out *out)
{
	struct attachment_owner	o;
	enum filing_result	res;
	char			hex[ATTACHMENT_SHA256_HEX];

	memset(out, 0, sizeof(*out));
	if ((res = filing_attachment_editable(db, a, id)) != FILING_OK)
		return (res);
	o = filing_attachment_owner(id);
	switch (attachment_ops_add(db, &o, FILING_ATTACHMENTS_MAX, in,
	    &out->id, hex)) {
	case ATTACHMENT_OK:
		break;
	case ATTACHMENT_TOO_MANY:
		return (FILING_TOO_MANY_ATTACHMENTS);
	default:
		return (FILING_ERROR);
	}
	out->view = json_pack("{s:I,s:s,s:s,s:s,s:I,s:s}",
	    "id", (json_int_t)out->id, "kind", in->kind,
	    "media_type", in->media_type, "filename", in->filename,
	    "size", (json_int_t)in->len, "sha256", hex);
	return (out->view != NULL ? FILING_OK : FILING_ERROR);
}

/* The content (malloc'd) and media type of one of a visible filing's files. */
enum filing_result
filing_attachment_get(struct db *db, const struct actor *a, int64_t id,
    int64_t aid, char *type, size_t tlen, unsigned char **data, size_t *len)
{
	struct attachment_owner	o;
	struct filing_row	r;
	enum filing_result	res;
	int			rc;

	*data = NULL;
	if ((res = filing_ops_load(db, a, id, 0, &r)) != FILING_OK)
		return (res);
	filing_row_free(&r);
	o = filing_attachment_owner(id);
	if ((rc = attachment_store_get(db, &o, aid, type, tlen, data,
	    len)) < 0)
		return (FILING_ERROR);
	return (rc == 1 ? FILING_OK : FILING_ATTACHMENT_NOT_FOUND);
}

enum filing_result
filing_attachment_delete(struct db *db, const struct actor *a, int64_t id,
    int64_t aid)
{
	struct attachment_owner	o;
	enum filing_result	res;
	int			rc;

	if ((res = filing_attachment_editable(db, a, id)) != FILING_OK)
		return (res);
	o = filing_attachment_owner(id);
	if ((rc = attachment_store_delete(db, &o, aid)) < 0)
		return (FILING_ERROR);
	return (rc == 1 ? FILING_OK : FILING_ATTACHMENT_NOT_FOUND);
}
