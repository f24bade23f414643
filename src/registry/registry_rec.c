/*
 * A public record's fields for the exports, read straight from the JSON
 * the register stores: one pass, no tree, no allocation (strings are
 * unescaped into the caller's scratch, as long as the text), so
 * streaming 100,000 records costs their bytes, not a parser's objects.
 * The record's shape is filing_public_record's; unknown keys are
 * skipped, and anything this reader does not expect (a list longer than
 * REGISTRY_REC_LIST, bad JSON) makes it give up: the caller then parses
 * with jansson (registry_rec_json), which reads the same fields.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "registry/registry_export.h"

struct rrec_in {
	const char	*p, *end;
	char		*out;		/* the scratch */
};

static void
rrec_ws(struct rrec_in *in)
{
	while (in->p < in->end && (*in->p == ' ' || *in->p == '\t' ||
	    *in->p == '\n' || *in->p == '\r'))
		in->p++;
}

static int
rrec_hex(const char *p, uint32_t *v)
{
	int	i;
	char	c;

	*v = 0;
	for (i = 0; i < 4; i++) {
		c = p[i];
		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (uint32_t)(c - 'A' + 10);
		else
			return (0);
	}
	return (1);
}

static void
rrec_utf8(struct rrec_in *in, uint32_t cp)
{
	if (cp < 0x80) {
		*in->out++ = (char)cp;
	} else if (cp < 0x800) {
		*in->out++ = (char)(0xc0 | cp >> 6);
		*in->out++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*in->out++ = (char)(0xe0 | cp >> 12);
		*in->out++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*in->out++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*in->out++ = (char)(0xf0 | cp >> 18);
		*in->out++ = (char)(0x80 | (cp >> 12 & 0x3f));
		*in->out++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*in->out++ = (char)(0x80 | (cp & 0x3f));
	}
}

/* A string at in->p, unescaped into the scratch; NULL if it is not one. */
static const char *
rrec_str(struct rrec_in *in)
{
	const char	*s, *run;
	uint32_t	cp, lo;

	rrec_ws(in);
	if (in->p >= in->end || *in->p != '"')
		return (NULL);
	s = in->out;
	for (run = ++in->p; in->p < in->end; in->p++) {
		if (*in->p != '"' && *in->p != '\\')
			continue;
		memcpy(in->out, run, (size_t)(in->p - run));
		in->out += in->p - run;
		if (*in->p == '"') {
			*in->out++ = '\0';
			in->p++;
			return (s);
		}
		if (++in->p >= in->end)
			return (NULL);
		switch (*in->p) {
		case 'b':
			*in->out++ = '\b';
			break;
		case 'f':
			*in->out++ = '\f';
			break;
		case 'n':
			*in->out++ = '\n';
			break;
		case 'r':
			*in->out++ = '\r';
			break;
		case 't':
			*in->out++ = '\t';
			break;
		case 'u':
			if (in->end - in->p < 5 || !rrec_hex(in->p + 1, &cp))
				return (NULL);
			in->p += 4;
			if (cp >= 0xd800 && cp <= 0xdbff && in->end - in->p >= 7 &&
			    in->p[1] == '\\' && in->p[2] == 'u' &&
			    rrec_hex(in->p + 3, &lo) && lo >= 0xdc00 &&
			    lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
				in->p += 6;
			} else if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff)) {
				return (NULL);
			}
			rrec_utf8(in, cp);
			break;
		default:
			*in->out++ = *in->p;	/* " \ / */
			break;
		}
		run = in->p + 1;
	}
	return (NULL);
}

static int
rrec_lit(struct rrec_in *in, const char *lit)
{
	size_t	n;

	n = strlen(lit);
	if ((size_t)(in->end - in->p) < n || memcmp(in->p, lit, n) != 0)
		return (0);
	in->p += n;
	return (1);
}

