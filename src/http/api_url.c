/*
 * Paths and query strings: percent-decoding, matching a path against a
 * route's pattern, and looking up one query parameter.  Every decoded
 * value is valid UTF-8 without NUL, or the request names nothing.
 */

#include <string.h>
#include <strings.h>

#include "domain/validate.h"
#include "http/api.h"

static int
api_unhex(char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/*
 * Percent-decodes [s, s+len) into out, '+' as a space when plus is set
 * (queries, not paths).  0 on a bad escape, a result that does not fit,
 * a NUL (%00) or invalid UTF-8.
 */
int
api_urldecode(const char *s, size_t len, char *out, size_t outlen, int plus)
{
	size_t	i, o;
	int	hi, lo;

	if (outlen == 0)
		return (0);
	for (i = 0, o = 0; i < len; i++) {
		if (o + 1 >= outlen)
			return (0);
		if (s[i] == '%') {
			if (i + 2 >= len)
				return (0);
			hi = api_unhex(s[i + 1]);
			lo = api_unhex(s[i + 2]);
			if (hi < 0 || lo < 0)
				return (0);
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (plus && s[i] == '+') {
			out[o++] = ' ';
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return (strlen(out) == o && validate_utf8(out, o, NULL));
}

/*
 * Matches path against pattern segment by segment; a ":name" segment
 * takes any non-empty segment, decoded into params (when not NULL) in
 * order; a segment that does not decode matches nothing, and neither
 * does a trailing slash or an empty segment.
 */
int
api_match(const char *pattern, const char *path,
    char (*params)[API_PARAM_LEN])
{
	const char	*pe, *se;
	char		scratch[API_PARAM_LEN];
	size_t		plen, slen;
	int		n;

	n = 0;
	scratch[0] = '\0';
	for (;;) {
		if (*pattern != '/' || *path != '/')
			return (0);
		pattern++;
		path++;
		pe = pattern + strcspn(pattern, "/");
		se = path + strcspn(path, "/");
		plen = (size_t)(pe - pattern);
		slen = (size_t)(se - path);
		if (plen > 0 && *pattern == ':') {
			if (slen == 0 || n >= API_PARAMS_MAX)
				return (0);
			if (!api_urldecode(path, slen, params != NULL ?
			    params[n] : scratch, API_PARAM_LEN, 0))
				return (0);
			n++;
		} else if (plen != slen || memcmp(pattern, path, plen)) {
			return (0);
		}
		pattern = pe;
		path = se;
		if (*pattern == '\0' && *path == '\0')
			return (1);
	}
}

/*
 * Looks up a query parameter by its name as written.  Returns 1 found,
 * 0 absent, -1 malformed (bad escape, invalid UTF-8, too long, or given
 * twice).
 */
int
api_query(struct api_call *call, const char *name, char *out, size_t len)
{
	const char	*p, *end, *eq, *amp;
	size_t		nlen;
	int		found;

	found = 0;
	nlen = strlen(name);
	p = call->query;
	end = p + strlen(p);
	while (p < end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		eq = memchr(p, '=', (size_t)(amp - p));
		if (eq != NULL && (size_t)(eq - p) == nlen &&
		    !memcmp(p, name, nlen)) {
			if (found)
				return (-1);
			if (!api_urldecode(eq + 1, (size_t)(amp - eq - 1),
			    out, len, 1))
				return (-1);
			found = 1;
		}
		p = amp + 1;
	}
	return (found);
}

/*
 * Whether an Accept-Encoding value takes gzip: the coding named, or
 * "*", without a q of zero.  Anything else, or nothing, is identity.
 */
int
api_accepts_gzip(const char *v)
{
	const char	*p, *end, *semi, *q;
	size_t		n;

	if (v == NULL)
		return (0);
	for (p = v; *p != '\0'; p = *end == ',' ? end + 1 : end) {
		while (*p == ' ' || *p == '\t')
			p++;
		if ((end = strchr(p, ',')) == NULL)
			end = p + strlen(p);
		if ((semi = memchr(p, ';', (size_t)(end - p))) == NULL)
			semi = end;
		n = (size_t)(semi - p);
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (!((n == 4 && strncasecmp(p, "gzip", 4) == 0) ||
		    (n == 1 && *p == '*')))
			continue;
		/* A q of zero refuses it: q=0, q=0.0, q=0.000. */
		q = semi < end ? semi + 1 : end;
		q += strspn(q, " \t");
		if (q + 2 > end || (*q != 'q' && *q != 'Q') || q[1] != '=')
			return (1);
		for (n = (size_t)(end - q - 2); n > 0 && (q[n + 1] == ' ' ||
		    q[n + 1] == '\t'); n--)
			;
		return (n == 0 || strspn(q + 2, "0.") < n);
	}
	return (0);
}
