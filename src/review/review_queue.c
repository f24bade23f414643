/*
 * The review queue: the waiting cases of every kind in one list, each
 * with its review deadline (ten working days from its receipt), the
 * working days left, and its flags, the nearest deadline first.  A new
 * kind of case is one query in review_store.c and one line below.
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar/calendar_store.h"
#include "domain/calendar.h"
#include "domain/filing_state.h"
#include "review/review.h"

/* Where the waiting cases come from. */
static int	(*const review_sources[])(struct db *, json_t *) = {
	review_store_filings,
	review_store_changes,
};

int
review_queue_load(struct db *db, json_t *rows)
{
	size_t	i;

	for (i = 0; i < sizeof(review_sources) / sizeof(review_sources[0]);
	    i++) {
		if (!review_sources[i](db, rows))
			return (0);
	}
	return (1);
}

/*
 * Adds each row's deadline and flags.  Without the calendar of a year
 * involved (cal NULL, or a year missing) the deadline is null, rather
 * than a guess, and the row says which year's notice it waits for
 * (deadline_pending, calendar_year_missing) with a label to show; the
 * load of that year computes the stored deadline (src/deadline.c).
 */
void
review_queue_flag(const struct calendar *cal, int32_t today, json_t *rows)
{
	struct review_flags	f;
	json_t			*row;
	const char		*rd, *od;
	char			due[11];
	int32_t			received, online;
	size_t			i;
	int			missing;

	json_array_foreach(rows, i, row) {
		rd = json_string_value(json_object_get(row, "receipt_date"));
		od = json_string_value(json_object_get(row, "online_date"));
		if (od == NULL || !cal_date_parse(od, strlen(od), &online))
			online = INT32_MAX;
		json_object_set_new(row, "resubmission", json_boolean(
		    json_integer_value(json_object_get(row, "receipts")) > 1));
		missing = 0;
		if (rd == NULL || !cal_date_parse(rd, strlen(rd), &received)) {
			json_object_set_new(row, "deadline", json_null());
			calendar_pending_set(row, 0);
			continue;
		}
		if (cal == NULL || !filing_review_flags(cal, received, online,
		    today, &f, &missing)) {
			if (cal == NULL)
				missing = calendar_pending_year(cal, received,
				    FILING_REVIEW_WORKDAYS);
			json_object_set_new(row, "deadline", json_null());
			json_object_set_new(row, "calendar_year_missing",
			    json_integer(missing));
			calendar_pending_set(row, missing);
			continue;
		}
		cal_date_format(f.deadline, due);
		json_object_set_new(row, "deadline", json_string(due));
		calendar_pending_set(row, 0);
		json_object_set_new(row, "workdays_left",
		    json_integer(f.workdays_left));
		json_object_set_new(row, "overdue", json_boolean(f.overdue));
		json_object_set_new(row, "online_before_filing",
		    json_boolean(f.online_before_filing));
		if (json_object_get(row, "late_change") == NULL)
			json_object_set_new(row, "late_change", json_false());
	}
}

struct review_slot {
	json_t		*row;
	size_t		at;		/* its place before sorting */
};

/*
 * Nearest deadline first, rows without one last, and otherwise in the
 * order the stores gave (qsort promises no stability of its own).
 */
static int
review_queue_cmp(const void *a, const void *b)
{
	const struct review_slot	*sa = a, *sb = b;
	const char			*da, *db;
	int				c;

	da = json_string_value(json_object_get(sa->row, "deadline"));
	db = json_string_value(json_object_get(sb->row, "deadline"));
	if (da == NULL || db == NULL)
		c = (da == NULL) - (db == NULL);
	else
		c = strcmp(da, db);
	return (c != 0 ? c : (sa->at > sb->at) - (sa->at < sb->at));
}

/* The rows, nearest deadline first.  Takes rows over. */
json_t *
review_queue_sort(json_t *rows)
{
	struct review_slot	*v;
	json_t			*out;
	size_t			i, n;

	n = json_array_size(rows);
	if (n == 0 || (v = calloc(n, sizeof(*v))) == NULL)
		return (rows);
	for (i = 0; i < n; i++) {
		v[i].row = json_array_get(rows, i);
		v[i].at = i;
	}
	qsort(v, n, sizeof(*v), review_queue_cmp);
	out = json_array();
	for (i = 0; i < n; i++)
		json_array_append(out, v[i].row);
	free(v);
	json_decref(rows);
	return (out);
}

/* The whole queue as of now.  0 on a database error. */
int
review_queue_build(struct db *db, json_t **out)
{
	const struct calendar	*cal;
	struct calsnap		*snap;
	json_t			*rows;

	*out = NULL;
	rows = json_array();
	if (!review_queue_load(db, rows) ||
	    (snap = calcache_get(db, &cal)) == NULL) {
		json_decref(rows);
		return (0);
	}
	review_queue_flag(cal, cal_date_today_cst(time(NULL)), rows);
	calcache_put(snap);
	*out = review_queue_sort(rows);
	return (1);
}
