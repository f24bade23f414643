#ifndef VCP_PAGE_H
#define VCP_PAGE_H

/*
 * The portal's web pages.  Every page is a libxml2 HTML tree serialised
 * by libxml2, so text and attributes are escaped by the serialiser, never
 * by pasting strings.  Two kinds of page:
 *
 *  - server-rendered (the home page, the public register, a platform's
 *    record): readable without JavaScript;
 *  - shells (everything behind a login, and the tip-off forms): the
 *    layout around a static body from assets/pages/, rendered once at
 *    start; the page's script fills it from the JSON API.
 *
 * Static files (the stylesheet, the scripts) are read at start from
 * assets_dir (made by `make`, scripts/assets.mjs) and served from memory
 * under their content-hashed names.
 */

#include <stddef.h>
#include <stdint.h>

#include <libxml/HTMLtree.h>

struct api_call;
struct db;

struct page {
	xmlDocPtr	doc;
	xmlNodePtr	body;
	xmlNodePtr	main;
};

/* page_doc.c: the layout and the tree helpers */
int		page_begin(struct page *, const char *, const char *,
		    const char *);
unsigned char	*page_finish(struct page *, size_t *);
void		page_discard(struct page *);
xmlNodePtr	page_el(xmlNodePtr, const char *, const char *, const char *);
xmlNodePtr	page_link(xmlNodePtr, const char *, const char *,
		    const char *);
void		page_attr(xmlNodePtr, const char *, const char *);
xmlNodePtr	page_summary_row(xmlNodePtr, const char *, const char *);

/* page_assets.c: the built static files and page bodies */
struct page_asset {
	char		*name;		/* portal-0123456789abcdef.css */
	unsigned char	*data;
	size_t		len;
	const char	*type;
};

int		page_assets_load(const char *, char *, size_t);
const struct page_asset	*page_asset_find(const char *);
const char	*page_asset_url(const char *);
const char	*page_body(const char *, size_t *);

/* page_cache.c: rendered register pages, by register version */
unsigned char	*page_cache_get(uint64_t, const char *, int, size_t *, int *);
void		page_cache_put(uint64_t, const char *, const unsigned char *,
		    size_t);

/* page_shell_http.c: the pages a script fills */
int		page_shells_render(char *, size_t);
void		page_not_found(struct api_call *);

/* page_http.c, page_register_http.c: the routes */
void		page_asset_show(struct api_call *, struct db *);
void		page_shell_show(struct api_call *, struct db *);
void		page_home(struct api_call *, struct db *);
int		page_register_prepare(struct api_call *);
void		page_register(struct api_call *, struct db *);
void		page_record(struct api_call *, struct db *);
void		page_verify(struct api_call *, struct db *);

#endif
