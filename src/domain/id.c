/*
 * The one parser of decimal ids and counts.  strtol accepts a sign,
 * leading spaces and leading zeros, so one filing had many names; here
 * each number has exactly one spelling, and anything else is refused.
 */

#include <stddef.h>
#include <stdint.h>

#include "domain/id.h"

/*
 * Reads a number in [lo, hi] (lo >= 0).  Returns 1 with *out set, or 0
 * for anything that is not the number's one spelling or is out of range.
 */
int
id_parse_range(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
	const char	*p;
	int64_t		v;
	int		d;

	if (s == NULL || *s < '0' || *s > '9')
		return (0);
	if (s[0] == '0' && s[1] != '\0')
		return (0);
	v = 0;
	for (p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return (0);
		d = *p - '0';
		if (v > (INT64_MAX - d) / 10)
			return (0);
		v = v * 10 + d;
	}
	if (v < lo || v > hi)
		return (0);
	*out = v;
	return (1);
}

/* An id: 1 to 2^63 - 1. */
int
id_parse(const char *s, int64_t *out)
{
	return (id_parse_range(s, 1, ID_MAX, out));
}
