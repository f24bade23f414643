/*
 * GET /api/v1/calendar/deadline?from=YYYY-MM-DD&workdays=N (or days=N).
 * Public: anyone may ask when a statutory period ends.  And
 * GET /api/v1/calendar/years, the years in force.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar/calendar_store.h"
#include "db/db.h"
#include "domain/calendar.h"
#include "domain/field.h"
#include "domain/id.h"
#include "http/api.h"

#define DEADLINE_N_MAX		3660
#define DEADLINE_BODY_MAX	96

struct deadline_req {
	int32_t		from;
	int		n;
	int		workdays;
};

static void
deadline_free(void *p)
{
	free(p);
}

static int
deadline_count(const char *s, int *out)
{
	int64_t	v;

	if (!id_parse_range(s, 0, DEADLINE_N_MAX, &v))
		return (0);
	*out = (int)v;
	return (1);
}

/*
 * A field's error, the object made at the first: a valid query, the
 * common case, allocates nothing.
 */
static void
deadline_field_error(json_t **fields, const char *field, const char *code,
    const char *message)
{
	if (*fields == NULL)
		*fields = json_object();
	field_error(*fields, field, code, message);
}

int
calendar_deadline_prepare(struct api_call *call)
{
	struct deadline_req	*d;
	json_t			*fields;
	char			from[32], wd[16], cd[16];
	int			rf, rw, rd;

	if ((d = calloc(1, sizeof(*d))) == NULL) {
		api_error(call, 503, "busy", "服务繁忙，请稍后重试");
		return (0);
	}
	call->data = d;
	call->data_free = deadline_free;
	fields = NULL;

	rf = api_query(call, "from", from, sizeof(from));
	rw = api_query(call, "workdays", wd, sizeof(wd));
	rd = api_query(call, "days", cd, sizeof(cd));
	if (rf != 1)
		deadline_field_error(&fields, "from", "required",
		    "请提供起算日期 YYYY-MM-DD");
	else if (!cal_date_parse(from, strlen(from), &d->from))
		deadline_field_error(&fields, "from", "format",
		    "日期须为 YYYY-MM-DD 格式的有效日期");
	if (rw == 1 && rd == 1) {
		deadline_field_error(&fields, "days", "conflict",
		    "workdays 与 days 只能提供其一");
	} else if (rw == 1) {
		d->workdays = 1;
		if (!deadline_count(wd, &d->n))
			deadline_field_error(&fields, "workdays", "range",
			    "工作日数须为 0 至 3660 的整数");
	} else if (rd == 1) {
		if (!deadline_count(cd, &d->n))
			deadline_field_error(&fields, "days", "range",
			    "天数须为 0 至 3660 的整数");
	} else if (rw < 0 || rd < 0) {
		deadline_field_error(&fields, rw < 0 ? "workdays" : "days",
		    "format", "参数格式错误");
	} else {
		deadline_field_error(&fields, "workdays", "required",
		    "请提供 workdays 或 days");
	}
	if (fields != NULL) {
		api_error_fields(call, 422, "validation", "查询参数有误",
		    fields);
		return (0);
	}
	return (1);
}

/*
 * The worker's calendar: on the event loop (db NULL) when it was looked
 * at lately, else the call is deferred to the pool, which looks.  NULL
 * when the call is deferred or answered.
 */
static struct calsnap *
calendar_snap(struct api_call *call, struct db *db,
    const struct calendar **cal)
{
	struct calsnap	*snap;

	if (db == NULL) {
		if ((snap = calcache_peek(cal)) == NULL)
			api_defer(call);
		return (snap);
	}
	if ((snap = calcache_get(db, cal)) == NULL)
		api_internal(call, db, "calendar");
	return (snap);
}

/*
 * The answer written as it is sent: two dates and a count need no
 * escaping, and this public route is answered on the event loop, where
 * a tree built and serialised for three fields was most of its own cost.
 */
static void
deadline_answer(struct api_call *call, const char *from, const char *due,
    const char *key, int n)
{
	char	*body;
	int	len;

	if ((body = malloc(DEADLINE_BODY_MAX)) == NULL) {
		api_error(call, 503, "busy", "服务繁忙，请稍后重试");
		return;
	}
	len = snprintf(body, DEADLINE_BODY_MAX,
	    "{\"from\":\"%s\",\"deadline\":\"%s\",\"%s\":%d}",
	    from, due, key, n);
	if (len < 0 || len >= DEADLINE_BODY_MAX) {
		free(body);
		api_error(call, 500, "internal", "服务器内部错误");
		return;
	}
	api_reply_raw(call, "application/json; charset=utf-8",
	    (unsigned char *)body, (size_t)len, NULL);
}

void
calendar_deadline(struct api_call *call, struct db *db)
{
	struct deadline_req	*d;
	const struct calendar	*cal;
	struct calsnap		*snap;
	enum cal_result		r;
	int32_t			out;
	int			missing;
	char			from[11], due[11], msg[128];

	d = call->data;
	if ((snap = calendar_snap(call, db, &cal)) == NULL)
		return;
	missing = 0;
	if (d->workdays)
		r = calendar_add_workdays(cal, d->from, d->n, &out, &missing);
	else
		r = calendar_add_days(cal, d->from, d->n, &out, &missing);
	calcache_put(snap);

	if (r == CAL_NO_DATA) {
		(void)snprintf(msg, sizeof(msg),
		    "%d年的节假日安排尚未载入，无法计算期限", missing);
		api_reply(call, 422, json_pack("{s:{s:s,s:s,s:i}}", "error",
		    "code", "calendar_year_missing", "message", msg,
		    "year", missing));
		return;
	}
	if (r != CAL_OK) {
		api_error(call, 422, "out_of_range", "日期超出可计算范围");
		return;
	}
	cal_date_format(d->from, from);
	cal_date_format(out, due);
	deadline_answer(call, from, due, d->workdays ? "workdays" : "days",
	    d->n);
}

/*
 * GET /api/v1/calendar/years: the years whose notice is in force, and
 * whether next year's is overdue.  Public.  Answered from the worker's
 * snapshot: on the event loop within calendar_refresh seconds of the
 * last look, else a pool round trip that looks.
 */
void
calendar_years(struct api_call *call, struct db *db)
{
	const struct calendar	*cal;
	struct calsnap		*snap;
	json_t			*body;

	if ((snap = calendar_snap(call, db, &cal)) == NULL)
		return;
	body = calendar_status_json(cal, cal_date_today_cst(time(NULL)));
	calcache_put(snap);
	api_reply(call, 200, body);
}
