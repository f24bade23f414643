/*
 * The Kore-free part of the HTTP layer: percent-decoding, path matching,
 * query parameters, path ids and the error shape.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "http/api.h"

static int
decode(const char *s, char *out, size_t len, int plus)
{
	return (api_urldecode(s, strlen(s), out, len, plus));
}

static void
test_urldecode(void **state)
{
	char	out[16];

	(void)state;
	assert_true(decode("abc", out, sizeof(out), 0));
	assert_string_equal(out, "abc");
	assert_true(decode("", out, sizeof(out), 0));
	assert_string_equal(out, "");
	assert_true(decode("a%20b%2Fc", out, sizeof(out), 0));
	assert_string_equal(out, "a b/c");
	assert_true(decode("%e4%B8%ad", out, sizeof(out), 0));
	assert_string_equal(out, "\xe4\xb8\xad");

	/* '+' is a space in a query, a plus in a path. */
	assert_true(decode("a+b", out, sizeof(out), 1));
	assert_string_equal(out, "a b");
	assert_true(decode("a+b", out, sizeof(out), 0));
	assert_string_equal(out, "a+b");
	assert_true(decode("%2B", out, sizeof(out), 1));
	assert_string_equal(out, "+");

	/* Bad escapes: cut short, not hex. */
	assert_false(decode("%", out, sizeof(out), 0));
	assert_false(decode("%4", out, sizeof(out), 0));
	assert_false(decode("a%", out, sizeof(out), 0));
	assert_false(decode("%zz", out, sizeof(out), 0));
	assert_false(decode("%4g", out, sizeof(out), 0));
	assert_false(decode("%%41", out, sizeof(out), 0));

	/* NUL would cut the value short where C reads it. */
	assert_false(decode("a%00b", out, sizeof(out), 0));
	assert_false(decode("%00", out, sizeof(out), 1));

	/* Invalid UTF-8: a lone continuation, a cut sequence, overlong. */
	assert_false(decode("%80", out, sizeof(out), 0));
	assert_false(decode("%e4%b8", out, sizeof(out), 0));
	assert_false(decode("%c0%af", out, sizeof(out), 0));
	assert_false(decode("%ed%a0%80", out, sizeof(out), 0));
	assert_false(decode("\xff", out, sizeof(out), 0));

	/* Overflow: the output holds len - 1 bytes and the NUL. */
	assert_true(decode("123456789012345", out, sizeof(out), 0));
	assert_false(decode("1234567890123456", out, sizeof(out), 0));
	assert_false(decode("%41%41%41%41%41%41%41%41%41%41%41%41%41%41%41%41",
	    out, sizeof(out), 0));
	assert_false(api_urldecode("a", 1, out, 0, 0));
	assert_false(api_urldecode("a", 1, out, 1, 0));
}

