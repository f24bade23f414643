/*
 * The tip-off's pure parts: the proof of work against a hash computed
 * independently, the reference number's format, receipt codes, dates,
 * categories and the canonical JSON.
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

#include "crypto/crypto.h"
#include "tipoff/tipoff.h"

static void
test_pow(void **state)
{
	uint8_t		salt[TIPOFF_SALT_LEN], buf[24], h[32];
	uint64_t	n;
	int		bits;

	(void)state;
	memset(salt, 0xab, sizeof(salt));
	/* The layout: salt, then the nonce as 8 bytes big-endian. */
	memcpy(buf, salt, 16);
	memcpy(buf + 16, "\x00\x00\x00\x00\x00\x01\x02\x03", 8);
	crypto_sha256(buf, sizeof(buf), h);
	bits = 0;
	while (bits < 256 && !(h[bits / 8] & (0x80 >> (bits % 8))))
		bits++;
	assert_int_equal(tipoff_pow_bits(salt, 0x010203), bits);
	/* A solution of 12 bits is one; the next nonce most likely not. */
	for (n = 0; tipoff_pow_bits(salt, n) < 12; n++)
		;
	assert_true(tipoff_pow_ok(salt, n, 12));
	assert_true(tipoff_pow_ok(salt, n, 0));
	assert_false(tipoff_pow_ok(salt, n, tipoff_pow_bits(salt, n) + 1));
	/* Past 2^53 - 1 nothing counts: JavaScript cannot send it. */
	assert_false(tipoff_pow_ok(salt, (uint64_t)TIPOFF_NONCE_MAX + 1, 0));
}

static void
test_reference(void **state)
{
	uint8_t	rnd[TIPOFF_REF_RANDOM];
	char	ref[TIPOFF_REF_MAX];
	int	i;

	(void)state;
	for (i = 0; i < TIPOFF_REF_RANDOM; i++)
		rnd[i] = (uint8_t)(i * 37 + 200);
	assert_true(tipoff_reference_format(2026, rnd, ref, sizeof(ref)));
	assert_int_equal(strlen(ref), 18);
	assert_memory_equal(ref, "TO-2026-", 8);
	assert_true(tipoff_reference_valid(ref));
	assert_false(tipoff_reference_valid("TO-2026-ABCDEFGHIL"));
	assert_false(tipoff_reference_valid("TO-2026-ABCDEFGHJ"));
	assert_false(tipoff_reference_valid("TX-2026-ABCDEFGHJK"));
	assert_false(tipoff_reference_format(1999, rnd, ref, sizeof(ref)));
	assert_false(tipoff_reference_format(2026, rnd, ref, 10));
}

static void
test_code(void **state)
{
	char	a[TIPOFF_CODE_LEN + 1], b[TIPOFF_CODE_LEN + 1];

	(void)state;
	assert_true(tipoff_code_make(a));
	assert_true(tipoff_code_make(b));
	assert_true(tipoff_code_valid(a, strlen(a)));
	assert_string_not_equal(a, b);
	assert_false(tipoff_code_valid("123456789012345", 15));
	assert_false(tipoff_code_valid("12345678901234a6", 16));
}

static void
test_date_and_category(void **state)
{
	(void)state;
	assert_true(tipoff_date_valid("2024-02-29", 10, "2026-01-01"));
	assert_false(tipoff_date_valid("2023-02-29", 10, "2026-01-01"));
	assert_false(tipoff_date_valid("2026-01-02", 10, "2026-01-01"));
	assert_true(tipoff_date_valid("2026-01-01", 10, "2026-01-01"));
	assert_false(tipoff_date_valid("2026-1-01", 9, "2026-01-01"));
	assert_true(tipoff_category_valid("unfiled_platform"));
	assert_true(tipoff_category_valid("other"));
	assert_false(tipoff_category_valid("spam"));
}

static void
test_canonical(void **state)
{
	json_t	*o;
	char	*s;

	(void)state;
	o = json_pack("{s:s,s:{s:s,s:s},s:s}", "z", "é/\n", "platform",
	    "url", "https://x", "name", "平台", "a", "b");
	s = tipoff_canonical(o);
	assert_string_equal(s, "{\"a\":\"b\",\"platform\":{\"name\":\"平台\","
	    "\"url\":\"https://x\"},\"z\":\"é/\\n\"}");
	free(s);
	json_decref(o);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_pow),
		cmocka_unit_test(test_reference),
		cmocka_unit_test(test_code),
		cmocka_unit_test(test_date_and_category),
		cmocka_unit_test(test_canonical),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
