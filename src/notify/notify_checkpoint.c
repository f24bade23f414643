/*
 * The XML of an audit checkpoint (schema/notification.xsd), signed like
 * every filing event.  It names the newest row of the audit chain and
 * that row's hash; MPS and CAC keep it, so that nobody, not even a holder
 * of the audit key, can rewrite the log before it without the copies at
 * the two ministries disagreeing (vcpctl audit verify FILE...).
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

/* Returns the signed document as a NUL-terminated string, or NULL. */
char *
notify_checkpoint_payload(const char *event_id, int64_t seq,
    const char *recipient, const char *occurred_at, uint64_t row,
    const char *hash_hex, const char *key_id, size_t *len)
{
	xmlDocPtr	doc;
	xmlNodePtr	root, cp;
	xmlNsPtr	ns;
	char		buf[32];

	doc = xmlNewDoc((const xmlChar *)"1.0");
	root = notify_xml_root(doc, &ns, event_id, seq, "audit_checkpoint",
	    recipient, occurred_at);
	cp = xmlNewChild(root, ns, (const xmlChar *)"auditCheckpoint", NULL);
	(void)snprintf(buf, sizeof(buf), "%" PRIu64, row);
	attr(cp, "row", buf);
	attr(cp, "hash", hash_hex);
	if (key_id != NULL && *key_id != '\0')
		attr(cp, "keyId", key_id);
	return (notify_xml_finish(doc, len));
}

/*
 * Reads a checkpoint as a ministry received it: the signature must be
 * ours and intact.  Returns 1 with *row and hash filled, 0 otherwise.
 */
int
notify_checkpoint_read(const char *buf, size_t len, uint64_t *row,
    uint8_t hash[32])
{
	xmlDocPtr	doc;
	xmlNodePtr	n;
	xmlChar		*r, *h;
	char		*end;
	int		ok;

	doc = xmlReadMemory(buf, (int)len, NULL, NULL,
	    XML_PARSE_NONET);
	if (doc == NULL)
		return (0);
	ok = 0;
	r = h = NULL;
	if (!sign_verify_doc(doc))
		goto cleanup;
	for (n = xmlDocGetRootElement(doc)->children; n != NULL; n = n->next) {
		if (n->type == XML_ELEMENT_NODE &&
		    xmlStrEqual(n->name, (const xmlChar *)"auditCheckpoint"))
			break;
	}
	if (n == NULL)
		goto cleanup;
	r = xmlGetProp(n, (const xmlChar *)"row");
	h = xmlGetProp(n, (const xmlChar *)"hash");
	if (r == NULL || h == NULL)
		goto cleanup;
	*row = strtoull((const char *)r, &end, 10);
	ok = *end == '\0' && *row > 0 &&
	    crypto_unhex((const char *)h, strlen((const char *)h), hash, 32);
cleanup:
	xmlFree(r);
	xmlFree(h);
	xmlFreeDoc(doc);
	return (ok);
}
