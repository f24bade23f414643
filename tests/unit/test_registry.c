/*
 * The register's exports, pure: the public record made from a form holds
 * no personal field, the XML is valid against schema/registry.xsd, the
 * CSV is RFC 4180 with formulas neutralised, the Atom feed and the badge
 * are well-formed and carry four-byte characters whole.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "domain/filing_form.h"
#include "registry/registry_export.h"

static json_t *
form(const char *name)
{
	return (json_pack("{s:{s:s,s:s,s:s,s:[s],s:[{s:s,s:s}],s:s},"
	    "s:{s:s,s:s,s:s},s:{s:s,s:s,s:s},s:{s:s,s:s,s:s},"
	    "s:{s:s,s:i},s:{s:s}}",
	    "platform", "name", name, "homepage", "https://src.example.com",
	    "icp", "京ICP备12345678号-1", "publish_urls",
	    "https://src.example.com/bulletins", "social_accounts", "app",
	    "微信", "account", "某某安全响应中心", "online_date", "2027-03-01",
	    "sponsor", "name", "某某网络科技有限公司", "type", "individual",
	    "id_number", "11010519491231002X",
	    "principal", "name", "张三", "mobile", "13812345678", "email",
	    "zhangsan@example.com",
	    "contact", "name", "李四", "mobile", "13912345678", "email",
	    "lisi@example.com",
	    "mlps", "certificate_number", "11010199001-00001", "level", 2,
	    "management", "description", "依据 GB/T 22239 实施平台管理。"));
}

static json_t *
records(const char *name, const char *number)
{
	json_t	*f, *rec, *all;

	f = form(name);
	rec = filing_public_record(f, number, "filed", "2026-11-20", NULL);
	json_decref(f);
	all = json_array();
	json_array_append_new(all, rec);
	return (all);
}

static void
assert_no_personal_data(const char *text)
{
	static const char	*never[] = { "11010519491231002X",
	    "13812345678", "zhangsan@example.com", "13912345678",
	    "lisi@example.com", "张三", "李四", "11010199001-00001", NULL };
	const char		**p;

	for (p = never; *p != NULL; p++)
		assert_null(strstr(text, *p));
}

static void
test_xml_is_valid_against_the_schema(void **state)
{
	xmlSchemaParserCtxtPtr	pctx;
	xmlSchemaValidCtxtPtr	vctx;
	xmlSchemaPtr		schema;
	xmlDocPtr		doc;
	json_t			*recs;
	unsigned char		*xml;
	size_t			len;

	(void)state;
	recs = records("某某漏洞收集平台😀", "VCP-2026-000123-6");
	xml = registry_xml(recs, "2026-11-22T10:00:00Z", &len);
	assert_non_null(xml);
	assert_no_personal_data((const char *)xml);
	assert_non_null(strstr((const char *)xml, "某某漏洞收集平台😀"));

	pctx = xmlSchemaNewParserCtxt("schema/registry.xsd");
	assert_non_null(pctx);
	schema = xmlSchemaParse(pctx);
	assert_non_null(schema);
	vctx = xmlSchemaNewValidCtxt(schema);
	doc = xmlReadMemory((const char *)xml, (int)len, NULL, NULL,
	    XML_PARSE_NONET);
	assert_non_null(doc);
	assert_int_equal(xmlSchemaValidateDoc(vctx, doc), 0);
	xmlFreeDoc(doc);
	xmlSchemaFreeValidCtxt(vctx);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pctx);
	free(xml);
	json_decref(recs);
}

static void
test_csv_quotes_and_neutralises_formulas(void **state)
{
	json_t		*recs;
	unsigned char	*csv;
	size_t		len;

	(void)state;
	recs = records("=HYPERLINK(\"http://evil\")", "VCP-2026-000123-6");
	csv = registry_csv(recs, &len);
	assert_non_null(csv);
	/* UTF-8 with a byte-order mark, CRLF line ends */
	assert_memory_equal(csv, "\xef\xbb\xbf" "filing_number,", 17);
	assert_non_null(strstr((const char *)csv, "\r\n"));
	/* the formula is prefixed, the quotes doubled */
	assert_non_null(strstr((const char *)csv,
	    "\"'=HYPERLINK(\"\"http://evil\"\")\""));
	assert_no_personal_data((const char *)csv);
	free(csv);
	json_decref(recs);
}

static void
test_atom_keeps_four_byte_text_whole(void **state)
{
	json_t		*events;
	unsigned char	*atom;
	xmlDocPtr	doc;
	char		name[128 * 4 + 1];
	size_t		len, i;

	(void)state;
	/* the longest name the form allows, in four-byte characters */
	for (i = 0; i < 128; i++)
		memcpy(name + i * 4, "😀", 4);
	name[128 * 4] = '\0';
	events = json_pack("[{s:I,s:s,s:s,s:s,s:s}]", "id", (json_int_t)7,
	    "at", "2026-11-22T10:00:00Z", "event", "approved",
	    "filing_number", "VCP-2026-000123-6", "platform_name", name);
	atom = registry_atom(events, "https://vcp.example.gov.cn",
	    "2026-11-22T10:00:00Z", &len);
	assert_non_null(atom);
	assert_non_null(strstr((const char *)atom, name));
	doc = xmlReadMemory((const char *)atom, (int)len, NULL, NULL,
	    XML_PARSE_NONET);
	assert_non_null(doc);
	xmlFreeDoc(doc);
	free(atom);
	json_decref(events);
}

static void
test_badge_links_to_the_record(void **state)
{
	json_t		*recs;
	unsigned char	*html;
	size_t		len;

	(void)state;
	recs = records("某某漏洞收集平台", "VCP-2026-000123-6");
	html = registry_badge(json_string_value(json_object_get(
	    json_array_get(recs, 0), "filing_number")),
	    "https://vcp.example.gov.cn", &len);
	assert_non_null(html);
	assert_non_null(strstr((const char *)html,
	    "https://vcp.example.gov.cn/"));
	assert_non_null(strstr((const char *)html, "VCP-2026-000123-6"));
	assert_null(strstr((const char *)html, "<script"));
	free(html);
	json_decref(recs);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_xml_is_valid_against_the_schema),
		cmocka_unit_test(test_csv_quotes_and_neutralises_formulas),
		cmocka_unit_test(test_atom_keeps_four_byte_text_whole),
		cmocka_unit_test(test_badge_links_to_the_record),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
