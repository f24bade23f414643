/*
 * An RSA signing key an earlier version made (here one made by
 * openssl(1), as that version's was RSA-2048) is kept and goes on signing
 * RSA-SHA256: the signature verifies, and fails once a byte changes.  A
 * key the portal makes itself is P-256 and signs ECDSA-SHA256
 * (test_sealing.c); sign_init keeps one key per process, hence a file of
 * its own.
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
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "crypto/sign.h"

#define ALG_RSA		"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"

static char	dir[] = "/tmp/vcp-sign.XXXXXX";

static char *
path(const char *name)
{
	static char	buf[2][256];
	static int	i;

	i = (i + 1) % 2;
	(void)snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return (buf[i]);
}

/* Signs a small document; checks the method, the signature, a change. */
static void
sign_and_check(const char *alg)
{
	static const char	*text =
	    "<notification xmlns=\"urn:vcp:notification:1\">"
	    "<filing number=\"VCP-2026-000001-4\"/></notification>";
	xmlDocPtr		doc;
	xmlChar			*out, *method;
	xmlNodePtr		n;
	char			*p;
	int			len;

	doc = xmlReadMemory(text, (int)strlen(text), NULL, NULL,
	    XML_PARSE_NONET);
	assert_non_null(doc);
	assert_true(sign_doc(doc));
	xmlDocDumpMemory(doc, &out, &len);
	xmlFreeDoc(doc);
	assert_non_null(out);

	doc = xmlReadMemory((char *)out, len, NULL, NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	method = NULL;
	for (n = xmlDocGetRootElement(doc)->children; n != NULL; n = n->next) {
		if (n->type == XML_ELEMENT_NODE &&
		    xmlStrEqual(n->name, (const xmlChar *)"Signature"))
			break;
	}
	assert_non_null(n);
	for (n = n->children; n != NULL; n = n->next) {
		if (n->type == XML_ELEMENT_NODE &&
		    xmlStrEqual(n->name, (const xmlChar *)"SignedInfo"))
			break;
	}
	assert_non_null(n);
	for (n = n->children; n != NULL; n = n->next) {
		if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name,
		    (const xmlChar *)"SignatureMethod"))
			method = xmlGetProp(n, (const xmlChar *)"Algorithm");
	}
	assert_non_null(method);
	assert_string_equal((char *)method, alg);
	xmlFree(method);
	assert_true(sign_verify_doc(doc));
	xmlFreeDoc(doc);

	p = strstr((char *)out, "000001");
	assert_non_null(p);
	p[5] = '2';
	doc = xmlReadMemory((char *)out, len, NULL, NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	assert_false(sign_verify_doc(doc));
	xmlFreeDoc(doc);
	xmlFree(out);
}

static int
teardown(void **state)
{
	(void)state;
	(void)unlink(path("sign.key"));
	(void)unlink(path("sign.crt"));
	(void)rmdir(dir);
	return (0);
}

/* An RSA key already in place: kept, and RSA-SHA256. */
static void
test_rsa_key_signs_rsa(void **state)
{
	char	err[256], cmd[1024];

	(void)state;
	assert_non_null(mkdtemp(dir));
	(void)snprintf(cmd, sizeof(cmd), "openssl req -x509 -newkey rsa:2048"
	    " -nodes -days 2 -subj /CN=old-portal -keyout %s -out %s"
	    " 2>/dev/null", path("sign.key"), path("sign.crt"));
	assert_int_equal(system(cmd), 0);
	assert_int_equal(chmod(path("sign.key"), 0600), 0);
	assert_true(sign_init(path("sign.key"), path("sign.crt"), err,
	    sizeof(err)));
	sign_and_check(ALG_RSA);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_rsa_key_signs_rsa),
	};

	return (cmocka_run_group_tests(tests, NULL, teardown));
}
