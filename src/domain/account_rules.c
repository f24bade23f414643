/*
 * Rules for login names and passwords.  Logins are ASCII so that two
 * accounts cannot differ only by look-alike characters; passwords follow
 * the MLPS expectation of complexity: length plus three character classes.
 */

#include <ctype.h>
#include <string.h>

#include "domain/account_rules.h"
#include "domain/validate.h"

enum account_check
account_login_check(const char *s, size_t len)
{
	size_t	i;

	if (len < ACCOUNT_LOGIN_MIN || len > ACCOUNT_LOGIN_MAX)
		return (ACCOUNT_LOGIN_LENGTH);
	for (i = 0; i < len; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '.' &&
		    s[i] != '_' && s[i] != '-' && s[i] != '@')
			return (ACCOUNT_LOGIN_CHARS);
	}
	if (!isalnum((unsigned char)s[0]))
		return (ACCOUNT_LOGIN_CHARS);
	return (ACCOUNT_OK);
}

/* Logins compare case-insensitively: store and look up the folded form. */
void
account_login_fold(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
}

enum account_check
account_password_check(const char *pw, size_t len, const char *login)
{
	size_t	i, chars;
	int	lower, upper, digit, other, classes;

	if (!validate_utf8(pw, len, &chars))
		return (ACCOUNT_PASSWORD_WEAK);
	if (chars < ACCOUNT_PASSWORD_MIN || chars > ACCOUNT_PASSWORD_MAX)
		return (ACCOUNT_PASSWORD_LENGTH);

	lower = upper = digit = other = 0;
	for (i = 0; i < len; i++) {
		if ((unsigned char)pw[i] < 0x20 || pw[i] == 0x7f)
			return (ACCOUNT_PASSWORD_WEAK);
		if (islower((unsigned char)pw[i]))
			lower = 1;
		else if (isupper((unsigned char)pw[i]))
			upper = 1;
		else if (isdigit((unsigned char)pw[i]))
			digit = 1;
		else
			other = 1;
	}
	classes = lower + upper + digit + other;
	if (classes < 3)
		return (ACCOUNT_PASSWORD_WEAK);
	if (login != NULL && strlen(login) == len &&
	    strncasecmp(pw, login, len) == 0)
		return (ACCOUNT_PASSWORD_IS_LOGIN);
	return (ACCOUNT_OK);
}

const char *
account_check_code(enum account_check c)
{
	switch (c) {
	case ACCOUNT_OK:
		return ("ok");
	case ACCOUNT_LOGIN_LENGTH:
		return ("length");
	case ACCOUNT_LOGIN_CHARS:
		return ("format");
	case ACCOUNT_PASSWORD_LENGTH:
		return ("length");
	case ACCOUNT_PASSWORD_WEAK:
		return ("weak");
	case ACCOUNT_PASSWORD_IS_LOGIN:
		return ("same_as_login");
	}
	return ("invalid");
}

const char *
account_check_message(enum account_check c)
{
	switch (c) {
	case ACCOUNT_OK:
		return ("");
	case ACCOUNT_LOGIN_LENGTH:
		return ("登录名长度须为3至64个字符");
	case ACCOUNT_LOGIN_CHARS:
		return ("登录名只能包含字母、数字及 . _ - @，"
		    "且以字母或数字开头");
	case ACCOUNT_PASSWORD_LENGTH:
		return ("密码长度须为10至128个字符");
	case ACCOUNT_PASSWORD_WEAK:
		return ("密码须包含大写字母、小写字母、数字、"
		    "符号中的至少三类");
	case ACCOUNT_PASSWORD_IS_LOGIN:
		return ("密码不能与登录名相同");
	}
	return ("无效");
}
