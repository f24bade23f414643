#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/validate.h"

#define S(x)		(x), (sizeof(x) - 1)
#define TODAY		20261122

/* An independent USCC check computation, written the other way round. */
static char
ref_uscc_check(const char *s)
{
	static const char	*a = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	long			sum, w;
	int			i;

	sum = 0;
	w = 1;
	for (i = 0; i < 17; i++) {
		sum += (long)(strchr(a, s[i]) - a) * w;
		w = (w * 3) % 31;
	}
	return (a[(31 - sum % 31) % 31]);
}

static void
test_uscc(void **state)
{
	char	buf[19];
	int	warn;

	(void)state;
	warn = 0;
	assert_int_equal(validate_uscc(S("914403001922038216"), &warn),
	    VALIDATE_OK);
	assert_int_equal(warn, 0);
	/* the weights are 3^i mod 31: the reference agrees with the table */
	assert_int_equal(ref_uscc_check("914403001922038216"), '6');
	memcpy(buf, "91110000600037341", 17);
	buf[17] = ref_uscc_check(buf);
	buf[18] = '\0';
	assert_int_equal(validate_uscc(buf, 18, NULL), VALIDATE_OK);
	buf[17] = buf[17] == '0' ? '1' : '0';
	assert_int_equal(validate_uscc(buf, 18, NULL), VALIDATE_CHECKSUM);

	assert_int_equal(validate_uscc(S("914403001922038217"), NULL),
	    VALIDATE_CHECKSUM);
	assert_int_equal(validate_uscc(S("91440300192203821"), NULL),
	    VALIDATE_FORMAT);
	assert_int_equal(validate_uscc(S("9144030019220382160"), NULL),
	    VALIDATE_TOO_LONG);
	assert_int_equal(validate_uscc(S(""), NULL), VALIDATE_EMPTY);
	/* I, O, S, V, Z and lower case are not in the alphabet */
	assert_int_equal(validate_uscc(S("9144030019220382I6"), NULL),
	    VALIDATE_FORMAT);
	assert_int_equal(validate_uscc(S("91440300192203821s"), NULL),
	    VALIDATE_FORMAT);
	/* positions 3-8 are the division code: digits */
	assert_int_equal(validate_uscc(S("91A403001922038216"), NULL),
	    VALIDATE_FORMAT);
	/* an organisation code whose own check fails is only a warning */
	memcpy(buf, "91440300192203820", 17);
	buf[17] = ref_uscc_check(buf);
	warn = 0;
	assert_int_equal(validate_uscc(buf, 18, &warn), VALIDATE_OK);
	assert_int_equal(warn, VALIDATE_WARN_ORGCODE);
	assert_int_equal(validate_uscc(S("9144030019220382\0" "6"), NULL),
	    VALIDATE_FORMAT);
}

static void
test_resident_id(void **state)
{
	(void)state;
	assert_int_equal(validate_resident_id(S("11010519491231002X"), TODAY),
	    VALIDATE_OK);
	assert_int_equal(validate_resident_id(S("110105194912310021"), TODAY),
	    VALIDATE_CHECKSUM);
	assert_int_equal(validate_resident_id(S("11010519491231002x"), TODAY),
	    VALIDATE_FORMAT);
	assert_int_equal(validate_resident_id(S("11010519491332002X"), TODAY),
	    VALIDATE_DATE);
	/* 2023 is not a leap year, 2024 is */
	assert_int_equal(validate_resident_id(S("110105202302290011"), TODAY),
	    VALIDATE_DATE);
	assert_int_equal(validate_resident_id(S("110105202402290011"), TODAY),
	    VALIDATE_OK);
	/* born tomorrow */
	assert_int_equal(validate_resident_id(S("110105202611230010"), TODAY),
	    VALIDATE_DATE);
	assert_int_equal(validate_resident_id(S("110105189912310011"), TODAY),
	    VALIDATE_DATE);
	assert_int_equal(validate_resident_id(S("01010519491231002X"), TODAY),
	    VALIDATE_FORMAT);
	assert_int_equal(validate_resident_id(S("1101051949123100"), TODAY),
	    VALIDATE_FORMAT);
	assert_int_equal(validate_resident_id(S("11010519491231002X1"), TODAY),
	    VALIDATE_TOO_LONG);
}

