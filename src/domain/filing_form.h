#ifndef VCP_FILING_FORM_H
#define VCP_FILING_FORM_H

#include <stdint.h>

#include <jansson.h>

/*
 * The filing form of Art. 4 (structure from Annex 1 of the draft):
 *
 *	platform	name, homepage, icp, publish_urls[], social_accounts[],
 *			online_date
 *	sponsor		name, type, id_number
 *	principal	name, mobile, email
 *	contact		name, mobile, email
 *	rules		collection, verification, notification, publication,
 *			user_verification, classification
 *	mlps		certificate_number, level
 *	management	description
 *
 * Drafts may be incomplete; what is present must still be well formed.
 */

#define FORM_NAME_MAX		128
#define FORM_TEXT_MAX		10000
#define FORM_URLS_MAX		20
#define FORM_ACCOUNTS_MAX	20

#define FORM_DRAFT		0
#define FORM_COMPLETE		1

int	filing_form_check(const json_t *, int, int, json_t *, json_t *);
int	filing_form_path_valid(const char *);
int	filing_sponsor_is_person(const json_t *);
char	*filing_form_host(const json_t *);
const char	*filing_form_online_date(const json_t *);

/* Personal fields: encrypted at rest, masked when shown. */
extern const char	*filing_personal_fields[];

void	filing_mask(const char *, const char *, char *, size_t);
json_t	*filing_public_record(const json_t *, const char *, const char *,
	    const char *, const char *);

#endif
