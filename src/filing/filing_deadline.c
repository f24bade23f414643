/*
 * Review deadlines that waited for a year's notice.  A receipt whose ten
 * working days reach into a year not loaded is stored without a
 * deadline (filing_clock_deadline), and a change's due date likewise;
 * when a notice is loaded, src/deadline.c calls these in the load's
 * transaction with the new calendar, and each case under review gets
 * what that calendar now allows, counted from its own receipt.  A case
 * still lacking a year stays pending.  done() is told of each case
 * filled ("filing:ID", "change:ID"), to audit it.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "domain/calendar.h"
#include "domain/filing_state.h"
#include "filing/filing.h"

/* The review deadline of a receipt, if the calendar has its years. */
static int
filing_deadline_count(const struct calendar *cal, const char *receipt_date,
    char *due)
{
	int32_t	day, deadline;
	int	missing;

	if (!cal_date_parse(receipt_date, strlen(receipt_date), &day) ||
	    calendar_add_workdays(cal, day, FILING_REVIEW_WORKDAYS, &deadline,
	    &missing) != CAL_OK)
		return (0);
	cal_date_format(deadline, due);
	return (1);
}

static int
filing_deadline_done(struct db *db, const char *kind, int64_t id,
    filing_done_fn done, void *arg)
{
	char	object[48];

	(void)snprintf(object, sizeof(object), "%s:%lld", kind,
	    (long long)id);
	return (done(db, object, arg));
}

/* Applications and resubmissions under review.  0 on an error. */
int
filing_deadline_fill(struct db *db, const struct calendar *cal,
    filing_done_fn done, void *arg)
{
	struct filing_pending	*v;
	size_t			i, n;
	int			ok, r;

	if (!filing_store_pending(db, &v, &n)) {
		free(v);
		return (0);
	}
	ok = 1;
	for (i = 0; ok && i < n; i++) {
		if (!filing_deadline_count(cal, v[i].receipt_date,
		    v[i].deadline))
			continue;
		if ((r = filing_store_set_deadline(db, &v[i])) < 0)
			ok = 0;
		else if (r == 1)
			ok = filing_deadline_done(db, "filing", v[i].id, done,
			    arg);
	}
	free(v);
	return (ok);
}

/*
 * A change's due date (30 days from the day it changed) and lateness,
 * if the calendar has the years.
 */
static int
change_deadline_due(const struct calendar *cal, struct filing_pending *p)
{
	int32_t	changed, received, due;
	int	late, missing;

	if (!cal_date_parse(p->changed_on, strlen(p->changed_on), &changed) ||
	    !cal_date_parse(p->receipt_date, strlen(p->receipt_date),
	    &received) || !filing_change_late(cal, changed, received, &due,
	    &late, &missing))
		return (0);
	cal_date_format(due, p->due_on);
	p->late = late;
	return (1);
}

/* Changes under review.  0 on an error. */
int
change_deadline_fill(struct db *db, const struct calendar *cal,
    filing_done_fn done, void *arg)
{
	struct filing_pending	*v;
	size_t			i, n;
	int			ok, r, got;

	if (!change_store_pending_dates(db, &v, &n)) {
		free(v);
		return (0);
	}
	ok = 1;
	for (i = 0; ok && i < n; i++) {
		got = 0;
		if (v[i].deadline[0] == '\0')
			got |= filing_deadline_count(cal, v[i].receipt_date,
			    v[i].deadline);
		if (v[i].due_on[0] == '\0')
			got |= change_deadline_due(cal, &v[i]);
		if (!got)
			continue;
		if ((r = change_store_set_dates(db, &v[i])) < 0)
			ok = 0;
		else if (r == 1)
			ok = filing_deadline_done(db, "change", v[i].id, done,
			    arg);
	}
	free(v);
	return (ok);
}
