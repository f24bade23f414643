#ifndef VCP_FILING_STATE_H
#define VCP_FILING_STATE_H

#include <stddef.h>
#include <stdint.h>

struct calendar;

enum filing_status {
	FILING_DRAFT = 0,
	FILING_SUBMITTED,
	FILING_CORRECTION,	/* 补正: the operator must correct and resubmit */
	FILING_FILED,
	FILING_REJECTED,
	FILING_DEREGISTERED,
	FILING_REVOKED,
	FILING_STATUS_MAX
};

enum filing_event {
	EV_EDIT = 0,
	EV_SUBMIT,
	EV_APPROVE,
	EV_CORRECT,
	EV_REJECT,
	EV_CHANGE,		/* file a change of a filed platform */
	EV_DEREGISTER,
	EV_REVOKE,
	EV_EVENT_MAX
};

const char	*filing_status_name(enum filing_status);
int		filing_status_parse(const char *);
const char	*filing_event_name(enum filing_event);
int		filing_transition(enum filing_status, enum filing_event,
		    enum filing_status *);
int		filing_is_public(enum filing_status);

/* Review deadlines and the flags of the review queue. */
#define FILING_REVIEW_WORKDAYS	10
#define FILING_CHANGE_DAYS	30

struct review_flags {
	int32_t		deadline;
	int		workdays_left;	/* negative when overdue */
	int		overdue;
	int		online_before_filing;
};

int	filing_review_flags(const struct calendar *, int32_t, int32_t,
	    int32_t, struct review_flags *, int *);
int	filing_change_late(const struct calendar *, int32_t, int32_t,
	    int32_t *, int *, int *);

/* Filing numbers: PREFIX-YYYY-NNNNNN-C, C an ISO 7064 MOD 11-2 check. */
#define FILING_NUMBER_MAX	48

int	filing_number_format(const char *, int, uint32_t, char *, size_t);
int	filing_number_check(const char *, const char *);

#endif
