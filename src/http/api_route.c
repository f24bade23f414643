/*
 * The route table's two uses: finding a request's route (404, or 405
 * with the methods the path has), and checking the table when the server
 * starts, so that a route that would be public, unaudited or unreachable
 * by mistake stops the start instead of serving.
 */

#include <stdio.h>
#include <string.h>

#include "domain/role.h"
#include "http/api.h"

#define API_ACTION_MAX	24	/* the idempotency key's route keeps 24 */

const char *
api_method_name(enum api_method m)
{
	switch (m) {
	case API_GET:
		return ("GET");
	case API_HEAD:
		return ("HEAD");
	case API_POST:
		return ("POST");
	case API_PUT:
		return ("PUT");
	case API_DELETE:
		return ("DELETE");
	case API_PATCH:
		return ("PATCH");
	default:
		return ("OTHER");
	}
}

/*
 * The route for method and path, with the path's parameters decoded
 * into params.  NULL when there is none: allow then lists the methods
 * the path has (405), or is empty (404).
 */
const struct api_route *
api_route_find(const struct api_route *table, enum api_method method,
    const char *path, char (*params)[API_PARAM_LEN], char *allow,
    size_t allowlen)
{
	const struct api_route	*r;
	size_t			off;

	/* HEAD is GET without the body; Kore leaves the body out. */
	if (method == API_HEAD)
		method = API_GET;
	off = 0;
	allow[0] = '\0';
	for (r = table; r->pattern != NULL; r++) {
		if (!api_match(r->pattern, path, NULL))
			continue;
		if (r->method == method) {
			(void)api_match(r->pattern, path, params);
			return (r);
		}
		off += (size_t)snprintf(allow + off, allowlen - off, "%s%s%s",
		    off > 0 ? ", " : "", api_method_name(r->method),
		    r->method == API_GET ? ", HEAD" : "");
		if (off >= allowlen)
			off = allowlen - 1;
	}
	return (NULL);
}

static int
api_is_write_method(enum api_method m)
{
	return (m == API_POST || m == API_PUT || m == API_DELETE ||
	    m == API_PATCH);
}

/* A pattern: "/"-separated non-empty segments of plain ASCII, or "/". */
static const char *
api_pattern_error(const char *p)
{
	const char	*s;
	int		params;

	if (p == NULL || *p != '/')
		return ("the pattern must start with /");
	if (p[1] == '\0')
		return (NULL);		/* the home page */
	params = 0;
	for (s = p; *s != '\0'; s++) {
		if (*s == '/' && (s[1] == '/' || s[1] == '\0'))
			return ("empty segment or trailing /");
		if (*s == ':' && s[-1] != '/')
			return ("':' only at the start of a segment");
		if (*s == ':' && (s[1] == '/' || s[1] == '\0'))
			return ("a parameter without a name");
		if (*s == ':')
			params++;
		if (*s <= ' ' || *s > '~' || strchr("%?#", *s) != NULL)
			return ("a character paths cannot hold as written");
	}
	if (params > API_PARAMS_MAX)
		return ("too many parameters");
	return (NULL);
}

/*
 * Whether every path b matches is matched by a (same segments, a's
 * parameters taking anything): then b, later in the table, is dead.
 */
static int
api_pattern_covers(const char *a, const char *b)
{
	size_t	al, bl;

	for (;;) {
		if (*a == '\0' || *b == '\0')
			return (*a == *b);
		a++;
		b++;
		al = strcspn(a, "/");
		bl = strcspn(b, "/");
		if (*a == ':') {
			/* a parameter takes any segment */
		} else if (*b == ':' || al != bl || memcmp(a, b, al) != 0) {
			return (0);
		}
		a += al;
		b += bl;
	}
}

static const char *
api_action_error(const char *action)
{
	const char	*s;

	if (*action == '\0' || strlen(action) > API_ACTION_MAX)
		return ("the action name must have 1 to 24 characters");
	for (s = action; *s != '\0'; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '.' || *s == '_'))
			return ("the action name may hold a-z, 0-9, '.', '_'");
	}
	return (NULL);
}

