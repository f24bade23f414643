#ifndef VCP_SIGN_H
#define VCP_SIGN_H

#include <stddef.h>

#include <libxml/tree.h>

/*
 * The portal's signing key: P-256 with a self-signed certificate, created
 * on first start (an RSA key made by an earlier version is still used).
 * Payloads carry an enveloped XML signature (ECDSA-SHA256, or RSA-SHA256
 * with an RSA key; exclusive C14N) that receivers check against the
 * certificate `vcpctl cert` prints.
 */
int	sign_init(const char *, const char *, char *, size_t);
int	sign_doc(xmlDocPtr);
int	sign_verify_doc(xmlDocPtr);

#endif
