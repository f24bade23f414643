/*
 * GET /api/v1/review/queue: every case waiting for a reviewer, as
 * review_queue.c builds it.
 */

#include "http/api.h"
#include "review/review.h"
#include "review/review_http.h"

void
review_queue(struct api_call *call, struct db *db)
{
	json_t	*queue;

	if (!review_queue_build(db, &queue)) {
		api_internal(call, db, "queue");
		return;
	}
	api_reply(call, 200, json_pack("{s:o}", "queue", queue));
}