static void
test_icp(void **state)
{
	(void)state;
	assert_int_equal(validate_icp_filing(S("京ICP备12345678号")),
	    VALIDATE_OK);
	assert_int_equal(validate_icp_filing(S("京ICP备12345678号-1")),
	    VALIDATE_OK);
	assert_int_equal(validate_icp_filing(S("粤ICP备2021000001号-3A")),
	    VALIDATE_OK);
	assert_int_equal(validate_icp_filing(S("蜀ICP备123456号-12X")),
	    VALIDATE_OK);
	assert_int_equal(validate_icp_filing(S("京ICP备12345号")),
	    VALIDATE_FORMAT);
	assert_int_equal(validate_icp_filing(S("京ICP备12345678901号")),
	    VALIDATE_FORMAT);
	assert_int_equal(validate_icp_filing(S("京ICP备12345678")),
	    VALIDATE_FORMAT);
	assert_int_equal(validate_icp_filing(S("京ICP备12345678号-0")),
	    VALIDATE_FORMAT);
	assert_int_equal(validate_icp_filing(S("京ICP备12345678号-1B")),
	    VALIDATE_FORMAT);
	assert_int_equal(validate_icp_filing(S("京ICP备12345678号A")),
	    VALIDATE_FORMAT);
	assert_int_equal(validate_icp_filing(S("港ICP备12345678号")),
	    VALIDATE_FORMAT);
	assert_int_equal(validate_icp_filing(S("京icp备12345678号")),
	    VALIDATE_FORMAT);

	assert_int_equal(validate_icp_licence(S("京ICP证030173号")),
	    VALIDATE_OK);
	assert_int_equal(validate_icp_licence(S("粤B2-20090059")),
	    VALIDATE_OK);
	assert_int_equal(validate_icp_licence(S("粤B2-20090059-5")),
	    VALIDATE_OK);
	assert_int_equal(validate_icp_licence(S("京ICP证03017号")),
	    VALIDATE_FORMAT);
	assert_int_equal(validate_icp_licence(S("粤B1-20090059")),
	    VALIDATE_FORMAT);
	assert_int_equal(validate_icp_licence(S("粤B2-2009005")),
	    VALIDATE_FORMAT);

	assert_int_equal(validate_icp(S("京ICP证030173号")), VALIDATE_OK);
	assert_int_equal(validate_icp(S("京ICP备12345678号-1")), VALIDATE_OK);
	assert_int_equal(validate_icp(S("ICP12345678")), VALIDATE_FORMAT);
	assert_int_equal(validate_icp(S("京\xff" "CP备12345678号")),
	    VALIDATE_BAD_UTF8);
}

static void
test_mobile_and_mlps(void **state)
{
	(void)state;
	assert_int_equal(validate_mobile(S("13812345678")), VALIDATE_OK);
	assert_int_equal(validate_mobile(S("+8619912345678")), VALIDATE_OK);
	assert_int_equal(validate_mobile(S("8615012345678")), VALIDATE_OK);
	assert_int_equal(validate_mobile(S("12812345678")), VALIDATE_FORMAT);
	assert_int_equal(validate_mobile(S("1381234567")), VALIDATE_FORMAT);
	assert_int_equal(validate_mobile(S("138123456789")), VALIDATE_FORMAT);
	assert_int_equal(validate_mobile(S("+1381234567")), VALIDATE_FORMAT);
	assert_int_equal(validate_mobile(S("138 1234 5678")), VALIDATE_FORMAT);
	assert_int_equal(validate_mobile(S("+86+8613812345678")),
	    VALIDATE_TOO_LONG);

	assert_int_equal(validate_mlps_number(S("11010199001-00001")),
	    VALIDATE_OK);
	assert_int_equal(validate_mlps_number(S("1101019900100001")),
	    VALIDATE_FORMAT);
	assert_int_equal(validate_mlps_number(S("1101019900A-00001")),
	    VALIDATE_FORMAT);
	assert_int_equal(validate_mlps_number(S("11010199001-000012")),
	    VALIDATE_TOO_LONG);
}

