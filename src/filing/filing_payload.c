/*
 * What a filing event says (the <filing> element of
 * schema/notification.xsd), and the emitting of it: the form is opened,
 * so the ministries receive the record as the regulators see it, with
 * the attachments by digest (listed through src/attachment).  The
 * outbox (src/notify) signs, seals and stores the document; it opens
 * nothing itself.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "db/db.h"
#include "filing/filing.h"
#include "log.h"
#include "notify/notify.h"
#include "xml/xml_check.h"

static const char *
jstr(const json_t *o, const char *k)
{
	const char	*s;

	s = json_string_value(json_object_get(o, k));
	return (s != NULL ? s : "");
}

static xmlNodePtr
el(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *text)
{
	return (xmlNewTextChild(parent, ns, (const xmlChar *)name,
	    (const xmlChar *)text));
}

static void
attr(xmlNodePtr n, const char *name, const char *value)
{
	xmlNewProp(n, (const xmlChar *)name, (const xmlChar *)value);
}

static void
person(xmlNodePtr f, xmlNsPtr ns, const char *name, const json_t *p)
{
	xmlNodePtr	n;

	n = xmlNewChild(f, ns, (const xmlChar *)name, NULL);
	el(n, ns, "name", jstr(p, "name"));
	el(n, ns, "mobile", jstr(p, "mobile"));
	el(n, ns, "email", jstr(p, "email"));
}

static void
platform(xmlNodePtr f, xmlNsPtr ns, const json_t *p)
{
	xmlNodePtr	n, a;
	const json_t	*v;
	size_t		i;

	n = xmlNewChild(f, ns, (const xmlChar *)"platform", NULL);
	el(n, ns, "name", jstr(p, "name"));
	el(n, ns, "homepage", jstr(p, "homepage"));
	el(n, ns, "icp", jstr(p, "icp"));
	json_array_foreach(json_object_get(p, "publish_urls"), i, v)
		el(n, ns, "publishUrl", json_string_value(v) != NULL ?
		    json_string_value(v) : "");
	json_array_foreach(json_object_get(p, "social_accounts"), i, v) {
		a = el(n, ns, "socialAccount", jstr(v, "account"));
		attr(a, "app", jstr(v, "app"));
	}
	el(n, ns, "onlineDate", jstr(p, "online_date"));
}

static void
rules(xmlNodePtr f, xmlNsPtr ns, const json_t *r)
{
	xmlNodePtr	n;

	n = xmlNewChild(f, ns, (const xmlChar *)"rules", NULL);
	el(n, ns, "collection", jstr(r, "collection"));
	el(n, ns, "verification", jstr(r, "verification"));
	el(n, ns, "notification", jstr(r, "notification"));
	el(n, ns, "publication", jstr(r, "publication"));
	el(n, ns, "userVerification", jstr(r, "user_verification"));
	el(n, ns, "classification", jstr(r, "classification"));
}

/* What was attached, by digest: the files themselves stay in the portal. */
static void
attachments(xmlNodePtr f, xmlNsPtr ns, const json_t *list)
{
	xmlNodePtr	n;
	const json_t	*a;
	char		buf[32];
	size_t		i;

	json_array_foreach((json_t *)list, i, a) {
		n = el(f, ns, "attachment", jstr(a, "filename"));
		attr(n, "kind", jstr(a, "kind"));
		attr(n, "mediaType", jstr(a, "media_type"));
		(void)snprintf(buf, sizeof(buf), "%lld",
		    (long long)json_integer_value(json_object_get(a, "size")));
		attr(n, "size", buf);
		attr(n, "sha256", jstr(a, "sha256"));
	}
}

