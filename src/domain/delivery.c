/*
 * A receiver's answer as vcpnotifyd judges and keeps it.
 *
 * A 4xx says the request itself is wrong, so sending the same bytes again
 * cannot succeed; 408 (the receiver gave up waiting) and 429 (too many
 * requests) are the exceptions RFC 9110 and RFC 6585 make transient.
 * Everything else that is not 2xx (no answer, 3xx, 5xx) may pass.
 */

#include <stdint.h>
#include <string.h>

#include "domain/delivery.h"

#define REPLACEMENT	0xfffd

int
delivery_permanent(long status)
{
	return (status >= 400 && status <= 499 && status != 408 &&
	    status != 429);
}

/*
 * Decodes one UTF-8 character at p (n bytes left).  Returns its length
 * with *cp set, 0 when the bytes are a valid but incomplete start, or -1
 * when the first byte cannot begin a character here.
 */
static int
delivery_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	uint32_t	c, min;
	size_t		len, i;

	if (p[0] < 0x80) {
		*cp = p[0];
		return (1);
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2;
		c = p[0] & 0x1f;
		min = 0x80;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		c = p[0] & 0x0f;
		min = 0x800;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		c = p[0] & 0x07;
		min = 0x10000;
	} else
		return (-1);
	for (i = 1; i < len; i++) {
		if (i == n)
			return (0);
		if ((p[i] & 0xc0) != 0x80)
			return (-1);
		c = (c << 6) | (p[i] & 0x3f);
	}
	/* Overlong forms, surrogates and what lies past U+10FFFF. */
	if (c < min || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return (-1);
	*cp = c;
	return ((int)len);
}

/*
 * What a person may safely see on a screen or a terminal: no controls,
 * no noncharacters, and no bidirectional overrides that could make the
 * text read differently from what it holds.
 */
static int
delivery_printable(uint32_t c)
{
	if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
		return (0);
	if ((c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe)
		return (0);
	if ((c >= 0x200e && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069))
		return (0);
	return (1);
}

static size_t
delivery_put(uint32_t c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return (1);
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3f));
		return (2);
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return (3);
	}
	out[0] = (char)(0xf0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return (4);
}

/*
 * Writes the answer body in[0..len) as valid, printable UTF-8 on one
 * line: line breaks and tabs become spaces, every other control, invalid
 * byte or unprintable character becomes U+FFFD.  cut says the body went on
 * past len: a character split there is dropped and "…" marks the cut.
 * out needs DELIVERY_TEXT_LEN(len) bytes; returns the length written.
 */
size_t
delivery_answer_text(const char *in, size_t len, int cut, char *out,
    size_t outlen)
{
	const unsigned char	*p;
	uint32_t		c;
	size_t			i, o;
	int			n;

	if (outlen < DELIVERY_TEXT_LEN(len)) {
		if (outlen > 0)
			out[0] = '\0';
		return (0);
	}
	p = (const unsigned char *)in;
	o = 0;
	for (i = 0; i < len; i += (size_t)n) {
		n = delivery_decode(p + i, len - i, &c);
		if (n == 0 && cut)
			break;
		if (n <= 0) {
			c = REPLACEMENT;
			n = 1;
		} else if (c == '\t' || c == '\n' || c == '\r')
			c = ' ';
		else if (!delivery_printable(c))
			c = REPLACEMENT;
		o += delivery_put(c, out + o);
	}
	if (cut)
		o += delivery_put(0x2026, out + o);
	out[o] = '\0';
	return (o);
}
