/*
 * The portal's signing key and certificate (created on first start) and
 * enveloped XML signatures over them with xmlsec1: ECDSA-SHA256 over
 * P-256 for a key made here, RSA-SHA256 for an RSA key an installation
 * already has; exclusive C14N; as MPS and CAC verify them.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <xmlsec/xmlsec.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/templates.h>
#include <xmlsec/crypto.h>
#include <xmlsec/xmltree.h>

#include "crypto/sign.h"

static xmlSecKeyPtr	sign_key;
static xmlSecTransformId sign_method;
static xmlSecKeysMngrPtr sign_mngr;
static pthread_mutex_t	sign_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t	sign_once = PTHREAD_ONCE_INIT;
static pthread_key_t	sign_thread_key;
static int		sign_thread_ok;

/*
 * Each thread signs with its own copy of the key, made once: a copy made
 * for every signature starts without an RSA key's cached Montgomery
 * values and blinding, and computing them again made a signature take
 * about 1 ms instead of 0.3 ms (an approval signs two, holding the year's
 * number row).  A thread's copy is destroyed when the thread ends.
 */
static void
sign_thread_free(void *key)
{
	xmlSecKeyDestroy(key);
}

static void
sign_thread_init(void)
{
	sign_thread_ok = pthread_key_create(&sign_thread_key,
	    sign_thread_free) == 0;
}

static xmlSecKeyPtr
sign_thread_key_get(void)
{
	xmlSecKeyPtr	key;

	if (pthread_once(&sign_once, sign_thread_init) != 0 || !sign_thread_ok)
		return (NULL);
	if ((key = pthread_getspecific(sign_thread_key)) != NULL)
		return (key);
	pthread_mutex_lock(&sign_lock);
	key = sign_key != NULL ? xmlSecKeyDuplicate(sign_key) : NULL;
	pthread_mutex_unlock(&sign_lock);
	if (key != NULL && pthread_setspecific(sign_thread_key, key) != 0) {
		xmlSecKeyDestroy(key);
		key = NULL;
	}
	return (key);
}

/*
 * A new P-256 key and a ten-year self-signed certificate for it.  ECDSA,
 * which issue 4 allows beside RSA: a signature takes a tenth of an
 * RSA-2048 one, and an approval signs two while it holds the year's
 * filing number (docs/design.md, "The write path").
 */
static int
sign_create(const char *keyfile, const char *certfile, char *err,
    size_t errlen)
{
	EVP_PKEY	*pkey;
	X509		*x;
	X509_NAME	*name;
	FILE		*fp;
	int		fd, ok;

	if ((pkey = EVP_EC_gen("P-256")) == NULL || (x = X509_new()) == NULL) {
		EVP_PKEY_free(pkey);
		(void)snprintf(err, errlen, "cannot generate the signing key");
		return (0);
	}
	(void)X509_set_version(x, 2);
	(void)ASN1_INTEGER_set(X509_get_serialNumber(x), (long)time(NULL));
	(void)X509_gmtime_adj(X509_getm_notBefore(x), 0);
	(void)X509_gmtime_adj(X509_getm_notAfter(x), 3650L * 86400L);
	(void)X509_set_pubkey(x, pkey);
	name = X509_get_subject_name(x);
	(void)X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC,
	    (const unsigned char *)"CN", -1, -1, 0);
	(void)X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
	    (const unsigned char *)"VCP filing portal", -1, -1, 0);
	(void)X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	    (const unsigned char *)"vcp-notification-signer", -1, -1, 0);
	(void)X509_set_issuer_name(x, name);
	ok = X509_sign(x, pkey, EVP_sha256()) > 0;

	/* O_EXCL: two processes starting at once cannot both write a key. */
	if (ok && (fd = open(keyfile, O_WRONLY | O_CREAT | O_EXCL, 0600)) >= 0) {
		ok = (fp = fdopen(fd, "w")) != NULL &&
		    PEM_write_PrivateKey(fp, pkey, NULL, NULL, 0, NULL, NULL);
		if (fp != NULL)
			ok = fclose(fp) == 0 && ok;
		ok = ok && (fp = fopen(certfile, "w")) != NULL &&
		    PEM_write_X509(fp, x);
		if (ok)
			ok = fclose(fp) == 0;
	}
	X509_free(x);
	EVP_PKEY_free(pkey);
	if (!ok)
		(void)snprintf(err, errlen, "cannot write %s: %s", keyfile,
		    strerror(errno));
	return (ok);
}