static void
test_url(void **state)
{
	(void)state;
	assert_int_equal(validate_url(S("https://src.example.com")),
	    VALIDATE_OK);
	assert_int_equal(validate_url(S("HTTP://Example.COM:8080/a/b?c=d#e")),
	    VALIDATE_OK);
	assert_int_equal(validate_url(S("https://例子.中国/漏洞")),
	    VALIDATE_OK);
	assert_int_equal(validate_url(S("http://192.168.1.10/")), VALIDATE_OK);
	assert_int_equal(validate_url(S("http://[2001:db8::1]:443/")),
	    VALIDATE_OK);
	assert_int_equal(validate_url(S("https://example.com.")), VALIDATE_OK);
	assert_int_equal(validate_url(S("ftp://example.com")),
	    VALIDATE_FORMAT);
	assert_int_equal(validate_url(S("example.com")), VALIDATE_FORMAT);
	assert_int_equal(validate_url(S("https://")), VALIDATE_FORMAT);
	assert_int_equal(validate_url(S("https:///path")), VALIDATE_FORMAT);
	assert_int_equal(validate_url(S("https://user@evil.com")),
	    VALIDATE_FORMAT);
	assert_int_equal(validate_url(S("https://good.com@evil.com/")),
	    VALIDATE_FORMAT);
	assert_int_equal(validate_url(S("https://example.com:0/")),
	    VALIDATE_FORMAT);
	assert_int_equal(validate_url(S("https://example.com:65536/")),
	    VALIDATE_FORMAT);
	assert_int_equal(validate_url(S("https://example.com:65535/")),
	    VALIDATE_OK);
	assert_int_equal(validate_url(S("https://-bad.com")), VALIDATE_FORMAT);
	assert_int_equal(validate_url(S("https://localhost")),
	    VALIDATE_FORMAT);
	assert_int_equal(validate_url(S("http://256.1.1.1")), VALIDATE_FORMAT);
	assert_int_equal(validate_url(S("https://a b.com")), VALIDATE_FORMAT);
	assert_int_equal(validate_url(S("https://a.com/\x01")),
	    VALIDATE_CONTROL);
	assert_int_equal(validate_url(S("https://a.com/\0x")),
	    VALIDATE_CONTROL);
	assert_int_equal(validate_url(S("https://a..com")), VALIDATE_FORMAT);
}

static void
test_email(void **state)
{
	(void)state;
	assert_int_equal(validate_email(S("zhang.san@example.com.cn")),
	    VALIDATE_OK);
	assert_int_equal(validate_email(S("a+tag@例子.中国")), VALIDATE_OK);
	assert_int_equal(validate_email(S("a@b@example.com")),
	    VALIDATE_FORMAT);
	assert_int_equal(validate_email(S("example.com")), VALIDATE_FORMAT);
	assert_int_equal(validate_email(S("a@localhost")), VALIDATE_FORMAT);
	assert_int_equal(validate_email(S("a@example.c")), VALIDATE_FORMAT);
	assert_int_equal(validate_email(S(".a@example.com")),
	    VALIDATE_FORMAT);
	assert_int_equal(validate_email(S("a..b@example.com")),
	    VALIDATE_FORMAT);
	assert_int_equal(validate_email(S("a b@example.com")),
	    VALIDATE_FORMAT);
	assert_int_equal(validate_email(S("@example.com")), VALIDATE_FORMAT);
	assert_int_equal(validate_email(S(
	    "a12345678901234567890123456789012345678901234567890123456789012345"
	    "@example.com")), VALIDATE_FORMAT);
}

static void
test_utf8_and_text(void **state)
{
	size_t	n;

	(void)state;
	assert_true(validate_utf8(S("漏洞收集平台"), &n));
	assert_int_equal(n, 6);
	assert_true(validate_utf8(S("\xf0\x9f\x98\x80"), &n));
	assert_int_equal(n, 1);
	assert_false(validate_utf8(S("\xc3\x28"), NULL));
	assert_false(validate_utf8(S("\xed\xa0\x80"), NULL));
	assert_false(validate_utf8(S("\xc0\xaf"), NULL));
	assert_false(validate_utf8(S("\xe0\x80\xaf"), NULL));
	assert_false(validate_utf8(S("\xf4\x90\x80\x80"), NULL));
	assert_false(validate_utf8(S("\xe6\xbc"), NULL));
	assert_false(validate_utf8(S("\x80"), NULL));

	assert_int_equal(validate_text(S("某某科技有限公司"), 8, 0),
	    VALIDATE_OK);
	assert_int_equal(validate_text(S("某某科技有限公司x"), 8, 0),
	    VALIDATE_TOO_LONG);
	assert_int_equal(validate_text(S("   "), 8, 0), VALIDATE_EMPTY);
	assert_int_equal(validate_text(S("a\nb"), 8, 0), VALIDATE_CONTROL);
	assert_int_equal(validate_text(S("a\r\nb\tc"), 8, 1), VALIDATE_OK);
	assert_int_equal(validate_text(S("a\rb"), 8, 1), VALIDATE_CONTROL);
	assert_int_equal(validate_text(S("a\0b"), 8, 1), VALIDATE_CONTROL);
	assert_int_equal(validate_text(S("a\xc2\x85" "b"), 8, 1),
	    VALIDATE_CONTROL);
	assert_int_equal(validate_text(S("a\x7f"), 8, 1), VALIDATE_CONTROL);
	assert_int_equal(validate_text(S("\xc3\x28"), 8, 1),
	    VALIDATE_BAD_UTF8);
	assert_string_equal(validate_code(VALIDATE_CHECKSUM), "checksum");
	assert_true(strlen(validate_message(VALIDATE_FORMAT)) > 0);
}

