#ifndef VCP_FILING_H
#define VCP_FILING_H

#include <stdint.h>

#include <jansson.h>
#include <libxml/tree.h>

struct db;
struct api_call;

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

struct queue_row {
	int64_t		id;
	char		kind[16];
	char		platform_name[512];
	char		sponsor_name[512];
	char		receipt_date[11];
	char		online_date[11];
	int64_t		receipts;
};

/* What an event tells the ministries of a filing (filing_payload.c). */
struct filing_notice {
	const char	*event;		/* filed, changed, deregistered, revoked */
	int64_t		filing_id;
	const char	*number;
	const char	*status;
	const char	*filed_on;
	const char	*ended_on;	/* or NULL */
	const char	*form;		/* sealed form text */
	const char	*changed_on;	/* changes only */
	const char	*fields;	/* changes only: JSON array of paths */
};

/* What the payload is built from: the notice, the opened form, files. */
struct filing_snapshot {
	const struct filing_notice	*e;
	json_t				*form;
	json_t				*files;
};

int	filing_emit(struct db *, const struct filing_notice *);
int	filing_payload_build(xmlNodePtr, xmlNsPtr, void *);

/* filing_store.c */
void	filing_row_free(struct filing_row *);
int	filing_store_create(struct db *, int64_t, const char *, int64_t *);
int	filing_store_get(struct db *, int64_t, int, struct filing_row *);
int	filing_store_save(struct db *, int64_t, int64_t, const char *,
	    const char *);
int	filing_store_list(struct db *, int64_t, json_t *);
int	filing_store_submit(struct db *, int64_t, const char *,
	    const char *, const char *, const char *);
int	filing_store_decide(struct db *, int64_t, const char *,
	    const char *);
int	filing_store_file(struct db *, int64_t, const char *, const char *);
int	filing_store_end(struct db *, int64_t, const char *, const char *,
	    const char *);
int	filing_store_next_number(struct db *, int, uint32_t *);
int	filing_store_history(struct db *, int64_t, int64_t, const char *,
	    const json_t *);
int	filing_store_history_list(struct db *, int64_t, json_t *);
int	filing_store_receipt(struct db *, int64_t, const char *,
	    const char *, const char *, const char *, int64_t);
int	filing_store_queue(struct db *, json_t *);
int	filing_store_purge_receipts(struct db *, const char *, char *, size_t,
	    uint64_t *);

/* attachment_store.c */
int	attachment_store_put(struct db *, int64_t, const char *, const char *,
	    const char *, const unsigned char *, size_t, const char *,
	    int64_t, int64_t *);
int	attachment_store_list(struct db *, int64_t, json_t *);
int	attachment_store_get(struct db *, int64_t, int64_t, char *, size_t,
	    unsigned char **, size_t *);
int	attachment_store_delete(struct db *, int64_t, int64_t);
int	attachment_store_count(struct db *, int64_t, int *, int *, int *);

/* filing_http.c */
int	filing_create_prepare(struct api_call *);
void	filing_create(struct api_call *, struct db *);
void	filing_list(struct api_call *, struct db *);
void	filing_show(struct api_call *, struct db *);
int	filing_save_prepare(struct api_call *);
void	filing_save(struct api_call *, struct db *);
void	filing_submit(struct api_call *, struct db *);
void	review_queue(struct api_call *, struct db *);
int	filing_deregister_prepare(struct api_call *);
void	filing_deregister(struct api_call *, struct db *);
int	filing_reveal_prepare(struct api_call *);
void	filing_reveal(struct api_call *, struct db *);
int	filing_revoke_prepare(struct api_call *);
void	filing_revoke(struct api_call *, struct db *);
int	filing_decide_prepare(struct api_call *);
void	filing_decide(struct api_call *, struct db *);

int	filing_load_visible(struct api_call *, struct db *, int,
	    struct filing_row *);
int	filing_form_seal(json_t *);
int	filing_form_open(json_t *, int);
int	filing_today(void);
int32_t	filing_cst_day(const char *);
int	filing_publish(struct db *, int64_t, const char *, const char *,
	    const char *, const char *, const char *);

/* change_store.c */
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
int	change_store_queue(struct db *, json_t *);
int	filing_store_replace_form(struct db *, int64_t, const char *,
	    const char *);

/* change_http.c */
int	change_submit_prepare(struct api_call *);
void	change_submit(struct api_call *, struct db *);
void	change_list(struct api_call *, struct db *);
void	change_resubmit(struct api_call *, struct db *);
int	change_decide_prepare(struct api_call *);
void	change_decide(struct api_call *, struct db *);

/* attachment_http.c */
int	attachment_upload_prepare(struct api_call *);
void	attachment_upload(struct api_call *, struct db *);
void	attachment_download(struct api_call *, struct db *);
void	attachment_delete(struct api_call *, struct db *);

#endif
