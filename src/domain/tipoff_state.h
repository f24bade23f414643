#ifndef VCP_TIPOFF_STATE_H
#define VCP_TIPOFF_STATE_H

/*
 * The life of a tip-off (Art. 9) as a table, like the filing's
 * (filing_state.h) and the change's (change_state.h).  A tip-off is born
 * new; a reviewer takes it into review and decides it verified or
 * unfounded, or closes it (duplicate, spam, out of scope).  verified is
 * where the outcomes (rectification, revocation, referral) start.
 */
enum tipoff_status {
	TIPOFF_NEW = 0,
	TIPOFF_IN_REVIEW,
	TIPOFF_VERIFIED,
	TIPOFF_UNFOUNDED,
	TIPOFF_CLOSED,
	TIPOFF_STATUS_MAX
};

enum tipoff_event {
	TIPOFF_EV_TAKE = 0,	/* a reviewer starts on it */
	TIPOFF_EV_VERIFY,
	TIPOFF_EV_UNFOUND,
	TIPOFF_EV_CLOSE,	/* with a reason */
	TIPOFF_EV_MAX
};

const char	*tipoff_status_name(enum tipoff_status);
int		tipoff_status_parse(const char *);
const char	*tipoff_event_name(enum tipoff_event);
int		tipoff_event_parse(const char *);
int		tipoff_transition(enum tipoff_status, enum tipoff_event,
		    enum tipoff_status *);
int		tipoff_close_reason_valid(const char *);
int		tipoff_status_open(enum tipoff_status);

#endif
