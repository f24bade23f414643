#include <stdint.h>

#include "domain/validate.h"

const char *
validate_code(enum validate_result r)
{
	switch (r) {
	case VALIDATE_OK: return ("ok");
	case VALIDATE_EMPTY: return ("empty");
	case VALIDATE_TOO_LONG: return ("too_long");
	case VALIDATE_BAD_UTF8: return ("bad_utf8");
	case VALIDATE_CONTROL: return ("control_char");
	case VALIDATE_FORMAT: return ("format");
	case VALIDATE_CHECKSUM: return ("checksum");
	case VALIDATE_DATE: return ("date");
	}
	return ("invalid");
}

const char *
validate_message(enum validate_result r)
{
	switch (r) {
	case VALIDATE_OK: return ("");
	case VALIDATE_EMPTY: return ("此项为必填项");
	case VALIDATE_TOO_LONG: return ("内容过长");
	case VALIDATE_BAD_UTF8: return ("含有无效的 UTF-8 字符");
	case VALIDATE_CONTROL: return ("含有控制字符");
	case VALIDATE_FORMAT: return ("格式不正确");
	case VALIDATE_CHECKSUM: return ("校验位不正确");
	case VALIDATE_DATE: return ("日期无效");
	}
	return ("无效");
}

int
validate_utf8(const char *s, size_t len, size_t *n)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			i, cps, k, need;
	uint32_t		cp;

	cps = 0;
	for (i = 0; i < len; cps++) {
		if (u[i] < 0x80) { i++; continue; }
		if (u[i] >= 0xc2 && u[i] <= 0xdf) { need = 1; cp = u[i] & 0x1f; }
		else if (u[i] >= 0xe0 && u[i] <= 0xef) { need = 2; cp = u[i] & 0x0f; }
		else if (u[i] >= 0xf0 && u[i] <= 0xf4) { need = 3; cp = u[i] & 0x07; }
		else return (0);
		if (i + need >= len + 0 && i + need > len - 1) return (0);
		for (k = 1; k <= need; k++) {
			if ((u[i + k] & 0xc0) != 0x80) return (0);
			cp = cp << 6 | (u[i + k] & 0x3f);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return (0);
		i += need + 1;
	}
	if (n != NULL) *n = cps;
	return (1);
}

enum validate_result
validate_text(const char *s, size_t len, size_t max, int multiline)
{
	size_t	i, n;
	int	blank;

	if (len == 0) return (VALIDATE_EMPTY);
	if (len > max * 4) return (VALIDATE_TOO_LONG);
	if (!validate_utf8(s, len, &n)) return (VALIDATE_BAD_UTF8);
	if (n > max) return (VALIDATE_TOO_LONG);
	blank = 1;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f) {
			if (!(multiline && (c == '\n' || c == '\r' || c == '\t')))
				return (VALIDATE_CONTROL);
		} else if (c != ' ') blank = 0;
	}
	return (blank ? VALIDATE_EMPTY : VALIDATE_OK);
}
