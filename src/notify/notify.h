#ifndef VCP_NOTIFY_H
#define VCP_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <libxml/tree.h>

struct db;
struct api_call;

/*
 * Whose event it is: a filing ("filing", its id), the audit chain
 * ("audit", 0), later a tip-off.  Each subject has its own sequence.
 */
struct notify_subject {
	const char	*type;
	int64_t		id;
};

/* A row leased to vcpnotifyd, as it is sent. */
struct notify_claim {
	int64_t		id;
	char		recipient[8];
	char		event_id[40];
	int64_t		seq;
	int64_t		attempts;
	char		*payload;	/* sealed */
};

/* Adds the subject's element under the payload's root. */
typedef int	(*notify_build)(xmlNodePtr, xmlNsPtr, void *);

/*
 * An event numbered in its subject's sequence before its payload is
 * written (notify_prepare, notify_write): a caller that holds a hot row
 * lock for the payload's content numbers the event before taking it.
 */
struct notify_ticket {
	struct notify_subject	subject;
	char			uuid[37];
	char			at[21];		/* "YYYY-MM-DDTHH:MM:SSZ" */
	int64_t			seq;
};

/* Recipients of one event: both ministries at most. */
#define NOTIFY_RECIPIENTS_MAX	2

/* An event's documents, one per recipient, signed and sealed. */
struct notify_docs {
	const char	*recipients[NOTIFY_RECIPIENTS_MAX];
	char		*sealed[NOTIFY_RECIPIENTS_MAX];
	int		n;
};

/* notify.c: the outbox */
int		notify_emit(struct db *, const struct notify_subject *,
		    const char *, const char *const *, notify_build, void *);
int		notify_prepare(struct db *, const struct notify_subject *,
		    const char *, struct notify_ticket *);
int		notify_write(struct db *, const struct notify_ticket *,
		    const char *, const char *const *, notify_build, void *);
int		notify_documents(const struct notify_ticket *, const char *,
		    const char *const *, notify_build, void *,
		    struct notify_docs *);
void		notify_documents_free(struct notify_docs *);
extern const char *const	notify_ministries[];

/* notify_xml.c: the root every event shares, and signing */
xmlNodePtr	notify_xml_root(xmlDocPtr, xmlNsPtr *, const char *, int64_t,
		    const char *, const char *, const char *);
char		*notify_xml_finish(xmlDocPtr, size_t *);

/* notify_store.c */

/* Rows notify_store_sequence numbers at most per call (its LIMIT). */
#define NOTIFY_SEQUENCE_BATCH	1000

int	notify_store_seq(struct db *, const char *, int64_t, int64_t *);
int	notify_store_insert(struct db *, const char *, const char *const *,
	    int, const char *, int64_t, int64_t, const char *,
	    const char *const *);
int	notify_store_sequence(struct db *, const char *);
int	notify_store_list(struct db *, const char *, json_t *);
int	notify_store_retry(struct db *, int64_t, char *, size_t);
int	notify_store_health(struct db *, int, int64_t *, int64_t *);
int	notify_store_feed(struct db *, const char *, int64_t, int, json_t *);
int	notify_store_claim(struct db *, const char *, int, int);
int	notify_store_claimed(struct db *, const char *, struct notify_claim *,
	    int);
int	notify_store_release(struct db *, int64_t, const char *);
int	notify_store_release_all(struct db *, const char *);
int	notify_store_renew(struct db *, const char *, int);
int	notify_store_delivered(struct db *, const char *, const char *);
int	notify_store_failed(struct db *, int64_t, const char *, const char *,
	    long, const char *, int, int64_t);

/* notify_http.c */
int	notify_list_prepare(struct api_call *);
void	notify_list(struct api_call *, struct db *);
void	notify_retry(struct api_call *, struct db *);
int	notify_feed_prepare(struct api_call *);
void	notify_feed(struct api_call *, struct db *);

#endif
