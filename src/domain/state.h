#ifndef VCP_STATE_H
#define VCP_STATE_H

#include <stddef.h>

/*
 * The mechanism behind every state machine of the portal (filings,
 * changes, tip-offs): names indexed by value, and a table of allowed
 * steps; anything not in the table is refused.  Each machine keeps its
 * own enums, names and table, and wraps these in typed functions.
 */
struct state_step {
	int	from;
	int	event;
	int	to;
};

#define STATE_LEN(a)	(sizeof(a) / sizeof((a)[0]))

const char	*state_name(const char *const *, int, int);
int		state_parse(const char *const *, int, const char *);
int		state_next(const struct state_step *, size_t, int, int, int *);

#endif
