/*
 * The public register: no login.  Only the registry table is read, and
 * it holds only what SPEC §5 lets the public see.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db/db.h"
#include "domain/field.h"
#include "domain/id.h"
#include "domain/validate.h"
#include "http/api.h"
#include "registry/registry.h"
#include "registry/registry_export.h"

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

void
registry_search(struct api_call *call, struct db *db)
{
	struct registry_query	*rq;
	json_t			*items;
	int64_t			total;

	rq = call->data;
	items = json_array();
	if (!registry_store_search(db, rq->has_q ? rq->q : NULL,
	    rq->has_status ? rq->status : NULL, rq->page, rq->per_page,
	    items, &total)) {
		json_decref(items);
		api_internal(call, db, "registry search");
		return;
	}
	api_reply(call, 200, json_pack("{s:o,s:I,s:i,s:i}", "items", items,
	    "total", (json_int_t)total, "page", rq->page,
	    "per_page", rq->per_page));
}

void
registry_show(struct api_call *call, struct db *db)
{
	json_t	*rec;
	int	r;

	if (strlen(call->params[0]) > 48) {
		api_error(call, 404, "not_found", "未找到该备案编号");
		return;
	}
	if ((r = registry_store_get(db, call->params[0], &rec)) < 0) {
		api_internal(call, db, "registry get");
		return;
	}
	if (r == 0) {
		api_error(call, 404, "not_found", "未找到该备案编号");
		return;
	}
	api_reply(call, 200, json_pack("{s:o}", "record", rec));
}

static int
registry_records(struct api_call *call, struct db *db, json_t **out)
{
	*out = json_array();
	if (!registry_store_all(db, *out)) {
		json_decref(*out);
		api_internal(call, db, "registry export");
		return (0);
	}
	return (1);
}

static void
registry_send(struct api_call *call, unsigned char *body, size_t len,
    const char *type, const char *disposition)
{
	if (body == NULL) {
		api_error(call, 500, "internal", "服务器内部错误");
		return;
	}
	api_reply_raw(call, type, body, len, disposition);
}

void
registry_export_csv(struct api_call *call, struct db *db)
{
	json_t		*recs;
	unsigned char	*body;
	size_t		len;

	if (!registry_records(call, db, &recs))
		return;
	body = registry_csv(recs, &len);
	json_decref(recs);
	registry_send(call, body, len, "text/csv; charset=utf-8",
	    "attachment; filename=\"registry.csv\"");
}

void
registry_export_xml(struct api_call *call, struct db *db)
{
	json_t		*recs;
	unsigned char	*body;
	char		now[32];
	size_t		len;

	if (!registry_records(call, db, &recs))
		return;
	if (!db_now(db, now, sizeof(now))) {
		json_decref(recs);
		api_internal(call, db, "now");
		return;
	}
	now[10] = 'T';
	now[19] = 'Z';
	now[20] = '\0';
	body = registry_xml(recs, now, &len);
	json_decref(recs);
	registry_send(call, body, len, "application/xml; charset=utf-8",
	    NULL);
}

void
registry_feed(struct api_call *call, struct db *db)
{
	json_t		*events;
	unsigned char	*body;
	const char	*updated;
	char		now[32];
	size_t		len;

	events = json_array();
	if (!registry_store_events(db, events) ||
	    !db_now(db, now, sizeof(now))) {
		json_decref(events);
		api_internal(call, db, "feed");
		return;
	}
	now[10] = 'T';
	now[19] = 'Z';
	now[20] = '\0';
	updated = json_array_size(events) > 0 ? json_string_value(
	    json_object_get(json_array_get(events, 0), "at")) : now;
	body = registry_atom(events, vcp_conf.public_base_url, updated, &len);
	json_decref(events);
	registry_send(call, body, len,
	    "application/atom+xml; charset=utf-8", NULL);
}

void
registry_badge_show(struct api_call *call, struct db *db)
{
	json_t		*rec;
	unsigned char	*body;
	size_t		len;
	int		r;

	if (strlen(call->params[0]) > 48 ||
	    (r = registry_store_get(db, call->params[0], &rec)) == 0) {
		api_error(call, 404, "not_found", "未找到该备案编号");
		return;
	}
	if (r < 0) {
		api_internal(call, db, "badge");
		return;
	}
	body = registry_badge(rec, vcp_conf.public_base_url, &len);
	json_decref(rec);
	registry_send(call, body, len, "text/html; charset=utf-8", NULL);
}
