#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/delivery.h"

#define S(x)	(x), (sizeof(x) - 1)

static void
test_permanent(void **state)
{
	long	transient[] = { 0, 200, 301, 408, 429, 500, 502, 503, 504 };
	long	permanent[] = { 400, 401, 403, 404, 405, 409, 413, 415, 422,
		    499 };
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(transient) / sizeof(transient[0]); i++)
		assert_false(delivery_permanent(transient[i]));
	for (i = 0; i < sizeof(permanent) / sizeof(permanent[0]); i++)
		assert_true(delivery_permanent(permanent[i]));
}

static void
test_text_kept(void **state)
{
	char	out[DELIVERY_TEXT_LEN(64)];

	(void)state;
	assert_int_equal(delivery_answer_text(S("{\"error\":\"签名无效\"} 😀"),
	    0, out, sizeof(out)), strlen("{\"error\":\"签名无效\"} 😀"));
	assert_string_equal(out, "{\"error\":\"签名无效\"} 😀");
	delivery_answer_text(S("a\tb\r\nc"), 0, out, sizeof(out));
	assert_string_equal(out, "a b  c");
	delivery_answer_text("", 0, 0, out, sizeof(out));
	assert_string_equal(out, "");
}

static void
test_text_replaced(void **state)
{
	char	out[DELIVERY_TEXT_LEN(64)];

	(void)state;
	/* NUL, ESC, DEL, a C1 control. */
	delivery_answer_text(S("a\0b\x1b[31mc\x7f" "d\xc2\x85"), 0, out,
	    sizeof(out));
	assert_string_equal(out, "a\xef\xbf\xbd" "b\xef\xbf\xbd[31mc"
	    "\xef\xbf\xbd" "d\xef\xbf\xbd");
	/* Bytes that are not UTF-8, an overlong '/', a surrogate. */
	delivery_answer_text(S("\xff\xfe" "x\xc0\xaf" "y\xed\xa0\x80"), 0, out,
	    sizeof(out));
	assert_string_equal(out, "\xef\xbf\xbd\xef\xbf\xbdx\xef\xbf\xbd"
	    "\xef\xbf\xbdy\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	/* U+FFFE, U+FFFF, U+FDD0, U+202E (right-to-left override). */
	delivery_answer_text(S("\xef\xbf\xbe\xef\xbf\xbf\xef\xb7\x90"
	    "\xe2\x80\xae"), 0, out, sizeof(out));
	assert_string_equal(out, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbd");
	/* An incomplete character at the end of a whole body is invalid. */
	delivery_answer_text(S("ab\xe4\xb8"), 0, out, sizeof(out));
	assert_string_equal(out, "ab\xef\xbf\xbd\xef\xbf\xbd");
}

static void
test_text_cut(void **state)
{
	char	out[DELIVERY_TEXT_LEN(DELIVERY_ANSWER_MAX)];
	char	in[DELIVERY_ANSWER_MAX];
	size_t	n;

	(void)state;
	/* A body cut inside a character loses that character only. */
	delivery_answer_text(S("ab\xf0\x9f\x98"), 1, out, sizeof(out));
	assert_string_equal(out, "ab\xe2\x80\xa6");
	/* The worst case fits the room the header promises. */
	memset(in, 0x01, sizeof(in));
	n = delivery_answer_text(in, sizeof(in), 1, out, sizeof(out));
	assert_int_equal(n, sizeof(in) * 3 + 3);
	assert_int_equal(strlen(out), n);
	/* Too little room: nothing, rather than a cut. */
	assert_int_equal(delivery_answer_text(S("abc"), 0, out, 8), 0);
	assert_string_equal(out, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_permanent),
		cmocka_unit_test(test_text_kept),
		cmocka_unit_test(test_text_replaced),
		cmocka_unit_test(test_text_cut),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
