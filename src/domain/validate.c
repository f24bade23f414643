/*
 * Pure checks of what people type: UTF-8 and characters XML can carry,
 * text lengths in characters, resident ID numbers and unified social
 * credit codes with their check characters, mobiles, e-mail addresses,
 * URLs, ICP numbers and MLPS certificate numbers.
 */

#include <stdint.h>
#include <string.h>

#include "domain/validate.h"

static const char	uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int	uscc_weights[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20,
			    29, 25, 13, 8, 24, 10, 30, 28 };
static const int	org_weights[8] = { 3, 7, 9, 10, 5, 8, 4, 2 };
static const int	rid_weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7,
			    9, 10, 5, 8, 4, 2 };
static const char	rid_checks[] = "10X98765432";

/* Province abbreviations as they appear in ICP numbers (UTF-8). */
static const char	*provinces[] = {
	"京", "津", "冀", "晋", "蒙", "辽", "吉", "黑", "沪", "苏", "浙",
	"皖", "闽", "赣", "鲁", "豫", "鄂", "湘", "粤", "桂", "琼", "渝",
	"川", "蜀", "贵", "黔", "云", "滇", "藏", "陕", "甘", "陇", "青",
	"宁", "新", NULL
};

const char *
validate_code(enum validate_result r)
{
	switch (r) {
	case VALIDATE_OK:
		return ("ok");
	case VALIDATE_EMPTY:
		return ("empty");
	case VALIDATE_TOO_LONG:
		return ("too_long");
	case VALIDATE_BAD_UTF8:
		return ("bad_utf8");
	case VALIDATE_CONTROL:
		return ("control_char");
	case VALIDATE_CHAR:
		return ("bad_character");
	case VALIDATE_FORMAT:
		return ("format");
	case VALIDATE_CHECKSUM:
		return ("checksum");
	case VALIDATE_DATE:
		return ("date");
	}
	return ("invalid");
}

const char *
validate_message(enum validate_result r)
{
	switch (r) {
	case VALIDATE_OK:
		return ("");
	case VALIDATE_EMPTY:
		return ("此项为必填项");
	case VALIDATE_TOO_LONG:
		return ("内容超过长度上限");
	case VALIDATE_BAD_UTF8:
		return ("含有无效的 UTF-8 字符");
	case VALIDATE_CONTROL:
		return ("含有不允许的控制字符");
	case VALIDATE_CHAR:
		return ("含有无法保存或传输的字符（如 U+FFFE、U+FFFF），请删除后重试");
	case VALIDATE_FORMAT:
		return ("格式不正确");
	case VALIDATE_CHECKSUM:
		return ("校验位不正确，请核对号码");
	case VALIDATE_DATE:
		return ("号码中的日期无效");
	}
	return ("无效");
}

/*
 * Decodes the character at u[0], strict UTF-8: no overlongs, no
 * surrogates, nothing past U+10FFFF.  Returns its length in bytes, or 0
 * when the bytes are not UTF-8.
 */
