/*
 * The parts of a tip-off that need no database: the proof of work, the
 * categories, the reference number and the receipt code, the date
 * check and the canonical form whose digest the acknowledgement names.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "crypto/crypto.h"
#include "crypto/seal.h"
#include "tipoff/tipoff.h"

#define TIPOFF_PEPPER_LABEL	"vcp tipoff receipt pepper v1"
#define TIPOFF_SALT_LABEL	"vcp tipoff receipt salt v1"

/*
 * Stable codes of the categories of the issue: an unfiled platform
 * collecting vulnerabilities (Art. 2, 8), the filing number not shown
 * on the homepage (Art. 5 para. 3), filed information untrue or not
 * updated (Art. 4, 6), still collecting after deregistration (Art. 7),
 * illegal collection, sale or publication of vulnerability information
 * (2021 regulation Art. 4), other.
 */
const char *const	tipoff_categories[] = {
	"unfiled_platform",
	"number_not_shown",
	"untrue_information",
	"after_deregistration",
	"illegal_handling",
	"other",
	NULL
};

/*
 * Leading zero bits of SHA-256(salt || nonce), the salt's 16 bytes
 * followed by the nonce as 8 bytes, most significant first.
 */
int
tipoff_pow_bits(const uint8_t *salt, uint64_t nonce)
{
	uint8_t		buf[TIPOFF_SALT_LEN + 8], h[CRYPTO_SHA256_LEN];
	int		i, bits;
	uint8_t		b;

	memcpy(buf, salt, TIPOFF_SALT_LEN);
	for (i = 0; i < 8; i++)
		buf[TIPOFF_SALT_LEN + i] = (uint8_t)(nonce >> (56 - 8 * i));
	crypto_sha256(buf, sizeof(buf), h);
	bits = 0;
	for (i = 0; i < CRYPTO_SHA256_LEN; i++) {
		if (h[i] == 0) {
			bits += 8;
			continue;
		}
		for (b = h[i]; !(b & 0x80); b <<= 1)
			bits++;
		break;
	}
	return (bits);
}

int
tipoff_pow_ok(const uint8_t *salt, uint64_t nonce, int difficulty)
{
	if (nonce > (uint64_t)TIPOFF_NONCE_MAX)
		return (0);
	return (tipoff_pow_bits(salt, nonce) >= difficulty);
}

int
tipoff_category_valid(const char *s)
{
	size_t	i;

	for (i = 0; tipoff_categories[i] != NULL; i++) {
		if (strcmp(s, tipoff_categories[i]) == 0)
			return (1);
	}
	return (0);
}

/* Crockford's base32: no I, L, O or U to misread. */
static const char	tipoff_b32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/*
 * "TO-<year>-" and TIPOFF_REF_RANDOM base32 characters from rnd (at
 * least TIPOFF_REF_RANDOM bytes; 5 bits of each are used): random, so
 * a reference tells nothing of how many came before it.
 */
int
tipoff_reference_format(int year, const uint8_t *rnd, char *out, size_t len)
{
	char	tail[TIPOFF_REF_RANDOM + 1];
	int	i, n;

	if (year < 2000 || year > 9999)
		return (0);
	for (i = 0; i < TIPOFF_REF_RANDOM; i++)
		tail[i] = tipoff_b32[rnd[i] & 31];
	tail[TIPOFF_REF_RANDOM] = '\0';
	n = snprintf(out, len, "TO-%d-%s", year, tail);
	return (n > 0 && (size_t)n < len);
}

int
tipoff_reference_valid(const char *s)
{
	size_t	i;

	if (strlen(s) != 8 + TIPOFF_REF_RANDOM || strncmp(s, "TO-", 3) != 0 ||
	    s[7] != '-')
		return (0);
	for (i = 3; i < 7; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (0);
	}
	for (i = 8; s[i] != '\0'; i++) {
		if (strchr(tipoff_b32, s[i]) == NULL)
			return (0);
	}
	return (1);
}

/* 16 decimal digits, each uniform (bytes of 250 and above are redrawn). */
int
tipoff_code_make(char out[TIPOFF_CODE_LEN + 1])
{
	uint8_t	buf[32];
	size_t	i, n;

	n = 0;
	while (n < TIPOFF_CODE_LEN) {
		if (!crypto_random(buf, sizeof(buf)))
			return (0);
		for (i = 0; i < sizeof(buf) && n < TIPOFF_CODE_LEN; i++) {
			if (buf[i] < 250)
				out[n++] = (char)('0' + buf[i] % 10);
		}
		explicit_bzero(buf, sizeof(buf));
	}
	out[TIPOFF_CODE_LEN] = '\0';
	return (1);
}

int
tipoff_code_valid(const char *s, size_t len)
{
	size_t	i;

	if (len != TIPOFF_CODE_LEN)
		return (0);
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (0);
	}
	return (1);
}

/*
 * The stored form of a receipt code: Argon2id over HMAC(pepper, code),
 * with a fixed salt, both derived from the data key.  Deterministic, so
 * the row is found by it; slow and keyed, so a dump of the database
 * alone gives no code, and 10^16 codes cannot be tried without the key.
 */
int
tipoff_code_hash(const char *code, size_t len, int t_cost, int m_cost,
    uint8_t out[CRYPTO_SHA256_LEN])
{
	uint8_t	pepper[SEAL_KEY_LEN], salt[SEAL_KEY_LEN];
	uint8_t	mac[CRYPTO_SHA256_LEN];
	int	ok;

	ok = seal_derive(TIPOFF_PEPPER_LABEL, pepper) &&
	    seal_derive(TIPOFF_SALT_LABEL, salt) &&
	    crypto_hmac_sha256(pepper, sizeof(pepper), code, len, mac) &&
	    password_hash_raw(mac, sizeof(mac), salt, TIPOFF_SALT_LEN,
	    t_cost, m_cost, out);
	explicit_bzero(pepper, sizeof(pepper));
	explicit_bzero(mac, sizeof(mac));
	return (ok);
}

/* YYYY-MM-DD, a real day, not after today (YYYY-MM-DD, UTC). */
int
tipoff_date_valid(const char *s, size_t len, const char *today)
{
	static const int	mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31,
				    30, 31, 30, 31 };
	int			y, m, d, max;
	size_t			i;

	if (len != 10 || s[4] != '-' || s[7] != '-')
		return (0);
	for (i = 0; i < len; i++) {
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return (0);
	}
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1990 || m < 1 || m > 12)
		return (0);
	max = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	if (d < 1 || d > max)
		return (0);
	return (strncmp(s, today, 10) <= 0);
}

/*
 * The canonical JSON of a submission: keys sorted, no whitespace, UTF-8
 * as it came (no \u escapes but for control characters).  Python writes
 * the same with json.dumps(o, sort_keys=True, separators=(",", ":"),
 * ensure_ascii=False).
 */
char *
tipoff_canonical(const json_t *o)
{
	return (json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS));
}
