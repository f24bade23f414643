/*
 * The parts every notification document shares (schema/notification.xsd):
 * the root element with the event's identity, and the enveloped
 * signature, after which the text made is checked to be XML.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "crypto/crypto.h"

#include "crypto/sign.h"
#include "notify/notify.h"
#include "xml/xml_check.h"

#define NOTIFY_NS	"urn:vcp:notification:1"

static void
attr(xmlNodePtr n, const char *name, const char *value)
{
	xmlNewProp(n, (const xmlChar *)name, (const xmlChar *)value);
}

/* The root element every event shares; the caller adds its subject. */
xmlNodePtr
notify_xml_root(xmlDocPtr doc, xmlNsPtr *ns, const char *event_id,
    int64_t seq, const char *event, const char *recipient,
    const char *occurred_at)
{
	xmlNodePtr	root;
	char		buf[32];

	root = xmlNewNode(NULL, (const xmlChar *)"notification");
	*ns = xmlNewNs(root, (const xmlChar *)NOTIFY_NS, NULL);
	xmlSetNs(root, *ns);
	xmlDocSetRootElement(doc, root);
	attr(root, "eventId", event_id);
	(void)snprintf(buf, sizeof(buf), "%" PRId64, seq);
	attr(root, "sequence", buf);
	attr(root, "event", event);
	attr(root, "recipient", recipient);
	attr(root, "occurredAt", occurred_at);
	return (root);
}

/*
 * Signs, serialises and frees doc; NULL on failure.  The text made is
 * parsed again: a document that is not XML would be refused by both
 * receivers for ever, holding back every later event of its subject.
 */
char *
notify_xml_finish(xmlDocPtr doc, size_t *len)
{
	xmlChar		*mem;
	char		*out;
	int		n;

	if (!sign_doc(doc)) {
		xmlFreeDoc(doc);
		return (NULL);
	}
	xmlDocDumpMemoryEnc(doc, &mem, &n, "UTF-8");
	xmlFreeDoc(doc);
	if (mem == NULL)
		return (NULL);
	if (!xml_check_doc(mem, (size_t)n)) {
		xmlFree(mem);
		return (NULL);
	}
	if ((out = malloc((size_t)n + 1)) != NULL) {
		memcpy(out, mem, (size_t)n);
		out[n] = '\0';
		*len = (size_t)n;
	}
	xmlFree(mem);
	return (out);
}