/* Skips any value (a string is unescaped into the scratch all the same). */
static int
rrec_skip(struct rrec_in *in)
{
	int	depth;

	rrec_ws(in);
	if (in->p >= in->end)
		return (0);
	if (*in->p == '"')
		return (rrec_str(in) != NULL);
	if (*in->p != '{' && *in->p != '[') {
		while (in->p < in->end && *in->p != ',' && *in->p != '}' &&
		    *in->p != ']')
			in->p++;
		return (1);
	}
	for (depth = 0; in->p < in->end; ) {
		if (*in->p == '"') {
			if (rrec_str(in) == NULL)
				return (0);
			continue;
		}
		if (*in->p == '{' || *in->p == '[')
			depth++;
		else if ((*in->p == '}' || *in->p == ']') && --depth == 0) {
			in->p++;
			return (1);
		}
		in->p++;
	}
	return (0);
}

/* The next member's key, or NULL at the object's end (*ok 0 on error). */
static const char *
rrec_key(struct rrec_in *in, int first, int *ok)
{
	const char	*k;

	*ok = 0;
	rrec_ws(in);
	if (in->p < in->end && *in->p == '}') {
		in->p++;
		*ok = 1;
		return (NULL);
	}
	if (!first) {
		if (in->p >= in->end || *in->p++ != ',')
			return (NULL);
	}
	if ((k = rrec_str(in)) == NULL)
		return (NULL);
	rrec_ws(in);
	if (in->p >= in->end || *in->p++ != ':')
		return (NULL);
	*ok = 1;
	return (k);
}

static int
rrec_open(struct rrec_in *in, char c)
{
	rrec_ws(in);
	if (in->p >= in->end || *in->p != c)
		return (0);
	in->p++;
	return (1);
}

/* Before each element of a list: 1 another, 0 the end, -1 an error. */
static int
rrec_next(struct rrec_in *in, size_t i)
{
	rrec_ws(in);
	if (in->p < in->end && *in->p == ']') {
		in->p++;
		return (0);
	}
	if (i > 0 && (in->p >= in->end || *in->p++ != ','))
		return (-1);
	return (i < REGISTRY_REC_LIST ? 1 : -1);
}

/* A string or null (NULL in *out, for ended_on). */
static int
rrec_str_or_null(struct rrec_in *in, const char **out)
{
	rrec_ws(in);
	if (rrec_lit(in, "null")) {
		*out = NULL;
		return (1);
	}
	return ((*out = rrec_str(in)) != NULL);
}

/* An object of two string members a and b, e.g. {"app":…,"account":…}. */
static int
rrec_pair(struct rrec_in *in, const char *a, const char *b,
    const char **va, const char **vb)
{
	const char	*k;
	int		ok, first;

	*va = *vb = "";
	if (!rrec_open(in, '{'))
		return (0);
	for (first = 1; (k = rrec_key(in, first, &ok)) != NULL; first = 0) {
		if (!strcmp(k, a))
			ok = (*va = rrec_str(in)) != NULL;
		else if (!strcmp(k, b))
			ok = (*vb = rrec_str(in)) != NULL;
		else
			ok = rrec_skip(in);
		if (!ok)
			return (0);
	}
	return (ok);
}

/* A list of such objects, at most REGISTRY_REC_LIST. */
static int
rrec_pairs(struct rrec_in *in, const char *a, const char *b,
    const char **va, const char **vb, size_t *n)
{
	int	m;

	if (!rrec_open(in, '['))
		return (0);
	while ((m = rrec_next(in, *n)) == 1) {
		if (!rrec_pair(in, a, b, &va[*n], &vb[*n]))
			return (0);
		(*n)++;
	}
	return (m == 0);
}

static int
rrec_platform(struct rrec_in *in, struct registry_rec *r)
{
	const char	*k;
	int		ok, first, m;

	if (!rrec_open(in, '{'))
		return (0);
	for (first = 1; (k = rrec_key(in, first, &ok)) != NULL; first = 0) {
		if (!strcmp(k, "name"))
			ok = (r->name = rrec_str(in)) != NULL;
		else if (!strcmp(k, "homepage"))
			ok = (r->homepage = rrec_str(in)) != NULL;
		else if (!strcmp(k, "icp"))
			ok = (r->icp = rrec_str(in)) != NULL;
		else if (!strcmp(k, "publish_urls")) {
			if (!rrec_open(in, '['))
				return (0);
			while ((m = rrec_next(in, r->nurls)) == 1) {
				if ((r->urls[r->nurls++] = rrec_str(in)) ==
				    NULL)
					return (0);
			}
			ok = m == 0;
		} else if (!strcmp(k, "social_accounts"))
			ok = rrec_pairs(in, "app", "account", r->app,
			    r->account, &r->naccounts);
		else
			ok = rrec_skip(in);
		if (!ok)
			return (0);
	}
	return (ok);
}

