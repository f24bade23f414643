/*
 * The pages a script fills: the layout around a static body (from
 * assets/pages/<body>.html), rendered once at start, when the assets are
 * read, so serving one is a copy-free answer from memory.  The body is
 * parsed by libxml2 and moved into the layout's <main>, so a malformed
 * body is caught at start, not in a user's browser.
 *
 * Every page of the table must have a route in src/routes.c with
 * page_shell_show as its handler, and the reverse (checked at start).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "http/api.h"
#include "page/page.h"

struct page_shell {
	const char	*pattern;	/* the route's */
	const char	*body;		/* assets/pages/<body>.html */
	const char	*title;
	const char	*section;	/* the navigation's */
	unsigned char	*html;		/* rendered at start */
	size_t		len;
};

static struct page_shell page_shells[] = {
	{ "/", "home", "首页", "home", NULL, 0 },
	{ "/tipoff", "tipoff-new", "举报漏洞收集平台", "tipoff", NULL, 0 },
	{ "/tipoff/follow", "tipoff-follow", "查询举报进展", "tipoff",
	  NULL, 0 },
	{ "/account/register", "account-register", "注册账户", "operator",
	  NULL, 0 },
	{ "/account/login", "account-login", "登录", "operator", NULL, 0 },
	{ "/operator", "operator-home", "我的备案", "operator", NULL, 0 },
	{ "/operator/filings/:id", "operator-filing", "备案", "operator",
	  NULL, 0 },
	{ "/operator/filings/:id/change", "operator-change", "报送变更",
	  "operator", NULL, 0 },
	{ "/operator/filings/:id/deregister", "operator-deregister", "注销备案",
	  "operator", NULL, 0 },
	{ "/review", "review-queue", "审核队列", "review", NULL, 0 },
	{ "/review/filings/:id", "review-case", "审核备案", "review",
	  NULL, 0 },
	{ "/review/tipoffs", "review-tipoffs", "举报处理", "review",
	  NULL, 0 },
	{ "/review/tipoffs/:id", "review-tipoff", "举报案件", "review",
	  NULL, 0 },
	{ "/review/outbox", "review-outbox", "通报发送", "review", NULL, 0 },
	{ NULL, NULL, NULL, NULL, NULL, 0 }
};

static int
page_shell_body(struct page *p, const struct page_shell *s, char *err,
    size_t elen)
{
	htmlDocPtr	frag;
	xmlNodePtr	root, body, n, next;
	const char	*text;
	size_t		len;
	int		ok;

	if ((text = page_body(s->body, &len)) == NULL) {
		(void)snprintf(err, elen, "page body %s.html missing", s->body);
		return (0);
	}
	frag = htmlReadMemory(text, (int)len, NULL, "utf-8",
	    HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
	ok = 0;
	body = NULL;
	if (frag != NULL && (root = xmlDocGetRootElement(frag)) != NULL) {
		for (n = root->children; n != NULL; n = n->next) {
			if (n->type == XML_ELEMENT_NODE &&
			    xmlStrcmp(n->name, (const xmlChar *)"body") == 0)
				body = n;
		}
	}
	if (body == NULL) {
		(void)snprintf(err, elen, "page body %s.html: no content",
		    s->body);
		goto cleanup;
	}
	/* The public register and the record need no script; these do. */
	if (strcmp(s->body, "home") != 0) {
		n = page_el(p->main, "noscript", NULL, NULL);
		page_el(n, "p", "govuk-body govuk-!-font-weight-bold",
		    "此页面需要启用浏览器的 JavaScript 功能。公开的备案名录和"
		    "备案信息页面无需 JavaScript。");
	}
	for (n = body->children; n != NULL; n = next) {
		next = n->next;
		xmlUnlinkNode(n);
		if (xmlDOMWrapAdoptNode(NULL, frag, n, p->doc, p->main, 0) != 0 ||
		    xmlAddChild(p->main, n) == NULL) {
			xmlFreeNode(n);
			(void)snprintf(err, elen, "page body %s.html: adopt",
			    s->body);
			goto cleanup;
		}
	}
	ok = 1;
cleanup:
	if (frag != NULL)
		xmlFreeDoc(frag);
	return (ok);
}

static unsigned char	*page_missing_html;
static size_t		 page_missing_len;

/* The "not found" page, for any address that is neither page nor API. */
static int
page_missing_render(void)
{
	struct page	p;
	xmlNodePtr	n;

	if (!page_begin(&p, "未找到该页面", "missing", ""))
		return (0);
	page_el(p.main, "h1", "govuk-heading-l", "未找到该页面");
	page_el(p.main, "p", "govuk-body", "如果您输入了网址，请检查是否正确。"
	    "如果您粘贴了网址，请确认复制了完整的网址。");
	n = page_el(p.main, "p", "govuk-body", NULL);
	page_link(n, "/", NULL, "返回首页");
	page_missing_html = page_finish(&p, &page_missing_len);
	return (page_missing_html != NULL);
}

void
page_not_found(struct api_call *call)
{
	api_reply_static(call, "text/html; charset=utf-8", page_missing_html,
	    page_missing_len, NULL);
	call->status = 404;
}

/* In the parent, after page_assets_load: every shell, rendered. */
int
page_shells_render(char *err, size_t elen)
{
	struct page_shell	*s;
	struct page		p;
	const struct api_route	*r;
	int			found;

	if (!page_missing_render()) {
		(void)snprintf(err, elen, "not-found page: out of memory");
		return (0);
	}
	for (s = page_shells; s->pattern != NULL; s++) {
		found = 0;
		for (r = api_routes(); r->pattern != NULL; r++) {
			if (r->exec == page_shell_show &&
			    strcmp(r->pattern, s->pattern) == 0)
				found = 1;
		}
		if (!found) {
			(void)snprintf(err, elen, "page %s has no route",
			    s->pattern);
			return (0);
		}
		if (!page_begin(&p, s->title, s->body, s->section)) {
			(void)snprintf(err, elen, "out of memory");
			return (0);
		}
		if (!page_shell_body(&p, s, err, elen)) {
			page_discard(&p);
			return (0);
		}
		if ((s->html = page_finish(&p, &s->len)) == NULL) {
			(void)snprintf(err, elen, "page %s: serialise",
			    s->pattern);
			return (0);
		}
	}
	for (r = api_routes(); r->pattern != NULL; r++) {
		if (r->exec != page_shell_show)
			continue;
		for (s = page_shells; s->pattern != NULL; s++) {
			if (strcmp(r->pattern, s->pattern) == 0)
				break;
		}
		if (s->pattern == NULL) {
			(void)snprintf(err, elen, "route %s has no page",
			    r->pattern);
			return (0);
		}
	}
	return (1);
}

void
page_shell_show(struct api_call *call, struct db *db)
{
	const struct page_shell	*s;

	(void)db;
	for (s = page_shells; s->pattern != NULL; s++) {
		if (strcmp(s->pattern, call->route->pattern) == 0 &&
		    s->html != NULL) {
			api_reply_static(call, "text/html; charset=utf-8",
			    s->html, s->len, NULL);
			return;
		}
	}
	api_error(call, 500, "internal", "服务器内部错误");
}
