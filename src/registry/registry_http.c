/*
 * The public register: no login.  Answered from the worker's snapshot of
 * the registry table (registry_snapshot.c), which holds only what SPEC §5
 * lets the public see: on the event loop, or on a pool thread when the
 * snapshot must be brought up to date first.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "domain/field.h"
#include "domain/id.h"
#include "domain/validate.h"
#include "http/api.h"
#include "registry/registry.h"
#include "registry/registry_export.h"
#include "registry/registry_stream.h"

#define REGISTRY_PER_PAGE	20
#define REGISTRY_PER_PAGE_MAX	100
#define REGISTRY_Q_MAX		64

struct registry_query {
	char	q[REGISTRY_Q_MAX * 4 + 1];
	char	status[16];
	int	has_q;
	int	has_status;
	int	page;
	int	per_page;
};

static int
number(const char *s, int lo, int hi, int *out)
{
	int64_t	v;

	if (!id_parse_range(s, lo, hi, &v))
		return (0);
	*out = (int)v;
	return (1);
}

int
registry_search_prepare(struct api_call *call)
{
	struct registry_query	*rq;
	json_t			*fields;
	char			buf[16];
	int			r;

	if ((rq = calloc(1, sizeof(*rq))) == NULL) {
		api_error(call, 503, "busy", "服务繁忙，请稍后重试");
		return (0);
	}
	call->data = rq;
	call->data_free = free;
	rq->page = 1;
	rq->per_page = REGISTRY_PER_PAGE;
	fields = json_object();

	r = api_query(call, "q", rq->q, sizeof(rq->q));
	if (r < 0 || (r == 1 && validate_text(rq->q, strlen(rq->q),
	    REGISTRY_Q_MAX, 0) != VALIDATE_OK && rq->q[0] != '\0'))
		field_error(fields, "q", "format",
		    "检索词须为1至64个字符");
	rq->has_q = r == 1 && rq->q[0] != '\0';
	r = api_query(call, "status", rq->status, sizeof(rq->status));
	if (r < 0 || (r == 1 && strcmp(rq->status, "filed") &&
	    strcmp(rq->status, "deregistered") && strcmp(rq->status, "revoked")))
		field_error(fields, "status", "format",
		    "状态须为 filed、deregistered 或 revoked");
	rq->has_status = r == 1;
	r = api_query(call, "page", buf, sizeof(buf));
	if (r < 0 || (r == 1 && !number(buf, 1, 100000, &rq->page)))
		field_error(fields, "page", "format", "页码须为正整数");
	r = api_query(call, "per_page", buf, sizeof(buf));
	if (r < 0 || (r == 1 && !number(buf, 1, REGISTRY_PER_PAGE_MAX,
	    &rq->per_page)))
		field_error(fields, "per_page", "format",
		    "每页条数须为1至100");
	if (json_object_size(fields) > 0) {
		api_error_fields(call, 422, "validation", "查询参数有误",
		    fields);
		return (0);
	}
	json_decref(fields);
	return (1);
}

/*
 * The snapshot to answer from.  On the event loop (db NULL) the worker's
 * own, unless there is none yet or every answer must look first
 * (registry_refresh 0): then the call goes to the pool, and comes back
 * here with a database to bring the snapshot up to date.  NULL when the
 * call is deferred or answered.
 */
struct registry_snapshot *
registry_snapshot_call(struct api_call *call, struct db *db)
{
	struct registry_snapshot	*s;

	if (db == NULL) {
		if (!registry_snapshot_loop() ||
		    (s = registry_snapshot_acquire()) == NULL)
			api_defer(call);
		return (s);
	}
	if (!registry_snapshot_sync(db) ||
	    (s = registry_snapshot_acquire()) == NULL) {
		api_internal(call, db, "registry snapshot");
		return (NULL);
	}
	return (s);
}

static void
registry_json(struct api_call *call, struct registry_buf *b)
{
	size_t	len;

	if (b->oom) {
		free(b->p);
		api_error(call, 503, "busy", "服务繁忙，请稍后重试");
		return;
	}
	len = b->len;
	api_reply_raw(call, "application/json; charset=utf-8", b->p, len,
	    NULL);
}

static enum registry_status
registry_status_of(const struct registry_query *rq)
{
	return (rq->has_status ? registry_status_parse(rq->status) :
	    REGISTRY_ANY);
}

/* A status by its name in the register; REGISTRY_ANY for any other. */
enum registry_status
registry_status_parse(const char *status)
{
	if (strcmp(status, "filed") == 0)
		return (REGISTRY_FILED);
	if (strcmp(status, "deregistered") == 0)
		return (REGISTRY_DEREGISTERED);
	if (strcmp(status, "revoked") == 0)
		return (REGISTRY_REVOKED);
	return (REGISTRY_ANY);
}

