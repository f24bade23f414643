#ifndef VCP_TIPOFF_OUTCOME_H
#define VCP_TIPOFF_OUTCOME_H

#include <stdint.h>

struct db;

/* An outcome as decoded; the strings NULL where they do not apply. */
struct tipoff_outcome_in {
	const char	*kind;		/* rectification, revocation, */
					/* referral */
	const char	*reasons;
	const char	*due_on;	/* rectification */
	const char	*ministry;	/* referral: mps or cac */
};

int	tipoff_outcome_add(struct db *, int64_t,
	    const struct tipoff_outcome_in *, int64_t, int64_t, int64_t *);
int	tipoff_outcome_refer(struct db *, int64_t, const char *,
	    const char *);

#endif
