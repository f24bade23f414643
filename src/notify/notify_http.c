/*
 * The outbox as regulators see it (with what a receiver answered when it
 * refused a row), a supervisor's "send again now", and the pull feed
 * through which each ministry can catch up on what it missed.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/seal.h"
#include "db/db.h"
#include "domain/id.h"
#include "domain/role.h"
#include "http/api.h"
#include "notify/notify.h"

#define FEED_LIMIT_DEFAULT	100
#define FEED_LIMIT_MAX		500

struct feed_query {
	int64_t		after;
	int		limit;
	char		status[16];
	int		has_status;
};

static struct feed_query *
feed_query_new(struct api_call *call)
{
	struct feed_query	*q;

	if ((q = calloc(1, sizeof(*q))) == NULL) {
		api_error(call, 503, "busy", "服务繁忙，请稍后重试");
		return (NULL);
	}
	call->data = q;
	call->data_free = free;
	q->limit = FEED_LIMIT_DEFAULT;
	return (q);
}

int
notify_list_prepare(struct api_call *call)
{
	struct feed_query	*q;
	int			r;

	if ((q = feed_query_new(call)) == NULL)
		return (0);
	r = api_query(call, "status", q->status, sizeof(q->status));
	if (r < 0 || (r == 1 && strcmp(q->status, "pending") &&
	    strcmp(q->status, "delivered") && strcmp(q->status, "rejected"))) {
		api_error_fields(call, 422, "validation", "查询参数有误",
		    json_pack("{s:{s:s,s:s}}", "status", "code", "format",
		    "message", "状态须为 pending、delivered 或 rejected"));
		return (0);
	}
	q->has_status = r == 1;
	return (1);
}

void
notify_list(struct api_call *call, struct db *db)
{
	struct feed_query	*q;
	json_t			*rows, *row, *answer;
	char			*text;
	size_t			i;

	q = call->data;
	rows = json_array();
	if (!notify_store_list(db, q->has_status ? q->status : NULL, rows)) {
		json_decref(rows);
		api_internal(call, db, "notifications");
		return;
	}
	json_array_foreach(rows, i, row) {
		answer = json_object_get(row, "answer");
		if (!json_is_string(answer))
			continue;
		if ((text = unseal(json_string_value(answer))) == NULL) {
			json_decref(rows);
			api_internal(call, db, "notifications unseal");
			return;
		}
		answer = json_string(text);
		free(text);
		json_object_set_new(row, "answer", answer != NULL ? answer :
		    json_null());
	}
	api_reply(call, 200, json_pack("{s:o}", "notifications", rows));
}

/*
 * Sends a pending or rejected row again now.  A rejected row goes back to
 * pending with the same event id and sequence, so the filing's later
 * events follow it in order once it is delivered.
 */
void
notify_retry(struct api_call *call, struct db *db)
{
	int64_t		id;
	char		before[16];
	int		r;

	if (!api_param_id(call, 0, &id, "未找到该通报"))
		return;
	api_object(call, "notification", id);
	if ((r = notify_store_retry(db, id, before, sizeof(before))) < 0) {
		api_internal(call, db, "retry");
		return;
	}
	if (r == 0 || strcmp(before, "delivered") == 0) {
		api_error(call, 409, "not_pending",
		    "该通报不存在或已送达，无需重发");
		return;
	}
	api_reply(call, 202, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id,
	    "status", "pending", "previous", before));
}

int
notify_feed_prepare(struct api_call *call)
{
	struct feed_query	*q;
	json_t			*fields;
	char			buf[24];
	int64_t			v;
	int			r;

	if ((q = feed_query_new(call)) == NULL)
		return (0);
	fields = json_object();
	r = api_query(call, "after", buf, sizeof(buf));
	if (r < 0 || (r == 1 && !id_parse_range(buf, 0, ID_MAX, &v)))
		json_object_set_new(fields, "after", json_pack("{s:s,s:s}",
		    "code", "format", "message", "游标须为非负整数"));
	else if (r == 1)
		q->after = v;
	r = api_query(call, "limit", buf, sizeof(buf));
	if (r < 0 || (r == 1 && !id_parse_range(buf, 1, FEED_LIMIT_MAX, &v)))
		json_object_set_new(fields, "limit", json_pack("{s:s,s:s}",
		    "code", "format", "message", "每次条数须为1至500"));
	else if (r == 1)
		q->limit = (int)v;
	if (json_object_size(fields) > 0) {
		api_error_fields(call, 422, "validation", "查询参数有误",
		    fields);
		return (0);
	}
	json_decref(fields);
	return (1);
}

/* Each ministry reads its own events, payloads opened, from its cursor. */
void
notify_feed(struct api_call *call, struct db *db)
{
	struct feed_query	*q;
	json_t			*rows, *row;
	const char		*recipient;
	char			*xml;
	size_t			i;
	json_int_t		next;
	int			n;

	q = call->data;
	recipient = call->who.role == ROLE_OBSERVER_MPS ? "mps" : "cac";
	/* Rows committed since the last reader get their positions first. */
	while ((n = notify_store_sequence(db, recipient)) ==
	    NOTIFY_SEQUENCE_BATCH)
		;
	if (n < 0) {
		api_internal(call, db, "feed sequence");
		return;
	}
	rows = json_array();
	if (!notify_store_feed(db, recipient, q->after, q->limit, rows)) {
		json_decref(rows);
		api_internal(call, db, "feed");
		return;
	}
	next = q->after;
	json_array_foreach(rows, i, row) {
		xml = unseal(json_string_value(json_object_get(row,
		    "payload")));
		if (xml == NULL) {
			json_decref(rows);
			api_internal(call, db, "feed unseal");
			return;
		}
		json_object_set_new(row, "payload", json_string(xml));
		free(xml);
		next = json_integer_value(json_object_get(row, "cursor"));
	}
	api_reply(call, 200, json_pack("{s:s,s:o,s:I}", "recipient",
	    recipient, "events", rows, "next", next));
}
