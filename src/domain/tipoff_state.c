/*
 * The life of a tip-off as a table: which event may happen in which
 * status, and where it leads.  Anything not in the table is refused.
 */

#include <string.h>

#include "domain/tipoff_state.h"

static const char	*status_names[TIPOFF_STATUS_MAX] = {
	"new", "in_review", "verified", "unfounded", "closed"
};

static const char	*event_names[TIPOFF_EV_MAX] = {
	"take", "verify", "unfounded", "close"
};

static const char	*close_reasons[] = {
	"duplicate", "spam", "out_of_scope"
};

static const struct {
	enum tipoff_status	from;
	enum tipoff_event	event;
	enum tipoff_status	to;
} transitions[] = {
	{ TIPOFF_NEW,		TIPOFF_EV_TAKE,		TIPOFF_IN_REVIEW },
	{ TIPOFF_NEW,		TIPOFF_EV_CLOSE,	TIPOFF_CLOSED },
	{ TIPOFF_IN_REVIEW,	TIPOFF_EV_VERIFY,	TIPOFF_VERIFIED },
	{ TIPOFF_IN_REVIEW,	TIPOFF_EV_UNFOUND,	TIPOFF_UNFOUNDED },
	{ TIPOFF_IN_REVIEW,	TIPOFF_EV_CLOSE,	TIPOFF_CLOSED },
};

const char *
tipoff_status_name(enum tipoff_status s)
{
	if ((int)s < 0 || s >= TIPOFF_STATUS_MAX)
		return ("unknown");
	return (status_names[s]);
}

int
tipoff_status_parse(const char *name)
{
	int	i;

	for (i = 0; name != NULL && i < TIPOFF_STATUS_MAX; i++) {
		if (!strcmp(status_names[i], name))
			return (i);
	}
	return (-1);
}

const char *
tipoff_event_name(enum tipoff_event e)
{
	if ((int)e < 0 || e >= TIPOFF_EV_MAX)
		return ("unknown");
	return (event_names[e]);
}

int
tipoff_event_parse(const char *name)
{
	int	i;

	for (i = 0; name != NULL && i < TIPOFF_EV_MAX; i++) {
		if (!strcmp(event_names[i], name))
			return (i);
	}
	return (-1);
}

int
tipoff_transition(enum tipoff_status from, enum tipoff_event ev,
    enum tipoff_status *to)
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
