#ifndef VCP_REVIEW_HTTP_H
#define VCP_REVIEW_HTTP_H

/* The review queue's route (review_http.c). */

struct api_call;
struct db;

void	review_queue(struct api_call *, struct db *);
void	review_tipoffs(struct api_call *, struct db *);

#endif
