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
 * The text goes in runs between quotes, each doubled.
 */
static void
csv_text(struct sbuf *b, const char *s)
{
	const char	*q;

	while ((q = strchr(s, '"')) != NULL) {
		sb_add(b, s, (size_t)(q - s) + 1);
		sb_add(b, "\"", 1);
		s = q + 1;
	}
	sb_str(b, s);
}

static void
csv_open(struct sbuf *b, const char *s)
{
	sb_add(b, "\"", 1);
	if (*s == '=' || *s == '+' || *s == '-' || *s == '@')
		sb_add(b, "'", 1);
}

static void
csv_close(struct sbuf *b, int last)
{
	if (last)
		sb_add(b, "\"\r\n", 3);
	else
		sb_add(b, "\",", 2);
}

static void
csv_field(struct sbuf *b, const char *s, int last)
{
	csv_open(b, s);
	csv_text(b, s);
	csv_close(b, last);
}

/* A list as one field: items apart by spaces, pairs as a:b. */
static void
csv_list(struct sbuf *b, const char *const *a, const char *const *c,
    size_t n, int last)
{
	size_t	i;

	csv_open(b, n > 0 ? a[0] : "");
	for (i = 0; i < n; i++) {
		if (i > 0)
			sb_add(b, " ", 1);
		csv_text(b, a[i]);
		if (c != NULL) {
			sb_add(b, ":", 1);
			csv_text(b, c[i]);
		}
	}
	csv_close(b, last);
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
registry_csv_row(struct registry_buf *b, const struct registry_rec *r)
{
	csv_field(b, r->number, 0);
	csv_field(b, r->name, 0);
	csv_field(b, r->homepage, 0);
	csv_field(b, r->icp, 0);
	csv_list(b, r->urls, NULL, r->nurls, 0);
	csv_list(b, r->app, r->account, r->naccounts, 0);
	csv_field(b, r->sponsor, 0);
	csv_field(b, r->sponsor_type, 0);
	csv_field(b, r->status, 0);
	csv_field(b, r->filed_on, 0);
	csv_field(b, r->ended_on != NULL ? r->ended_on : "", 0);
	csv_list(b, r->changed, r->approved, r->nchanges, 1);
}

unsigned char *
registry_csv(const json_t *records, size_t *len)
{
	struct registry_rec	rec;
	struct sbuf		b;
	const json_t		*r;
	size_t			i;

	memset(&b, 0, sizeof(b));
	registry_csv_head(&b);
	json_array_foreach((json_t *)records, i, r) {
		if (registry_rec_json(r, &rec))
			registry_csv_row(&b, &rec);
	}
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
 * Text and attribute values escaped as libxml2's tree serialiser escapes
 * them, so the streamed export is the bytes the document used to be:
 * & < > everywhere, \r as a reference, and in attributes " and the other
 * white space too.  Records are whole XML characters already (checked as
 * the snapshot is built, xml_usable here), so only these need escaping.
 */
static void
xml_escape(struct sbuf *b, const char *s, int attr)
{
	const char	*p, *rep;

	for (p = s; *p != '\0'; p++) {
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
		case '"':
			rep = attr ? "&quot;" : NULL;
			break;
		case '\n':
			rep = attr ? "&#10;" : NULL;
			break;
		case '\t':
			rep = attr ? "&#9;" : NULL;
			break;
		default:
			rep = NULL;
			break;
		}
		if (rep == NULL)
			continue;
		sb_add(b, s, (size_t)(p - s));
		sb_str(b, rep);
		s = p + 1;
	}
	sb_str(b, s);
}

/* indent, <name>text</name> and a new line */
static void
xml_elem(struct sbuf *b, const char *indent, const char *name,
    const char *text)
{
	sb_str(b, indent);
	sb_add(b, "<", 1);
	sb_str(b, name);
	sb_add(b, ">", 1);
	xml_escape(b, text, 0);
	sb_add(b, "</", 2);
	sb_str(b, name);
	sb_add(b, ">\n", 2);
}

/* name="value" after a space */
static void
xml_attr(struct sbuf *b, const char *name, const char *value)
{
	sb_add(b, " ", 1);
	sb_str(b, name);
	sb_add(b, "=\"", 2);
	xml_escape(b, value, 1);
	sb_add(b, "\"", 1);
}

/* One <filing>, indented as the tree serialiser indented it. */
void
registry_xml_filing(struct registry_buf *b, const struct registry_rec *r)
{
	size_t	i;

	sb_str(b, "  <filing");
	xml_attr(b, "number", r->number);
	xml_attr(b, "status", r->status);
	sb_str(b, ">\n    <platform>\n");
	xml_elem(b, "      ", "name", r->name);
	xml_elem(b, "      ", "homepage", r->homepage);
	xml_elem(b, "      ", "icp", r->icp);
	for (i = 0; i < r->nurls; i++)
		xml_elem(b, "      ", "publishUrl", r->urls[i]);
	for (i = 0; i < r->naccounts; i++) {
		sb_str(b, "      <socialAccount");
		xml_attr(b, "app", r->app[i]);
		sb_add(b, ">", 1);
		xml_escape(b, r->account[i], 0);
		sb_str(b, "</socialAccount>\n");
	}
	sb_str(b, "    </platform>\n    <sponsor");
	xml_attr(b, "type", r->sponsor_type);
	sb_str(b, ">\n");
	xml_elem(b, "      ", "name", r->sponsor);
	sb_str(b, "    </sponsor>\n");
	xml_elem(b, "    ", "filedOn", r->filed_on);
	if (r->ended_on != NULL && *r->ended_on != '\0')
		xml_elem(b, "    ", "endedOn", r->ended_on);
	for (i = 0; i < r->nchanges; i++) {
		sb_str(b, "    <change");
		xml_attr(b, "changedOn", r->changed[i]);
		xml_attr(b, "approvedOn", r->approved[i]);
		sb_str(b, "/>\n");
	}
	sb_str(b, "  </filing>\n");
}

/*
 * The declaration and the root; count: the <filing> elements to come
 * (the records xml_usable keeps).  No children: an empty root.
 */
void
registry_xml_head(struct registry_buf *b, const char *generated,
    size_t count)
{
	char	n[32];

	(void)snprintf(n, sizeof(n), "%zu", count);
	sb_str(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<registry");
	xml_attr(b, "xmlns", REGISTRY_NS);
	xml_attr(b, "generated", generated);
	xml_attr(b, "count", n);
	sb_str(b, count > 0 ? ">\n" : "/>\n");
}

void
registry_xml_tail(struct registry_buf *b, size_t count)
{
	if (count > 0)
		sb_str(b, "</registry>\n");
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
	struct registry_rec	rec;
	struct sbuf		b;
	const json_t		*r;
	size_t			i, n;

	n = 0;
	json_array_foreach((json_t *)records, i, r)
		n += xml_check_json(r) && registry_rec_json(r, &rec);
	memset(&b, 0, sizeof(b));
	registry_xml_head(&b, generated, n);
	json_array_foreach((json_t *)records, i, r) {
		if (registry_xml_usable(r) && registry_rec_json(r, &rec))
			registry_xml_filing(&b, &rec);
	}
	registry_xml_tail(&b, n);
	if (b.oom) {
		free(b.p);
		return (NULL);
	}
	if (!xml_check_doc(b.p, b.len)) {
		vcp_log(LOG_ERR, "registry.xml: the document made is not XML, "
		    "refused");
		free(b.p);
		return (NULL);
	}
	*len = b.len;
	return (b.p);
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
	if ((href = sb_join(base, "/api/v1/registry/feed.atom",
	    (char *)NULL)) == NULL)
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
		    "）", (char *)NULL);
		href = sb_join(base, "/register/",
		    str(ev, "filing_number"), (char *)NULL);
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
	sb_str(&b, "/register/");
	html_escape(&b, num);
	sb_str(&b, "\" target=\"_blank\" rel=\"noopener\" "
	    "style=\"font-size:12px;color:#666;text-decoration:none\">"
	    "漏洞收集平台备案编号：");
	html_escape(&b, num);
	sb_str(&b, "</a>\n");
	return (sb_done(&b, len));
}
