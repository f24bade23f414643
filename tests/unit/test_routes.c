/*
 * The route table: the real one passes api_routes_check, every rule of
 * the check catches the mistake it is there for, and the dispatcher's
 * lookup answers 404, 405 with Allow, and HEAD as GET.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "domain/role.h"
#include "http/api.h"

static void
exec_nop(struct api_call *call, struct db *db)
{
	(void)call;
	(void)db;
}

static void
test_real_table(void **state)
{
	const struct api_route	*r;
	char			err[256];
	int			n, audited;

	(void)state;
	err[0] = '\0';
	if (!api_routes_check(api_routes(), err, sizeof(err)))
		fail_msg("%s", err);
	/* What the check's rules imply, seen from the other side. */
	n = audited = 0;
	for (r = api_routes(); r->pattern != NULL; r++) {
		n++;
		assert_non_null(r->exec);
		if (r->method != API_GET) {
			assert_true(r->flags.audit);
			audited++;
		}
		if (r->roles.role_bits != 0)
			assert_true(r->flags.auth);
		if (r->flags.audit)
			assert_non_null(r->action);
	}
	assert_true(n > 30);
	assert_true(audited > 10);
}

/* A table of one route, r, then the end. */
static const char *
check_one(struct api_route r)
{
	static char		err[256];
	struct api_route	t[2];

	memset(t, 0, sizeof(t));
	t[0] = r;
	err[0] = '\0';
	if (api_routes_check(t, err, sizeof(err)))
		return (NULL);
	return (err);
}

static void
assert_refused(struct api_route r, const char *why)
{
	const char	*e;

	if ((e = check_one(r)) == NULL)
		fail_msg("%s: accepted", why);
	if (strstr(e, why) == NULL)
		fail_msg("expected \"%s\", got \"%s\"", why, e);
	/* The message names the route. */
	assert_non_null(strstr(e, r.pattern != NULL ? r.pattern :
	    "(no pattern)"));
}

static void
test_good_routes(void **state)
{
	(void)state;
	assert_null(check_one((struct api_route){ .method = API_GET,
	    .pattern = "/a", .exec = exec_nop }));
	assert_null(check_one((struct api_route){ .method = API_POST,
	    .pattern = "/a/:id", .flags = { .auth = 1, .json = 1,
	    .optional_body = 1, .audit = 1, .idem = 1 },
	    .roles = API_ROLES(ROLE_OPERATOR), .action = "a.b",
	    .exec = exec_nop }));
	assert_null(check_one((struct api_route){ .method = API_GET,
	    .pattern = "/a/:id/b/:cid", .flags = { .auth = 1 },
	    .roles = API_ROLES(ROLE_ANY), .exec = exec_nop }));
	assert_null(check_one((struct api_route){ .method = API_GET,
	    .pattern = "/a", .flags = { .nodb = 1 }, .exec = exec_nop }));
	assert_null(check_one((struct api_route){ .method = API_POST,
	    .pattern = "/api/v1/tipoffs/mine/x", .flags = { .reporter = 1,
	    .anon = 1, .json = 1, .audit = 1 }, .action = "t.x",
	    .exec = exec_nop }));
}

/* The reporter's session: its own kind, never recorded with an address. */
static void
test_reporter_routes(void **state)
{
	const struct api_route	*r;
	int			n;

	(void)state;
	assert_refused((struct api_route){ .method = API_GET,
	    .pattern = "/api/v1/tipoffs/mine", .flags = { .reporter = 1,
	    .anon = 1, .auth = 1 }, .roles = API_ROLES(ROLE_ANY),
	    .exec = exec_nop }, ".reporter and .auth");
	assert_refused((struct api_route){ .method = API_GET,
	    .pattern = "/api/v1/tipoffs/mine", .flags = { .reporter = 1 },
	    .exec = exec_nop }, ".reporter without .anon");
	assert_refused((struct api_route){ .method = API_GET,
	    .pattern = "/api/v1/filings", .flags = { .reporter = 1,
	    .anon = 1 }, .exec = exec_nop }, ".reporter outside");
	assert_refused((struct api_route){ .method = API_GET,
	    .pattern = "/api/v1/tipoffsx", .flags = { .reporter = 1,
	    .anon = 1 }, .exec = exec_nop }, ".reporter outside");
	assert_refused((struct api_route){ .method = API_GET,
	    .pattern = "/a", .flags = { .auth = 1, .anon = 1 },
	    .roles = API_ROLES(ROLE_ANY), .exec = exec_nop },
	    ".anon with .auth");
	assert_refused((struct api_route){ .method = API_GET,
	    .pattern = "/api/v1/tipoffs/mine", .flags = { .reporter = 1,
	    .anon = 1, .nodb = 1 }, .exec = exec_nop },
	    "needs the database");
	/* Every tip-off route of the real table leaves the address out. */
	n = 0;
	for (r = api_routes(); r->pattern != NULL; r++) {
		if (strncmp(r->pattern, "/api/v1/tipoffs", 15) != 0)
			continue;
		assert_true(r->flags.anon);
		assert_false(r->flags.auth);
		n++;
	}
	assert_true(n >= 8);
}

