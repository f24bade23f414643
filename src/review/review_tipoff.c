/*
 * The tip-off queue: cases oldest first, each with its age in working
 * days since receipt and the two targets counted from receipt on the
 * calendar (a first answer to the reporter, a decision), and whether
 * either is overdue.  Without the calendar of a year involved the
 * figures are null and the row says which year's notice it waits for.
 */

#include <string.h>
#include <time.h>

#include "calendar/calendar_store.h"
#include "domain/calendar.h"
#include "domain/tipoff_state.h"
#include "review/review.h"

/* One target: its date and whether today is past it; 0 no calendar. */
static int
review_tipoff_due(const struct calendar *cal, int32_t received, int days,
    int32_t today, int *missing, json_t *row, const char *due_name,
    const char *late_name, int pending)
{
	int32_t	due;
	char	buf[11];

	if (calendar_add_workdays(cal, received, days, &due, missing) !=
	    CAL_OK)
		return (0);
	cal_date_format(due, buf);
	json_object_set_new(row, due_name, json_string(buf));
	json_object_set_new(row, late_name, json_boolean(pending &&
	    today > due));
	return (1);
}

void
review_tipoff_flag(const struct calendar *cal, int32_t today,
    const struct review_tipoff_targets *t, json_t *rows)
{
	json_t		*row;
	const char	*rd;
	int32_t		received;
	size_t		i;
	int		age, missing, open, answered;

	age = 0;

	json_array_foreach(rows, i, row) {
		rd = json_string_value(json_object_get(row, "receipt_date"));
		open = tipoff_status_open(tipoff_status_parse(
		    json_string_value(json_object_get(row, "status"))));
		answered = json_is_true(json_object_get(row, "answered"));
		missing = 0;
		if (rd == NULL || !cal_date_parse(rd, strlen(rd), &received))
			continue;
		if (cal != NULL &&
		    (today <= received || calendar_workdays_between(cal,
		    received, today, &age, &missing) == CAL_OK) &&
		    review_tipoff_due(cal, received, t->answer_days, today,
		    &missing, row, "answer_due", "answer_overdue",
		    !answered) &&
		    review_tipoff_due(cal, received, t->decide_days, today,
		    &missing, row, "decision_due", "decision_overdue", open)) {
			json_object_set_new(row, "age_workdays",
			    json_integer(today <= received ? 0 : age));
			calendar_pending_set(row, 0);
			continue;
		}
		if (cal == NULL)
			missing = calendar_pending_year(cal, received,
			    t->decide_days);
		json_object_set_new(row, "age_workdays", json_null());
		json_object_set_new(row, "answer_due", json_null());
		json_object_set_new(row, "decision_due", json_null());
		json_object_set_new(row, "answer_overdue", json_false());
		json_object_set_new(row, "decision_overdue", json_false());
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
