#ifndef VCP_REVIEW_H
#define VCP_REVIEW_H

#include <stdint.h>

#include <jansson.h>

/*
 * The review queue: every case waiting for a reviewer's decision, of
 * every kind (applications and resubmissions of filings, changes), the
 * nearest deadline first; tip-offs in a queue of their own, oldest
 * first, against their own targets.  Each kind is one query of
 * review_store.c over its capability's tables, read here rather than
 * asked of the capability, so that no capability depends on the queue
 * nor the queue on one.  Kore-free; the route is in review_http.h.
 */

struct calendar;
struct db;

/* review_store.c: one kind of case each, as raw queue rows */
int	review_store_filings(struct db *, json_t *);
int	review_store_changes(struct db *, json_t *);
int	review_store_tipoffs(struct db *, const char *, const char *,
	    json_t *);

/* review_tipoff.c: the tip-off queue, its own targets (working days) */
struct review_tipoff_targets {
	int	answer_days;
	int	decide_days;
};

void	review_tipoff_flag(const struct calendar *, int32_t,
	    const struct review_tipoff_targets *, json_t *);
int	review_tipoff_build(struct db *, const char *, const char *,
	    const struct review_tipoff_targets *, json_t **);

/* review_queue.c */
int	review_queue_load(struct db *, json_t *);
void	review_queue_flag(const struct calendar *, int32_t, json_t *);
json_t	*review_queue_sort(json_t *);
int	review_queue_build(struct db *, json_t **);

#endif
