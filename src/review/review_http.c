/*
 * GET /api/v1/review/queue: every case waiting for a reviewer, as
 * review_queue.c builds it.
 */

#include <string.h>

#include "config.h"
#include "domain/tipoff_state.h"
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

/* A category as the tip-off module names them: a-z and _, 1-32. */
static int
review_category_ok(const char *s)
{
	size_t	i, n;

	n = strlen(s);
	if (n == 0 || n > 32)
		return (0);
	for (i = 0; i < n; i++) {
		if ((s[i] < 'a' || s[i] > 'z') && s[i] != '_')
			return (0);
	}
	return (1);
}

/*
 * GET /api/v1/review/tipoffs[?status=S][&category=C]: the tip-off
 * queue.  status=open (the default: new and in_review), all, or one
 * status.
 */
void
review_tipoffs(struct api_call *call, struct db *db)
{
	struct review_tipoff_targets	t;
	json_t				*queue, *fields;
	char				status[32], category[40];
	const char			*sp, *cp;
	int				rs, rc;

	fields = json_object();
	sp = "open";
	cp = NULL;
	rs = api_query(call, "status", status, sizeof(status));
	if (rs > 0 && (strcmp(status, "all") == 0 ||
	    strcmp(status, "open") == 0 || tipoff_status_parse(status) >= 0))
		sp = status;
	else if (rs != 0)
		json_object_set_new(fields, "status", json_pack("{s:s,s:s}",
		    "code", "format", "message", "状态须为 open、all、new、"
		    "in_review、verified、unfounded 或 closed"));
	rc = api_query(call, "category", category, sizeof(category));
	if (rc > 0 && review_category_ok(category))
		cp = category;
	else if (rc != 0)
		json_object_set_new(fields, "category", json_pack("{s:s,s:s}",
		    "code", "format", "message", "举报类别格式不正确"));
	if (json_object_size(fields) > 0) {
		api_error_fields(call, 422, "validation", "查询参数有误",
		    fields);
		return;
	}
	json_decref(fields);
	t.answer_days = vcp_conf.tipoff_answer_days;
	t.decide_days = vcp_conf.tipoff_decide_days;
	if (!review_tipoff_build(db, sp, cp, &t, &queue)) {
		api_internal(call, db, "tipoff queue");
		return;
	}
	api_reply(call, 200, json_pack("{s:o,s:{s:i,s:i}}", "queue", queue,
	    "targets", "answer_workdays", t.answer_days, "decision_workdays",
	    t.decide_days));
}
