/*
 * The public register as web pages, rendered on the server from the same
 * public records the JSON routes answer with (SPEC §5: nothing else is in
 * them), so they read without JavaScript: the search with its results and
 * pages, a platform's record (where the homepage badge points), and the
 * box that verifies a filing number.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "page/page.h"
#include "page/page_register.h"

static const char *
str(const json_t *o, const char *k)
{
	const char	*s;

	s = json_string_value(json_object_get(o, k));
	return (s != NULL ? s : "");
}

const char *
page_status_label(const char *status)
{
	if (strcmp(status, "filed") == 0)
		return ("已备案");
	if (strcmp(status, "deregistered") == 0)
		return ("已注销");
	if (strcmp(status, "revoked") == 0)
		return ("已撤销");
	return ("");
}

static const char *
page_status_tag(const char *status)
{
	if (strcmp(status, "filed") == 0)
		return ("govuk-tag govuk-tag--green");
	if (strcmp(status, "revoked") == 0)
		return ("govuk-tag govuk-tag--red");
	return ("govuk-tag govuk-tag--grey");
}

static const char *
page_sponsor_type(const char *type)
{
	static const char	*names[][2] = {
		{ "individual", "个人" }, { "enterprise", "企业" },
		{ "institution", "事业单位" }, { "other", "其他组织" },
	};
	size_t			i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(type, names[i][0]) == 0)
			return (names[i][1]);
	}
	return (type);
}

static void
page_warning(xmlNodePtr parent, const char *text)
{
	xmlNodePtr	w, icon;

	w = page_el(parent, "div", "govuk-warning-text", NULL);
	icon = page_el(w, "span", "govuk-warning-text__icon", "!");
	page_attr(icon, "aria-hidden", "true");
	w = page_el(w, "strong", "govuk-warning-text__text", NULL);
	page_el(w, "span", "govuk-visually-hidden", "警告");
	xmlAddChild(w, xmlNewText((const xmlChar *)text));
}

/*
 * Appends s to out at o, percent-encoded but for letters, digits and the
 * characters of keep; 0 when it does not fit.
 */
static int
page_pct(const char *s, const char *keep, char *out, size_t len, size_t o)
{
	static const char	hex[] = "0123456789ABCDEF";
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (o + 4 > len)
			return (0);
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr(keep, *p) != NULL) {
			out[o++] = (char)*p;
		} else {
			out[o++] = '%';
			out[o++] = hex[*p >> 4];
			out[o++] = hex[*p & 15];
		}
	}
	out[o] = '\0';
	return (1);
}

/* "/register/<number>", the number percent-encoded. */
int
page_record_path(const char *number, char *out, size_t len)
{
	(void)snprintf(out, len, "/register/");
	return (page_pct(number, "-", out, len, strlen(out)));
}

/* The "verify a filing number" box: a plain GET form, no script needed. */
void
page_verify_box(xmlNodePtr parent, const char *value, const char *error)
{
	xmlNodePtr	form, group, label, in, btn, wrap;

	form = page_el(parent, "form", NULL, NULL);
	page_attr(form, "method", "get");
	page_attr(form, "action", "/verify");
	page_attr(form, "novalidate", "novalidate");
	group = page_el(form, "div", error != NULL ? "govuk-form-group "
	    "govuk-form-group--error" : "govuk-form-group", NULL);
	label = page_el(group, "h2", "govuk-label-wrapper", NULL);
	label = page_el(label, "label", "govuk-label govuk-label--m",
	    "核验备案编号");
	page_attr(label, "for", "verify-number");
	page_el(group, "div", "govuk-hint", "输入平台首页底部标注的备案编号，"
	    "例如 VCP-2026-000001-4");
	page_attr(group->last, "id", "verify-number-hint");
	if (error != NULL) {
		wrap = page_el(group, "p", "govuk-error-message", NULL);
		page_attr(wrap, "id", "verify-number-error");
		page_el(wrap, "span", "govuk-visually-hidden", "错误：");
		xmlAddChild(wrap, xmlNewText((const xmlChar *)error));
	}
	in = page_el(group, "input", error != NULL ? "govuk-input "
	    "govuk-input--width-20 govuk-input--error" :
	    "govuk-input govuk-input--width-20", NULL);
	page_attr(in, "id", "verify-number");
	page_attr(in, "name", "number");
	page_attr(in, "type", "text");
	page_attr(in, "spellcheck", "false");
	page_attr(in, "autocomplete", "off");
	page_attr(in, "maxlength", "48");
	page_attr(in, "aria-describedby", error != NULL ?
	    "verify-number-hint verify-number-error" : "verify-number-hint");
	if (value != NULL)
		page_attr(in, "value", value);
	btn = page_el(form, "button", "govuk-button govuk-button--secondary",
	    "核验");
	page_attr(btn, "type", "submit");
	page_attr(btn, "data-module", "govuk-button");
}

