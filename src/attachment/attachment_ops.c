/*
 * What every attachment must be, whoever owns it: a PDF, PNG or JPEG by
 * its first bytes, of the type it was declared as, with a name that can
 * be shown; and the storing of one within the owner's limit, with its
 * SHA-256.  Which kinds an owner takes and who may touch its files are
 * the owner's rules, checked by the owner before it calls here.
 */

#include <stdlib.h>
#include <string.h>

#include "attachment/attachment.h"
#include "crypto/crypto.h"
#include "crypto/seal.h"
#include "domain/attachment.h"
#include "domain/validate.h"

/*
 * The content against the declared Content-Type.  Needs no database, so
 * a route runs it before its job is queued.  *type: the sniffed type.
 */
enum attachment_result
attachment_ops_check(const unsigned char *data, size_t len,
    const char *declared, const char **type)
{
	const char	*sniffed;

	if ((sniffed = attachment_sniff(data, len)) == NULL)
		return (ATTACHMENT_UNSUPPORTED);
	if (!attachment_type_matches(declared, sniffed))
		return (ATTACHMENT_MISMATCH);
	*type = sniffed;
	return (ATTACHMENT_OK);
}

/*
 * What the answer to a refused upload says (415): a stable code and a
 * message, the same for every owner's upload route.
 */
void
attachment_ops_refusal(enum attachment_result r, const char **code,
    const char **message)
{
	if (r == ATTACHMENT_MISMATCH) {
		*code = "type_mismatch";
		*message = "文件内容与声明的类型不符";
	} else {
		*code = "unsupported_file_type";
		*message = "只接受 PDF、PNG 或 JPEG 文件";
	}
}

/* A name to show: one line of text, no path or quote characters. */
int
attachment_ops_filename_ok(const char *name)
{
	return (validate_text(name, strlen(name), ATTACHMENT_NAME_MAX, 0) ==
	    VALIDATE_OK && strpbrk(name, "/\\\"") == NULL);
}

/*
 * Stores an attachment unless the owner already has max of them.  The
 * caller holds the owner's row lock, so two uploads cannot both pass the
 * count.  Gives the new id and the SHA-256 in hex.
 */
enum attachment_result
attachment_ops_add(struct db *db, const struct attachment_owner *o, int max,
    const struct attachment_in *in, int64_t *id, char *hex)
{
	struct attachment_in	s;
	uint8_t			h[CRYPTO_SHA256_LEN];
	char			*sealed;
	int			r;

	crypto_sha256(in->data, in->len, h);
	crypto_hex(h, sizeof(h), hex);
	sealed = NULL;
	s = *in;
	/*
	 * Sealed: the row keeps the clear size and digest (what the owner
	 * lists), the content only as the seal's text.  A sealed value
	 * starts "v1:", which no PDF, PNG or JPEG does.
	 */
	if (in->sealed) {
		if ((sealed = seal((const char *)in->data, in->len)) == NULL)
			return (ATTACHMENT_ERROR);
		s.data = (const unsigned char *)sealed;
		s.len = strlen(sealed);
	}
	r = attachment_store_put(db, o, &s, in->len, hex, max, id);
	free(sealed);
	if (r < 0)
		return (ATTACHMENT_ERROR);
	return (r == 0 ? ATTACHMENT_TOO_MANY : ATTACHMENT_OK);
}