int
sign_init(const char *keyfile, const char *certfile, char *err,
    size_t errlen)
{
	struct stat	st;

	xmlInitParser();
	if (access(keyfile, F_OK) == -1 &&
	    !sign_create(keyfile, certfile, err, errlen))
		return (0);
	if (stat(keyfile, &st) == -1 || (st.st_mode & 077) != 0) {
		(void)snprintf(err, errlen, "%s: missing or not mode 0600",
		    keyfile);
		return (0);
	}
	if (xmlSecInit() < 0 || xmlSecCryptoAppInit(NULL) < 0 ||
	    xmlSecCryptoInit() < 0) {
		(void)snprintf(err, errlen, "xmlsec initialisation failed");
		return (0);
	}
	sign_key = xmlSecCryptoAppKeyLoad(keyfile, xmlSecKeyDataFormatPem,
	    NULL, NULL, NULL);
	if (sign_key == NULL || xmlSecCryptoAppKeyCertLoad(sign_key, certfile,
	    xmlSecKeyDataFormatPem) < 0) {
		(void)snprintf(err, errlen, "cannot load %s / %s", keyfile,
		    certfile);
		return (0);
	}
	if (xmlSecKeyDataCheckId(xmlSecKeyGetValue(sign_key),
	    xmlSecKeyDataEcdsaId))
		sign_method = xmlSecTransformEcdsaSha256Id;
	else if (xmlSecKeyDataCheckId(xmlSecKeyGetValue(sign_key),
	    xmlSecKeyDataRsaId))
		sign_method = xmlSecTransformRsaSha256Id;
	else {
		(void)snprintf(err, errlen, "%s: neither an EC nor an RSA key",
		    keyfile);
		return (0);
	}
	if ((sign_mngr = xmlSecKeysMngrCreate()) == NULL ||
	    xmlSecCryptoAppDefaultKeysMngrInit(sign_mngr) < 0 ||
	    xmlSecCryptoAppKeysMngrCertLoad(sign_mngr, certfile,
	    xmlSecKeyDataFormatPem, xmlSecKeyDataTypeTrusted) < 0) {
		(void)snprintf(err, errlen, "cannot trust %s", certfile);
		return (0);
	}
	return (1);
}

/* Adds an enveloped signature over the whole document to its root. */
int
sign_doc(xmlDocPtr doc)
{
	xmlNodePtr		sig, ref, ki;
	xmlSecDSigCtxPtr	ctx;
	int			ok;

	if (sign_method == NULL)
		return (0);
	sig = xmlSecTmplSignatureCreate(doc, xmlSecTransformExclC14NId,
	    sign_method, NULL);
	if (sig == NULL)
		return (0);
	xmlAddChild(xmlDocGetRootElement(doc), sig);
	ref = xmlSecTmplSignatureAddReference(sig, xmlSecTransformSha256Id,
	    NULL, (const xmlChar *)"", NULL);
	if (ref == NULL ||
	    xmlSecTmplReferenceAddTransform(ref,
	    xmlSecTransformEnvelopedId) == NULL ||
	    xmlSecTmplReferenceAddTransform(ref,
	    xmlSecTransformExclC14NId) == NULL ||
	    (ki = xmlSecTmplSignatureEnsureKeyInfo(sig, NULL)) == NULL ||
	    xmlSecTmplKeyInfoAddX509Data(ki) == NULL)
		return (0);
	if ((ctx = xmlSecDSigCtxCreate(NULL)) == NULL)
		return (0);
	ctx->signKey = sign_thread_key_get();
	ok = ctx->signKey != NULL && xmlSecDSigCtxSign(ctx, sig) == 0;
	/* The thread's key outlives the context. */
	ctx->signKey = NULL;
	xmlSecDSigCtxDestroy(ctx);
	return (ok);
}

/* Checks a signed document against our own certificate (tests, vcpctl). */
int
sign_verify_doc(xmlDocPtr doc)
{
	xmlSecDSigCtxPtr	ctx;
	xmlNodePtr		node;
	int			ok;

	node = xmlSecFindNode(xmlDocGetRootElement(doc), xmlSecNodeSignature,
	    xmlSecDSigNs);
	if (node == NULL || (ctx = xmlSecDSigCtxCreate(sign_mngr)) == NULL)
		return (0);
	ok = xmlSecDSigCtxVerify(ctx, node) == 0 &&
	    ctx->status == xmlSecDSigStatusSucceeded;
	xmlSecDSigCtxDestroy(ctx);
	return (ok);
}
