#ifndef VCP_FILING_H
#define VCP_FILING_H

/*
 * Filings and their changes, without Kore: the operations of the
 * service layer (filing_ops.c, change_ops.c, filing_attachment.c), what
 * a caller is shown (filing_view.c), the sealed form (filing_seal.c),
 * the clock (filing_clock.c), telling the register and the ministries
 * (filing_announce.c, filing_payload.c) and the SQL (filing_store.c,
 * change_store.c).  Linked into the module, vcpctl and vcpnotifyd
 * alike; the routes are declared in filing_http.h.
 *
 * An operation takes the connection (inside the caller's transaction),
 * the actor and its decoded, checked input, and returns a result code
 * with its output in a struct filing_out.  On anything but FILING_OK
 * the caller rolls back.
 */

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <libxml/tree.h>

#include "domain/decision.h"
#include "domain/filing_state.h"
#include "notify/notify.h"

struct actor;
struct attachment_in;
struct calendar;
struct db;

enum filing_result {
	FILING_OK = 0,
	FILING_ERROR,			/* database or system */
	FILING_NOT_FOUND,		/* no such filing, or not the actor's */
	FILING_INVALID_STATE,		/* not in this status (of the */
					/* filing, or of the change) */
	FILING_STALE_VERSION,		/* saved over someone else's edit */
	FILING_VALIDATION,		/* out->fields says what is wrong */
	FILING_NO_CHANGE,		/* a change that changes nothing */
	FILING_CHANGE_PENDING,		/* another change is being handled */
	FILING_CHANGE_NOT_FOUND,
	FILING_ATTACHMENT_NOT_FOUND,
	FILING_TOO_MANY_ATTACHMENTS
};

/* What an operation gives back; filing_out_free releases it. */
struct filing_out {
	int64_t		id;		/* the filing, change or attachment */
	json_t		*view;		/* as the actor may see it */
	json_t		*fields;	/* FILING_VALIDATION: field errors */
};

/* Ending a filing: deregistration by its operator, revocation. */
struct filing_ending {
	enum filing_event	event;		/* EV_DEREGISTER, EV_REVOKE */
	const char		*ended_on;	/* deregistration: the day */
						/* collection stopped */
	const char		*reasons;	/* revocation */
	const char		*tipoff;	/* revocation: the reference */
						/* of the tip-off behind it */
};

/* A change: the changed fields by group, and the day they changed. */
struct change_input {
	int			resubmit;	/* of change_id, after a */
	int64_t			change_id;	/* correction was asked */
	const char		*changed_on;
	const json_t		*changes;
};

struct filing_row {
	int64_t		id;
	int64_t		owner_id;
	char		status[24];
	int64_t		version;
	char		*form;
	int64_t		receipts;
	char		received_at[32];
	char		receipt_date[11];
	char		deadline[11];
	char		online_date[11];
	char		*decision;
	char		number[48];
	char		filed_on[11];
	char		ended_on[11];
	char		created_at[32];
	char		updated_at[32];
};

struct change_row {
	int64_t		id;
	int64_t		filing_id;
	char		status[24];
	char		*form;
	char		*fields;
	char		changed_on[11];
	char		due_on[11];
	int		late;
	int64_t		receipts;
	char		received_at[32];
	char		receipt_date[11];
	char		deadline[11];
	char		*decision;
	char		decided_on[11];
};

/*
 * A case under review whose review deadline (or, for a change, its due
 * date) could not be computed when it was received (filing_deadline.c).
 */
struct filing_pending {
	int64_t		id;
	int64_t		filing_id;	/* changes */
	int64_t		receipts;	/* the receipt it counts from */
	char		receipt_date[11];
	char		changed_on[11];	/* changes */
	char		deadline[11];	/* empty while pending */
	char		due_on[11];	/* changes: empty while pending */
	int		late;		/* changes */
};

/* Told of each case a load gave its deadline: "filing:ID", "change:ID". */
typedef int	(*filing_done_fn)(struct db *, const char *, void *);

/* What an event tells the ministries of a filing (filing_payload.c). */
struct filing_notice {
	const char	*event;		/* filed, changed, deregistered, */
					/* revoked */
	int64_t		filing_id;
	const char	*number;
	const char	*status;
	const char	*filed_on;
	const char	*ended_on;	/* or NULL */
	const char	*form;		/* sealed form text */
	const char	*changed_on;	/* changes only */
	const char	*fields;	/* changes only: JSON array of paths */
	json_t		*files;		/* the attachments, or NULL: read */
};

