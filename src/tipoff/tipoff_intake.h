#ifndef VCP_TIPOFF_INTAKE_H
#define VCP_TIPOFF_INTAKE_H

/*
 * The tip-off channel's other ways in (a phone call recorded by staff,
 * an e-mail piped to vcpctl), its retention and its public statistics.
 * Only tipoff_mail.c speaks GMime, and only vcpctl links it.
 */

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "tipoff/tipoff.h"

struct db;
struct api_call;

#define TIPOFF_MAIL_MAX		(25 * 1024 * 1024)	/* bytes read */
#define TIPOFF_MAIL_TEXT_MAX	65536	/* bytes of text kept */
#define TIPOFF_MAIL_PARTS_MAX	64	/* attachments looked at */
#define TIPOFF_SENDER_MAX	254

/* One attachment as the mail gave it, decoded. */
struct tipoff_mail_part {
	char		filename[256];
	char		declared[128];
	unsigned char	*data;
	size_t		len;
};

/* A message as parsed: text, sender and attachments. */
struct tipoff_mail {
	char			*text;		/* UTF-8, malloc'd */
	int			from_html;	/* no plain part: HTML stripped */
	int			truncated;
	char			*subject;	/* UTF-8, malloc'd, or NULL */
	char			sender[TIPOFF_SENDER_MAX + 1];
	struct tipoff_mail_part	parts[TIPOFF_MAIL_PARTS_MAX];
	size_t			nparts;
	size_t			skipped;	/* parts past the bound */
};

enum tipoff_mail_result {
	TIPOFF_MAIL_OK = 0,
	TIPOFF_MAIL_NOT_MIME,		/* no message, or no sender */
	TIPOFF_MAIL_NO_TEXT,
	TIPOFF_MAIL_ERROR
};

/* tipoff_mail.c: GMime, vcpctl only */
enum tipoff_mail_result	tipoff_mail_parse(const char *, size_t,
			    struct tipoff_mail *);
void			tipoff_mail_free(struct tipoff_mail *);

/* tipoff_intake.c: the operations, Kore-free */
struct tipoff_mail_filed {
	size_t		evidence;
	size_t		refused;	/* not PDF/PNG/JPEG, too big, too many */
};

enum tipoff_result	tipoff_intake_phone(struct db *, json_t *,
			    struct tipoff_receipt *);
enum tipoff_result	tipoff_intake_mail(struct db *, const struct tipoff_mail *,
			    const char *, struct tipoff_receipt *,
			    struct tipoff_mail_filed *);

/* tipoff_intake_store.c: the SQL */
int	tipoff_intake_store_channel(struct db *, int64_t, const char *);
int	tipoff_intake_store_cutoffs(struct db *, const char *, int, char *,
	    size_t, char *, size_t);
int	tipoff_intake_store_purge(struct db *, const char *, const char *,
	    json_t *);
int	tipoff_intake_store_stats(struct db *, json_t *);

/* tipoff_intake_http.c: the routes */
int	tipoff_intake_prepare(struct api_call *);
void	tipoff_intake(struct api_call *, struct db *);
void	tipoff_stats(struct api_call *, struct db *);
void	tipoff_stats_csv(struct api_call *, struct db *);

#endif
