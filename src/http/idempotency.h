#ifndef VCP_IDEMPOTENCY_H
#define VCP_IDEMPOTENCY_H

#include <stdint.h>

struct db;

#define IDEM_KEY_MAX	128

int	idem_claim(struct db *, int64_t, const char *, const char *, int *,
	    char **, int *);
int	idem_finish(struct db *, int64_t, const char *, int, const char *);

#endif
