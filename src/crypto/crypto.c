/*
 * Small cryptographic tools over OpenSSL: randomness, SHA-256 and
 * HMAC-SHA-256, hex and base64url, constant-time comparison, UUIDs.
 */

#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "crypto/crypto.h"

static const char	b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int
crypto_random(void *buf, size_t len)
{
	return (RAND_bytes(buf, (int)len) == 1);
}

void
crypto_sha256(const void *p, size_t len, uint8_t out[CRYPTO_SHA256_LEN])
{
	unsigned int	n;

	n = CRYPTO_SHA256_LEN;
	(void)EVP_Digest(p, len, out, &n, EVP_sha256(), NULL);
}

void
crypto_hex(const uint8_t *p, size_t len, char *out)
{
	static const char	hex[] = "0123456789abcdef";
	size_t			i;

	for (i = 0; i < len; i++) {
		out[i * 2] = hex[p[i] >> 4];
		out[i * 2 + 1] = hex[p[i] & 0x0f];
	}
	out[len * 2] = '\0';
}

static int
crypto_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* Decodes exactly outlen bytes; anything else is an error. */
int
crypto_unhex(const char *s, size_t len, uint8_t *out, size_t outlen)
{
	size_t	i;
	int	hi, lo;

	if (len != outlen * 2)
		return (0);
	for (i = 0; i < outlen; i++) {
		hi = crypto_nibble(s[i * 2]);
		lo = crypto_nibble(s[i * 2 + 1]);
		if (hi < 0 || lo < 0)
			return (0);
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (1);
}

size_t
crypto_b64url(const uint8_t *p, size_t len, char *out, size_t outlen)
{
	size_t		i, o;
	uint32_t	v;

	if (outlen < (len * 4 + 2) / 3 + 1)
		return (0);
	o = 0;
	for (i = 0; i + 2 < len; i += 3) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		out[o++] = b64url[v >> 18 & 63];
		out[o++] = b64url[v >> 12 & 63];
		out[o++] = b64url[v >> 6 & 63];
		out[o++] = b64url[v & 63];
	}
	if (len - i == 1) {
		v = (uint32_t)p[i] << 16;
		out[o++] = b64url[v >> 18 & 63];
		out[o++] = b64url[v >> 12 & 63];
	} else if (len - i == 2) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
		out[o++] = b64url[v >> 18 & 63];
		out[o++] = b64url[v >> 12 & 63];
		out[o++] = b64url[v >> 6 & 63];
	}
	out[o] = '\0';
	return (o);
}

static int
crypto_b64val(char c)
{
	const char	*p;

	if (c == '\0' || (p = strchr(b64url, c)) == NULL)
		return (-1);
	return ((int)(p - b64url));
}

/* Decodes exactly outlen bytes of unpadded base64url. */
int
crypto_unb64url(const char *s, size_t len, uint8_t *out, size_t outlen)
{
	size_t		i, o;
	uint32_t	v;
	int		bits, c;

	if (len != (outlen * 4 + 2) / 3)
		return (0);
	v = 0;
	bits = 0;
	o = 0;
	for (i = 0; i < len; i++) {
		if ((c = crypto_b64val(s[i])) < 0)
			return (0);
		v = v << 6 | (uint32_t)c;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= outlen)
				return (0);
			out[o++] = (uint8_t)(v >> bits);
		}
	}
	return (o == outlen);
}

int
crypto_equal(const void *a, const void *b, size_t len)
{
	return (CRYPTO_memcmp(a, b, len) == 0);
}

/* HMAC-SHA-256; returns 0 only when OpenSSL fails. */
int
crypto_hmac_sha256(const void *key, size_t keylen, const void *msg,
    size_t len, uint8_t out[CRYPTO_SHA256_LEN])
{
	unsigned int	n;

	n = CRYPTO_SHA256_LEN;
	return (HMAC(EVP_sha256(), key, (int)keylen, msg, len, out,
	    &n) != NULL && n == CRYPTO_SHA256_LEN);
}

/* A random (version 4) UUID, as 36 characters and a NUL. */
int
crypto_uuid4(char out[37])
{
	uint8_t		b[16];
	char		hex[33];

	if (!crypto_random(b, sizeof(b)))
		return (0);
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	crypto_hex(b, sizeof(b), hex);
	(void)snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8,
	    hex + 12, hex + 16, hex + 20);
	return (1);
}
