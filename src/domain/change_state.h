#ifndef VCP_CHANGE_STATE_H
#define VCP_CHANGE_STATE_H

/*
 * The life of a change of a filed platform (Art. 6) as a table, like the
 * filing's (filing_state.h).  A change is born submitted; the filing
 * itself stays filed throughout.
 */
enum change_status {
	CHANGE_SUBMITTED = 0,
	CHANGE_CORRECTION,	/* 补正: the operator must correct and resubmit */
	CHANGE_APPROVED,
	CHANGE_REJECTED,
	CHANGE_STATUS_MAX
};

enum change_event {
	CHANGE_EV_RESUBMIT = 0,
	CHANGE_EV_APPROVE,
	CHANGE_EV_CORRECT,
	CHANGE_EV_REJECT,
	CHANGE_EV_MAX
};

const char	*change_status_name(enum change_status);
int		change_status_parse(const char *);
const char	*change_event_name(enum change_event);
int		change_transition(enum change_status, enum change_event,
		    enum change_status *);

#endif