static size_t
utf8_decode(const unsigned char *u, size_t len, uint32_t *out)
{
	size_t		k, need;
	uint32_t	cp, min;

	if (u[0] < 0x80) {
		*out = u[0];
		return (1);
	}
	if (u[0] >= 0xc2 && u[0] <= 0xdf) {
		need = 1;
		cp = u[0] & 0x1f;
		min = 0x80;
	} else if (u[0] >= 0xe0 && u[0] <= 0xef) {
		need = 2;
		cp = u[0] & 0x0f;
		min = 0x800;
	} else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
		need = 3;
		cp = u[0] & 0x07;
		min = 0x10000;
	} else {
		return (0);
	}
	if (len <= need)
		return (0);
	for (k = 1; k <= need; k++) {
		if ((u[k] & 0xc0) != 0x80)
			return (0);
		cp = cp << 6 | (u[k] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return (0);
	*out = cp;
	return (need + 1);
}

int
validate_utf8(const char *s, size_t len, size_t *ncp)
{
	const unsigned char	*u;
	size_t			i, k, n;
	uint32_t		cp;

	u = (const unsigned char *)s;
	n = 0;
	for (i = 0; i < len; i += k, n++) {
		if ((k = utf8_decode(u + i, len - i, &cp)) == 0)
			return (0);
	}
	if (ncp != NULL)
		*ncp = n;
	return (1);
}

/*
 * Whether every character is one XML 1.0 can carry (its Char production:
 * TAB, LF, CR, U+0020..U+D7FF, U+E000..U+FFFD, U+10000..U+10FFFF).  A
 * character outside it cannot be written even as a reference, so a
 * document holding one is not XML: every receiver refuses all of it.
 * Invalid UTF-8 (and so any surrogate) fails too.
 */
int
validate_xml_chars(const char *s, size_t len)
{
	const unsigned char	*u;
	size_t			i, k;
	uint32_t		cp;

	u = (const unsigned char *)s;
	for (i = 0; i < len; i += k) {
		if ((k = utf8_decode(u + i, len - i, &cp)) == 0)
			return (0);
		if (cp < 0x20 ? cp != 0x09 && cp != 0x0a && cp != 0x0d :
		    cp == 0xfffe || cp == 0xffff)
			return (0);
	}
	return (1);
}

/*
 * The length of the longest prefix of s[0..len) that is at most max
 * bytes and does not end inside a character, for shortening text that
 * is shown again (a field's name in an error): cutting a character in
 * two leaves bytes that are not UTF-8.
 */
size_t
validate_utf8_prefix(const char *s, size_t len, size_t max)
{
	const unsigned char	*u;

	if (len <= max)
		return (len);
	u = (const unsigned char *)s;
	while (max > 0 && (u[max] & 0xc0) == 0x80)
		max--;
	return (max);
}

/*
 * Free text: names, rule texts.  maxchars counts code points.  Controls
 * are refused (C0 but TAB, LF and CRLF where multiline, DEL and C1):
 * XML 1.0 cannot carry C0 at all, and DEL and C1, which it can, are
 * never text a person meant to type.  What else XML cannot carry
 * (U+FFFE, U+FFFF) is refused too, since every text may reach the
 * register's XML or a signed notification.
 */
enum validate_result
validate_text(const char *s, size_t len, size_t maxchars, int multiline)
{
	const unsigned char	*u;
	size_t			i, n;
	int			blank;

	if (len == 0)
		return (VALIDATE_EMPTY);
	if (len > maxchars * 4)
		return (VALIDATE_TOO_LONG);
	if (!validate_utf8(s, len, &n))
		return (VALIDATE_BAD_UTF8);
	if (n > maxchars)
		return (VALIDATE_TOO_LONG);
	u = (const unsigned char *)s;
	blank = 1;
	for (i = 0; i < len; i++) {
		if (u[i] < 0x20 || u[i] == 0x7f) {
			if (!multiline || (u[i] != '\n' && u[i] != '\t' &&
			    !(u[i] == '\r' && i + 1 < len && u[i + 1] == '\n')))
				return (VALIDATE_CONTROL);
			continue;
		}
		/* C1 controls, U+0080..U+009F, are 0xc2 0x80..0x9f. */
		if (u[i] == 0xc2 && i + 1 < len && u[i + 1] <= 0x9f)
			return (VALIDATE_CONTROL);
		if (u[i] != ' ')
			blank = 0;
	}
	if (!validate_xml_chars(s, len))
		return (VALIDATE_CHAR);
	return (blank ? VALIDATE_EMPTY : VALIDATE_OK);
}

static int
is_digit(char c)
{
	return (c >= '0' && c <= '9');
}

static int
all_digits(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return (0);
	}
	return (1);
}

/*
 * The characters of a one-line value that may hold more than letters and
 * digits (URLs, e-mail addresses, whose hosts may be internationalised):
 * no controls (C0, DEL, C1), nothing XML cannot carry.  s is UTF-8.
 */
static enum validate_result
line_chars(const char *s, size_t len)
{
	const unsigned char	*u;
	size_t			i;

	u = (const unsigned char *)s;
	for (i = 0; i < len; i++) {
		if (u[i] < 0x20 || u[i] == 0x7f ||
		    (u[i] == 0xc2 && i + 1 < len && u[i + 1] <= 0x9f))
			return (VALIDATE_CONTROL);
	}
	return (validate_xml_chars(s, len) ? VALIDATE_OK : VALIDATE_CHAR);
}

/* Common prologue: emptiness, bound, UTF-8. */
static enum validate_result
validate_basic(const char *s, size_t len, size_t max)
{
	if (len == 0)
		return (VALIDATE_EMPTY);
	if (len > max)
		return (VALIDATE_TOO_LONG);
	if (!validate_utf8(s, len, NULL))
		return (VALIDATE_BAD_UTF8);
	return (VALIDATE_OK);
}

