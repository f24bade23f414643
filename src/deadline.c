/*
 * Deadlines that waited for a year's notice.  Every load of a notice
 * (vcpctl calendar load, vcpctl calendar import-notice) calls
 * deadline_after_load inside its own transaction, after the calendar's
 * tables are written: each case under review whose deadline could not
 * be computed when it was received gets it now, from its receipt date,
 * on the new calendar, and one audit row (deadline.computed, actor
 * system), or none of it if the load rolls back.  At the top of src/
 * because it names every kind of case, and the calendar, which they
 * all use, can include none of them.  Kore-free.
 */

#include <string.h>

#include "audit/audit.h"
#include "calendar/calendar_store.h"
#include "db/db.h"
#include "deadline.h"
#include "domain/calendar.h"
#include "filing/filing.h"

/*
 * The kinds of case with a review deadline, each filled by its own
 * capability over its own tables.  Tip-offs, when they exist, are one
 * more line.
 */
static int	(*const deadline_kinds[])(struct db *, const struct calendar *,
		    filing_done_fn, void *) = {
	filing_deadline_fill,		/* applications, resubmissions */
	change_deadline_fill,		/* changes of filed platforms */
};

struct deadline_run {
	const char	*client;
	int		count;
};

static int
deadline_audit(struct db *db, const char *object, void *arg)
{
	struct deadline_run	*run = arg;
	struct audit_entry	e;

	memset(&e, 0, sizeof(e));
	e.actor_role = "system";
	e.action = "deadline.computed";
	e.object = object;
	e.outcome = "ok";
	e.client = run->client;
	if (!audit_append(db, &e))
		return (0);
	run->count++;
	return (1);
}

/*
 * After a load, inside its transaction: *count is how many cases got
 * their deadline.  client names who loaded (the audit's client).  0 on a
 * database error: the caller rolls the load back with it.
 */
int
deadline_after_load(struct db *db, const char *client, int *count)
{
	struct deadline_run	run;
	struct calendar		*cal;
	size_t			i;
	int			ok;

	*count = 0;
	if (!calendar_store_load(db, &cal))
		return (0);
	run.client = client;
	run.count = 0;
	ok = 1;
	for (i = 0; ok && i < sizeof(deadline_kinds) /
	    sizeof(deadline_kinds[0]); i++)
		ok = deadline_kinds[i](db, cal, deadline_audit, &run);
	calendar_free(cal);
	*count = run.count;
	return (ok);
}
