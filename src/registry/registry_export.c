/*
 * Exports of the public register: CSV (RFC 4180, UTF-8 with a BOM so
 * spreadsheet programs read the Chinese right), XML (libxml2, described
 * by schema/registry.xsd), an Atom feed of register events, and the
 * badge a platform shows at the bottom of its homepage.  They read the
 * public records only.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xmlsave.h>
#include <libxml/xmlwriter.h>

#include "domain/validate.h"
#include "log.h"
#include "registry/registry_export.h"
#include "xml/xml_check.h"

#define REGISTRY_NS	"urn:vcp:registry:1"
#define ATOM_NS		"http://www.w3.org/2005/Atom"

#define sbuf	registry_buf

#define sb_add	registry_buf_add

void
registry_buf_add(struct registry_buf *b, const char *s, size_t n)
{
	unsigned char	*np;
	size_t		ncap;

	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		ncap = (b->cap == 0 ? 4096 : b->cap);
		while (ncap < b->len + n + 1)
			ncap *= 2;
		if ((np = realloc(b->p, ncap)) == NULL) {
			b->oom = 1;
			return;
		}
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static unsigned char *
sb_done(struct sbuf *b, size_t *len)
{
	if (b->oom) {
		free(b->p);
		return (NULL);
	}
	*len = b->len;
	return (b->p);
}

/*
 * Joins its arguments, up to a NULL, into a new string.  Sized to fit:
 * a fixed buffer would cut the longest names, possibly inside a
 * character, and leave bytes that are not UTF-8.
 */
static char *
sb_join(const char *first, ...)
{
	struct sbuf	b;
	const char	*s;
	va_list		ap;
	size_t		len;

	memset(&b, 0, sizeof(b));
	va_start(ap, first);
	for (s = first; s != NULL; s = va_arg(ap, const char *))
		sb_str(&b, s);
	va_end(ap);
	if (b.p == NULL && !b.oom)
		sb_str(&b, "");
	return ((char *)sb_done(&b, &len));
}

static const char *
str(const json_t *o, const char *k)
{
	const char	*s;

	s = json_string_value(json_object_get(o, k));
	return (s != NULL ? s : "");
}

/*
 * One CSV field.  A value starting with = + - @ is prefixed with a quote
 * so that a spreadsheet shows it instead of running it as a formula.
 */
static void
csv_field(struct sbuf *b, const char *s, int last)
{
	sb_str(b, "\"");
	if (*s == '=' || *s == '+' || *s == '-' || *s == '@')
		sb_str(b, "'");
	for (; *s != '\0'; s++) {
		if (*s == '"')
			sb_str(b, "\"\"");
		else
			sb_add(b, s, 1);
	}
	sb_str(b, last ? "\"\r\n" : "\",");
}

static void
csv_join(struct sbuf *b, const json_t *arr, const char *k1, const char *k2,
    int last)
{
	struct sbuf	j;
	const json_t	*v;
	size_t		i;

	memset(&j, 0, sizeof(j));
	json_array_foreach((json_t *)arr, i, v) {
		if (i > 0)
			sb_str(&j, " ");
		if (json_is_string(v)) {
			sb_str(&j, json_string_value(v));
		} else {
			sb_str(&j, str(v, k1));
			sb_str(&j, ":");
			sb_str(&j, str(v, k2));
		}
	}
	csv_field(b, j.p != NULL ? (char *)j.p : "", last);
	free(j.p);
}

void
registry_csv_head(struct registry_buf *b)
{
	sb_str(b, "\xef\xbb\xbf");
	sb_str(b, "filing_number,platform_name,homepage,icp,publish_urls,"
	    "social_accounts,sponsor_name,sponsor_type,status,filed_on,"
	    "ended_on,change_dates\r\n");
}

void
registry_csv_row(struct registry_buf *b, const json_t *r)
{
	const json_t	*p, *s;

	p = json_object_get(r, "platform");
	s = json_object_get(r, "sponsor");
	csv_field(b, str(r, "filing_number"), 0);
	csv_field(b, str(p, "name"), 0);
	csv_field(b, str(p, "homepage"), 0);
	csv_field(b, str(p, "icp"), 0);
	csv_join(b, json_object_get(p, "publish_urls"), NULL, NULL, 0);
	csv_join(b, json_object_get(p, "social_accounts"), "app",
	    "account", 0);
	csv_field(b, str(s, "name"), 0);
	csv_field(b, str(s, "type"), 0);
	csv_field(b, str(r, "status"), 0);
	csv_field(b, str(r, "filed_on"), 0);
	csv_field(b, str(r, "ended_on"), 0);
	csv_join(b, json_object_get(r, "changes"), "changed_on",
	    "approved_on", 1);
}

