/*
 * The layout every page shares, built as a libxml2 HTML tree: the head
 * with the content-hashed stylesheet and script, the portal's own header
 * (no GOV.UK crown or typeface: those are GOV.UK's alone), the service
 * navigation, <main> and the footer.  libxml2's HTML serialiser escapes
 * every text and attribute, so nothing here pastes markup.
 */

#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLtree.h>
#include <libxml/tree.h>

#include "page/page.h"

#define PAGE_SERVICE	"网络产品安全漏洞收集平台备案管理系统"

struct page_nav {
	const char	*section;
	const char	*href;
	const char	*text;
};

static const struct page_nav page_navs[] = {
	{ "home", "/", "首页" },
	{ "register", "/register", "备案名录" },
	{ "tipoff", "/tipoff", "举报" },
	{ "operator", "/operator", "平台运营者" },
	{ "review", "/review", "监管人员" },
	{ NULL, NULL, NULL }
};

xmlNodePtr
page_el(xmlNodePtr parent, const char *tag, const char *cls, const char *text)
{
	xmlNodePtr	n;

	n = xmlNewChild(parent, NULL, (const xmlChar *)tag, NULL);
	if (n == NULL)
		return (NULL);
	if (cls != NULL)
		xmlNewProp(n, (const xmlChar *)"class", (const xmlChar *)cls);
	/* xmlNewText: the serialiser escapes it; NewChild's content would not. */
	if (text != NULL)
		xmlAddChild(n, xmlNewText((const xmlChar *)text));
	return (n);
}

void
page_attr(xmlNodePtr n, const char *name, const char *value)
{
	if (n != NULL)
		xmlSetProp(n, (const xmlChar *)name, (const xmlChar *)value);
}

xmlNodePtr
page_link(xmlNodePtr parent, const char *href, const char *cls,
    const char *text)
{
	xmlNodePtr	a;

	a = page_el(parent, "a", cls != NULL ? cls : "govuk-link", text);
	page_attr(a, "href", href);
	return (a);
}

/* One row of a govuk summary list: the key and its value as text. */
xmlNodePtr
page_summary_row(xmlNodePtr list, const char *key, const char *value)
{
	xmlNodePtr	row, dd;

	row = page_el(list, "div", "govuk-summary-list__row", NULL);
	page_el(row, "dt", "govuk-summary-list__key", key);
	dd = page_el(row, "dd", "govuk-summary-list__value vcp-break",
	    value != NULL && value[0] != '\0' ? value : "—");
	return (dd);
}

static void
page_head(xmlNodePtr html, const char *title)
{
	xmlNodePtr	head, n;
	char		full[512];

	head = page_el(html, "head", NULL, NULL);
	n = page_el(head, "meta", NULL, NULL);
	page_attr(n, "charset", "utf-8");
	(void)snprintf(full, sizeof(full), "%s - %s", title, PAGE_SERVICE);
	page_el(head, "title", NULL, full);
	n = page_el(head, "meta", NULL, NULL);
	page_attr(n, "name", "viewport");
	page_attr(n, "content", "width=device-width, initial-scale=1");
	n = page_el(head, "link", NULL, NULL);
	page_attr(n, "rel", "stylesheet");
	page_attr(n, "href", page_asset_url("portal.css"));
	n = page_el(head, "script", NULL, NULL);
	page_attr(n, "src", page_asset_url("portal.js"));
	page_attr(n, "defer", "defer");
}

static void
page_header(xmlNodePtr body, const char *section)
{
	const struct page_nav	*nv;
	xmlNodePtr		hdr, box, a, sec, wrap, nav, btn, ul, li;

	a = page_link(body, "#main-content", "govuk-skip-link", "跳至正文");
	page_attr(a, "data-module", "govuk-skip-link");

	hdr = page_el(body, "header", "vcp-header", NULL);
	box = page_el(hdr, "div", "govuk-width-container", NULL);
	page_link(box, "/", "vcp-header__name", PAGE_SERVICE);
	page_el(box, "span", "vcp-header__sub", "工业和信息化部");

	sec = page_el(body, "section", "govuk-service-navigation", NULL);
	page_attr(sec, "aria-label", "服务菜单");
	page_attr(sec, "data-module", "govuk-service-navigation");
	wrap = page_el(sec, "div", "govuk-width-container", NULL);
	wrap = page_el(wrap, "div", "govuk-service-navigation__container",
	    NULL);
	nav = page_el(wrap, "nav", "govuk-service-navigation__wrapper", NULL);
	page_attr(nav, "aria-label", "菜单");
	btn = page_el(nav, "button", "govuk-service-navigation__toggle "
	    "govuk-js-service-navigation-toggle", "菜单");
	page_attr(btn, "type", "button");
	page_attr(btn, "aria-controls", "navigation");
	page_attr(btn, "hidden", "hidden");
	ul = page_el(nav, "ul", "govuk-service-navigation__list", NULL);
	page_attr(ul, "id", "navigation");
	for (nv = page_navs; nv->section != NULL; nv++) {
		if (strcmp(nv->section, section) == 0) {
			li = page_el(ul, "li", "govuk-service-navigation__item "
			    "govuk-service-navigation__item--active", NULL);
			a = page_link(li, nv->href,
			    "govuk-service-navigation__link", nv->text);
			page_attr(a, "aria-current", "true");
		} else {
			li = page_el(ul, "li", "govuk-service-navigation__item",
			    NULL);
			page_link(li, nv->href, "govuk-service-navigation__link",
			    nv->text);
		}
	}
	/* Filled by the script: who is logged in, and the way out. */
	li = page_el(ul, "li", "govuk-service-navigation__item vcp-hidden",
	    NULL);
	page_attr(li, "id", "vcp-whoami");
}

