#ifndef VCP_DECISION_H
#define VCP_DECISION_H

#include <jansson.h>

/*
 * A reviewer's decision on a case: approve, ask for a correction (with
 * the items to correct), or reject (with reasons).  The same three for
 * every kind of case; what each does depends on the case.
 */
enum decision {
	DECISION_APPROVE = 0,
	DECISION_CORRECT,
	DECISION_REJECT,
	DECISION_MAX
};

#define DECISION_ITEMS_MAX	50

/* The kinds of case a decision is taken on. */
enum decision_case {
	DECISION_FILING = 0,	/* an application or resubmission */
	DECISION_CHANGE,	/* a change of a filed platform */
	DECISION_CASE_MAX
};

/* What a decision does to its case. */
struct decision_effect {
	int		event;	/* the case's state-machine event: */
				/* enum filing_event or change_event */
	const char	*history;	/* the filing history's entry */
	const char	*notice;	/* the ministries' event, or NULL */
};

/* A decision as given (after decision_check): items and reasons are */
/* kept in the case's record as they came. */
struct decision_input {
	enum decision	decision;
	const json_t	*items;
	const json_t	*reasons;
};

int	decision_parse(const char *);
const char	*decision_name(enum decision);
int	decision_check(const json_t *, json_t *);
int	decision_decode(const json_t *, struct decision_input *);
const struct decision_effect	*decision_effect(enum decision_case,
	    enum decision);

#endif