static int
uscc_value(char c)
{
	const char	*p;

	if (c == '\0' || (p = strchr(uscc_alphabet, c)) == NULL)
		return (-1);
	return ((int)(p - uscc_alphabet));
}

static int
orgcode_value(char c)
{
	if (is_digit(c))
		return (c - '0');
	if (c >= 'A' && c <= 'Z')
		return (c - 'A' + 10);
	return (-1);
}

static int
orgcode_ok(const char *s)
{
	int	i, sum, c, v;
	char	want;

	sum = 0;
	for (i = 0; i < 8; i++) {
		if ((v = orgcode_value(s[i])) < 0)
			return (0);
		sum += v * org_weights[i];
	}
	c = 11 - sum % 11;
	if (c == 10)
		want = 'X';
	else if (c == 11)
		want = '0';
	else
		want = (char)('0' + c);
	return (s[8] == want);
}

enum validate_result
validate_uscc(const char *s, size_t len, int *warnings)
{
	enum validate_result	r;
	int			i, sum, v;

	if (len != 18)
		return (len == 0 ? VALIDATE_EMPTY : len > 18 ?
		    VALIDATE_TOO_LONG : VALIDATE_FORMAT);
	if ((r = validate_basic(s, len, 18)) != VALIDATE_OK)
		return (r);
	sum = 0;
	for (i = 0; i < 18; i++) {
		if ((v = uscc_value(s[i])) < 0)
			return (VALIDATE_FORMAT);
		if (i >= 2 && i <= 7 && !is_digit(s[i]))
			return (VALIDATE_FORMAT);
		if (i < 17)
			sum += v * uscc_weights[i];
	}
	if (s[17] != uscc_alphabet[(31 - sum % 31) % 31])
		return (VALIDATE_CHECKSUM);
	if (warnings != NULL && !orgcode_ok(s + 8))
		*warnings |= VALIDATE_WARN_ORGCODE;
	return (VALIDATE_OK);
}

static int
date_ok(int y, int m, int d)
{
	static const int	mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
				    31, 30, 31 };
	int			max;

	if (m < 1 || m > 12 || d < 1)
		return (0);
	max = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	return (d <= max);
}

static int
num(const char *s, size_t n)
{
	size_t	i;
	int	v;

	v = 0;
	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return (v);
}

enum validate_result
validate_resident_id(const char *s, size_t len, int today)
{
	enum validate_result	r;
	int			i, sum, y, m, d;

	if (len != 18)
		return (len == 0 ? VALIDATE_EMPTY : len > 18 ?
		    VALIDATE_TOO_LONG : VALIDATE_FORMAT);
	if ((r = validate_basic(s, len, 18)) != VALIDATE_OK)
		return (r);
	if (!all_digits(s, 17) || (!is_digit(s[17]) && s[17] != 'X') ||
	    s[0] == '0')
		return (VALIDATE_FORMAT);
	y = num(s + 6, 4);
	m = num(s + 10, 2);
	d = num(s + 12, 2);
	if (y < 1900 || !date_ok(y, m, d) || y * 10000 + m * 100 + d > today)
		return (VALIDATE_DATE);
	sum = 0;
	for (i = 0; i < 17; i++)
		sum += (s[i] - '0') * rid_weights[i];
	if (s[17] != rid_checks[sum % 11])
		return (VALIDATE_CHECKSUM);
	return (VALIDATE_OK);
}

/* Consumes a province abbreviation; returns its byte length or 0. */
static size_t
province(const char *s, size_t len)
{
	size_t	i, n;

	for (i = 0; provinces[i] != NULL; i++) {
		n = strlen(provinces[i]);
		if (len >= n && memcmp(s, provinces[i], n) == 0)
			return (n);
	}
	return (0);
}

static size_t
digits_run(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len && is_digit(s[i]); i++)
		;
	return (i);
}

static int
literal(const char **s, size_t *len, const char *lit)
{
	size_t	n;

	n = strlen(lit);
	if (*len < n || memcmp(*s, lit, n) != 0)
		return (0);
	*s += n;
	*len -= n;
	return (1);
}

/* "-<n>", n = 1..4 digits without a leading zero. */
static int
serial_suffix(const char **s, size_t *len)
{
	size_t	n;

	if (!literal(s, len, "-"))
		return (0);
	n = digits_run(*s, *len);
	if (n < 1 || n > 4 || (*s)[0] == '0')
		return (0);
	*s += n;
	*len -= n;
	return (1);
}

