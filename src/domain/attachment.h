#ifndef VCP_ATTACHMENT_H
#define VCP_ATTACHMENT_H

#include <stddef.h>

/* Attachment kinds of the form: the MLPS certificate, the signed and
 * sealed commitment letter (Annex 2), management material, other. */
int		attachment_kind_valid(const char *);
const char	*attachment_sniff(const unsigned char *, size_t);
int		attachment_type_matches(const char *, const char *);
const char	*attachment_extension(const char *);

#endif
