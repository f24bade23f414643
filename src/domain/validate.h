#ifndef VCP_VALIDATE_H
#define VCP_VALIDATE_H

#include <stddef.h>

enum validate_result {
	VALIDATE_OK = 0,
	VALIDATE_EMPTY,
	VALIDATE_TOO_LONG,
	VALIDATE_BAD_UTF8,
	VALIDATE_CONTROL,
	VALIDATE_FORMAT,
	VALIDATE_CHECKSUM,
	VALIDATE_DATE
};

const char	*validate_code(enum validate_result);
const char	*validate_message(enum validate_result);
int		validate_utf8(const char *, size_t, size_t *);
enum validate_result validate_text(const char *, size_t, size_t, int);

#endif
