/*
 * Tip-offs that come in other ways than the web form (Art. 9 names the
 * phone and e-mail): filed as the form's are, with a receipt code and a
 * signed acknowledgement, but without proof of work or rate limits —
 * a member of staff or the mail server is the one who files them.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attachment/attachment.h"
#include "config.h"
#include "db/db.h"
#include "domain/attachment.h"
#include "tipoff/tipoff_intake.h"

/* What an e-mail names as the platform: nothing structured. */
#define TIPOFF_MAIL_PLATFORM	"未写明（电子邮件举报，见正文）"

static enum tipoff_result
tipoff_intake_file(struct db *db, json_t *sub, const char *channel,
    struct tipoff_receipt *out)
{
	struct tipoff_in	in;
	enum tipoff_result	r;

	memset(&in, 0, sizeof(in));
	in.category = json_string_value(json_object_get(sub, "category"));
	in.filing_number = json_string_value(json_object_get(
	    json_object_get(sub, "platform"), "filing_number"));
	in.submission = sub;
	memset(out, 0, sizeof(*out));
	if ((r = tipoff_ops_file(db, &in, out)) != TIPOFF_OK)
		return (r);
	if (!tipoff_intake_store_channel(db, out->id, channel))
		return (TIPOFF_ERROR);
	return (TIPOFF_OK);
}

/* sub: the form's members checked, with channel and received_on. */
enum tipoff_result
tipoff_intake_phone(struct db *db, json_t *sub, struct tipoff_receipt *out)
{
	return (tipoff_intake_file(db, sub, "phone", out));
}

/*
 * An e-mail: its text as the description, the sender as the sealed
 * contact, its PDF, PNG and JPEG attachments as evidence.  Mail clients
 * declare types loosely (application/octet-stream), so only the content
 * decides; what is not one of the three, is too big or past the count
 * is left out and counted in filed->refused.
 */
enum tipoff_result
tipoff_intake_mail(struct db *db, const struct tipoff_mail *m,
    const char *category, struct tipoff_receipt *out,
    struct tipoff_mail_filed *filed)
{
	const struct tipoff_mail_part	*p;
	enum tipoff_result		r;
	json_t				*sub, *view;
	const char			*type, *name;
	size_t				i;

	memset(filed, 0, sizeof(*filed));
	sub = json_pack("{s:s,s:s,s:{s:s,s:s},s:s}", "channel", "email",
	    "category", category, "platform", "name", TIPOFF_MAIL_PLATFORM,
	    "url", "", "description", m->text);
	if (sub == NULL)
		return (TIPOFF_ERROR);
	if (m->subject != NULL)
		json_object_set_new(sub, "subject", json_string(m->subject));
	if (m->from_html)
		json_object_set_new(sub, "description_from_html", json_true());
	if (m->truncated)
		json_object_set_new(sub, "description_truncated", json_true());
	json_object_set_new(sub, "contact", json_pack("{s:s}", "email",
	    m->sender));
	r = tipoff_intake_file(db, sub, "email", out);
	json_decref(sub);
	if (r != TIPOFF_OK)
		return (r);

	filed->refused = m->skipped;
	for (i = 0; i < m->nparts; i++) {
		p = &m->parts[i];
		if (p->len > (size_t)vcp_conf.tipoff_evidence_size ||
		    (type = attachment_sniff(p->data, p->len)) == NULL) {
			filed->refused++;
			continue;
		}
		name = attachment_ops_filename_ok(p->filename) ?
		    p->filename : "evidence";
		r = tipoff_ops_evidence(db, out->id, name, type, p->data,
		    p->len, &view);
		json_decref(view);
		if (r == TIPOFF_TOO_MANY_FILES) {
			filed->refused++;
			continue;
		}
		if (r != TIPOFF_OK)
			return (r);
		filed->evidence++;
	}
	return (TIPOFF_OK);
}
