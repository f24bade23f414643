#ifndef VCP_TIPOFF_CASE_H
#define VCP_TIPOFF_CASE_H

/*
 * The tip-off channel, the regulators' side (phase 2a): reading a case
 * (every read audited), taking and reassigning it, its status (the
 * table in domain/tipoff_state.c), internal notes apart from the
 * messages to the reporter, the filing it concerns, duplicates, and the
 * evidence opened for staff.  The queue is the review module's.
 */

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct api_call;
struct db;

/* What the rules of a case's handling need of its row. */
struct tipoff_case {
	int64_t		id;
	int		status;		/* enum tipoff_status */
	int64_t		assigned_to;	/* 0: nobody */
	int64_t		duplicate_of;	/* 0: none */
	int64_t		filing_id;	/* 0: not linked */
};

/* tipoff_case_store.c: the SQL */
int	tipoff_case_get(struct db *, int64_t, struct tipoff_case *);
int	tipoff_case_detail(struct db *, int64_t, json_t **);
int	tipoff_case_notes(struct db *, int64_t, json_t *);
int	tipoff_case_note_add(struct db *, int64_t, int64_t, const char *,
	    int64_t *, char *, size_t);
int	tipoff_case_set_status(struct db *, int64_t, const char *,
	    const char *, int);
int	tipoff_case_assign(struct db *, int64_t, int64_t);
int	tipoff_case_answered(struct db *, int64_t);
int	tipoff_case_link_filing(struct db *, int64_t, int64_t);
int	tipoff_case_set_duplicate(struct db *, int64_t, int64_t);
int	tipoff_case_staff_role(struct db *, int64_t, int *);

/* tipoff_case_http.c: the routes (reviewer, supervisor) */
int	tipoff_case_load(struct api_call *, struct db *, int,
	    struct tipoff_case *);
void	tipoff_case_show(struct api_call *, struct db *);
void	tipoff_case_take(struct api_call *, struct db *);
int	tipoff_case_status_prepare(struct api_call *);
void	tipoff_case_status(struct api_call *, struct db *);
int	tipoff_case_text_prepare(struct api_call *);
void	tipoff_case_note(struct api_call *, struct db *);
void	tipoff_case_message(struct api_call *, struct db *);
int	tipoff_case_filing_prepare(struct api_call *);
void	tipoff_case_filing(struct api_call *, struct db *);
int	tipoff_case_duplicate_prepare(struct api_call *);
void	tipoff_case_duplicate(struct api_call *, struct db *);
void	tipoff_case_evidence(struct api_call *, struct db *);

/* tipoff_outcome.c: what a verified case led to */
int	tipoff_outcome_list(struct db *, int64_t, json_t *);
int	tipoff_outcome_any(struct db *, int64_t, int *);

/* tipoff_outcome_http.c */
int	tipoff_outcome_prepare(struct api_call *);
void	tipoff_outcome(struct api_call *, struct db *);

#endif