/* What XML 1.0 cannot carry: C0 but TAB/LF/CR, U+FFFE, U+FFFF, surrogates. */
static void
test_xml_chars(void **state)
{
	static const char	*bad[] = { "\x01", "\x08", "\x0b", "\x0c",
				    "\x1f", "\xef\xbf\xbe", "\xef\xbf\xbf",
				    "\xed\xa0\x80", "\xed\xbf\xbf", "\xc3" };
	char			buf[32];
	size_t			i;

	(void)state;
	assert_true(validate_xml_chars(S("")));
	assert_true(validate_xml_chars(S("a\tb\nc\r\n")));
	assert_true(validate_xml_chars(S("\xed\x9f\xbf")));	/* U+D7FF */
	assert_true(validate_xml_chars(S("\xee\x80\x80")));	/* U+E000 */
	assert_true(validate_xml_chars(S("\xef\xbf\xbd")));	/* U+FFFD */
	assert_true(validate_xml_chars(S("\xf0\x90\x80\x80")));	/* U+10000 */
	assert_true(validate_xml_chars(S("\xf4\x8f\xbf\xbf")));	/* U+10FFFF */
	assert_true(validate_xml_chars(S("\xf0\x9f\x98\x80")));
	/* DEL and C1 are XML characters; the text checks refuse them */
	assert_true(validate_xml_chars(S("\x7f\xc2\x85")));
	assert_false(validate_xml_chars(S("a\0b")));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		(void)snprintf(buf, sizeof(buf), "ab%scd", bad[i]);
		assert_false(validate_xml_chars(buf, strlen(buf)));
		assert_int_not_equal(validate_text(buf, strlen(buf), 10, 1),
		    VALIDATE_OK);
		assert_int_not_equal(validate_text(buf, strlen(buf), 10, 0),
		    VALIDATE_OK);
	}

	/* U+FFFE and U+FFFF are valid UTF-8 but no XML characters */
	assert_int_equal(validate_text(S("平台\xef\xbf\xbe"), 8, 0),
	    VALIDATE_CHAR);
	assert_int_equal(validate_text(S("规则\n\xef\xbf\xbf"), 8, 1),
	    VALIDATE_CHAR);
	assert_int_equal(validate_text(S("\xef\xbf\xbe"), 8, 0),
	    VALIDATE_CHAR);
	assert_int_equal(validate_text(S("a\x0b" "b"), 8, 1), VALIDATE_CONTROL);
	assert_int_equal(validate_text(S("a\x1f" "b"), 8, 1), VALIDATE_CONTROL);
	assert_int_equal(validate_text(S("a\tb"), 8, 0), VALIDATE_CONTROL);
	assert_int_equal(validate_text(S("a\tb\nc"), 8, 1), VALIDATE_OK);
	assert_int_equal(validate_text(S("\xef\xbf\xbd\xf0\x9f\x98\x80"), 2,
	    0), VALIDATE_OK);
	assert_string_equal(validate_code(VALIDATE_CHAR), "bad_character");
	assert_true(strlen(validate_message(VALIDATE_CHAR)) > 0);

	/* URLs and e-mail addresses may hold UTF-8, so they are checked too */
	assert_int_equal(validate_url(S("https://a.com/\xef\xbf\xbe")),
	    VALIDATE_CHAR);
	assert_int_equal(validate_url(S("https://\xef\xbf\xbf.com/")),
	    VALIDATE_CHAR);
	assert_int_equal(validate_url(S("https://a.com/\xc2\x85")),
	    VALIDATE_CONTROL);
	assert_int_equal(validate_url(S("https://a.com/\x0b")),
	    VALIDATE_CONTROL);
	assert_int_equal(validate_email(S("a@\xef\xbf\xbe" "b.com")),
	    VALIDATE_CHAR);
	assert_int_equal(validate_email(S("a@b\xc2\x9f" ".com")),
	    VALIDATE_CONTROL);
	assert_int_equal(validate_email(S("a@\xe4\xbe\x8b.com")), VALIDATE_OK);
}