unsigned char *
registry_csv(const json_t *records, size_t *len)
{
	struct sbuf	b;
	const json_t	*r;
	size_t		i;

	memset(&b, 0, sizeof(b));
	registry_csv_head(&b);
	json_array_foreach((json_t *)records, i, r)
		registry_csv_row(&b, r);
	return (sb_done(&b, len));
}

static xmlNodePtr
xml_text(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *s)
{
	return (xmlNewTextChild(parent, ns, (const xmlChar *)name,
	    (const xmlChar *)s));
}

/*
 * Serialises the document and parses it again: what is not XML is
 * never served (500 instead), however it came to be.  The records are
 * checked one by one before, so this catches only what nobody foresaw.
 */
static unsigned char *
xml_finish(xmlDocPtr doc, const char *what, size_t *len)
{
	xmlChar		*mem;
	unsigned char	*out;
	int		n;

	xmlDocDumpFormatMemoryEnc(doc, &mem, &n, "UTF-8", 1);
	xmlFreeDoc(doc);
	if (mem == NULL)
		return (NULL);
	if (!xml_check_doc(mem, (size_t)n)) {
		vcp_log(LOG_ERR, "%s: the document made is not XML, "
		    "refused", what);
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

/*
 * A record that XML cannot express (a character XML 1.0 cannot carry,
 * stored before such characters were refused) is left out, and its
 * number logged, rather than failing the export: one bad row must not
 * take the register away from everybody, and a record cannot be
 * "repaired" here without publishing something the platform never
 * filed.  The number is public; the values are not logged.
 */
static int
xml_usable(const json_t *r, const char *what)
{
	const json_t	*num;

	if (xml_check_json(r))
		return (1);
	num = json_object_get(r, "filing_number");
	vcp_log(LOG_WARNING, "%s: filing %s left out: it holds a character "
	    "XML 1.0 cannot carry", what, json_is_string(num) &&
	    xml_check_json(num) ? json_string_value(num) : "(unreadable)");
	return (0);
}

/*
 * Text content escaped as libxml2's tree serialiser escapes it (the
 * writer's own escaping also turns " into &quot;), so the streamed
 * export is the bytes the document used to be.
 */
static int
xw_text(xmlTextWriterPtr w, const char *s)
{
	const char	*p, *rep;
	int		ok;

	ok = 1;
	for (p = s; ok && *p != '\0'; p++) {
		switch (*p) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '\r':
			rep = "&#13;";
			break;
		default:
			continue;
		}
		ok = (p == s || xmlTextWriterWriteRawLen(w, BAD_CAST s,
		    (int)(p - s)) >= 0) && xmlTextWriterWriteRaw(w,
		    BAD_CAST rep) >= 0;
		s = p + 1;
	}
	return (ok && xmlTextWriterWriteRaw(w, BAD_CAST s) >= 0);
}

static int
xw_elem(xmlTextWriterPtr w, const char *name, const char *text)
{
	return (xmlTextWriterStartElement(w, BAD_CAST name) >= 0 &&
	    xw_text(w, text) && xmlTextWriterFullEndElement(w) >= 0);
}

static int
xw_attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	return (xmlTextWriterWriteAttribute(w, BAD_CAST name,
	    BAD_CAST value) >= 0);
}