static void
page_footer(xmlNodePtr body)
{
	xmlNodePtr	f, box, ul, li;

	f = page_el(body, "footer", "govuk-footer", NULL);
	box = page_el(f, "div", "govuk-width-container", NULL);
	box = page_el(box, "div", "govuk-footer__meta", NULL);
	box = page_el(box, "div", "govuk-footer__meta-item "
	    "govuk-footer__meta-item--grow", NULL);
	page_el(box, "h2", "govuk-visually-hidden", "页脚链接");
	ul = page_el(box, "ul", "govuk-footer__inline-list", NULL);
	li = page_el(ul, "li", "govuk-footer__inline-list-item", NULL);
	page_link(li, "/api/v1/registry.csv", "govuk-footer__link",
	    "名录（CSV）");
	li = page_el(ul, "li", "govuk-footer__inline-list-item", NULL);
	page_link(li, "/api/v1/registry.xml", "govuk-footer__link",
	    "名录（XML）");
	li = page_el(ul, "li", "govuk-footer__inline-list-item", NULL);
	page_link(li, "/api/v1/registry/feed.atom", "govuk-footer__link",
	    "变更订阅（Atom）");
	li = page_el(ul, "li", "govuk-footer__inline-list-item", NULL);
	page_link(li, "/api/v1/tipoffs/stats", "govuk-footer__link",
	    "举报统计");
	page_el(box, "p", "govuk-body-s",
	    "依据《网络产品安全漏洞收集平台备案管理办法》（工业和信息化部，"
	    "2022年）。");
}

/*
 * A new page: title (of the tab and the page), the page's id (which of
 * the scripts' pages it is: body's data-page) and the navigation section
 * it belongs to.  The caller fills page->main, then page_finish().
 */
int
page_begin(struct page *p, const char *title, const char *id,
    const char *section)
{
	xmlNodePtr	html, box;

	memset(p, 0, sizeof(*p));
	if ((p->doc = htmlNewDocNoDtD(NULL, NULL)) == NULL)
		return (0);
	xmlCreateIntSubset(p->doc, (const xmlChar *)"html", NULL, NULL);
	html = xmlNewNode(NULL, (const xmlChar *)"html");
	xmlDocSetRootElement(p->doc, html);
	page_attr(html, "lang", "zh-CN");
	page_attr(html, "class", "govuk-template");
	page_head(html, title);
	p->body = page_el(html, "body", "govuk-template__body", NULL);
	page_attr(p->body, "data-page", id);
	page_attr(p->body, "data-pow-worker", page_asset_url("pow-worker.js"));
	page_header(p->body, section);
	box = page_el(p->body, "div", "govuk-width-container", NULL);
	p->main = page_el(box, "main", "govuk-main-wrapper", NULL);
	page_attr(p->main, "id", "main-content");
	page_attr(p->main, "tabindex", "-1");
	page_footer(p->body);
	return (p->main != NULL);
}

/*
 * Serialised as UTF-8: htmlDocDumpMemory would write every Chinese
 * character as a numeric reference, for want of an http-equiv meta.
 */
unsigned char *
page_finish(struct page *p, size_t *len)
{
	xmlOutputBufferPtr	out;
	unsigned char		*mem;
	size_t			n;

	mem = NULL;
	if ((out = xmlAllocOutputBuffer(NULL)) == NULL)
		goto cleanup;
	htmlDocContentDumpFormatOutput(out, p->doc, "UTF-8", 0);
	if (xmlOutputBufferFlush(out) < 0 || out->error != 0)
		goto cleanup;
	n = xmlOutputBufferGetSize(out);
	if ((mem = malloc(n + 1)) == NULL)
		goto cleanup;
	memcpy(mem, xmlOutputBufferGetContent(out), n);
	mem[n] = '\0';
	*len = n;
cleanup:
	if (out != NULL)
		xmlOutputBufferClose(out);
	page_discard(p);
	return (mem);
}

void
page_discard(struct page *p)
{
	if (p->doc != NULL)
		xmlFreeDoc(p->doc);
	p->doc = NULL;
}
