/*
 * The staff's way in for a tip-off received by phone, and the public
 * statistics.  Statistics are counts only: no text, no platform (naming
 * an unfiled platform is an accusation the portal has not verified).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "domain/field.h"
#include "http/api.h"
#include "tipoff/tipoff_intake.h"

static void
tipoff_intake_free(void *p)
{
	json_decref(p);
}

/*
 * The web form's members (tipoff_decode), plus the date of the call;
 * channel, when given, must be "phone".
 */
int
tipoff_intake_prepare(struct api_call *call)
{
	json_t		*fields, *sub;
	const char	*s;
	size_t		len;
	char		today[11];
	time_t		now;
	struct tm	tm;

	sub = json_object();
	call->data = sub;
	call->data_free = tipoff_intake_free;
	fields = tipoff_decode(call->in, sub);
	s = json_string_value(json_object_get(call->in, "channel"));
	if (json_object_get(call->in, "channel") != NULL &&
	    (s == NULL || strcmp(s, "phone") != 0))
		field_error(fields, "channel", "format",
		    "工作人员登记的举报渠道只能是 phone（电话）");
	now = time(NULL);
	(void)gmtime_r(&now, &tm);
	(void)strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	if (api_str(call->in, "received_on", &s, &len, 1, fields)) {
		if (!tipoff_date_valid(s, len, today))
			field_error(fields, "received_on", "date",
			    "来电日期须为 YYYY-MM-DD，且不晚于今天");
		else
			json_object_set_new(sub, "received_on",
			    json_stringn(s, len));
	}
	if (json_object_size(fields) > 0) {
		api_error_fields(call, 422, "validation",
		    "提交的信息有误，请按提示修改", fields);
		return (0);
	}
	json_decref(fields);
	json_object_set_new(sub, "channel", json_string("phone"));
	return (1);
}

void
tipoff_intake(struct api_call *call, struct db *db)
{
	struct tipoff_receipt	out;
	enum tipoff_result	r;

	r = tipoff_intake_phone(db, call->data, &out);
	if (r == TIPOFF_NO_FILING) {
		api_error_fields(call, 422, "validation",
		    "提交的信息有误，请按提示修改", json_pack("{s:{s:s,s:s}}",
		    "platform.filing_number", "code", "not_found",
		    "message", "备案登记中没有该备案编号"));
	} else if (r != TIPOFF_OK) {
		api_internal(call, db, "tipoff intake");
	} else {
		api_object(call, "tipoff", out.id);
		api_reply(call, 201, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}",
		    "reference", out.reference, "receipt_code", out.code,
		    "channel", "phone", "received_at", out.received_at,
		    "submission_sha256", out.sha256,
		    "acknowledgement", out.ack));
	}
	explicit_bzero(out.code, sizeof(out.code));
	free(out.ack);
}

static int
tipoff_stats_rows(struct api_call *call, struct db *db, json_t **rows)
{
	*rows = json_array();
	if (!tipoff_intake_store_stats(db, *rows)) {
		json_decref(*rows);
		api_internal(call, db, "tipoff stats");
		return (0);
	}
	return (1);
}

static void
tipoff_stats_add(json_t *o, const char *key, json_int_t n)
{
	json_t	*v;

	v = json_object_get(o, key);
	json_object_set_new(o, key, json_integer(json_integer_value(v) + n));
}

/*
 * Per month (Beijing time): received by category; decided by the
 * status the decision ended in, and by category; the actions taken on
 * verified cases by kind, and by category.
 */
void
tipoff_stats(struct api_call *call, struct db *db)
{
	json_t		*rows, *row, *months, *m, *part;
	const char	*month, *measure, *prev;
	size_t		i;
	json_int_t	n;

	if (!tipoff_stats_rows(call, db, &rows))
		return;
	months = json_array();
	m = NULL;
	prev = "";
	json_array_foreach(rows, i, row) {
		month = json_string_value(json_object_get(row, "month"));
		measure = json_string_value(json_object_get(row, "measure"));
		n = json_integer_value(json_object_get(row, "count"));
		if (strcmp(month, prev) != 0) {
			m = json_pack("{s:s,s:{s:I,s:{}},s:{s:I,s:{},s:{}},"
			    "s:{s:I,s:{},s:{}}}",
			    "month", month, "received", "total", (json_int_t)0,
			    "by_category", "decided", "total", (json_int_t)0,
			    "by_status", "by_category", "action", "total",
			    (json_int_t)0, "by_kind", "by_category");
			json_array_append_new(months, m);
			prev = month;
		}
		part = json_object_get(m, measure);
		tipoff_stats_add(part, "total", n);
		tipoff_stats_add(json_object_get(part, "by_category"),
		    json_string_value(json_object_get(row, "category")), n);
		if (strcmp(measure, "decided") == 0)
			tipoff_stats_add(json_object_get(part, "by_status"),
			    json_string_value(json_object_get(row, "status")),
			    n);
		else if (strcmp(measure, "action") == 0)
			tipoff_stats_add(json_object_get(part, "by_kind"),
			    json_string_value(json_object_get(row, "status")),
			    n);
	}
	api_reply(call, 200, json_pack("{s:s,s:o}", "timezone",
	    "Asia/Shanghai", "months", months));
	json_decref(rows);
}

/* One line a row: month,measure,category,status,count (all ASCII). */
void
tipoff_stats_csv(struct api_call *call, struct db *db)
{
	json_t		*rows, *row;
	char		*buf, *nb;
	size_t		i, len, cap;
	int		w;

	if (!tipoff_stats_rows(call, db, &rows))
		return;
	cap = 4096;
	if ((buf = malloc(cap)) == NULL) {
		json_decref(rows);
		api_internal(call, db, "tipoff stats csv");
		return;
	}
	len = (size_t)snprintf(buf, cap, "month,measure,category,status,"
	    "count\r\n");
	json_array_foreach(rows, i, row) {
		if (cap - len < 128) {
			cap *= 2;
			if ((nb = realloc(buf, cap)) == NULL) {
				free(buf);
				json_decref(rows);
				api_internal(call, db, "tipoff stats csv");
				return;
			}
			buf = nb;
		}
		w = snprintf(buf + len, cap - len, "%.7s,%.8s,%.32s,%.16s,%"
		    JSON_INTEGER_FORMAT "\r\n",
		    json_string_value(json_object_get(row, "month")),
		    json_string_value(json_object_get(row, "measure")),
		    json_string_value(json_object_get(row, "category")),
		    json_string_value(json_object_get(row, "status")),
		    json_integer_value(json_object_get(row, "count")));
		len += (size_t)w;
	}
	json_decref(rows);
	api_reply_raw(call, "text/csv; charset=utf-8", (unsigned char *)buf,
	    len, "attachment; filename=\"tipoff-stats.csv\"");
}
