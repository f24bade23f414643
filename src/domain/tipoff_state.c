/*
 * The life of a tip-off as a table: which event may happen in which
 * status, and where it leads.  Anything not in the table is refused.
 */

#include <string.h>

#include "domain/tipoff_state.h"
#include "domain/state.h"

static const char *const	status_names[TIPOFF_STATUS_MAX] = {
	"new", "in_review", "verified", "unfounded", "closed"
};

static const char *const	event_names[TIPOFF_EV_MAX] = {
	"take", "verify", "unfounded", "close"
};

static const char	*close_reasons[] = {
	"duplicate", "spam", "out_of_scope"
};

static const struct state_step	transitions[] = {
	{ TIPOFF_NEW,		TIPOFF_EV_TAKE,		TIPOFF_IN_REVIEW },
	{ TIPOFF_NEW,		TIPOFF_EV_CLOSE,	TIPOFF_CLOSED },
	{ TIPOFF_IN_REVIEW,	TIPOFF_EV_VERIFY,	TIPOFF_VERIFIED },
	{ TIPOFF_IN_REVIEW,	TIPOFF_EV_UNFOUND,	TIPOFF_UNFOUNDED },
	{ TIPOFF_IN_REVIEW,	TIPOFF_EV_CLOSE,	TIPOFF_CLOSED },
};

const char *
tipoff_status_name(enum tipoff_status v)
{
	return (state_name(status_names, TIPOFF_STATUS_MAX, (int)v));
}

int
tipoff_status_parse(const char *name)
{
	return (state_parse(status_names, TIPOFF_STATUS_MAX, name));
}

const char *
tipoff_event_name(enum tipoff_event v)
{
	return (state_name(event_names, TIPOFF_EV_MAX, (int)v));
}

int
tipoff_event_parse(const char *name)
{
	return (state_parse(event_names, TIPOFF_EV_MAX, name));
}

int
tipoff_transition(enum tipoff_status from, enum tipoff_event ev,
    enum tipoff_status *to)
{
	int	next;

	if (!state_next(transitions, STATE_LEN(transitions), (int)from,
	    (int)ev, &next))
		return (0);
	*to = (enum tipoff_status)next;
	return (1);
}

int
tipoff_close_reason_valid(const char *r)
{
	size_t	i;

	for (i = 0; r != NULL &&
	    i < sizeof(close_reasons) / sizeof(close_reasons[0]); i++) {
		if (!strcmp(close_reasons[i], r))
			return (1);
	}
	return (0);
}

/* Still waiting for a decision: counted against the decision target. */
int
tipoff_status_open(enum tipoff_status s)
{
	return (s == TIPOFF_NEW || s == TIPOFF_IN_REVIEW);
}