/* Each rule, broken on its own. */
static void
test_broken_routes(void **state)
{
	(void)state;
	/* A role mask without auth: the dispatcher would never check it. */
	assert_refused((struct api_route){ .method = API_GET,
	    .pattern = "/a", .roles = API_ROLES(ROLE_OPERATOR),
	    .exec = exec_nop }, "roles without .flags.auth");
	assert_refused((struct api_route){ .method = API_GET,
	    .pattern = "/a", .flags = { .auth = 1 }, .exec = exec_nop },
	    "auth without roles");
	assert_refused((struct api_route){ .method = API_GET,
	    .pattern = "/a", .flags = { .auth = 1, .gzip = 1 },
	    .roles = API_ROLES(ROLE_ANY), .exec = exec_nop },
	    ".gzip without .loop");
	assert_refused((struct api_route){ .method = API_GET,
	    .pattern = "/a", .flags = { .auth = 1 },
	    .roles = API_ROLES(0x40), .exec = exec_nop },
	    "bits that are not roles");

	assert_refused((struct api_route){ .method = API_POST,
	    .pattern = "/a", .flags = { .json = 1, .audit = 1 },
	    .exec = exec_nop }, "audited without an action name");
	assert_refused((struct api_route){ .method = API_GET,
	    .pattern = "/a", .action = "a.read", .exec = exec_nop },
	    "an action name without .flags.audit");
	assert_refused((struct api_route){ .method = API_POST,
	    .pattern = "/a", .flags = { .json = 1 }, .exec = exec_nop },
	    "a write that is not audited");
	assert_refused((struct api_route){ .method = API_DELETE,
	    .pattern = "/a", .flags = { .auth = 1 },
	    .roles = API_ROLES(ROLE_ANY), .exec = exec_nop },
	    "a write that is not audited");
	assert_refused((struct api_route){ .method = API_POST,
	    .pattern = "/a", .flags = { .audit = 1 }, .action = "",
	    .exec = exec_nop }, "1 to 24 characters");
	assert_refused((struct api_route){ .method = API_POST,
	    .pattern = "/a", .flags = { .audit = 1 },
	    .action = "a.very.long.action.name.x", .exec = exec_nop },
	    "1 to 24 characters");
	assert_refused((struct api_route){ .method = API_POST,
	    .pattern = "/a", .flags = { .audit = 1 }, .action = "A b",
	    .exec = exec_nop }, "may hold");

	assert_refused((struct api_route){ .method = API_POST,
	    .pattern = "/a", .flags = { .json = 1, .raw = 1, .audit = 1 },
	    .action = "a.b", .exec = exec_nop }, "both .json and .raw");
	assert_refused((struct api_route){ .method = API_POST,
	    .pattern = "/a", .flags = { .optional_body = 1, .audit = 1 },
	    .action = "a.b", .exec = exec_nop }, ".optional_body without");
	assert_refused((struct api_route){ .method = API_GET,
	    .pattern = "/a", .flags = { .json = 1 }, .exec = exec_nop },
	    "a GET with a body");
	assert_refused((struct api_route){ .method = API_POST,
	    .pattern = "/a", .flags = { .audit = 1, .idem = 1 },
	    .action = "a.b", .exec = exec_nop }, "Idempotency-Key without");
	assert_refused((struct api_route){ .method = API_GET,
	    .pattern = "/a", .flags = { .nodb = 1, .auth = 1 },
	    .roles = API_ROLES(ROLE_ANY), .exec = exec_nop },
	    "needs the database");
	assert_refused((struct api_route){ .method = API_GET,
	    .pattern = "/a", .flags = { .loop = 1, .auth = 1 },
	    .roles = API_ROLES(ROLE_ANY), .exec = exec_nop },
	    ".loop: first tried on the event loop");
	assert_refused((struct api_route){ .method = API_GET,
	    .pattern = "/a", .flags = { .loop = 1, .nodb = 1 },
	    .exec = exec_nop }, ".loop: first tried on the event loop");

	assert_refused((struct api_route){ .method = API_HEAD,
	    .pattern = "/a", .exec = exec_nop }, "the method must be");
	assert_refused((struct api_route){ .method = API_METHOD_OTHER,
	    .pattern = "/a", .exec = exec_nop }, "the method must be");
	assert_refused((struct api_route){ .method = API_GET,
	    .pattern = "/a" }, "no .exec");

	assert_refused((struct api_route){ .method = API_GET,
	    .pattern = "a", .exec = exec_nop }, "must start with /");
	assert_refused((struct api_route){ .method = API_GET,
	    .exec = exec_nop }, "must start with /");
	assert_refused((struct api_route){ .method = API_GET,
	    .pattern = "/a/", .exec = exec_nop }, "trailing /");
	assert_refused((struct api_route){ .method = API_GET,
	    .pattern = "/a//b", .exec = exec_nop }, "empty segment");
	assert_refused((struct api_route){ .method = API_GET,
	    .pattern = "/a/:", .exec = exec_nop }, "without a name");
	assert_refused((struct api_route){ .method = API_GET,
	    .pattern = "/a/b:c", .exec = exec_nop }, "start of a segment");
	assert_refused((struct api_route){ .method = API_GET,
	    .pattern = "/a b", .exec = exec_nop }, "cannot hold");
	assert_refused((struct api_route){ .method = API_GET,
	    .pattern = "/a%20b", .exec = exec_nop }, "cannot hold");
	assert_refused((struct api_route){ .method = API_GET,
	    .pattern = "/:a/:b/:c/:d/:e", .exec = exec_nop },
	    "too many parameters");
}