/* Each record's JSON is the answer's bytes as stored: nothing parsed. */
void
registry_search(struct api_call *call, struct db *db)
{
	const struct registry_entry	*page[REGISTRY_PER_PAGE_MAX];
	struct registry_snapshot	*s;
	struct registry_query		*rq;
	struct registry_buf		b;
	size_t				total, i, n, off;
	char				tail[96];

	rq = call->data;
	if ((s = registry_snapshot_call(call, db)) == NULL)
		return;
	off = (size_t)(rq->page - 1) * (size_t)rq->per_page;
	total = registry_snapshot_search(s, rq->has_q ? rq->q : NULL,
	    registry_status_of(rq), off, (size_t)rq->per_page, page);
	n = total > off ? total - off : 0;
	if (n > (size_t)rq->per_page)
		n = (size_t)rq->per_page;
	memset(&b, 0, sizeof(b));
	registry_buf_add(&b, "{\"items\":[", 10);
	for (i = 0; i < n; i++) {
		if (i > 0)
			registry_buf_add(&b, ",", 1);
		registry_buf_add(&b, page[i]->json, page[i]->json_len);
	}
	(void)snprintf(tail, sizeof(tail),
	    "],\"total\":%zu,\"page\":%d,\"per_page\":%d}", total, rq->page,
	    rq->per_page);
	registry_buf_add(&b, tail, strlen(tail));
	registry_snapshot_release(s);
	registry_json(call, &b);
}

/* The record of a number, or NULL with 404 answered. */
static const struct registry_entry *
registry_entry_of(struct api_call *call, const struct registry_snapshot *s)
{
	const struct registry_entry	*e;

	e = NULL;
	if (strlen(call->params[0]) <= 48)
		e = registry_snapshot_find(s, call->params[0]);
	if (e == NULL)
		api_error(call, 404, "not_found", "未找到该备案编号");
	return (e);
}

void
registry_show(struct api_call *call, struct db *db)
{
	const struct registry_entry	*e;
	struct registry_snapshot	*s;
	struct registry_buf		b;

	if ((s = registry_snapshot_call(call, db)) == NULL)
		return;
	if ((e = registry_entry_of(call, s)) != NULL) {
		memset(&b, 0, sizeof(b));
		registry_buf_add(&b, "{\"record\":", 10);
		registry_buf_add(&b, e->json, e->json_len);
		registry_buf_add(&b, "}", 1);
		registry_json(call, &b);
	}
	registry_snapshot_release(s);
}

static void
registry_send(struct api_call *call, unsigned char *body, size_t len,
    const char *type)
{
	if (body == NULL) {
		api_error(call, 500, "internal", "服务器内部错误");
		return;
	}
	api_reply_raw(call, type, body, len, NULL);
}

static void
registry_export(struct api_call *call, struct db *db, int xml)
{
	struct registry_snapshot	*s;

	if ((s = registry_snapshot_call(call, db)) == NULL)
		return;
	if (!registry_stream_start(call, s, xml))
		api_error(call, 503, "busy", "服务繁忙，请稍后重试");
}

void
registry_export_csv(struct api_call *call, struct db *db)
{
	registry_export(call, db, 0);
}

void
registry_export_xml(struct api_call *call, struct db *db)
{
	registry_export(call, db, 1);
}

/* Made with the snapshot: here only copied. */
void
registry_feed(struct api_call *call, struct db *db)
{
	struct registry_snapshot	*s;
	const unsigned char		*feed;
	unsigned char			*body;
	size_t				len;

	if ((s = registry_snapshot_call(call, db)) == NULL)
		return;
	feed = registry_snapshot_feed(s, &len);
	if ((body = malloc(len + 1)) != NULL) {
		memcpy(body, feed, len);
		body[len] = '\0';
	}
	registry_snapshot_release(s);
	registry_send(call, body, len, "application/atom+xml; charset=utf-8");
}

void
registry_badge_show(struct api_call *call, struct db *db)
{
	const struct registry_entry	*e;
	struct registry_snapshot	*s;
	unsigned char			*body;
	size_t				len;

	if ((s = registry_snapshot_call(call, db)) == NULL)
		return;
	if ((e = registry_entry_of(call, s)) != NULL) {
		body = registry_badge(e->number, vcp_conf.public_base_url,
		    &len);
		registry_send(call, body, len, "text/html; charset=utf-8");
	}
	registry_snapshot_release(s);
}
