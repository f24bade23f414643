/*
 * The server-rendered pages, pure: what an operator typed comes out as
 * text (libxml2 escapes it), the record shows what SPEC §5 allows and
 * nothing personal, a number is percent-encoded in links, and the
 * register's pages link to each other with the query kept.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>

#include "domain/filing_form.h"
#include "page/page.h"
#include "page/page_register.h"

static json_t *
record(const char *name, const char *status)
{
	json_t	*form, *rec;

	form = json_pack("{s:{s:s,s:s,s:s,s:[s],s:[{s:s,s:s}]},"
	    "s:{s:s,s:s,s:s},s:{s:s,s:s,s:s}}",
	    "platform", "name", name, "homepage", "https://src.example.com",
	    "icp", "京ICP备12345678号-1", "publish_urls",
	    "https://src.example.com/bulletins", "social_accounts", "app",
	    "微信", "account", "某某安全响应中心",
	    "sponsor", "name", "某某网络科技有限公司", "type", "enterprise",
	    "id_number", "914403001922038216",
	    "principal", "name", "张三", "mobile", "13812345678", "email",
	    "zhangsan@example.com");
	rec = filing_public_record(form, "VCP-2026-000001-7", status,
	    "2026-11-20", strcmp(status, "filed") ? "2026-11-21" : NULL);
	json_decref(form);
	return (rec);
}

static htmlDocPtr
parse(unsigned char *html, size_t len)
{
	htmlDocPtr	doc;

	assert_non_null(html);
	doc = htmlReadMemory((const char *)html, (int)len, NULL, "utf-8",
	    HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
	assert_non_null(doc);
	return (doc);
}

/* The text of the first node the XPath finds, or NULL. */
static char *
xtext(htmlDocPtr doc, const char *xpath)
{
	xmlXPathContextPtr	ctx;
	xmlXPathObjectPtr	o;
	char			*s;

	ctx = xmlXPathNewContext(doc);
	o = xmlXPathEvalExpression((const xmlChar *)xpath, ctx);
	s = NULL;
	if (o != NULL && o->nodesetval != NULL && o->nodesetval->nodeNr > 0)
		s = (char *)xmlNodeGetContent(o->nodesetval->nodeTab[0]);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return (s);
}

static void
test_record_escapes_and_hides(void **state)
{
	const char	*evil = "<script>alert(\"x\")</script>&amp;平台";
	json_t		*rec;
	unsigned char	*html;
	htmlDocPtr	doc;
	size_t		len;
	char		*h1;

	(void)state;
	rec = record(evil, "filed");
	html = page_record_render(rec, &len);
	json_decref(rec);
	assert_null(memmem(html, len, "<script>alert", 13));
	assert_non_null(memmem(html, len, "&lt;script&gt;", 14));
	/* Nothing personal reaches the public page. */
	assert_null(memmem(html, len, "914403001922038216", 18));
	assert_null(memmem(html, len, "13812345678", 11));
	assert_null(memmem(html, len, "张三", strlen("张三")));
	doc = parse(html, len);
	h1 = xtext(doc, "//h1");
	assert_string_equal(h1, evil);
	xmlFree(h1);
	h1 = xtext(doc, "//html/@lang");
	assert_string_equal(h1, "zh-CN");
	xmlFree(h1);
	/* Inline scripts would break the CSP: none, not even from data. */
	assert_null(xtext(doc, "//script[not(@src)]"));
	xmlFreeDoc(doc);
	free(html);
}

static void
test_record_of_an_ended_filing(void **state)
{
	json_t		*rec;
	unsigned char	*html;
	size_t		len;

	(void)state;
	rec = record("某某平台", "revoked");
	html = page_record_render(rec, &len);
	json_decref(rec);
	assert_non_null(memmem(html, len, "已撤销", strlen("已撤销")));
	assert_non_null(memmem(html, len, "2026-11-21", 10));
	free(html);
}

