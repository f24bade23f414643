/*
 * The life of a change as a table: which event may happen in which
 * status, and where it leads.  Anything not in the table is refused.
 */

#include <string.h>

#include "domain/change_state.h"
#include "domain/state.h"

static const char *const	status_names[CHANGE_STATUS_MAX] = {
	"submitted", "correction_requested", "approved", "rejected"
};

static const char *const	event_names[CHANGE_EV_MAX] = {
	"resubmit", "approve", "correct", "reject"
};

static const struct state_step	transitions[] = {
	{ CHANGE_SUBMITTED,	CHANGE_EV_APPROVE,	CHANGE_APPROVED },
	{ CHANGE_SUBMITTED,	CHANGE_EV_CORRECT,	CHANGE_CORRECTION },
	{ CHANGE_SUBMITTED,	CHANGE_EV_REJECT,	CHANGE_REJECTED },
	{ CHANGE_CORRECTION,	CHANGE_EV_RESUBMIT,	CHANGE_SUBMITTED },
};

const char *
change_status_name(enum change_status v)
{
	return (state_name(status_names, CHANGE_STATUS_MAX, (int)v));
}

int
change_status_parse(const char *name)
{
	return (state_parse(status_names, CHANGE_STATUS_MAX, name));
}

const char *
change_event_name(enum change_event v)
{
	return (state_name(event_names, CHANGE_EV_MAX, (int)v));
}

int
change_transition(enum change_status from, enum change_event ev,
    enum change_status *to)
{
	int	next;

	if (!state_next(transitions, STATE_LEN(transitions), (int)from,
	    (int)ev, &next))
		return (0);
	*to = (enum change_status)next;
	return (1);
}

