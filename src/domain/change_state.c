/*
 * The life of a change as a table: which event may happen in which
 * status, and where it leads.  Anything not in the table is refused.
 */

#include <string.h>

#include "domain/change_state.h"

static const char	*status_names[CHANGE_STATUS_MAX] = {
	"submitted", "correction_requested", "approved", "rejected"
};

static const char	*event_names[CHANGE_EV_MAX] = {
	"resubmit", "approve", "correct", "reject"
};

static const struct {
	enum change_status	from;
	enum change_event	event;
	enum change_status	to;
} transitions[] = {
	{ CHANGE_SUBMITTED,	CHANGE_EV_APPROVE,	CHANGE_APPROVED },
	{ CHANGE_SUBMITTED,	CHANGE_EV_CORRECT,	CHANGE_CORRECTION },
	{ CHANGE_SUBMITTED,	CHANGE_EV_REJECT,	CHANGE_REJECTED },
	{ CHANGE_CORRECTION,	CHANGE_EV_RESUBMIT,	CHANGE_SUBMITTED },
};

const char *
change_status_name(enum change_status s)
{
	if ((int)s < 0 || s >= CHANGE_STATUS_MAX)
		return ("unknown");
	return (status_names[s]);
}

int
change_status_parse(const char *name)
{
	int	i;

	for (i = 0; i < CHANGE_STATUS_MAX; i++) {
		if (!strcmp(status_names[i], name))
			return (i);
	}
	return (-1);
}

const char *
change_event_name(enum change_event e)
{
	if ((int)e < 0 || e >= CHANGE_EV_MAX)
		return ("unknown");
	return (event_names[e]);
}

int
change_transition(enum change_status from, enum change_event ev,
    enum change_status *to)
{
	size_t	i;

	for (i = 0; i < sizeof(transitions) / sizeof(transitions[0]); i++) {
		if (transitions[i].from == from && transitions[i].event == ev) {
			*to = transitions[i].to;
			return (1);
		}
	}
	return (0);
}

