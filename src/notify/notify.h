#ifndef VCP_NOTIFY_H
#define VCP_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <libxml/tree.h>

struct db;
struct api_call;

/* What an event says about its filing. */
struct notify_event {
	const char	*event;		/* filed, changed, deregistered, revoked */
	int64_t		filing_id;
	const char	*number;
	const char	*status;
	const char	*filed_on;
	const char	*ended_on;	/* or NULL */
	const char	*form;		/* sealed form text */
	const char	*changed_on;	/* changes only */
	const char	*fields;	/* changes only: JSON array of paths */
};

/* notify_payload.c */
char	*notify_payload(const json_t *, const json_t *,
	    const struct notify_event *, const char *, int64_t, const char *,
	    const char *, size_t *);

/* notify_checkpoint.c: the root every event shares, signing, and the
 * audit checkpoint's document */
xmlNodePtr	notify_xml_root(xmlDocPtr, xmlNsPtr *, const char *, int64_t,
		    const char *, const char *, const char *);
char		*notify_xml_finish(xmlDocPtr, size_t *);
char	*notify_checkpoint_payload(const char *, int64_t, const char *,
	    const char *, uint64_t, const char *, const char *, size_t *);
int	notify_checkpoint_read(const char *, size_t, uint64_t *, uint8_t[32]);

/* notify.c */
int	notify_emit(struct db *, const struct notify_event *);

/* notify_store.c */
int	notify_store_seq(struct db *, int64_t, int64_t *);
int	notify_store_insert(struct db *, const char *, const char *,
	    const char *, int64_t, int64_t, const char *, const char *);
int	notify_store_list(struct db *, const char *, json_t *);
int	notify_store_retry(struct db *, int64_t, char *, size_t);
int	notify_store_health(struct db *, int, int64_t *, int64_t *);
int	notify_store_feed(struct db *, const char *, int64_t, int, json_t *);
int	notify_store_claim(struct db *, const char *, int, int, int64_t *);
int	notify_store_load(struct db *, int64_t, const char *, char *, size_t,
	    char *, size_t, int64_t *, char **);
int	notify_store_delivered(struct db *, int64_t, const char *);
int	notify_store_attempts(struct db *, int64_t, int64_t *);
int	notify_store_failed(struct db *, int64_t, const char *, const char *,
	    long, const char *, int, int64_t);

/* notify_http.c */
int	notify_list_prepare(struct api_call *);
void	notify_list(struct api_call *, struct db *);
void	notify_retry(struct api_call *, struct db *);
int	notify_feed_prepare(struct api_call *);
void	notify_feed(struct api_call *, struct db *);

#endif
