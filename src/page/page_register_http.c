/*
 * The public register's pages: decode the query, read the register,
 * render.  A bad query is shown on the page beside its field (200 with
 * the error, as a form answers), never a JSON error.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/id.h"
#include "domain/validate.h"
#include "http/api.h"
#include "page/page.h"
#include "page/page_register.h"
#include "registry/registry.h"

int
page_register_prepare(struct api_call *call)
{
	struct page_register_query	*q;
	char				buf[16];
	int64_t				v;
	int				r;

	if ((q = calloc(1, sizeof(*q))) == NULL) {
		api_error(call, 503, "busy", "服务繁忙，请稍后重试");
		return (0);
	}
	call->data = q;
	call->data_free = free;
	q->page = 1;
	r = api_query(call, "q", q->q, sizeof(q->q));
	if (r < 0 || (r == 1 && q->q[0] != '\0' && validate_text(q->q,
	    strlen(q->q), PAGE_REGISTER_Q_MAX, 0) != VALIDATE_OK)) {
		q->q[0] = '\0';
		q->error = "检索词须为1至64个字符";
	}
	r = api_query(call, "status", q->status, sizeof(q->status));
	if (r < 0 || (r == 1 && q->status[0] != '\0' &&
	    page_status_label(q->status)[0] == '\0'))
		q->status[0] = '\0';
	r = api_query(call, "page", buf, sizeof(buf));
	if (r == 1 && id_parse_range(buf, 1, 100000, &v))
		q->page = (int)v;
	return (1);
}

/*
 * The page kept for key at version, answered (gzipped when the client
 * takes it: the routes are .gzip, so the answer varies by that); 0 when
 * none is kept.
 */
static int
page_cached(struct api_call *call, uint64_t version, const char *key)
{
	unsigned char	*html;
	size_t		len;
	int		gzipped;

	if ((html = page_cache_get(version, key, call->accept_gzip, &len,
	    &gzipped)) == NULL)
		return (0);
	api_reply_page(call, 200, html, len);
	call->encoding = gzipped ? "gzip" : NULL;
	return (1);
}

/* A snapshot entry's public record, as the renderer takes it. */
static json_t *
page_entry_json(const struct registry_entry *e)
{
	return (json_loadb(e->json, e->json_len, 0, NULL));
}

/*
 * On the event loop from the worker's snapshot of the register, like the
 * JSON routes (src/registry/registry_http.c); on a pool thread only until
 * the worker has one.
 */
void
page_register(struct api_call *call, struct db *db)
{
	const struct registry_entry	*hits[PAGE_REGISTER_PER_PAGE];
	struct page_register_query	*q;
	struct registry_snapshot	*s;
	json_t				*items, *rec;
	unsigned char			*html;
	size_t				total, i, n, off, len;
	uint64_t			version;
	char				key[320];

	q = call->data;
	if ((s = registry_snapshot_call(call, db)) == NULL)
		return;
	version = registry_snapshot_version(s);
	(void)snprintf(key, sizeof(key), "s:%d:%s:%s", q->page, q->status,
	    q->q);
	if (q->error == NULL && page_cached(call, version, key)) {
		registry_snapshot_release(s);
		return;
	}
	items = json_array();
	total = 0;
	if (q->error == NULL) {
		off = (size_t)(q->page - 1) * PAGE_REGISTER_PER_PAGE;
		total = registry_snapshot_search(s, q->q[0] != '\0' ? q->q :
		    NULL, registry_status_parse(q->status), off,
		    PAGE_REGISTER_PER_PAGE, hits);
		n = total > off ? total - off : 0;
		if (n > PAGE_REGISTER_PER_PAGE)
			n = PAGE_REGISTER_PER_PAGE;
		for (i = 0; i < n; i++) {
			if ((rec = page_entry_json(hits[i])) != NULL)
				json_array_append_new(items, rec);
		}
	}
	registry_snapshot_release(s);
	html = page_register_render(q, items, (int64_t)total, &len);
	json_decref(items);
	if (html != NULL && q->error == NULL)
		page_cache_put(version, key, html, len);
	api_reply_page(call, 200, html, len);
}

static void
page_missing(struct api_call *call, const char *number)
{
	unsigned char	*html;
	size_t		len;

	html = page_record_missing(number, &len);
	api_reply_page(call, 404, html, len);
}

void
page_record(struct api_call *call, struct db *db)
{
	const struct registry_entry	*e;
	struct registry_snapshot	*s;
	json_t				*rec;
	unsigned char			*html;
	size_t				len;
	uint64_t			version;
	char				key[API_PARAM_LEN + 8];

	if (strlen(call->params[0]) > 48) {
		page_missing(call, "");
		return;
	}
	if ((s = registry_snapshot_call(call, db)) == NULL)
		return;
	version = registry_snapshot_version(s);
	(void)snprintf(key, sizeof(key), "r:%s", call->params[0]);
	if (page_cached(call, version, key)) {
		registry_snapshot_release(s);
		return;
	}
	e = registry_snapshot_find(s, call->params[0]);
	rec = e != NULL ? page_entry_json(e) : NULL;
	registry_snapshot_release(s);
	if (rec == NULL) {
		page_missing(call, call->params[0]);
		return;
	}
	html = page_record_render(rec, &len);
	json_decref(rec);
	if (html != NULL)
		page_cache_put(version, key, html, len);
	api_reply_page(call, 200, html, len);
}

/* The verify box: to the record when the number is on the register. */
void
page_verify(struct api_call *call, struct db *db)
{
	struct registry_snapshot	*s;
	char				number[64], *p, *n, path[256];
	int				found;

	if (api_query(call, "number", number, sizeof(number)) != 1) {
		page_missing(call, "");
		return;
	}
	/* People paste numbers with spaces around them. */
	for (n = number; *n == ' ' || *n == '\t'; n++)
		;
	for (p = n + strlen(n); p > n && (p[-1] == ' ' || p[-1] == '\t'); p--)
		;
	*p = '\0';
	if (*n == '\0' || validate_text(n, strlen(n), 48, 0) != VALIDATE_OK) {
		page_missing(call, "");
		return;
	}
	if ((s = registry_snapshot_call(call, db)) == NULL)
		return;
	found = registry_snapshot_find(s, n) != NULL;
	registry_snapshot_release(s);
	if (!found || !page_record_path(n, path, sizeof(path))) {
		page_missing(call, n);
		return;
	}
	api_redirect(call, 303, path);
}