enum validate_result
validate_icp_filing(const char *s, size_t len)
{
	enum validate_result	r;
	size_t			n;

	if ((r = validate_basic(s, len, VALIDATE_ICP_MAX)) != VALIDATE_OK)
		return (r);
	if ((n = province(s, len)) == 0)
		return (VALIDATE_FORMAT);
	s += n;
	len -= n;
	if (!literal(&s, &len, "ICP备"))
		return (VALIDATE_FORMAT);
	n = digits_run(s, len);
	if (n < 6 || n > 10)
		return (VALIDATE_FORMAT);
	s += n;
	len -= n;
	if (!literal(&s, &len, "号"))
		return (VALIDATE_FORMAT);
	if (len == 0)
		return (VALIDATE_OK);
	if (!serial_suffix(&s, &len))
		return (VALIDATE_FORMAT);
	if (len == 1 && (*s == 'A' || *s == 'X'))
		len = 0;
	return (len == 0 ? VALIDATE_OK : VALIDATE_FORMAT);
}

enum validate_result
validate_icp_licence(const char *s, size_t len)
{
	enum validate_result	r;
	size_t			n;

	if ((r = validate_basic(s, len, VALIDATE_ICP_MAX)) != VALIDATE_OK)
		return (r);
	if ((n = province(s, len)) == 0)
		return (VALIDATE_FORMAT);
	s += n;
	len -= n;
	if (literal(&s, &len, "ICP证")) {
		if (digits_run(s, len) != 6)
			return (VALIDATE_FORMAT);
		s += 6;
		len -= 6;
		return (literal(&s, &len, "号") && len == 0 ?
		    VALIDATE_OK : VALIDATE_FORMAT);
	}
	if (!literal(&s, &len, "B2-") || digits_run(s, len) != 8)
		return (VALIDATE_FORMAT);
	s += 8;
	len -= 8;
	if (len == 0)
		return (VALIDATE_OK);
	return (serial_suffix(&s, &len) && len == 0 ?
	    VALIDATE_OK : VALIDATE_FORMAT);
}

enum validate_result
validate_icp(const char *s, size_t len)
{
	enum validate_result	r;

	if ((r = validate_icp_filing(s, len)) != VALIDATE_FORMAT)
		return (r);
	return (validate_icp_licence(s, len));
}

enum validate_result
validate_mobile(const char *s, size_t len)
{
	enum validate_result	r;

	if ((r = validate_basic(s, len, VALIDATE_MOBILE_MAX)) != VALIDATE_OK)
		return (r);
	if (!literal(&s, &len, "+86"))
		(void)literal(&s, &len, "86");
	if (len != 11 || !all_digits(s, 11) || s[0] != '1' ||
	    s[1] < '3' || s[1] > '9')
		return (VALIDATE_FORMAT);
	return (VALIDATE_OK);
}

enum validate_result
validate_mlps_number(const char *s, size_t len)
{
	enum validate_result	r;

	if ((r = validate_basic(s, len, 17)) != VALIDATE_OK)
		return (r);
	if (len != 17 || !all_digits(s, 11) || s[11] != '-' ||
	    !all_digits(s + 12, 5))
		return (VALIDATE_FORMAT);
	return (VALIDATE_OK);
}

static int
label_char(unsigned char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    is_digit((char)c) || c == '-' || c >= 0x80);
}

/*
 * A DNS name: dot-separated labels of 1..63 bytes (letters, digits,
 * hyphens, or UTF-8 for internationalised names), no hyphen at either
 * end of a label, at least two labels, 253 bytes at most.
 */
static int
dns_name(const char *s, size_t len, int trailing_dot, size_t *lastlabel)
{
	size_t	i, start, labels;

	if (trailing_dot && len > 1 && s[len - 1] == '.')
		len--;
	if (len == 0 || len > 253)
		return (0);
	labels = 0;
	start = 0;
	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '.') {
			if (!label_char((unsigned char)s[i]))
				return (0);
			continue;
		}
		if (i == start || i - start > 63 || s[start] == '-' ||
		    s[i - 1] == '-')
			return (0);
		if (lastlabel != NULL)
			*lastlabel = i - start;
		labels++;
		start = i + 1;
	}
	return (labels >= 2);
}