/* The database's clock as a filing sees it (filing_clock.c). */
struct filing_clock {
	char		now[32];	/* UTC, "YYYY-MM-DD HH:MM:SS.ffffff" */
	char		date[11];	/* its China Standard Time date */
	int32_t		day;		/* the same as a day number */
};

/* filing_ops.c */
void	filing_out_free(struct filing_out *);
enum filing_result	filing_ops_load(struct db *, const struct actor *,
			    int64_t, int, struct filing_row *);
enum filing_result	filing_ops_create(struct db *, const struct actor *,
			    const json_t *, struct filing_out *);
enum filing_result	filing_ops_list(struct db *, const struct actor *,
			    struct filing_out *);
enum filing_result	filing_ops_show(struct db *, const struct actor *,
			    int64_t, struct filing_out *);
enum filing_result	filing_ops_save(struct db *, const struct actor *,
			    int64_t, int64_t, const json_t *,
			    struct filing_out *);
enum filing_result	filing_ops_submit(struct db *, const struct actor *,
			    int64_t, struct filing_out *);
enum filing_result	filing_ops_decide(struct db *, const struct actor *,
			    int64_t, const struct decision_input *,
			    struct filing_out *);
enum filing_result	filing_ops_end(struct db *, const struct actor *,
			    int64_t, const struct filing_ending *,
			    struct filing_out *);
enum filing_result	filing_ops_reveal(struct db *, const struct actor *,
			    int64_t, const char *, struct filing_out *);

/* change_ops.c */
enum filing_result	change_ops_submit(struct db *, const struct actor *,
			    int64_t, const struct change_input *,
			    struct filing_out *);
enum filing_result	change_ops_decide(struct db *, const struct actor *,
			    int64_t, int64_t, const struct decision_input *,
			    struct filing_out *);
enum filing_result	change_ops_list(struct db *, const struct actor *,
			    int64_t, struct filing_out *);
enum filing_result	change_ops_get(struct db *, const struct actor *,
			    int64_t, int64_t, struct filing_out *);

/* filing_attachment.c: a filing's evidence, under the filing's rules */
#define FILING_ATTACHMENTS_MAX	20

int	filing_attachment_list(struct db *, int64_t, json_t *);
enum filing_result	filing_attachment_add(struct db *,
			    const struct actor *, int64_t,
			    const struct attachment_in *, struct filing_out *);
enum filing_result	filing_attachment_get(struct db *,
			    const struct actor *, int64_t, int64_t, char *,
			    size_t, unsigned char **, size_t *);
enum filing_result	filing_attachment_delete(struct db *,
			    const struct actor *, int64_t, int64_t);

/* filing_deadline.c */
int	filing_deadline_fill(struct db *, const struct calendar *,
	    filing_done_fn, void *);
int	change_deadline_fill(struct db *, const struct calendar *,
	    filing_done_fn, void *);

/* filing_view.c */
json_t	*filing_view(struct db *, const struct filing_row *, int);
json_t	*filing_view_of(struct db *, const struct filing_row *, int, json_t *,
	    json_t *);
json_t	*change_view(struct db *, const struct change_row *, int);
int	filing_view_pending(struct db *, json_t *, const char *,
	    const char *, const char *);

/* filing_seal.c */
int	filing_form_seal(json_t *);

/* filing_seed.c: made-up filings for benchmarks (vcpctl seed) */
int	filing_seed(struct db *, const char *, uint32_t, uint32_t);
int	filing_form_open(json_t *, int);
json_t	*filing_form_personal(const json_t *);

/* filing_clock.c */
int	filing_clock_today(void);
int32_t	filing_clock_cst_day(const char *);
int	filing_clock_read(struct db *, struct filing_clock *);
void	filing_clock_iso(const char *, char *, size_t);
int	filing_clock_deadline(struct db *, int32_t, char *);
int	filing_clock_pending(struct db *, const char *);

/* filing_announce.c, filing_payload.c */
int	filing_announce(struct db *, const struct filing_notice *);

