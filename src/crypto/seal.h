#ifndef VCP_SEAL_H
#define VCP_SEAL_H

#include <stddef.h>
#include <stdint.h>

/*
 * Personal data at rest: AES-256-GCM under the data key, sealed values
 * written as "v1:<key id>:<base64url(nonce | ciphertext | tag)>".  The key
 * id lets a later key decrypt old values after a rotation.
 */

#define SEAL_KEY_LEN	32
#define SEAL_KID_LEN	8

int	seal_init(const char *, char *, size_t);
char	*seal(const char *, size_t);
char	*unseal(const char *);
unsigned char *unseal_len(const char *, size_t *);
int	seal_is_sealed(const char *);
const char *seal_key_id(void);
int	seal_derive(const char *, uint8_t[SEAL_KEY_LEN]);

#endif
