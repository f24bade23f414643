#ifndef VCP_VALIDATE_H
#define VCP_VALIDATE_H

#include <stddef.h>

/*
 * Identifier checks of the filing form (SPEC §2).  Every function takes a
 * byte string with its length (no NUL needed, NULs are rejected), checks
 * the length bound first, then UTF-8, then the shape and check digits.
 * Free text and the identifiers that admit more than ASCII letters and
 * digits (URLs, e-mail addresses) also refuse every character XML 1.0
 * cannot carry; the others' shapes leave no room for one.
 */

enum validate_result {
	VALIDATE_OK = 0,
	VALIDATE_EMPTY,		/* required value empty */
	VALIDATE_TOO_LONG,	/* longer than the field's bound */
	VALIDATE_BAD_UTF8,	/* not valid UTF-8 */
	VALIDATE_CONTROL,	/* control characters */
	VALIDATE_CHAR,		/* a character XML 1.0 cannot carry */
	VALIDATE_FORMAT,	/* wrong shape */
	VALIDATE_CHECKSUM,	/* shape right, check character wrong */
	VALIDATE_DATE		/* embedded date impossible or in the future */
};

/* USCC: the GB 11714 organisation-code check failed (a warning only). */
#define VALIDATE_WARN_ORGCODE	0x01

#define VALIDATE_ICP_MAX	64
#define VALIDATE_MOBILE_MAX	16
#define VALIDATE_EMAIL_MAX	254
#define VALIDATE_URL_MAX	2048

const char	*validate_code(enum validate_result);
const char	*validate_message(enum validate_result);

int		validate_utf8(const char *, size_t, size_t *);
int		validate_xml_chars(const char *, size_t);
size_t		validate_utf8_prefix(const char *, size_t, size_t);
enum validate_result validate_text(const char *, size_t, size_t, int);

enum validate_result validate_uscc(const char *, size_t, int *);
enum validate_result validate_resident_id(const char *, size_t, int);
enum validate_result validate_icp_filing(const char *, size_t);
enum validate_result validate_icp_licence(const char *, size_t);
enum validate_result validate_icp(const char *, size_t);
enum validate_result validate_mobile(const char *, size_t);
enum validate_result validate_email(const char *, size_t);
enum validate_result validate_url(const char *, size_t);
enum validate_result validate_mlps_number(const char *, size_t);

#endif
