#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/id.h"

static void
test_ids(void **state)
{
	int64_t	v;

	(void)state;
	assert_true(id_parse("5", &v));
	assert_int_equal(v, 5);
	assert_true(id_parse("1", &v));
	assert_int_equal(v, 1);
	assert_true(id_parse("10", &v));
	assert_int_equal(v, 10);
	assert_true(id_parse("9223372036854775807", &v));
	assert_true(v == INT64_MAX);
}

static void
test_refused(void **state)
{
	static const char	*bad[] = {
		"", "0", "00", "05", "+5", "-5", " 5", "5 ", "%205", "5%20",
		"5a", "a5", "0x5", "5.0", "5e1", "１", "\t5", "5\n",
		"9223372036854775808", "18446744073709551616",
		"99999999999999999999999", "-0", "-9223372036854775808",
	};
	int64_t			v;
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 77;
		if (id_parse(bad[i], &v))
			fail_msg("accepted \"%s\"", bad[i]);
		assert_int_equal(v, 77);
	}
	assert_false(id_parse(NULL, &v));
}

static void
test_range(void **state)
{
	int64_t	v;

	(void)state;
	assert_true(id_parse_range("0", 0, 10, &v));
	assert_int_equal(v, 0);
	assert_true(id_parse_range("10", 0, 10, &v));
	assert_false(id_parse_range("11", 0, 10, &v));
	assert_false(id_parse_range("0", 1, 10, &v));
	assert_false(id_parse_range("00", 0, 10, &v));
	assert_false(id_parse_range("010", 0, 100, &v));
	assert_true(id_parse_range("9223372036854775807", 0, INT64_MAX, &v));
	assert_false(id_parse_range("9223372036854775808", 0, INT64_MAX, &v));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_range),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
