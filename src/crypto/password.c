/*
 * Argon2id through libargon2.  The encoded form carries its own salt and
 * cost parameters, so raising the cost later needs no migration: old
 * hashes still verify with the parameters they were made with.
 */

#include <string.h>

#include <argon2.h>

#include "crypto/crypto.h"

#define PASSWORD_SALT_LEN	16
#define PASSWORD_HASH_LEN	32

int
password_hash(const char *pw, size_t len, int t_cost, int m_cost,
    char *out, size_t outlen)
{
	uint8_t		salt[PASSWORD_SALT_LEN];
	int		r;

	if (!crypto_random(salt, sizeof(salt)))
		return (0);
	r = argon2id_hash_encoded((uint32_t)t_cost, (uint32_t)m_cost, 1,
	    pw, len, salt, sizeof(salt), PASSWORD_HASH_LEN, out, outlen);
	return (r == ARGON2_OK);
}

int
password_verify(const char *encoded, const char *pw, size_t len)
{
	return (argon2id_verify(encoded, pw, len) == ARGON2_OK);
}

/*
 * Argon2id with the caller's salt, raw: the same input always gives the
 * same 32 bytes, so the result can be looked up (receipt codes).
 */
int
password_hash_raw(const void *pw, size_t len, const uint8_t *salt,
    size_t saltlen, int t_cost, int m_cost, uint8_t out[PASSWORD_HASH_LEN])
{
	return (argon2id_hash_raw((uint32_t)t_cost, (uint32_t)m_cost, 1,
	    pw, len, salt, saltlen, out, PASSWORD_HASH_LEN) == ARGON2_OK);
}
