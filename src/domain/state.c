/*
 * Names and tables of the portal's state machines: one lookup for every
 * machine, so each of them is only its names and its allowed steps.
 */

#include <string.h>

#include "domain/state.h"

const char *
state_name(const char *const *names, int n, int v)
{
	if (v < 0 || v >= n)
		return ("unknown");
	return (names[v]);
}

/* The value of a name, or -1. */
int
state_parse(const char *const *names, int n, const char *name)
{
	int	i;

	for (i = 0; name != NULL && i < n; i++) {
		if (!strcmp(names[i], name))
			return (i);
	}
	return (-1);
}

/* 1 with *to set when the table allows event in from, else 0. */
int
state_next(const struct state_step *t, size_t n, int from, int event,
    int *to)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (t[i].from == from && t[i].event == event) {
			*to = t[i].to;
			return (1);
		}
	}
	return (0);
}
