#ifndef VCP_PAGE_REGISTER_H
#define VCP_PAGE_REGISTER_H

#include <stdint.h>

#include <jansson.h>
#include <libxml/tree.h>

#define PAGE_REGISTER_PER_PAGE	20
#define PAGE_REGISTER_Q_MAX	64

/* The register page's query, as read (bad values are shown, not used). */
struct page_register_query {
	char		q[PAGE_REGISTER_Q_MAX * 4 + 1];
	char		status[16];
	int		page;
	const char	*error;
};

const char	*page_status_label(const char *);
int		page_record_path(const char *, char *, size_t);
void		page_verify_box(xmlNodePtr, const char *, const char *);
unsigned char	*page_record_render(const json_t *, size_t *);
unsigned char	*page_register_render(const struct page_register_query *,
		    const json_t *, int64_t, size_t *);
unsigned char	*page_record_missing(const char *, size_t *);

#endif