static void
page_list_value(xmlNodePtr dd, const json_t *arr)
{
	xmlNodePtr	ul;
	const json_t	*v;
	size_t		i;
	char		acc[512];

	xmlNodeSetContent(dd, NULL);
	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		xmlAddChild(dd, xmlNewText((const xmlChar *)"—"));
		return;
	}
	ul = page_el(dd, "ul", "govuk-list", NULL);
	json_array_foreach(arr, i, v) {
		if (json_is_string(v)) {
			page_el(ul, "li", NULL, json_string_value(v));
		} else if (json_is_object(v)) {
			(void)snprintf(acc, sizeof(acc), "%s：%s",
			    str(v, "app"), str(v, "account"));
			page_el(ul, "li", NULL, acc);
		}
	}
}

static void
page_changes_value(xmlNodePtr dd, const json_t *changes)
{
	xmlNodePtr	ul;
	const json_t	*c;
	size_t		i;
	char		line[128];

	xmlNodeSetContent(dd, NULL);
	if (!json_is_array(changes) || json_array_size(changes) == 0) {
		xmlAddChild(dd, xmlNewText((const xmlChar *)"无"));
		return;
	}
	ul = page_el(dd, "ul", "govuk-list", NULL);
	json_array_foreach(changes, i, c) {
		(void)snprintf(line, sizeof(line), "%s 变更，%s 备案",
		    str(c, "changed_on"), str(c, "approved_on"));
		page_el(ul, "li", NULL, line);
	}
}

unsigned char *
page_record_render(const json_t *rec, size_t *len)
{
	struct page	p;
	const json_t	*pl, *sp;
	xmlNodePtr	n, list, dd;
	const char	*status;

	pl = json_object_get(rec, "platform");
	sp = json_object_get(rec, "sponsor");
	status = str(rec, "status");
	if (!page_begin(&p, str(pl, "name"), "register-record", "register"))
		return (NULL);
	n = page_el(p.main, "span", "govuk-caption-l", "备案编号 ");
	xmlAddChild(n, xmlNewText((const xmlChar *)str(rec,
	    "filing_number")));
	page_el(p.main, "h1", "govuk-heading-l vcp-break", str(pl, "name"));
	n = page_el(p.main, "p", "govuk-body", NULL);
	page_el(n, "strong", page_status_tag(status),
	    page_status_label(status));
	if (strcmp(status, "filed") == 0)
		page_el(p.main, "p", "govuk-body", "该平台已依法向工业和信息化部"
		    "备案。备案不代表对平台的认可或担保。");
	else
		page_warning(p.main, strcmp(status, "revoked") == 0 ?
		    "该平台的备案已被撤销。" :
		    "该平台已注销备案，不再提供漏洞收集服务。");

	list = page_el(p.main, "dl", "govuk-summary-list", NULL);
	page_summary_row(list, "备案编号", str(rec, "filing_number"));
	page_summary_row(list, "平台名称", str(pl, "name"));
	page_summary_row(list, "平台首页", str(pl, "homepage"));
	page_summary_row(list, "ICP备案号", str(pl, "icp"));
	dd = page_summary_row(list, "漏洞发布网址", NULL);
	page_list_value(dd, json_object_get(pl, "publish_urls"));
	dd = page_summary_row(list, "发布账号", NULL);
	page_list_value(dd, json_object_get(pl, "social_accounts"));
	page_summary_row(list, "主办者名称", str(sp, "name"));
	page_summary_row(list, "主办者性质", page_sponsor_type(str(sp,
	    "type")));
	page_summary_row(list, "备案状态", page_status_label(status));
	page_summary_row(list, "备案日期", str(rec, "filed_on"));
	if (strcmp(status, "filed") != 0)
		page_summary_row(list, strcmp(status, "revoked") == 0 ?
		    "撤销日期" : "注销日期", str(rec, "ended_on"));
	dd = page_summary_row(list, "变更记录", NULL);
	page_changes_value(dd, json_object_get(rec, "changes"));

	n = page_el(p.main, "p", "govuk-body", NULL);
	page_link(n, "/register", NULL, "返回备案名录");
	page_verify_box(p.main, NULL, NULL);
	return (page_finish(&p, len));
}

/* govuk's error summary: the script moves focus to it on load. */
static void
page_error_summary(xmlNodePtr parent, const char *text, const char *href)
{
	xmlNodePtr	box, alert, body, ul, li;

	box = page_el(parent, "div", "govuk-error-summary", NULL);
	page_attr(box, "data-module", "govuk-error-summary");
	alert = page_el(box, "div", NULL, NULL);
	page_attr(alert, "role", "alert");
	page_el(alert, "h2", "govuk-error-summary__title", "出现问题");
	body = page_el(alert, "div", "govuk-error-summary__body", NULL);
	ul = page_el(body, "ul", "govuk-list govuk-error-summary__list", NULL);
	li = page_el(ul, "li", NULL, NULL);
	page_link(li, href, NULL, text);
}