static void
test_match(void **state)
{
	char	p[API_PARAMS_MAX][API_PARAM_LEN];

	(void)state;
	assert_true(api_match("/api/v1/filings", "/api/v1/filings", NULL));
	assert_false(api_match("/api/v1/filings", "/api/v1/filing", NULL));
	assert_false(api_match("/api/v1/filings", "/api/v1/filingsx", NULL));
	assert_false(api_match("/api/v1/filings", "/api/v1", NULL));

	/* Trailing slashes and empty segments match nothing. */
	assert_false(api_match("/api/v1/filings", "/api/v1/filings/", NULL));
	assert_false(api_match("/api/v1/filings", "/api/v1//filings", NULL));
	assert_false(api_match("/api/v1/filings", "//api/v1/filings", NULL));
	assert_false(api_match("/api/v1/filings/:id", "/api/v1/filings/",
	    NULL));
	assert_false(api_match("/api/v1/filings/:id", "/api/v1/filings//",
	    NULL));
	assert_false(api_match("/api/v1/filings/:id", "/api/v1/filings/5/",
	    NULL));
	assert_false(api_match("/api/v1/filings/:id/submit",
	    "/api/v1/filings//submit", NULL));
	assert_false(api_match("/healthz", "healthz", NULL));
	assert_false(api_match("/healthz", "", NULL));

	/* Parameters, decoded, in order. */
	memset(p, 'x', sizeof(p));
	assert_true(api_match("/api/v1/filings/:id/attachments/:aid",
	    "/api/v1/filings/12/attachments/7", p));
	assert_string_equal(p[0], "12");
	assert_string_equal(p[1], "7");
	assert_true(api_match("/api/v1/registry/:number",
	    "/api/v1/registry/VCP-2026%2D000001", p));
	assert_string_equal(p[0], "VCP-2026-000001");
	assert_true(api_match("/api/v1/filings/:id", "/api/v1/filings/%205",
	    p));
	assert_string_equal(p[0], " 5");
	assert_true(api_match("/api/v1/filings/:id", "/api/v1/filings/a+b",
	    p));
	assert_string_equal(p[0], "a+b");

	/* A segment that does not decode matches nothing. */
	assert_false(api_match("/api/v1/filings/:id", "/api/v1/filings/%zz",
	    p));
	assert_false(api_match("/api/v1/filings/:id", "/api/v1/filings/%zz",
	    NULL));
	assert_false(api_match("/api/v1/filings/:id", "/api/v1/filings/5%00",
	    NULL));
	assert_false(api_match("/api/v1/filings/:id", "/api/v1/filings/%ff",
	    NULL));

	/* A parameter too long for its buffer names nothing. */
	{
		char	path[300];

		memcpy(path, "/a/", 3);
		memset(path + 3, '1', API_PARAM_LEN);
		path[3 + API_PARAM_LEN] = '\0';
		assert_false(api_match("/a/:id", path, p));
		path[3 + API_PARAM_LEN - 1] = '\0';
		assert_true(api_match("/a/:id", path, p));
		assert_int_equal(strlen(p[0]), API_PARAM_LEN - 1);
	}
}

static struct api_call *
call_query(const char *q)
{
	struct api_call	*call;

	call = calloc(1, sizeof(*call));
	assert_non_null(call);
	assert_true(strlen(q) <= API_QUERY_MAX);
	strcpy(call->query, q);
	return (call);
}

static void
test_query(void **state)
{
	struct api_call	*c;
	char		out[16];

	(void)state;
	c = call_query("q=a+b%2Bc&page=2&empty=&flag");
	assert_int_equal(api_query(c, "q", out, sizeof(out)), 1);
	assert_string_equal(out, "a b+c");
	assert_int_equal(api_query(c, "page", out, sizeof(out)), 1);
	assert_string_equal(out, "2");
	assert_int_equal(api_query(c, "empty", out, sizeof(out)), 1);
	assert_string_equal(out, "");
	/* A name without '=' carries no value. */
	assert_int_equal(api_query(c, "flag", out, sizeof(out)), 0);
	assert_int_equal(api_query(c, "missing", out, sizeof(out)), 0);
	/* Names are matched whole, as written. */
	assert_int_equal(api_query(c, "pag", out, sizeof(out)), 0);
	assert_int_equal(api_query(c, "pagee", out, sizeof(out)), 0);
	api_call_free(c);

	/* Given twice is malformed, whatever the values. */
	c = call_query("page=1&page=1");
	assert_int_equal(api_query(c, "page", out, sizeof(out)), -1);
	api_call_free(c);
	c = call_query("a=1&&b=2&");
	assert_int_equal(api_query(c, "b", out, sizeof(out)), 1);
	assert_string_equal(out, "2");
	api_call_free(c);

	/* Bad escape, NUL, invalid UTF-8, too long. */
	c = call_query("q=%zz&n=%00&u=%c3&l=12345678901234567");
	assert_int_equal(api_query(c, "q", out, sizeof(out)), -1);
	assert_int_equal(api_query(c, "n", out, sizeof(out)), -1);
	assert_int_equal(api_query(c, "u", out, sizeof(out)), -1);
	assert_int_equal(api_query(c, "l", out, sizeof(out)), -1);
	api_call_free(c);

	c = call_query("");
	assert_int_equal(api_query(c, "q", out, sizeof(out)), 0);
	api_call_free(c);
}

