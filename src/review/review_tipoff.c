/*
 * The tip-off queue: cases oldest first, each with its age in working
 * days since receipt and the two targets counted from receipt on the
 * calendar (a first answer to the reporter, a decision), and whether
 * either is overdue.  A figure that needs the calendar of a year not yet
 * loaded is null, and the row says which year's notice it waits for.
 */

#include <string.h>
#include <time.h>

#include "calendar/calendar_store.h"
#include "domain/calendar.h"
#include "domain/tipoff_state.h"
#include "review/review.h"

/*
 * One target: its date and whether today is past it (while pending), or
 * nulls when the calendar lacks a year; *missing keeps the first such.
 */
static void
review_tipoff_due(const struct calendar *cal, int32_t received, int days,
    int32_t today, int pending, json_t *row, const char *due_name,
    const char *late_name, int *missing)
{
	int32_t	due;
	char	buf[11];
	int	m;

	m = 0;
	if (cal == NULL || calendar_add_workdays(cal, received, days, &due,
	    &m) != CAL_OK) {
		if (*missing == 0)
			*missing = cal == NULL ? calendar_pending_year(cal,
			    received, days) : m;
		json_object_set_new(row, due_name, json_null());
		json_object_set_new(row, late_name, json_false());
		return;
	}
	cal_date_format(due, buf);
	json_object_set_new(row, due_name, json_string(buf));
	json_object_set_new(row, late_name, json_boolean(pending &&
	    today > due));
}

void
review_tipoff_flag(const struct calendar *cal, int32_t today,
    const struct review_tipoff_targets *t, json_t *rows)
{
	json_t		*row;
	const char	*rd;
	int32_t		received;
	size_t		i;
	int		age, m, missing, open, answered;

	json_array_foreach(rows, i, row) {
		rd = json_string_value(json_object_get(row, "receipt_date"));
		open = tipoff_status_open(tipoff_status_parse(
		    json_string_value(json_object_get(row, "status"))));
		answered = json_is_true(json_object_get(row, "answered"));
		if (rd == NULL || !cal_date_parse(rd, strlen(rd), &received))
			continue;
		missing = m = 0;
		age = 0;
		if (today > received && (cal == NULL ||
		    calendar_workdays_between(cal, received, today, &age,
		    &m) != CAL_OK)) {
			json_object_set_new(row, "age_workdays", json_null());
			missing = cal == NULL ? calendar_pending_year(cal,
			    received, 1) : m;
		} else
			json_object_set_new(row, "age_workdays",
			    json_integer(age));
		review_tipoff_due(cal, received, t->answer_days, today,
		    !answered, row, "answer_due", "answer_overdue", &missing);
		review_tipoff_due(cal, received, t->decide_days, today, open,
		    row, "decision_due", "decision_overdue", &missing);
		json_object_set_new(row, "calendar_year_missing",
		    json_integer(missing));
		calendar_pending_set(row, missing);
	}
}

/* The queue as of now, oldest first.  0 on a database error. */
int
review_tipoff_build(struct db *db, const char *status, const char *category,
    const struct review_tipoff_targets *t, json_t **out)
{
	const struct calendar	*cal;
	struct calsnap		*snap;
	json_t			*rows;

	*out = NULL;
	rows = json_array();
	if (!review_store_tipoffs(db, status, category, rows) ||
	    (snap = calcache_get(db, &cal)) == NULL) {
		json_decref(rows);
		return (0);
	}
	review_tipoff_flag(cal, cal_date_today_cst(time(NULL)), t, rows);
	calcache_put(snap);
	*out = rows;
	return (1);
}
