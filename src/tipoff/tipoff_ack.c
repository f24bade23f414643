/*
 * The acknowledgement a reporter keeps (schema/tipoff-ack.xsd): the
 * reference number, when the tip-off was received, its category, the
 * platform named and the SHA-256 of the submission's canonical JSON,
 * signed with the portal's certificate as the notifications are.  It
 * never holds the receipt code: shown to someone later, it proves the
 * report without opening the case.
 */

#include <stddef.h>

#include <libxml/tree.h>

#include "notify/notify.h"
#include "tipoff/tipoff.h"

#define TIPOFF_NS	"urn:vcp:tipoff:1"

static void
el(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *text)
{
	(void)xmlNewTextChild(parent, ns, (const xmlChar *)name,
	    (const xmlChar *)text);
}

/*
 * platform: {"filing_number"} or {"name", "url"}.  Returns the signed
 * document (malloc'd, *len bytes), or NULL.
 */
char *
tipoff_ack_build(const char *reference, const char *received_at,
    const char *category, const json_t *platform, const char *sha256,
    size_t *len)
{
	xmlDocPtr	doc;
	xmlNodePtr	root, p;
	xmlNsPtr	ns;
	const char	*number;

	if ((doc = xmlNewDoc((const xmlChar *)"1.0")) == NULL)
		return (NULL);
	root = xmlNewNode(NULL, (const xmlChar *)"acknowledgement");
	ns = xmlNewNs(root, (const xmlChar *)TIPOFF_NS, NULL);
	xmlSetNs(root, ns);
	xmlDocSetRootElement(doc, root);
	el(root, ns, "reference", reference);
	el(root, ns, "receivedAt", received_at);
	el(root, ns, "category", category);
	p = xmlNewChild(root, ns, (const xmlChar *)"platform", NULL);
	number = json_string_value(json_object_get(platform,
	    "filing_number"));
	if (number != NULL) {
		el(p, ns, "filingNumber", number);
	} else {
		el(p, ns, "name", json_string_value(json_object_get(platform,
		    "name")));
		el(p, ns, "url", json_string_value(json_object_get(platform,
		    "url")));
	}
	el(root, ns, "submissionSha256", sha256);
	return (notify_xml_finish(doc, len));
}
