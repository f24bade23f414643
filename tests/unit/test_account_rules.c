#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/crypto.h"
#include "domain/account_rules.h"
#include "domain/role.h"

#define S(x)	(x), (sizeof(x) - 1)

static void
test_login(void **state)
{
	char	folded[] = "Zhang.San@Example";

	(void)state;
	assert_int_equal(account_login_check(S("zhangsan")), ACCOUNT_OK);
	assert_int_equal(account_login_check(S("a.b-c_d@e")), ACCOUNT_OK);
	assert_int_equal(account_login_check(S("ab")), ACCOUNT_LOGIN_LENGTH);
	assert_int_equal(account_login_check(S("")), ACCOUNT_LOGIN_LENGTH);
	assert_int_equal(account_login_check(S(".abc")), ACCOUNT_LOGIN_CHARS);
	assert_int_equal(account_login_check(S("ab c")), ACCOUNT_LOGIN_CHARS);
	assert_int_equal(account_login_check(S("张三abc")), ACCOUNT_LOGIN_CHARS);
	assert_int_equal(account_login_check(S("ab\0cd")), ACCOUNT_LOGIN_CHARS);
	assert_int_equal(account_login_check(S(
	    "a1234567890123456789012345678901234567890123456789012345678901234")),
	    ACCOUNT_LOGIN_LENGTH);
	account_login_fold(folded);
	assert_string_equal(folded, "zhang.san@example");
}

static void
test_password(void **state)
{
	(void)state;
	assert_int_equal(account_password_check(S("Str0ng-Passw0rd"), "u"),
	    ACCOUNT_OK);
	assert_int_equal(account_password_check(S("密码Passw0rd12"), "u"),
	    ACCOUNT_OK);
	assert_int_equal(account_password_check(S("Sh0rt!"), "u"),
	    ACCOUNT_PASSWORD_LENGTH);
	assert_int_equal(account_password_check(S("alllowercase"), "u"),
	    ACCOUNT_PASSWORD_WEAK);
	assert_int_equal(account_password_check(S("lowerUPPERonly"), "u"),
	    ACCOUNT_PASSWORD_WEAK);
	assert_int_equal(account_password_check(S("Tab\there12345"), "u"),
	    ACCOUNT_PASSWORD_WEAK);
	assert_int_equal(account_password_check(S("\xc3\x28" "Abc12345678"),
	    "u"), ACCOUNT_PASSWORD_WEAK);
	assert_int_equal(account_password_check(S("Operator-01x"),
	    "operator-01X"), ACCOUNT_PASSWORD_IS_LOGIN);
}

static void
test_roles(void **state)
{
	(void)state;
	assert_int_equal(role_parse("reviewer"), ROLE_REVIEWER);
	assert_int_equal(role_parse("observer_cac"), ROLE_OBSERVER_CAC);
	assert_int_equal(role_parse("root"), 0);
	assert_int_equal(role_parse(NULL), 0);
	assert_string_equal(role_name(ROLE_SUPERVISOR), "supervisor");
	assert_string_equal(role_name(0x40), "unknown");
	assert_true(ROLE_REGULATOR & ROLE_SUPERVISOR);
	assert_false(ROLE_REGULATOR & ROLE_ADMIN);
}

static void
test_codecs(void **state)
{
	uint8_t		in[32], out[32], h[32];
	char		b64[CRYPTO_TOKEN_B64], hex[65];
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 37 + 250);
	assert_int_equal(crypto_b64url(in, 32, b64, sizeof(b64)), 43);
	assert_null(strpbrk(b64, "+/="));
	assert_true(crypto_unb64url(b64, 43, out, 32));
	assert_memory_equal(in, out, 32);
	assert_false(crypto_unb64url(b64, 42, out, 32));
	b64[5] = '!';
	assert_false(crypto_unb64url(b64, 43, out, 32));

	crypto_sha256("abc", 3, h);
	crypto_hex(h, 32, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	assert_true(crypto_unhex(hex, 64, out, 32));
	assert_memory_equal(h, out, 32);
	assert_false(crypto_unhex(hex, 63, out, 32));
	hex[0] = 'g';
	assert_false(crypto_unhex(hex, 64, out, 32));
	assert_true(crypto_equal("abc", "abc", 3));
	assert_false(crypto_equal("abc", "abd", 3));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_login),
		cmocka_unit_test(test_password),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_codecs),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