static void
filing(xmlNodePtr root, xmlNsPtr ns, const json_t *form,
    const json_t *files, const struct filing_notice *e)
{
	xmlNodePtr	f, n;
	json_t		*fields, *v;
	const json_t	*m;
	char		buf[32];
	size_t		i;

	f = xmlNewChild(root, ns, (const xmlChar *)"filing", NULL);
	(void)snprintf(buf, sizeof(buf), "%lld", (long long)e->filing_id);
	attr(f, "id", buf);
	attr(f, "number", e->number);
	attr(f, "status", e->status);
	platform(f, ns, json_object_get(form, "platform"));
	n = xmlNewChild(f, ns, (const xmlChar *)"sponsor", NULL);
	attr(n, "type", jstr(json_object_get(form, "sponsor"), "type"));
	el(n, ns, "name", jstr(json_object_get(form, "sponsor"), "name"));
	el(n, ns, "idNumber", jstr(json_object_get(form, "sponsor"),
	    "id_number"));
	person(f, ns, "principal", json_object_get(form, "principal"));
	person(f, ns, "contact", json_object_get(form, "contact"));
	rules(f, ns, json_object_get(form, "rules"));
	m = json_object_get(form, "mlps");
	n = xmlNewChild(f, ns, (const xmlChar *)"mlps", NULL);
	(void)snprintf(buf, sizeof(buf), "%lld",
	    (long long)json_integer_value(json_object_get(m, "level")));
	attr(n, "level", buf);
	el(n, ns, "certificateNumber", jstr(m, "certificate_number"));
	el(f, ns, "management", jstr(json_object_get(form, "management"),
	    "description"));
	attachments(f, ns, files);
	el(f, ns, "filedOn", e->filed_on);
	if (e->ended_on != NULL && *e->ended_on != '\0')
		el(f, ns, "endedOn", e->ended_on);
	if (e->changed_on != NULL) {
		n = xmlNewChild(f, ns, (const xmlChar *)"change", NULL);
		attr(n, "changedOn", e->changed_on);
		fields = e->fields != NULL ? json_loads(e->fields, 0, NULL) :
		    NULL;
		json_array_foreach(fields, i, v)
			el(n, ns, "field", json_string_value(v));
		json_decref(fields);
	}
}

/* The outbox's builder: arg is a struct filing_snapshot. */
int
filing_payload_build(xmlNodePtr root, xmlNsPtr ns, void *arg)
{
	struct filing_snapshot	*snap = arg;

	filing(root, ns, snap->form, snap->files, snap->e);
	return (1);
}

/*
 * What a filing event's payload is built from, read and checked: the
 * opened form and the files (e->files, or read here).
 *
 * A payload that is not XML would be refused by both receivers for
 * ever, and every later event of the filing would wait behind it: a
 * form holding a character XML 1.0 cannot carry (stored before those
 * were refused) fails the transaction here, logged without values.
 */
int
filing_snapshot_open(struct db *db, const struct filing_notice *e,
    struct filing_snapshot *snap)
{
	snap->e = e;
	snap->files = e->files != NULL ? json_incref(e->files) : json_array();
	if ((snap->form = json_loads(e->form, 0, NULL)) == NULL ||
	    !filing_form_open(snap->form, 1) || (e->files == NULL &&
	    !filing_attachment_list(db, e->filing_id, snap->files)))
		return (0);
	if (!xml_check_json(snap->form) || !xml_check_json(snap->files)) {
		vcp_log(LOG_ERR, "notification for filing %lld refused: the "
		    "filing holds a character XML 1.0 cannot carry",
		    (long long)e->filing_id);
		return (0);
	}
	return (1);
}

void
filing_snapshot_close(struct filing_snapshot *snap)
{
	json_decref(snap->form);
	json_decref(snap->files);
	snap->form = snap->files = NULL;
}

/* The event numbered by t, its documents made from snap, not written. */
int
filing_emit_docs(struct filing_snapshot *snap, const struct notify_ticket *t,
    struct notify_docs *d)
{
	if (notify_documents(t, snap->e->event, NULL, filing_payload_build,
	    snap, d))
		return (1);
	vcp_log(LOG_ERR, "notification for filing %lld not made",
	    (long long)snap->e->filing_id);
	return (0);
}

/* The event numbered by t, written from snap (filing_snapshot_open). */
int
filing_emit_write(struct db *db, struct filing_snapshot *snap,
    const struct notify_ticket *t)
{
	if (notify_write(db, t, snap->e->event, NULL, filing_payload_build,
	    snap))
		return (1);
	vcp_log(LOG_ERR, "notification for filing %lld not stored",
	    (long long)snap->e->filing_id);
	return (0);
}