static void
page_search_form(xmlNodePtr parent, const struct page_register_query *q)
{
	static const char	*statuses[][2] = {
		{ "", "全部" }, { "filed", "已备案" },
		{ "deregistered", "已注销" }, { "revoked", "已撤销" },
	};
	xmlNodePtr		form, group, label, in, sel, opt, btn;
	size_t			i;

	form = page_el(parent, "form", NULL, NULL);
	page_attr(form, "method", "get");
	page_attr(form, "action", "/register");
	page_attr(form, "novalidate", "novalidate");
	group = page_el(form, "div", q->error != NULL ? "govuk-form-group "
	    "govuk-form-group--error" : "govuk-form-group", NULL);
	label = page_el(group, "label", "govuk-label govuk-label--s",
	    "检索");
	page_attr(label, "for", "q");
	page_el(group, "div", "govuk-hint", "平台名称、主办者名称、网址或"
	    "备案编号的任意部分");
	page_attr(group->last, "id", "q-hint");
	if (q->error != NULL) {
		label = page_el(group, "p", "govuk-error-message", NULL);
		page_attr(label, "id", "q-error");
		page_el(label, "span", "govuk-visually-hidden", "错误：");
		xmlAddChild(label, xmlNewText((const xmlChar *)q->error));
	}
	in = page_el(group, "input", q->error != NULL ?
	    "govuk-input govuk-input--error" : "govuk-input", NULL);
	page_attr(in, "id", "q");
	page_attr(in, "name", "q");
	page_attr(in, "type", "search");
	page_attr(in, "maxlength", "64");
	page_attr(in, "aria-describedby", q->error != NULL ? "q-hint q-error" :
	    "q-hint");
	page_attr(in, "value", q->q);

	group = page_el(form, "div", "govuk-form-group", NULL);
	label = page_el(group, "label", "govuk-label govuk-label--s", "状态");
	page_attr(label, "for", "status");
	sel = page_el(group, "select", "govuk-select", NULL);
	page_attr(sel, "id", "status");
	page_attr(sel, "name", "status");
	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		opt = page_el(sel, "option", NULL, statuses[i][1]);
		page_attr(opt, "value", statuses[i][0]);
		if (strcmp(q->status, statuses[i][0]) == 0)
			page_attr(opt, "selected", "selected");
	}
	btn = page_el(form, "button", "govuk-button", "检索");
	page_attr(btn, "type", "submit");
	page_attr(btn, "data-module", "govuk-button");
}

/* "/register?q=…&status=…&page=N", the words percent-encoded. */
static void
page_search_href(const struct page_register_query *q, int page, char *out,
    size_t len)
{
	size_t	o;

	(void)snprintf(out, len, "/register?q=");
	if (!page_pct(q->q, "-._", out, len, strlen(out)))
		return;
	o = strlen(out);
	(void)snprintf(out + o, len - o, "&status=%s&page=%d", q->status, page);
}

static void
page_pagination(xmlNodePtr parent, const struct page_register_query *q,
    int64_t total)
{
	xmlNodePtr	nav, div, ul, li, a;
	int		pages, i;
	char		href[1024], num[16];

	pages = (int)((total + PAGE_REGISTER_PER_PAGE - 1) /
	    PAGE_REGISTER_PER_PAGE);
	if (pages <= 1)
		return;
	nav = page_el(parent, "nav", "govuk-pagination", NULL);
	page_attr(nav, "aria-label", "分页");
	if (q->page > 1) {
		div = page_el(nav, "div", "govuk-pagination__prev", NULL);
		page_search_href(q, q->page - 1, href, sizeof(href));
		a = page_link(div, href, "govuk-link govuk-pagination__link",
		    NULL);
		page_attr(a, "rel", "prev");
		page_el(a, "span", "govuk-pagination__link-title", "上一页");
	}
	ul = page_el(nav, "ul", "govuk-pagination__list", NULL);
	for (i = 1; i <= pages; i++) {
		if (i != 1 && i != pages && (i < q->page - 2 ||
		    i > q->page + 2)) {
			if (i == q->page - 3 || i == q->page + 3)
				page_el(ul, "li", "govuk-pagination__item "
				    "govuk-pagination__item--ellipses", "…");
			continue;
		}
		(void)snprintf(num, sizeof(num), "%d", i);
		li = page_el(ul, "li", i == q->page ? "govuk-pagination__item "
		    "govuk-pagination__item--current" : "govuk-pagination__item",
		    NULL);
		page_search_href(q, i, href, sizeof(href));
		a = page_link(li, href, "govuk-link govuk-pagination__link",
		    num);
		if (i == q->page)
			page_attr(a, "aria-current", "page");
		(void)snprintf(href, sizeof(href), "第%d页", i);
		page_attr(a, "aria-label", href);
	}
	if (q->page < pages) {
		div = page_el(nav, "div", "govuk-pagination__next", NULL);
		page_search_href(q, q->page + 1, href, sizeof(href));
		a = page_link(div, href, "govuk-link govuk-pagination__link",
		    NULL);
		page_attr(a, "rel", "next");
		page_el(a, "span", "govuk-pagination__link-title", "下一页");
	}
}

