#ifndef VCP_RATELIMIT_H
#define VCP_RATELIMIT_H

#include <stdint.h>

#include "crypto/crypto.h"

/*
 * A sliding-window limit on anything countable: failed logins per login,
 * per address or per device cookie, registrations per address, and the
 * next capabilities' submissions and guesses.  Kept in the database, so
 * every worker and every app host enforce one limit.  Keys are stored
 * only as keyed hashes: the table holds no login, address or cookie.
 * Windows are at most a day.
 */
struct ratelimit_key {
	uint8_t		hash[CRYPTO_SHA256_LEN];
};

struct db;

int	ratelimit_key(const char *, const char *, struct ratelimit_key *);
int	ratelimit_check(struct db *, const struct ratelimit_key *, int, int,
	    int *);
int	ratelimit_hit(struct db *, const struct ratelimit_key *);
int	ratelimit_clear(struct db *, const struct ratelimit_key *);

#endif