static void
test_duplicates(void **state)
{
	struct api_route	t[4];
	char			err[256];

	(void)state;
	memset(t, 0, sizeof(t));
	t[0] = (struct api_route){ .method = API_GET, .pattern = "/a/:id",
	    .exec = exec_nop };
	t[1] = (struct api_route){ .method = API_POST, .pattern = "/a/:id",
	    .flags = { .audit = 1 }, .action = "a.post", .exec = exec_nop };
	t[2] = (struct api_route){ .method = API_GET, .pattern = "/a/x",
	    .exec = exec_nop };
	/* A literal after a parameter route of the same method is dead. */
	assert_false(api_routes_check(t, err, sizeof(err)));
	assert_non_null(strstr(err, "GET /a/x: never reached"));

	/* Literal first, then the parameter: both reachable. */
	t[0].pattern = "/a/x";
	t[2].pattern = "/a/:id";
	assert_true(api_routes_check(t, err, sizeof(err)));

	/* The same method and path twice, whatever the names. */
	t[2].pattern = "/a/:other";
	t[2].method = API_POST;
	t[2].flags.audit = 1;
	t[2].action = "a.again";
	assert_false(api_routes_check(t, err, sizeof(err)));
	assert_non_null(strstr(err, "POST /a/:other: never reached"));
	t[2].pattern = "/a/x/y";
	assert_true(api_routes_check(t, err, sizeof(err)));

	/* No routes at all. */
	memset(t, 0, sizeof(t));
	assert_false(api_routes_check(t, err, sizeof(err)));
}

static void
test_find(void **state)
{
	const struct api_route	*r;
	char			p[API_PARAMS_MAX][API_PARAM_LEN];
	char			allow[128];

	(void)state;
	r = api_route_find(api_routes(), API_GET, "/api/v1/filings/12", p,
	    allow, sizeof(allow));
	assert_non_null(r);
	assert_string_equal(r->pattern, "/api/v1/filings/:id");
	assert_string_equal(p[0], "12");

	/* HEAD takes the GET route. */
	r = api_route_find(api_routes(), API_HEAD, "/healthz", p, allow,
	    sizeof(allow));
	assert_non_null(r);
	assert_int_equal(r->method, API_GET);

	/* 405: the path's methods, HEAD beside GET. */
	r = api_route_find(api_routes(), API_PATCH, "/api/v1/filings/12", p,
	    allow, sizeof(allow));
	assert_null(r);
	assert_string_equal(allow, "GET, HEAD, PUT");
	r = api_route_find(api_routes(), API_METHOD_OTHER, "/api/v1/session",
	    p, allow, sizeof(allow));
	assert_null(r);
	assert_string_equal(allow, "POST, GET, HEAD, DELETE");

	/* 404: nothing there, trailing slash, undecodable segment. */
	assert_null(api_route_find(api_routes(), API_GET, "/api/v1/nothing",
	    p, allow, sizeof(allow)));
	assert_string_equal(allow, "");
	assert_null(api_route_find(api_routes(), API_GET, "/api/v1/filings/",
	    p, allow, sizeof(allow)));
	assert_string_equal(allow, "");
	assert_null(api_route_find(api_routes(), API_GET,
	    "/api/v1/filings/%zz", p, allow, sizeof(allow)));
	assert_string_equal(allow, "");

	/* The literal register routes win over :number. */
	r = api_route_find(api_routes(), API_GET, "/api/v1/registry/feed.atom",
	    p, allow, sizeof(allow));
	assert_non_null(r);
	assert_string_equal(r->pattern, "/api/v1/registry/feed.atom");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_table),
		cmocka_unit_test(test_good_routes),
		cmocka_unit_test(test_broken_routes),
		cmocka_unit_test(test_reporter_routes),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_find),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