static int
ipv4(const char *s, size_t len)
{
	size_t	i, n;
	int	parts, v;

	parts = 0;
	i = 0;
	while (i < len) {
		n = digits_run(s + i, len - i);
		if (n < 1 || n > 3)
			return (0);
		v = num(s + i, n);
		if (v > 255)
			return (0);
		parts++;
		i += n;
		if (i < len) {
			if (s[i] != '.' || i + 1 == len)
				return (0);
			i++;
		}
	}
	return (parts == 4);
}

static int
looks_numeric(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (!is_digit(s[i]) && s[i] != '.')
			return (0);
	}
	return (1);
}

static int
host_port(const char *s, size_t len)
{
	const char	*colon, *end;
	size_t		hlen, plen, i;
	int		port;

	if (len > 0 && s[0] == '[') {
		if ((end = memchr(s, ']', len)) == NULL || end - s < 3)
			return (0);
		for (i = 1; s + i < end; i++) {
			if (!is_digit(s[i]) && !(s[i] >= 'a' && s[i] <= 'f') &&
			    !(s[i] >= 'A' && s[i] <= 'F') && s[i] != ':' &&
			    s[i] != '.')
				return (0);
		}
		hlen = (size_t)(end - s) + 1;
		colon = hlen < len ? s + hlen : NULL;
		if (colon != NULL && *colon != ':')
			return (0);
	} else {
		colon = memchr(s, ':', len);
		hlen = colon != NULL ? (size_t)(colon - s) : len;
		if (hlen == 0)
			return (0);
		if (looks_numeric(s, hlen)) {
			if (!ipv4(s, hlen))
				return (0);
		} else if (!dns_name(s, hlen, 1, NULL)) {
			return (0);
		}
	}
	if (colon == NULL)
		return (1);
	plen = len - (size_t)(colon - s) - 1;
	if (plen < 1 || plen > 5 || !all_digits(colon + 1, plen))
		return (0);
	port = num(colon + 1, plen);
	return (port >= 1 && port <= 65535);
}

enum validate_result
validate_url(const char *s, size_t len)
{
	enum validate_result	r;
	size_t			i, alen;

	if ((r = validate_basic(s, len, VALIDATE_URL_MAX)) != VALIDATE_OK)
		return (r);
	if ((r = line_chars(s, len)) != VALIDATE_OK)
		return (r);
	if (memchr(s, ' ', len) != NULL)
		return (VALIDATE_FORMAT);
	if (len > 7 && strncasecmp(s, "http://", 7) == 0)
		i = 7;
	else if (len > 8 && strncasecmp(s, "https://", 8) == 0)
		i = 8;
	else
		return (VALIDATE_FORMAT);
	for (alen = 0; i + alen < len && s[i + alen] != '/' &&
	    s[i + alen] != '?' && s[i + alen] != '#'; alen++) {
		/* userinfo ("user@host") is how phishing links hide a host */
		if (s[i + alen] == '@')
			return (VALIDATE_FORMAT);
	}
	if (!host_port(s + i, alen))
		return (VALIDATE_FORMAT);
	return (VALIDATE_OK);
}

static int
local_char(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    is_digit(c) || (c != '\0' && strchr("!#$%&'*+/=?^_`{|}~.-", c)));
}

enum validate_result
validate_email(const char *s, size_t len)
{
	enum validate_result	r;
	const char		*at;
	size_t			i, llen, last;

	if ((r = validate_basic(s, len, VALIDATE_EMAIL_MAX)) != VALIDATE_OK)
		return (r);
	if ((r = line_chars(s, len)) != VALIDATE_OK)
		return (r);
	if ((at = memchr(s, '@', len)) == NULL ||
	    memchr(at + 1, '@', len - (size_t)(at - s) - 1) != NULL)
		return (VALIDATE_FORMAT);
	llen = (size_t)(at - s);
	if (llen < 1 || llen > 64 || s[0] == '.' || s[llen - 1] == '.')
		return (VALIDATE_FORMAT);
	for (i = 0; i < llen; i++) {
		if (!local_char(s[i]) || (s[i] == '.' && s[i + 1] == '.'))
			return (VALIDATE_FORMAT);
	}
	last = 0;
	if (!dns_name(at + 1, len - llen - 1, 0, &last) || last < 2)
		return (VALIDATE_FORMAT);
	return (VALIDATE_OK);
}
