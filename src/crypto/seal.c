/*
 * Sealing personal data at rest: AES-256-GCM under the data key, each
 * value carrying the key's id, and keys derived from the data key for
 * other uses (device cookies, throttle keys).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "crypto/crypto.h"
#include "crypto/seal.h"

#define SEAL_NONCE	12
#define SEAL_TAG	16
#define SEAL_MAX_PLAIN	(4 * 1024 * 1024)

static unsigned char	seal_key[SEAL_KEY_LEN];
static char		seal_kid[SEAL_KID_LEN + 1];
static int		seal_ready;

/* Loads the data key, creating it (mode 0600) on first run. */
int
seal_init(const char *path, char *err, size_t errlen)
{
	uint8_t		h[CRYPTO_SHA256_LEN];

	if (!keyfile_load(path, seal_key, sizeof(seal_key), err, errlen))
		return (0);
	crypto_sha256(seal_key, sizeof(seal_key), h);
	crypto_hex(h, SEAL_KID_LEN / 2, seal_kid);
	seal_ready = 1;
	return (1);
}

const char *
seal_key_id(void)
{
	return (seal_kid);
}

/*
 * A key for another purpose (device cookies, keyed throttle hashes):
 * HMAC-SHA-256 of the label under the data key, so no second key file
 * has to be kept, and no derived key reveals the data key or another
 * label's key.
 */
int
seal_derive(const char *label, uint8_t out[SEAL_KEY_LEN])
{
	if (!seal_ready)
		return (0);
	return (crypto_hmac_sha256(seal_key, sizeof(seal_key), label,
	    strlen(label), out));
}

int
seal_is_sealed(const char *s)
{
	return (s != NULL && strncmp(s, "v1:", 3) == 0);
}

char *
seal(const char *plain, size_t len)
{
	EVP_CIPHER_CTX	*ctx;
	unsigned char	*buf;
	char		*out;
	size_t		blen, olen;
	int		n, ok;

	if (!seal_ready || len > SEAL_MAX_PLAIN)
		return (NULL);
	blen = SEAL_NONCE + len + SEAL_TAG;
	if ((buf = malloc(blen)) == NULL)
		return (NULL);
	olen = 3 + SEAL_KID_LEN + 1 + (blen * 4 + 2) / 3 + 1;
	if ((out = malloc(olen)) == NULL) {
		free(buf);
		return (NULL);
	}
	ok = crypto_random(buf, SEAL_NONCE) &&
	    (ctx = EVP_CIPHER_CTX_new()) != NULL;
	if (ok) {
		ok = EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL,
		    seal_key, buf) == 1 &&
		    EVP_EncryptUpdate(ctx, buf + SEAL_NONCE, &n,
		    (const unsigned char *)plain, (int)len) == 1 &&
		    EVP_EncryptFinal_ex(ctx, buf + SEAL_NONCE + n, &n) == 1 &&
		    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, SEAL_TAG,
		    buf + SEAL_NONCE + len) == 1;
		EVP_CIPHER_CTX_free(ctx);
	}
	if (!ok) {
		free(buf);
		free(out);
		return (NULL);
	}
	(void)snprintf(out, olen, "v1:%s:", seal_kid);
	(void)crypto_b64url(buf, blen, out + 4 + SEAL_KID_LEN,
	    olen - 4 - SEAL_KID_LEN);
	free(buf);
	return (out);
}

/*
 * Returns a NUL-terminated plaintext, or NULL (wrong key, tampered).
 * The plaintext ends at its first zero byte for a caller of text; binary
 * content (evidence) needs unseal_len.
 */
char *
unseal(const char *s)
{
	return ((char *)unseal_len(s, NULL));
}

/*
 * The plaintext and its length (*lenp, if not NULL), binary or not; one
 * zero byte follows it.  NULL when the value is not ours or tampered.
 */
unsigned char *
unseal_len(const char *s, size_t *lenp)
{
	EVP_CIPHER_CTX	*ctx;
	unsigned char	*buf;
	char		*plain;
	const char	*b64;
	size_t		b64len, blen, len;
	int		n, ok;

	if (!seal_ready || !seal_is_sealed(s) || strlen(s) < 4 + SEAL_KID_LEN ||
	    strncmp(s + 3, seal_kid, SEAL_KID_LEN) || s[3 + SEAL_KID_LEN] != ':')
		return (NULL);
	b64 = s + 4 + SEAL_KID_LEN;
	b64len = strlen(b64);
	blen = b64len * 3 / 4;
	if (blen < SEAL_NONCE + SEAL_TAG || blen > SEAL_MAX_PLAIN + 64)
		return (NULL);
	if ((buf = malloc(blen)) == NULL)
		return (NULL);
	if (!crypto_unb64url(b64, b64len, buf, blen)) {
		free(buf);
		return (NULL);
	}
	len = blen - SEAL_NONCE - SEAL_TAG;
	if ((plain = malloc(len + 1)) == NULL) {
		free(buf);
		return (NULL);
	}
	ok = (ctx = EVP_CIPHER_CTX_new()) != NULL;
	if (ok) {
		ok = EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL,
		    seal_key, buf) == 1 &&
		    EVP_DecryptUpdate(ctx, (unsigned char *)plain, &n,
		    buf + SEAL_NONCE, (int)len) == 1 &&
		    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, SEAL_TAG,
		    buf + SEAL_NONCE + len) == 1 &&
		    EVP_DecryptFinal_ex(ctx, (unsigned char *)plain + n, &n) == 1;
		EVP_CIPHER_CTX_free(ctx);
	}
	free(buf);
	if (!ok) {
		free(plain);
		return (NULL);
	}
	plain[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return ((unsigned char *)plain);
}