/* What the payload is built from: the notice, the opened form, files. */
struct filing_snapshot {
	const struct filing_notice	*e;
	json_t				*form;
	json_t				*files;
};

int	filing_payload_build(xmlNodePtr, xmlNsPtr, void *);
int	filing_snapshot_open(struct db *, const struct filing_notice *,
	    struct filing_snapshot *);
void	filing_snapshot_close(struct filing_snapshot *);
int	filing_emit_docs(struct filing_snapshot *,
	    const struct notify_ticket *, struct notify_docs *);
int	filing_emit_write(struct db *, struct filing_snapshot *,
	    const struct notify_ticket *);

/*
 * An announcement made in two steps around a hot row lock (approval's
 * number): what needs no number first, then the rest.
 */
struct filing_announcement {
	struct filing_snapshot	snap;
	struct notify_ticket	ticket;
	json_t			*changes;	/* approved changes' dates */
};

/*
 * A submission's writes (filing_store_submitted): the filing under
 * review from at, its receipt of kind, the history entry event by actor.
 */
struct filing_submission {
	int64_t		id;
	const char	*at;
	const char	*date;
	const char	*deadline;	/* NULL: pending the calendar */
	const char	*online;
	const char	*kind;
	int64_t		actor;
	const char	*event;
};

/*
 * What an approval writes once it holds its number, in one round trip
 * (filing_store_filed): the filing filed (its id, number and day are its
 * public record's), its public record, the event's documents for the
 * ministries, the history entry.
 */
struct registry_publication;
struct filing_filed {
	const char				*at;
	const struct registry_publication	*entry;
	const struct notify_ticket		*ticket;
	const char				*event;
	const struct notify_docs		*docs;
	int64_t					actor;
	const char				*history;
	const char				*detail;	/* JSON */
};

int	filing_announce_begin(struct db *, const struct filing_notice *,
	    const char *, struct filing_announcement *);
int	filing_announce_end(struct db *, struct filing_announcement *);
int	filing_announce_filed(struct db *, struct filing_announcement *,
	    const char *, int64_t, const char *, const json_t *);
void	filing_announce_free(struct filing_announcement *);

/* filing_store.c */
void	filing_row_free(struct filing_row *);
int	filing_store_create(struct db *, int64_t, const char *, const char *,
	    int64_t *);
int	filing_store_get(struct db *, int64_t, int, struct filing_row *);
int	filing_store_save(struct db *, int64_t, int64_t, const char *,
	    const char *);
int	filing_store_replace_form(struct db *, int64_t, const char *,
	    const char *);
int	filing_store_list(struct db *, int64_t, json_t *);
int	filing_store_submitted(struct db *, const struct filing_submission *,
	    json_t *);
int	filing_store_decide(struct db *, int64_t, const char *,
	    const char *);
int	filing_store_filed(struct db *, const struct filing_filed *);
int	filing_store_end(struct db *, int64_t, const char *, const char *,
	    const char *);
int	filing_store_next_number(struct db *, int, uint32_t *);
int	filing_store_history(struct db *, int64_t, int64_t, const char *,
	    const json_t *);
int	filing_store_history_list(struct db *, int64_t, json_t *);
int	filing_store_receipt(struct db *, int64_t, const char *,
	    const char *, const char *, const char *, int64_t);
int	filing_store_purge_receipts(struct db *, const char *, char *, size_t,
	    uint64_t *);
int	filing_store_pending(struct db *, struct filing_pending **, size_t *);
int	filing_store_pending_push(struct filing_pending **, size_t *, size_t *,
	    struct filing_pending **);
int	filing_store_set_deadline(struct db *, const struct filing_pending *);

/* change_store.c */
void	change_row_free(struct change_row *);
int	change_store_dates(struct db *, int64_t, json_t *);
int	change_store_pending(struct db *, int64_t, int *);
int	change_store_create(struct db *, const struct change_row *,
	    int64_t *);
int	change_store_get(struct db *, int64_t, int64_t, int,
	    struct change_row *);
int	change_store_list(struct db *, int64_t, json_t *);
int	change_store_resubmit(struct db *, const struct change_row *);
int	change_store_decide(struct db *, int64_t, const char *,
	    const char *, const char *);
int	change_store_pending_dates(struct db *, struct filing_pending **,
	    size_t *);
int	change_store_set_dates(struct db *, const struct filing_pending *);

#endif
