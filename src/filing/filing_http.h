#ifndef VCP_FILING_HTTP_H
#define VCP_FILING_HTTP_H

/*
 * The routes of filings, their changes and their attachments: each
 * decodes the request, calls an operation of filing.h and renders the
 * result.  Only src/http/routes.c includes this.
 */

struct api_call;
struct db;

/* filing_http.c */
int	filing_create_prepare(struct api_call *);
void	filing_create(struct api_call *, struct db *);
void	filing_list(struct api_call *, struct db *);
void	filing_show(struct api_call *, struct db *);
int	filing_save_prepare(struct api_call *);
void	filing_save(struct api_call *, struct db *);
void	filing_submit(struct api_call *, struct db *);
int	filing_decide_prepare(struct api_call *);
void	filing_decide(struct api_call *, struct db *);
int	filing_deregister_prepare(struct api_call *);
void	filing_deregister(struct api_call *, struct db *);
int	filing_revoke_prepare(struct api_call *);
void	filing_revoke(struct api_call *, struct db *);
int	filing_reveal_prepare(struct api_call *);
void	filing_reveal(struct api_call *, struct db *);

/* change_http.c */
int	change_submit_prepare(struct api_call *);
void	change_submit(struct api_call *, struct db *);
void	change_list(struct api_call *, struct db *);
void	change_show(struct api_call *, struct db *);
void	change_resubmit(struct api_call *, struct db *);
int	change_decide_prepare(struct api_call *);
void	change_decide(struct api_call *, struct db *);

/* filing_attachment_http.c */
int	attachment_upload_prepare(struct api_call *);
void	attachment_upload(struct api_call *, struct db *);
void	attachment_download(struct api_call *, struct db *);
void	attachment_delete(struct api_call *, struct db *);

#endif
