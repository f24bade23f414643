/*
 * What the portal says about its own calendar: the years in force, and
 * the year whose notice is overdue (this year's, or from
 * calendar_warn_from on next year's), for /healthz, the public years
 * route and vcpctl calendar status alike; and how a case shows a
 * deadline that waits for a notice.
 */

#include <stdio.h>

#include "calendar/calendar_store.h"
#include "config.h"
#include "domain/calendar.h"

/* The warning about the overdue year, or NULL when there is none. */
json_t *
calendar_warning(const struct calendar *cal, int32_t today)
{
	char	msg[256];
	int	year;

	if ((year = calendar_year_due(cal, today,
	    vcp_conf.calendar_warn_from)) == 0)
		return (NULL);
	(void)snprintf(msg, sizeof(msg), "%d年的节假日安排尚未载入："
	    "国务院办公厅通知发布后请用 vcpctl calendar load 载入，"
	    "在此之前延伸到%d年的审核期限无法计算", year, year);
	return (json_pack("{s:s,s:i,s:s}", "code", "calendar_year_missing",
	    "year", year, "message", msg));
}

/* {"years": [...], "next_year_loaded": b, "warning": {...} | null} */
json_t *
calendar_status_json(const struct calendar *cal, int32_t today)
{
	json_t	*years, *warning;
	int	list[CAL_YEAR_MAX - CAL_YEAR_MIN + 1];
	size_t	i, n;
	int	y, m, d;

	n = calendar_year_list(cal, list, sizeof(list) / sizeof(list[0]));
	years = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(years, json_integer(list[i]));
	cal_date_to_ymd(today, &y, &m, &d);
	warning = calendar_warning(cal, today);
	return (json_pack("{s:o,s:b,s:o}", "years", years,
	    "next_year_loaded", cal != NULL && calendar_has_year(cal, y + 1),
	    "warning", warning != NULL ? warning : json_null()));
}

/*
 * A case's "deadline_pending" (the year whose notice its deadline waits
 * for) and "deadline_label", both null when year is 0.
 */
void
calendar_pending_set(json_t *obj, int year)
{
	char	label[128];

	if (year == 0) {
		json_object_set_new(obj, "deadline_pending", json_null());
		json_object_set_new(obj, "deadline_label", json_null());
		return;
	}
	calendar_pending_label(year, label, sizeof(label));
	json_object_set_new(obj, "deadline_pending", json_integer(year));
	json_object_set_new(obj, "deadline_label", json_string(label));
}

/*
 * The first year a period of `workdays` working days from `received`
 * lacks, or 0 when the calendar has them all (or the date is out of
 * range, which no stored receipt is).
 */
int
calendar_pending_year(const struct calendar *cal, int32_t received,
    int workdays)
{
	int32_t	due;
	int	y, m, d, missing;

	if (cal == NULL) {
		cal_date_to_ymd(received + 1, &y, &m, &d);
		return (y);
	}
	missing = 0;
	if (calendar_add_workdays(cal, received, workdays, &due, &missing) ==
	    CAL_NO_DATA)
		return (missing);
	return (0);
}