/* One <filing>, as the tree serialiser wrote it (indented, <icp></icp>). */
int
registry_xml_filing(xmlTextWriterPtr w, const json_t *r)
{
	const json_t	*plat, *v;
	size_t		i;
	int		ok;

	plat = json_object_get(r, "platform");
	ok = xmlTextWriterStartElement(w, BAD_CAST "filing") >= 0 &&
	    xw_attr(w, "number", str(r, "filing_number")) &&
	    xw_attr(w, "status", str(r, "status")) &&
	    xmlTextWriterStartElement(w, BAD_CAST "platform") >= 0 &&
	    xw_elem(w, "name", str(plat, "name")) &&
	    xw_elem(w, "homepage", str(plat, "homepage")) &&
	    xw_elem(w, "icp", str(plat, "icp"));
	json_array_foreach(json_object_get(plat, "publish_urls"), i, v) {
		ok = ok && xw_elem(w, "publishUrl", json_is_string(v) ?
		    json_string_value(v) : "");
	}
	json_array_foreach(json_object_get(plat, "social_accounts"), i, v) {
		ok = ok &&
		    xmlTextWriterStartElement(w, BAD_CAST "socialAccount") >= 0 &&
		    xw_attr(w, "app", str(v, "app")) &&
		    xw_text(w, str(v, "account")) &&
		    xmlTextWriterFullEndElement(w) >= 0;
	}
	ok = ok && xmlTextWriterEndElement(w) >= 0 &&
	    xmlTextWriterStartElement(w, BAD_CAST "sponsor") >= 0 &&
	    xw_attr(w, "type", str(json_object_get(r, "sponsor"), "type")) &&
	    xw_elem(w, "name", str(json_object_get(r, "sponsor"), "name")) &&
	    xmlTextWriterEndElement(w) >= 0 &&
	    xw_elem(w, "filedOn", str(r, "filed_on"));
	if (ok && *str(r, "ended_on") != '\0')
		ok = xw_elem(w, "endedOn", str(r, "ended_on"));
	json_array_foreach(json_object_get(r, "changes"), i, v) {
		ok = ok &&
		    xmlTextWriterStartElement(w, BAD_CAST "change") >= 0 &&
		    xw_attr(w, "changedOn", str(v, "changed_on")) &&
		    xw_attr(w, "approvedOn", str(v, "approved_on")) &&
		    xmlTextWriterEndElement(w) >= 0;
	}
	return (ok && xmlTextWriterEndElement(w) >= 0);
}

/*
 * A writer into buf, the declaration and the root written: count is the
 * number of <filing> to come (the records xml_usable keeps).
 */
xmlTextWriterPtr
registry_xml_begin(xmlBufferPtr buf, const char *generated, size_t count)
{
	xmlTextWriterPtr	w;
	char			n[32];

	if ((w = xmlNewTextWriterMemory(buf, 0)) == NULL)
		return (NULL);
	(void)snprintf(n, sizeof(n), "%zu", count);
	if (xmlTextWriterSetIndent(w, 1) < 0 ||
	    xmlTextWriterSetIndentString(w, BAD_CAST "  ") < 0 ||
	    xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST "registry") < 0 ||
	    !xw_attr(w, "xmlns", REGISTRY_NS) ||
	    !xw_attr(w, "generated", generated) || !xw_attr(w, "count", n)) {
		xmlFreeTextWriter(w);
		return (NULL);
	}
	return (w);
}

int
registry_xml_end(xmlTextWriterPtr w)
{
	return (xmlTextWriterEndDocument(w) >= 0 && xmlTextWriterFlush(w) >= 0);
}

int
registry_xml_usable(const json_t *r)
{
	return (xml_usable(r, "registry.xml"));
}

/* generated: an xs:dateTime, "2026-11-22T09:00:00Z". */
unsigned char *
registry_xml(const json_t *records, const char *generated, size_t *len)
{
	xmlBufferPtr		buf;
	xmlTextWriterPtr	w;
	const json_t		*r;
	unsigned char		*out;
	size_t			i, n;
	int			ok;

	n = 0;
	json_array_foreach((json_t *)records, i, r)
		n += xml_check_json(r);
	if ((buf = xmlBufferCreate()) == NULL)
		return (NULL);
	out = NULL;
	if ((w = registry_xml_begin(buf, generated, n)) == NULL)
		goto done;
	ok = 1;
	json_array_foreach((json_t *)records, i, r) {
		if (registry_xml_usable(r))
			ok = ok && registry_xml_filing(w, r);
	}
	ok = ok && registry_xml_end(w);
	xmlFreeTextWriter(w);
	if (ok && (out = malloc((size_t)xmlBufferLength(buf) + 1)) != NULL) {
		*len = (size_t)xmlBufferLength(buf);
		memcpy(out, xmlBufferContent(buf), *len);
		out[*len] = '\0';
	}
done:
	xmlBufferFree(buf);
	return (out);
}

static const char *
atom_title(const char *event)
{
	if (!strcmp(event, "approved"))
		return ("备案");
	if (!strcmp(event, "change_approved"))
		return ("变更");
	if (!strcmp(event, "deregistered"))
		return ("注销");
	if (!strcmp(event, "revoked"))
		return ("撤销");
	return ("事件");
}

