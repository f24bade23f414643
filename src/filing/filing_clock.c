/*
 * A filing's clock: times come from the database (one clock for every
 * app host), receipt dates and deadlines are China Standard Time dates,
 * and a review deadline counts working days on the calendar snapshot.
 */

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "calendar/calendar_store.h"
#include "db/db.h"
#include "domain/calendar.h"
#include "domain/filing_state.h"
#include "filing/filing.h"

/* Today in CST as YYYYMMDD, the form checks' idea of "not in the future". */
int
filing_clock_today(void)
{
	int	y, m, d;

	cal_date_to_ymd(cal_date_today_cst(time(NULL)), &y, &m, &d);
	return (y * 10000 + m * 100 + d);
}

/* "YYYY-MM-DD HH:MM:SS.ffffff" in UTC to the CST calendar day. */
int32_t
filing_clock_cst_day(const char *utc)
{
	struct tm	tm;

	memset(&tm, 0, sizeof(tm));
	if (strptime(utc, "%Y-%m-%d %H:%M:%S", &tm) == NULL)
		return (cal_date_today_cst(time(NULL)));
	return (cal_date_today_cst(timegm(&tm)));
}

/* The database's time now, with its CST date.  0 on a database error. */
int
filing_clock_read(struct db *db, struct filing_clock *c)
{
	if (!db_now(db, c->now, sizeof(c->now)))
		return (0);
	c->day = filing_clock_cst_day(c->now);
	cal_date_format(c->day, c->date);
	return (1);
}

/*
 * The review deadline of something received on day: ten working days
 * on.  Left empty when the calendar has no data for the year, rather
 * than guessed; the review queue then says which year is missing.
 */
void
filing_clock_deadline(struct db *db, int32_t day, char *due)
{
	const struct calendar	*cal;
	struct calsnap		*snap;
	int32_t			deadline;
	int			missing;

	due[0] = '\0';
	if ((snap = calcache_get(db, &cal)) == NULL)
		return;
	if (cal != NULL && calendar_add_workdays(cal, day,
	    FILING_REVIEW_WORKDAYS, &deadline, &missing) == CAL_OK)
		cal_date_format(deadline, due);
	calcache_put(snap);
}
