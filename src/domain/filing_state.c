/*
 * The life of a filing as a table: which event may happen in which
 * status, and where it leads.  Anything not in the table is refused.
 */

#include <stdio.h>
#include <string.h>

#include "domain/calendar.h"
#include "domain/filing_state.h"
#include "domain/state.h"

static const char *const	status_names[FILING_STATUS_MAX] = {
	"draft", "submitted", "correction_requested", "filed", "rejected",
	"deregistered", "revoked"
};

static const char *const	event_names[EV_EVENT_MAX] = {
	"edit", "submit", "approve", "correct", "reject", "change",
	"deregister", "revoke"
};

static const struct state_step	transitions[] = {
	{ FILING_DRAFT,		EV_EDIT,	FILING_DRAFT },
	{ FILING_DRAFT,		EV_SUBMIT,	FILING_SUBMITTED },
	{ FILING_CORRECTION,	EV_EDIT,	FILING_CORRECTION },
	{ FILING_CORRECTION,	EV_SUBMIT,	FILING_SUBMITTED },
	{ FILING_SUBMITTED,	EV_APPROVE,	FILING_FILED },
	{ FILING_SUBMITTED,	EV_CORRECT,	FILING_CORRECTION },
	{ FILING_SUBMITTED,	EV_REJECT,	FILING_REJECTED },
	/* A change leaves the filing filed; the change has its own review. */
	{ FILING_FILED,		EV_CHANGE,	FILING_FILED },
	{ FILING_FILED,		EV_DEREGISTER,	FILING_DEREGISTERED },
	{ FILING_FILED,		EV_REVOKE,	FILING_REVOKED },
};

const char *
filing_status_name(enum filing_status v)
{
	return (state_name(status_names, FILING_STATUS_MAX, (int)v));
}

int
filing_status_parse(const char *name)
{
	return (state_parse(status_names, FILING_STATUS_MAX, name));
}

const char *
filing_event_name(enum filing_event v)
{
	return (state_name(event_names, EV_EVENT_MAX, (int)v));
}

int
filing_transition(enum filing_status from, enum filing_event ev,
    enum filing_status *to)
{
	int	next;

	if (!state_next(transitions, STATE_LEN(transitions), (int)from,
	    (int)ev, &next))
		return (0);
	*to = (enum filing_status)next;
	return (1);
}

/* SPEC §5: the register shows filed platforms and those that ended. */
int
filing_is_public(enum filing_status s)
{
	return (s == FILING_FILED || s == FILING_DEREGISTERED ||
	    s == FILING_REVOKED);
}

/*
 * Art. 8: a platform must be filed before it goes online; those already
 * online when the measures took effect (2023-01-01) had 10 working days
 * from that date.  received is the day the application was received.
 */
static int
filing_online_early(const struct calendar *cal, int32_t online,
    int32_t received, int *missing)
{
	int32_t	start, grace;

	if (online > received)
		return (0);
	(void)cal_date_from_ymd(2023, 1, 1, &start);
	if (online < start) {
		if (calendar_add_workdays(cal, start, FILING_REVIEW_WORKDAYS,
		    &grace, missing) != CAL_OK)
			return (-1);
		return (received > grace);
	}
	return (1);
}

/*
 * The review deadline of an application received on `received`, and how
 * it stands on `today`.  Returns 1, or 0 with *missing set when the
 * calendar lacks a year.
 */
int
filing_review_flags(const struct calendar *cal, int32_t received,
    int32_t online, int32_t today, struct review_flags *f, int *missing)
{
	int	n, early;

	memset(f, 0, sizeof(*f));
	if (calendar_add_workdays(cal, received, FILING_REVIEW_WORKDAYS,
	    &f->deadline, missing) != CAL_OK)
		return (0);
	if (today <= f->deadline) {
		if (calendar_workdays_between(cal, today, f->deadline, &n,
		    missing) != CAL_OK)
			return (0);
		f->workdays_left = n;
	} else {
		if (calendar_workdays_between(cal, f->deadline, today, &n,
		    missing) != CAL_OK)
			return (0);
		f->workdays_left = -n;
		f->overdue = 1;
	}
	if ((early = filing_online_early(cal, online, received, missing)) < 0)
		return (0);
	f->online_before_filing = early;
	return (1);
}

/*
 * Art. 6: a change is due within 30 days of the day the information
 * changed.  Sets *late and the deadline; returns 0 when the calendar lacks
 * a year.
 */
int
filing_change_late(const struct calendar *cal, int32_t changed,
    int32_t filed, int32_t *deadline, int *late, int *missing)
{
	if (calendar_add_days(cal, changed, FILING_CHANGE_DAYS, deadline,
	    missing) != CAL_OK)
		return (0);
	*late = filed > *deadline;
	return (1);
}

/* ISO 7064 MOD 11-2 over the digits: catches every single-digit error
 * and every swap of two adjacent digits. */
static char
filing_mod11_2(const char *digits)
{
	static const char	map[] = "0123456789X";
	int			p, c;

	p = 0;
	for (; *digits != '\0'; digits++) {
		if (*digits < '0' || *digits > '9')
			continue;
		p = ((p + (*digits - '0')) * 2) % 11;
	}
	c = (12 - p % 11) % 11;
	return (map[c]);
}

int
filing_number_format(const char *prefix, int year, uint32_t seq, char *out,
    size_t len)
{
	char	digits[16];
	int	n;

	if (year < 2000 || year > 9999 || seq < 1 || seq > 999999)
		return (0);
	(void)snprintf(digits, sizeof(digits), "%04d%06u", year, seq);
	n = snprintf(out, len, "%s-%04d-%06u-%c", prefix, year, seq,
	    filing_mod11_2(digits));
	return (n > 0 && (size_t)n < len);
}

/* Returns 1 when number has the shape and a correct check character. */
int
filing_number_check(const char *prefix, const char *number)
{
	char	digits[16];
	size_t	plen, i;
	const char *p;

	plen = strlen(prefix);
	if (strlen(number) != plen + 14 || strncmp(number, prefix, plen) ||
	    number[plen] != '-' || number[plen + 5] != '-' ||
	    number[plen + 12] != '-')
		return (0);
	p = number + plen + 1;
	for (i = 0; i < 10; i++) {
		if (i == 4)
			p++;
		if (*p < '0' || *p > '9')
			return (0);
		digits[i] = *p++;
	}
	digits[10] = '\0';
	p++;
	return (*p == filing_mod11_2(digits));
}