/* A prefix for display never ends inside a character. */
static void
test_utf8_prefix(void **state)
{
	const char	*s = "ab\xf0\x9f\x98\x80\xe6\xbc\x8f";
	size_t		len, max, n;

	(void)state;
	len = strlen(s);
	assert_int_equal(validate_utf8_prefix(s, len, 100), len);
	assert_int_equal(validate_utf8_prefix(s, len, len), len);
	assert_int_equal(validate_utf8_prefix(s, len, 2), 2);
	assert_int_equal(validate_utf8_prefix(s, len, 3), 2);
	assert_int_equal(validate_utf8_prefix(s, len, 5), 2);
	assert_int_equal(validate_utf8_prefix(s, len, 6), 6);
	assert_int_equal(validate_utf8_prefix(s, len, 8), 6);
	assert_int_equal(validate_utf8_prefix(s, len, 0), 0);
	for (max = 0; max <= len; max++) {
		n = validate_utf8_prefix(s, len, max);
		assert_true(n <= max);
		assert_true(validate_utf8(s, n, NULL));
	}
}

/* Every validator, fed garbage of every kind, answers without crashing. */
static void
test_hostile_input(void **state)
{
	static const char	*bad[] = { "\xc3\x28", "\xed\xa0\x80",
				    "\xc0\xaf", "\xf4\x90\x80\x80", "\xff\xfe" };
	char			*big;
	size_t			i, biglen;

	(void)state;
	biglen = 100000;
	big = malloc(biglen);
	assert_non_null(big);
	memset(big, '1', biglen);
	assert_int_equal(validate_uscc(big, biglen, NULL), VALIDATE_TOO_LONG);
	assert_int_equal(validate_resident_id(big, biglen, TODAY),
	    VALIDATE_TOO_LONG);
	assert_int_equal(validate_icp(big, biglen), VALIDATE_TOO_LONG);
	assert_int_equal(validate_mobile(big, biglen), VALIDATE_TOO_LONG);
	assert_int_equal(validate_email(big, biglen), VALIDATE_TOO_LONG);
	assert_int_equal(validate_url(big, biglen), VALIDATE_TOO_LONG);
	assert_int_equal(validate_mlps_number(big, biglen), VALIDATE_TOO_LONG);
	assert_int_equal(validate_text(big, biglen, 100, 1),
	    VALIDATE_TOO_LONG);
	free(big);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_not_equal(validate_icp(bad[i], strlen(bad[i])),
		    VALIDATE_OK);
		assert_int_equal(validate_url(bad[i], strlen(bad[i])),
		    VALIDATE_BAD_UTF8);
		assert_int_equal(validate_email(bad[i], strlen(bad[i])),
		    VALIDATE_BAD_UTF8);
		assert_int_equal(validate_mobile(bad[i], strlen(bad[i])),
		    VALIDATE_BAD_UTF8);
		assert_int_equal(validate_text(bad[i], strlen(bad[i]), 10, 1),
		    VALIDATE_BAD_UTF8);
	}
	assert_int_equal(validate_uscc(S("91440300192203\xc3\x28" "21"), NULL),
	    VALIDATE_BAD_UTF8);
	assert_int_equal(validate_resident_id(S("1101051949\xed\xa0\x80"
	    "1002X"), TODAY), VALIDATE_BAD_UTF8);
	assert_int_equal(validate_mobile(S("138\0" "12345678")),
	    VALIDATE_FORMAT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uscc),
		cmocka_unit_test(test_resident_id),
		cmocka_unit_test(test_icp),
		cmocka_unit_test(test_mobile_and_mlps),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_utf8_and_text),
		cmocka_unit_test(test_hostile_input),
		cmocka_unit_test(test_xml_chars),
		cmocka_unit_test(test_utf8_prefix),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