static void
page_results(xmlNodePtr parent, const json_t *items)
{
	xmlNodePtr	table, tr, td;
	const json_t	*it;
	size_t		i;
	char		href[256];

	table = page_el(parent, "table", "govuk-table", NULL);
	page_el(table, "caption", "govuk-table__caption govuk-visually-hidden",
	    "检索结果");
	tr = page_el(page_el(table, "thead", "govuk-table__head", NULL), "tr",
	    "govuk-table__row", NULL);
	page_el(tr, "th", "govuk-table__header", "备案编号");
	page_el(tr, "th", "govuk-table__header", "平台名称");
	page_el(tr, "th", "govuk-table__header", "主办者");
	page_el(tr, "th", "govuk-table__header", "状态");
	page_el(tr, "th", "govuk-table__header", "备案日期");
	table = page_el(table, "tbody", "govuk-table__body", NULL);
	json_array_foreach(items, i, it) {
		tr = page_el(table, "tr", "govuk-table__row", NULL);
		td = page_el(tr, "td", "govuk-table__cell vcp-break", NULL);
		if (page_record_path(str(it, "filing_number"), href,
		    sizeof(href)))
			page_link(td, href, NULL, str(it, "filing_number"));
		page_el(tr, "td", "govuk-table__cell vcp-break",
		    str(json_object_get(it, "platform"), "name"));
		page_el(tr, "td", "govuk-table__cell vcp-break",
		    str(json_object_get(it, "sponsor"), "name"));
		page_el(tr, "td", "govuk-table__cell",
		    page_status_label(str(it, "status")));
		page_el(tr, "td", "govuk-table__cell", str(it, "filed_on"));
	}
}

unsigned char *
page_register_render(const struct page_register_query *q,
    const json_t *items, int64_t total, size_t *len)
{
	struct page	p;
	xmlNodePtr	n;
	char		line[128];

	if (!page_begin(&p, "备案名录", "register", "register"))
		return (NULL);
	if (q->error != NULL)
		page_error_summary(p.main, q->error, "#q");
	page_el(p.main, "h1", "govuk-heading-l", "漏洞收集平台备案名录");
	page_el(p.main, "p", "govuk-body", "已向工业和信息化部备案的网络产品"
	    "安全漏洞收集平台，以及已注销、已撤销备案的平台。");
	page_search_form(p.main, q);
	if (q->error == NULL) {
		(void)snprintf(line, sizeof(line), "共 %lld 个平台",
		    (long long)total);
		n = page_el(p.main, "p", "govuk-body", line);
		page_attr(n, "id", "result-count");
		page_attr(n, "role", "status");
		if (json_array_size(items) > 0)
			page_results(p.main, items);
		else
			page_el(p.main, "p", "govuk-body",
			    "没有符合条件的平台。请检查检索词，或减少检索条件。");
		page_pagination(p.main, q, total);
	}
	n = page_el(p.main, "p", "govuk-body", "下载名录：");
	page_link(n, "/api/v1/registry.csv", NULL, "CSV");
	xmlAddChild(n, xmlNewText((const xmlChar *)"、"));
	page_link(n, "/api/v1/registry.xml", NULL, "XML");
	xmlAddChild(n, xmlNewText((const xmlChar *)"；订阅变更："));
	page_link(n, "/api/v1/registry/feed.atom", NULL, "Atom");
	return (page_finish(&p, len));
}

/* A number that is not on the register (or not well formed). */
unsigned char *
page_record_missing(const char *number, size_t *len)
{
	struct page	p;

	if (!page_begin(&p, "未找到备案编号", "register-missing", "register"))
		return (NULL);
	page_error_summary(p.main, "备案名录中没有该备案编号", "#verify-number");
	page_el(p.main, "h1", "govuk-heading-l", "未找到该备案编号");
	page_el(p.main, "p", "govuk-body", "请核对编号是否与平台首页标注的一致。"
	    "未在名录中的编号不是有效的备案编号；如平台冒用备案编号，可以举报。");
	page_verify_box(p.main, number, "备案名录中没有该备案编号");
	page_link(page_el(p.main, "p", "govuk-body", NULL), "/tipoff", NULL,
	    "举报漏洞收集平台");
	return (page_finish(&p, len));
}
