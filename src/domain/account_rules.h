#ifndef VCP_ACCOUNT_RULES_H
#define VCP_ACCOUNT_RULES_H

#include <stddef.h>

#define ACCOUNT_LOGIN_MIN	3
#define ACCOUNT_LOGIN_MAX	64
#define ACCOUNT_PASSWORD_MIN	10
#define ACCOUNT_PASSWORD_MAX	128
#define ACCOUNT_NAME_MAX	64

enum account_check {
	ACCOUNT_OK = 0,
	ACCOUNT_LOGIN_LENGTH,
	ACCOUNT_LOGIN_CHARS,
	ACCOUNT_PASSWORD_LENGTH,
	ACCOUNT_PASSWORD_WEAK,
	ACCOUNT_PASSWORD_IS_LOGIN
};

enum account_check	account_login_check(const char *, size_t);
void			account_login_fold(char *);
enum account_check	account_password_check(const char *, size_t,
			    const char *);
const char		*account_check_code(enum account_check);
const char		*account_check_message(enum account_check);

#endif