/* The first rule the route breaks, or NULL. */
static const char *
api_route_error(const struct api_route *r)
{
	const struct api_flags	*f;
	const char		*e;

	f = &r->flags;
	if ((e = api_pattern_error(r->pattern)) != NULL)
		return (e);
	if (r->method != API_GET && !api_is_write_method(r->method))
		return ("the method must be GET, POST, PUT, DELETE or PATCH");
	if (r->exec == NULL)
		return ("no .exec");
	if (r->roles.role_bits != 0 && !f->auth)
		return ("roles without .flags.auth: the route would be public");
	if (f->auth && r->roles.role_bits == 0)
		return ("auth without roles: name them (ROLE_ANY for all)");
	if (r->roles.role_bits & ~(unsigned)ROLE_ANY)
		return ("roles holds bits that are not roles");
	if (f->audit && r->action == NULL)
		return ("audited without an action name");
	if (!f->audit && r->action != NULL)
		return ("an action name without .flags.audit");
	if (r->action != NULL && (e = api_action_error(r->action)) != NULL)
		return (e);
	if (api_is_write_method(r->method) && !f->audit)
		return ("a write that is not audited");
	if (f->json && f->raw)
		return ("both .json and .raw: a body is one or the other");
	if (f->optional_body && !f->json)
		return (".optional_body without .json");
	if (r->method == API_GET && (f->json || f->raw || f->idem))
		return ("a GET with a body or an Idempotency-Key");
	if (f->idem && !f->auth)
		return ("Idempotency-Key without auth: keys are per account");
	if (f->nodb && (f->auth || f->audit || f->idem || f->reporter))
		return ("answered on the event loop but needs the database");
	if (f->loop && (f->auth || f->audit || f->idem || f->reporter ||
	    f->nodb))
		return (".loop: first tried on the event loop, where there is"
		    " no session and no audit (and .nodb never defers)");
	/*
	 * A compressed answer that holds a secret beside text the client
	 * chose leaks the secret by its length (BREACH): only public .loop
	 * routes, which read no session, may answer gzipped.
	 */
	if (f->gzip && !f->loop)
		return (".gzip without .loop: only public answers, which hold"
		    " no session's secret, may be compressed");
	if (f->reporter && f->auth)
		return (".reporter and .auth: a route has one kind of session");
	if (f->reporter && !f->anon)
		return (".reporter without .anon: the reporter's address would"
		    " be recorded");
	if (f->reporter && strncmp(r->pattern, API_REPORTER_PATH "/",
	    sizeof(API_REPORTER_PATH)) != 0)
		return (".reporter outside " API_REPORTER_PATH
		    "/: the cookie is not sent there");
	if (f->anon && f->auth)
		return (".anon with .auth: staff actions keep their address");
	return (NULL);
}

/*
 * Checks every route, and that no route hides a later one.  Returns 1,
 * or 0 with the first problem in err ("POST /api/v1/x: ...").
 */
int
api_routes_check(const struct api_route *table, char *err, size_t errlen)
{
	const struct api_route	*r, *q;
	const char		*e;

	for (r = table; r->pattern != NULL || r->exec != NULL; r++) {
		if ((e = api_route_error(r)) != NULL) {
			(void)snprintf(err, errlen, "%s %s: %s",
			    api_method_name(r->method),
			    r->pattern != NULL ? r->pattern : "(no pattern)",
			    e);
			return (0);
		}
		for (q = table; q < r; q++) {
			if (q->method == r->method &&
			    api_pattern_covers(q->pattern, r->pattern)) {
				(void)snprintf(err, errlen, "%s %s: never "
				    "reached, %s comes first",
				    api_method_name(r->method), r->pattern,
				    q->pattern);
				return (0);
			}
		}
	}
	if (r == table) {
		(void)snprintf(err, errlen, "no routes");
		return (0);
	}
	return (1);
}
