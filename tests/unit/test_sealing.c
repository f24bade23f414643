/*
 * Sealing personal data and signing notifications, with real keys made
 * in a temporary directory: a sealed value opens only whole and only
 * under its key; key files are refused when others may read them; a
 * filing event's document is valid against schema/notification.xsd and
 * its signature verifies, and fails once a byte of it changes.
 */

#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "crypto/crypto.h"
#include "crypto/seal.h"
#include "crypto/sign.h"
#include "filing/filing.h"
#include "notify/notify.h"

static char	dir[] = "/tmp/vcp-unit.XXXXXX";

static char *
path(const char *name)
{
	static char	buf[4][256];
	static int	i;

	i = (i + 1) % 4;
	(void)snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return (buf[i]);
}

static int
setup(void **state)
{
	char	err[256];

	(void)state;
	if (mkdtemp(dir) == NULL)
		return (-1);
	if (!seal_init(path("data.key"), err, sizeof(err)) ||
	    !sign_init(path("sign.key"), path("sign.crt"), err, sizeof(err)))
		return (-1);
	return (0);
}

static int
teardown(void **state)
{
	(void)state;
	(void)unlink(path("data.key"));
	(void)unlink(path("sign.key"));
	(void)unlink(path("sign.crt"));
	(void)unlink(path("open.key"));
	(void)rmdir(dir);
	return (0);
}

static void
test_seal_round_trip_and_tamper(void **state)
{
	const char	*plain = "11010519491231002X";
	char		*sealed, *opened;
	size_t		n;

	(void)state;
	sealed = seal(plain, strlen(plain));
	assert_non_null(sealed);
	assert_true(seal_is_sealed(sealed));
	assert_null(strstr(sealed, plain));
	opened = unseal(sealed);
	assert_string_equal(opened, plain);
	free(opened);

	/* every change of the ciphertext is refused, not misread */
	n = strlen(sealed);
	sealed[n - 2] = sealed[n - 2] == 'A' ? 'B' : 'A';
	assert_null(unseal(sealed));
	/* and so is a value sealed under another key id */
	sealed[3] = sealed[3] == '0' ? '1' : '0';
	assert_null(unseal(sealed));
	assert_null(unseal("not sealed"));
	free(sealed);
}

/* Binary content (a PNG has zero bytes) opens whole with its length. */
static void
test_unseal_len_keeps_zero_bytes(void **state)
{
	const unsigned char	bin[] = { 0x89, 'P', 'N', 'G', 0, 0, 7, 0, 9 };
	unsigned char		*opened;
	char			*sealed, *text;
	size_t			len;

	(void)state;
	sealed = seal((const char *)bin, sizeof(bin));
	assert_non_null(sealed);
	opened = unseal_len(sealed, &len);
	assert_non_null(opened);
	assert_int_equal(len, sizeof(bin));
	assert_memory_equal(opened, bin, sizeof(bin));
	free(opened);
	/* unseal, for text, stops at the first zero byte */
	text = unseal(sealed);
	assert_int_equal(strlen(text), 4);
	free(text);
	sealed[strlen(sealed) - 2] ^= 1;
	assert_null(unseal_len(sealed, &len));
	free(sealed);
}

static void
test_key_files_must_be_private(void **state)
{
	uint8_t	key[32];
	char	err[256];

	(void)state;
	assert_true(keyfile_load(path("open.key"), key, sizeof(key), err,
	    sizeof(err)));
	assert_int_equal(chmod(path("open.key"), 0644), 0);
	assert_false(keyfile_load(path("open.key"), key, sizeof(key), err,
	    sizeof(err)));
	assert_non_null(strstr(err, "0600"));
}

static xmlDocPtr
filing_document(char **text, size_t *len)
{
	struct filing_notice	e;
	struct filing_snapshot	snap;
	xmlDocPtr		doc;
	xmlNodePtr		root;
	xmlNsPtr		ns;

	memset(&e, 0, sizeof(e));
	e.event = "filed";
	e.filing_id = 12;
	e.number = "VCP-2026-000123-6";
	e.status = "filed";
	e.filed_on = "2026-11-20";
	snap.e = &e;
	snap.form = json_pack("{s:{s:s,s:s,s:s,s:[],s:[],s:s},"
	    "s:{s:s,s:s,s:s},s:{s:s,s:s,s:s},s:{s:s,s:s,s:s},"
	    "s:{s:s,s:i},s:{s:s}}",
	    "platform", "name", "某某平台😀", "homepage", "https://a.example",
	    "icp", "京ICP备12345678号-1", "publish_urls", "social_accounts",
	    "online_date", "2027-03-01",
	    "sponsor", "name", "某某公司", "type", "individual", "id_number",
	    "11010519491231002X",
	    "principal", "name", "张三", "mobile", "13812345678", "email",
	    "z@example.com",
	    "contact", "name", "李四", "mobile", "13912345678", "email",
	    "l@example.com",
	    "mlps", "certificate_number", "11010199001-00001", "level", 2,
	    "management", "description", "管理说明");
	snap.files = json_pack("[{s:s,s:s,s:s,s:I,s:s}]", "filename",
	    "证明.pdf", "kind", "mlps_certificate", "media_type",
	    "application/pdf", "size", (json_int_t)1234, "sha256",
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	doc = xmlNewDoc((const xmlChar *)"1.0");
	root = notify_xml_root(doc, &ns, "4f6e543a-0d1c-4e8f-9a2b-1c2d3e4f5a6b",
	    1, "filed", "mps", "2026-11-22T10:00:00Z");
	assert_true(filing_payload_build(root, ns, &snap));
	*text = notify_xml_finish(doc, len);
	json_decref(snap.form);
	json_decref(snap.files);
	assert_non_null(*text);
	return (xmlReadMemory(*text, (int)*len, NULL, NULL, XML_PARSE_NONET));
}

static void
test_payload_is_valid_and_signed(void **state)
{
	xmlSchemaParserCtxtPtr	pctx;
	xmlSchemaValidCtxtPtr	vctx;
	xmlSchemaPtr		schema;
	xmlDocPtr		doc;
	char			*text, *p;
	size_t			len;

	(void)state;
	doc = filing_document(&text, &len);
	assert_non_null(doc);
	/* the ministries get the record in clear, four-byte text whole */
	assert_non_null(strstr(text, "11010519491231002X"));
	assert_non_null(strstr(text, "某某平台😀"));

	pctx = xmlSchemaNewParserCtxt("schema/notification.xsd");
	schema = xmlSchemaParse(pctx);
	assert_non_null(schema);
	vctx = xmlSchemaNewValidCtxt(schema);
	assert_int_equal(xmlSchemaValidateDoc(vctx, doc), 0);
	assert_true(sign_verify_doc(doc));
	xmlFreeDoc(doc);
	/* the key made on first start is P-256: ECDSA-SHA256 */
	assert_non_null(strstr(text, "Algorithm=\"http://www.w3.org/2001/04/"
	    "xmldsig-more#ecdsa-sha256\""));

	/* one changed byte and the signature no longer holds */
	p = strstr(text, "13812345678");
	assert_non_null(p);
	p[10] = '9';
	doc = xmlReadMemory(text, (int)len, NULL, NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	assert_false(sign_verify_doc(doc));
	xmlFreeDoc(doc);

	xmlSchemaFreeValidCtxt(vctx);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pctx);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_seal_round_trip_and_tamper),
		cmocka_unit_test(test_unseal_len_keeps_zero_bytes),
		cmocka_unit_test(test_key_files_must_be_private),
		cmocka_unit_test(test_payload_is_valid_and_signed),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