/*
 * events: [{"id", "at" (RFC 3339), "event", "filing_number",
 * "platform_name"}], newest first.  base: the portal's public address.
 */
unsigned char *
registry_atom(const json_t *events, const char *base, const char *updated,
    size_t *len)
{
	xmlDocPtr	doc;
	xmlNodePtr	feed, e, l, a;
	xmlNsPtr	ns;
	const json_t	*ev;
	size_t		i;
	char		id[64], *title, *href;

	doc = xmlNewDoc((const xmlChar *)"1.0");
	feed = xmlNewNode(NULL, (const xmlChar *)"feed");
	ns = xmlNewNs(feed, (const xmlChar *)ATOM_NS, NULL);
	xmlSetNs(feed, ns);
	xmlDocSetRootElement(doc, feed);
	xml_text(feed, ns, "id", "urn:vcp:registry:feed");
	xml_text(feed, ns, "title", "网络产品安全漏洞收集平台备案公示");
	xml_text(feed, ns, "updated", updated);
	a = xmlNewChild(feed, ns, (const xmlChar *)"author", NULL);
	xml_text(a, ns, "name", "工业和信息化部");
	if ((href = sb_join(base, "/api/v1/registry/feed.atom", NULL)) == NULL)
		goto fail;
	l = xmlNewChild(feed, ns, (const xmlChar *)"link", NULL);
	xmlNewProp(l, (const xmlChar *)"rel", (const xmlChar *)"self");
	xmlNewProp(l, (const xmlChar *)"href", (const xmlChar *)href);
	free(href);
	json_array_foreach((json_t *)events, i, ev) {
		if (!xml_usable(ev, "feed.atom"))
			continue;
		title = sb_join(atom_title(str(ev, "event")), "：",
		    str(ev, "platform_name"), "（", str(ev, "filing_number"),
		    "）", NULL);
		href = sb_join(base, "/api/v1/registry/",
		    str(ev, "filing_number"), NULL);
		if (title == NULL || href == NULL) {
			free(title);
			free(href);
			goto fail;
		}
		e = xmlNewChild(feed, ns, (const xmlChar *)"entry", NULL);
		(void)snprintf(id, sizeof(id), "urn:vcp:registry:event:%lld",
		    (long long)json_integer_value(json_object_get(ev, "id")));
		xml_text(e, ns, "id", id);
		xml_text(e, ns, "title", title);
		xml_text(e, ns, "updated", str(ev, "at"));
		l = xmlNewChild(e, ns, (const xmlChar *)"link", NULL);
		xmlNewProp(l, (const xmlChar *)"href", (const xmlChar *)href);
		xml_text(e, ns, "category", str(ev, "event"));
		free(title);
		free(href);
	}
	return (xml_finish(doc, "feed.atom", len));
fail:
	xmlFreeDoc(doc);
	return (NULL);
}

static void
html_escape(struct sbuf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '<':
			sb_str(b, "&lt;");
			break;
		case '>':
			sb_str(b, "&gt;");
			break;
		case '&':
			sb_str(b, "&amp;");
			break;
		case '"':
			sb_str(b, "&quot;");
			break;
		case '\'':
			sb_str(b, "&#39;");
			break;
		default:
			sb_add(b, s, 1);
		}
	}
}

/* The snippet for the bottom of the platform's homepage (Art. 5 ¶3). */
unsigned char *
registry_badge(const char *num, const char *base, size_t *len)
{
	struct sbuf	b;

	/* The badge is HTML that pages embed, and XML-clean like the rest. */
	if (!validate_xml_chars(num, strlen(num)) ||
	    !validate_xml_chars(base, strlen(base))) {
		vcp_log(LOG_ERR, "badge: a number XML 1.0 cannot carry, "
		    "refused");
		return (NULL);
	}
	memset(&b, 0, sizeof(b));
	sb_str(&b, "<a href=\"");
	html_escape(&b, base);
	sb_str(&b, "/api/v1/registry/");
	html_escape(&b, num);
	sb_str(&b, "\" target=\"_blank\" rel=\"noopener\" "
	    "style=\"font-size:12px;color:#666;text-decoration:none\">"
	    "漏洞收集平台备案编号：");
	html_escape(&b, num);
	sb_str(&b, "</a>\n");
	return (sb_done(&b, len));
}
