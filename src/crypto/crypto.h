#ifndef VCP_CRYPTO_H
#define VCP_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define CRYPTO_SHA256_LEN	32
#define CRYPTO_TOKEN_LEN	32
/* base64url without padding of CRYPTO_TOKEN_LEN bytes, plus NUL */
#define CRYPTO_TOKEN_B64	44

int	crypto_random(void *, size_t);
void	crypto_sha256(const void *, size_t, uint8_t[CRYPTO_SHA256_LEN]);
void	crypto_hex(const uint8_t *, size_t, char *);
int	crypto_unhex(const char *, size_t, uint8_t *, size_t);
size_t	crypto_b64url(const uint8_t *, size_t, char *, size_t);
int	crypto_unb64url(const char *, size_t, uint8_t *, size_t);
int	crypto_equal(const void *, const void *, size_t);
int	crypto_hmac_sha256(const void *, size_t, const void *, size_t,
	    uint8_t[CRYPTO_SHA256_LEN]);
int	crypto_uuid4(char[37]);

/* keyfile.c: secrets kept in files of their own, mode 0600 */
int	keyfile_load(const char *, uint8_t *, size_t, char *, size_t);

int	password_hash(const char *, size_t, int, int, char *, size_t);
int	password_verify(const char *, const char *, size_t);
int	password_hash_raw(const void *, size_t, const uint8_t *, size_t, int,
	    int, uint8_t[32]);

#endif