static void
rrec_blank(struct registry_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->number = r->status = r->filed_on = "";
	r->name = r->homepage = r->icp = r->sponsor = r->sponsor_type = "";
}

/*
 * json: a stored record (len bytes); scratch: at least len + 1 bytes,
 * which the strings of r point into.  Returns 0 when the record is not
 * what it should be: parse it with jansson instead.
 */
int
registry_rec_scan(const char *json, size_t len, char *scratch,
    struct registry_rec *r)
{
	struct rrec_in	in;
	const char	*k;
	int		ok, first;

	rrec_blank(r);
	in.p = json;
	in.end = json + len;
	in.out = scratch;
	if (!rrec_open(&in, '{'))
		return (0);
	for (first = 1; (k = rrec_key(&in, first, &ok)) != NULL; first = 0) {
		if (!strcmp(k, "filing_number"))
			ok = (r->number = rrec_str(&in)) != NULL;
		else if (!strcmp(k, "status"))
			ok = (r->status = rrec_str(&in)) != NULL;
		else if (!strcmp(k, "filed_on"))
			ok = (r->filed_on = rrec_str(&in)) != NULL;
		else if (!strcmp(k, "ended_on"))
			ok = rrec_str_or_null(&in, &r->ended_on);
		else if (!strcmp(k, "platform"))
			ok = rrec_platform(&in, r);
		else if (!strcmp(k, "sponsor"))
			ok = rrec_pair(&in, "name", "type", &r->sponsor,
			    &r->sponsor_type);
		else if (!strcmp(k, "changes"))
			ok = rrec_pairs(&in, "changed_on", "approved_on",
			    r->changed, r->approved, &r->nchanges);
		else
			ok = rrec_skip(&in);
		if (!ok)
			return (0);
	}
	return (ok);
}

static const char *
rrec_get(const json_t *o, const char *k)
{
	const char	*s;

	s = json_string_value(json_object_get(o, k));
	return (s != NULL ? s : "");
}

/* The same fields from a parsed record; 0 when a list is too long. */
int
registry_rec_json(const json_t *rec, struct registry_rec *r)
{
	const json_t	*p, *v;
	size_t		i;

	rrec_blank(r);
	p = json_object_get(rec, "platform");
	r->number = rrec_get(rec, "filing_number");
	r->status = rrec_get(rec, "status");
	r->filed_on = rrec_get(rec, "filed_on");
	r->ended_on = json_string_value(json_object_get(rec, "ended_on"));
	r->name = rrec_get(p, "name");
	r->homepage = rrec_get(p, "homepage");
	r->icp = rrec_get(p, "icp");
	r->sponsor = rrec_get(json_object_get(rec, "sponsor"), "name");
	r->sponsor_type = rrec_get(json_object_get(rec, "sponsor"), "type");
	json_array_foreach(json_object_get(p, "publish_urls"), i, v) {
		if (r->nurls == REGISTRY_REC_LIST)
			return (0);
		r->urls[r->nurls++] = json_is_string(v) ?
		    json_string_value(v) : "";
	}
	json_array_foreach(json_object_get(p, "social_accounts"), i, v) {
		if (r->naccounts == REGISTRY_REC_LIST)
			return (0);
		r->app[r->naccounts] = rrec_get(v, "app");
		r->account[r->naccounts++] = rrec_get(v, "account");
	}
	json_array_foreach(json_object_get(rec, "changes"), i, v) {
		if (r->nchanges == REGISTRY_REC_LIST)
			return (0);
		r->changed[r->nchanges] = rrec_get(v, "changed_on");
		r->approved[r->nchanges++] = rrec_get(v, "approved_on");
	}
	return (1);
}
