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

/* A clock reading as the API writes times: "YYYY-MM-DDTHH:MM:SSZ". */
void
filing_clock_iso(const char *now, char *out, size_t len)
{
	(void)snprintf(out, len, "%.10sT%.8sZ", now, now + 11);
}

static enum cal_result
filing_clock_count(const struct calendar *cal, int32_t day, char *due)
{
	enum cal_result	r;
	int32_t		deadline;
	int		missing;

	if (cal == NULL)
		return (CAL_NO_DATA);
	r = calendar_add_workdays(cal, day, FILING_REVIEW_WORKDAYS, &deadline,
	    &missing);
	if (r == CAL_OK)
		cal_date_format(deadline, due);
	return (r);
}

/*
 * The review deadline of something received on day: ten working days
 * on.  Left empty when the calendar has no data for the year, rather
 * than guessed; the review queue and the views then say which year is
 * missing, and loading that year fills it in (src/deadline.c).  Before
 * leaving it empty, the calendar's version is read again under a lock
 * held to the commit (calcache_get_synced), so that a load committing
 * at the same moment either is seen here or sees this receipt.  0 on a
 * database error.
 */
int
filing_clock_deadline(struct db *db, int32_t day, char *due)
{
	const struct calendar	*cal;
	struct calsnap		*snap;
	enum cal_result		r;

	due[0] = '\0';
	if ((snap = calcache_get(db, &cal)) == NULL)
		return (0);
	r = filing_clock_count(cal, day, due);
	calcache_put(snap);
	if (r == CAL_NO_DATA) {
		if ((snap = calcache_get_synced(db, &cal)) == NULL)
			return (0);
		(void)filing_clock_count(cal, day, due);
		calcache_put(snap);
	}
	return (1);
}

/*
 * The year whose notice the empty deadline of a case received on
 * receipt_date waits for; 0 when none does, -1 on a database error.
 */
int
filing_clock_pending(struct db *db, const char *receipt_date)
{
	const struct calendar	*cal;
	struct calsnap		*snap;
	int32_t			day;
	int			year;

	if (receipt_date == NULL ||
	    !cal_date_parse(receipt_date, strlen(receipt_date), &day))
		return (0);
	if ((snap = calcache_get(db, &cal)) == NULL)
		return (-1);
	year = calendar_pending_year(cal, day, FILING_REVIEW_WORKDAYS);
	calcache_put(snap);
	return (year);
}