static void
assert_error(struct api_call *c, int status, const char *code)
{
	json_t	*e;

	assert_int_equal(c->status, status);
	e = json_object_get(c->out, "error");
	assert_non_null(e);
	assert_string_equal(json_string_value(json_object_get(e, "code")),
	    code);
	assert_true(json_is_string(json_object_get(e, "message")));
}

static void
test_param_id(void **state)
{
	static const char	*bad[] = {
		"+5", "05", " 5", "5 ", "0", "-1", "9223372036854775808", "",
		"5x", "0x5",
	};
	struct api_call		*c;
	int64_t			id;
	size_t			i;

	(void)state;
	c = calloc(1, sizeof(*c));
	assert_non_null(c);
	strcpy(c->params[0], "5");
	strcpy(c->params[1], "9223372036854775807");
	assert_true(api_param_id(c, 0, &id, "未找到"));
	assert_int_equal(id, 5);
	assert_true(api_param_id(c, 1, &id, "未找到"));
	assert_true(id == INT64_MAX);
	assert_int_equal(c->status, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		strcpy(c->params[2], bad[i]);
		api_reply(c, 0, NULL);
		assert_false(api_param_id(c, 2, &id, "未找到"));
		assert_error(c, 404, "not_found");
	}
	api_reply(c, 0, NULL);
	assert_false(api_param_id(c, API_PARAMS_MAX, &id, "未找到"));
	assert_error(c, 404, "not_found");
	api_call_free(c);
}

static void
test_answers(void **state)
{
	struct api_call	*c;
	json_t		*fields, *e;
	const char	*s;
	size_t		len;

	(void)state;
	c = calloc(1, sizeof(*c));
	assert_non_null(c);
	api_error(c, 409, "invalid_state", "状态不对");
	assert_error(c, 409, "invalid_state");
	assert_null(json_object_get(json_object_get(c->out, "error"),
	    "fields"));

	/* No fields member for an empty set of field errors. */
	api_error_fields(c, 422, "validation", "有误", json_object());
	assert_error(c, 422, "validation");
	assert_null(json_object_get(json_object_get(c->out, "error"),
	    "fields"));

	fields = json_object();
	c->in = json_pack("{s:s,s:i,s:s,s:n}", "name", "x", "n", 1,
	    "empty", "", "nul", "");
	assert_true(api_str(c->in, "name", &s, &len, 1, fields));
	assert_string_equal(s, "x");
	assert_false(api_str(c->in, "n", &s, &len, 1, fields));
	assert_false(api_str(c->in, "empty", &s, &len, 1, fields));
	assert_true(api_str(c->in, "empty", &s, &len, 0, fields));
	assert_true(api_str(c->in, "absent", &s, &len, 0, fields));
	assert_null(s);
	assert_false(api_str(c->in, "absent", &s, &len, 1, fields));
	api_error_fields(c, 422, "validation", "有误", fields);
	e = json_object_get(json_object_get(c->out, "error"), "fields");
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(e, "n"), "code")), "type");
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(e, "empty"), "code")), "required");
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(e, "absent"), "code")), "required");

	api_object(c, "filing", 12);
	assert_string_equal(c->object, "filing:12");
	api_call_free(c);
}

static void
test_accepts_gzip(void **state)
{
	(void)state;
	assert_true(api_accepts_gzip("gzip"));
	assert_true(api_accepts_gzip("gzip, deflate, br"));
	assert_true(api_accepts_gzip("br;q=1.0, GZip;q=0.5"));
	assert_true(api_accepts_gzip("deflate, *"));
	assert_true(api_accepts_gzip("gzip ; q=0.001"));
	assert_false(api_accepts_gzip(NULL));
	assert_false(api_accepts_gzip(""));
	assert_false(api_accepts_gzip("identity"));
	assert_false(api_accepts_gzip("deflate, br"));
	assert_false(api_accepts_gzip("x-gzip"));
	assert_false(api_accepts_gzip("gzipped"));
	assert_false(api_accepts_gzip("gzip;q=0"));
	assert_false(api_accepts_gzip("gzip; q=0.000 , br"));
	assert_false(api_accepts_gzip("*;q=0"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_urldecode),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_param_id),
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_accepts_gzip),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
