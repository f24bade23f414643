/*
 * Uploaded files are judged by their first bytes, not by their name or
 * the type the client claims: a file is a PDF, PNG or JPEG because it
 * starts like one, and the declared type must agree.
 */

#include <string.h>
#include <strings.h>

#include "domain/attachment.h"

static const char	*kinds[] = {
	"mlps_certificate", "commitment_letter", "management", "other", NULL
};

int
attachment_kind_valid(const char *kind)
{
	int	i;

	for (i = 0; kinds[i] != NULL; i++) {
		if (!strcmp(kinds[i], kind))
			return (1);
	}
	return (0);
}

const char *
attachment_sniff(const unsigned char *p, size_t len)
{
	if (len >= 5 && memcmp(p, "%PDF-", 5) == 0)
		return ("application/pdf");
	if (len >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return ("image/png");
	if (len >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
		return ("image/jpeg");
	return (NULL);
}

/* The declared Content-Type (parameters ignored) against the sniffed one. */
int
attachment_type_matches(const char *declared, const char *sniffed)
{
	size_t	n;

	n = strcspn(declared, "; ");
	return (strlen(sniffed) == n && strncasecmp(declared, sniffed, n) == 0);
}

/* The file name extension of a sniffed type, for a download's name. */
const char *
attachment_extension(const char *type)
{
	if (!strcmp(type, "application/pdf"))
		return ("pdf");
	if (!strcmp(type, "image/png"))
		return ("png");
	return ("jpg");
}