static void
test_record_path(void **state)
{
	char	out[64];

	(void)state;
	assert_true(page_record_path("VCP-2026-000001-7", out, sizeof(out)));
	assert_string_equal(out, "/register/VCP-2026-000001-7");
	assert_true(page_record_path("a/b?c 号", out, sizeof(out)));
	assert_string_equal(out, "/register/a%2Fb%3Fc%20%E5%8F%B7");
	assert_false(page_record_path("0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789", out, sizeof(out)));
}

static void
test_register_pages_keep_the_query(void **state)
{
	struct page_register_query	q;
	json_t				*items;
	unsigned char			*html;
	htmlDocPtr			doc;
	size_t				len;
	char				*href;

	(void)state;
	memset(&q, 0, sizeof(q));
	(void)snprintf(q.q, sizeof(q.q), "漏洞&平台");
	(void)snprintf(q.status, sizeof(q.status), "filed");
	q.page = 2;
	items = json_pack("[o]", record("某某平台", "filed"));
	html = page_register_render(&q, items, 95, &len);
	json_decref(items);
	doc = parse(html, len);
	href = xtext(doc, "//a[@rel='next']/@href");
	assert_string_equal(href, "/register?q=%E6%BC%8F%E6%B4%9E%26%E5%B9%B3"
	    "%E5%8F%B0&status=filed&page=3");
	xmlFree(href);
	href = xtext(doc, "//a[@aria-current='page']");
	assert_string_equal(href, "2");
	xmlFree(href);
	href = xtext(doc, "//input[@id='q']/@value");
	assert_string_equal(href, "漏洞&平台");
	xmlFree(href);
	href = xtext(doc, "//table//a/@href");
	assert_string_equal(href, "/register/VCP-2026-000001-7");
	xmlFree(href);
	xmlFreeDoc(doc);
	free(html);
}

/*
 * Pages kept per version: 500 record pages asked in turn are all kept
 * (with one slot a key, some shared a slot and were rendered at every
 * visit), gzipped when asked and whole otherwise; a new version misses.
 */
static void
test_page_cache_keeps_pages(void **state)
{
	unsigned char	page[2048], *got, *z;
	char		key[32];
	size_t		len;
	int		i, gz;

	(void)state;
	memset(page, 'a', sizeof(page));
	for (i = 0; i < 500; i++) {
		(void)snprintf(key, sizeof(key), "r:VCP-2026-%06d-1", i);
		(void)snprintf((char *)page, 32, "<p>%d</p>", i);
		page_cache_put(7, key, page, sizeof(page));
	}
	for (i = 0; i < 500; i++) {
		(void)snprintf(key, sizeof(key), "r:VCP-2026-%06d-1", i);
		got = page_cache_get(7, key, 0, &len, &gz);
		assert_non_null(got);
		assert_int_equal(len, sizeof(page));
		assert_false(gz);
		assert_int_equal(atoi((char *)got + 3), i);
		free(got);
		z = page_cache_get(7, key, 1, &len, &gz);
		assert_non_null(z);
		assert_true(gz);
		assert_true(len < sizeof(page) / 4);
		assert_int_equal(z[0], 0x1f);
		assert_int_equal(z[1], 0x8b);
		free(z);
		assert_null(page_cache_get(8, key, 0, &len, &gz));
	}
	/* A page of an older version does not replace a newer one. */
	page_cache_put(9, "r:new", page, sizeof(page));
	page_cache_put(8, "r:new", page, 100);
	assert_non_null(got = page_cache_get(9, "r:new", 0, &len, &gz));
	assert_int_equal(len, sizeof(page));
	free(got);
	assert_null(page_cache_get(8, "r:new", 0, &len, &gz));
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_record_escapes_and_hides),
		cmocka_unit_test(test_record_of_an_ended_filing),
		cmocka_unit_test(test_record_path),
		cmocka_unit_test(test_register_pages_keep_the_query),
		cmocka_unit_test(test_page_cache_keeps_pages),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
