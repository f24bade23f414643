/*
 * The public register's pages: decode the query, read the register,
 * render.  A bad query is shown on the page beside its field (200 with
 * the error, as a form answers), never a JSON error.
 */

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

void
page_register(struct api_call *call, struct db *db)
{
	struct page_register_query	*q;
	json_t				*items;
	unsigned char			*html;
	int64_t				total;
	size_t				len;

	q = call->data;
	items = json_array();
	total = 0;
	if (q->error == NULL && !registry_store_search(db,
	    q->q[0] != '\0' ? q->q : NULL,
	    q->status[0] != '\0' ? q->status : NULL, q->page,
	    PAGE_REGISTER_PER_PAGE, items, &total)) {
		json_decref(items);
		api_internal(call, db, "register page");
		return;
	}
	html = page_register_render(q, items, total, &len);
	json_decref(items);
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
	json_t		*rec;
	unsigned char	*html;
	size_t		len;
	int		r;

	if (strlen(call->params[0]) > 48) {
		page_missing(call, "");
		return;
	}
	if ((r = registry_store_get(db, call->params[0], &rec)) < 0) {
		api_internal(call, db, "record page");
		return;
	}
	if (r == 0) {
		page_missing(call, call->params[0]);
		return;
	}
	html = page_record_render(rec, &len);
	json_decref(rec);
	api_reply_page(call, 200, html, len);
}

/* The verify box: to the record when the number is on the register. */
void
page_verify(struct api_call *call, struct db *db)
{
	char	number[64], *p, *s, path[256];
	json_t	*rec;
	int	r;

	r = api_query(call, "number", number, sizeof(number));
	if (r != 1) {
		page_missing(call, "");
		return;
	}
	/* People paste numbers with spaces around them. */
	for (s = number; *s == ' ' || *s == '\t'; s++)
		;
	for (p = s + strlen(s); p > s && (p[-1] == ' ' || p[-1] == '\t'); p--)
		;
	*p = '\0';
	if (*s == '\0' || validate_text(s, strlen(s), 48, 0) != VALIDATE_OK) {
		page_missing(call, "");
		return;
	}
	if ((r = registry_store_get(db, s, &rec)) < 0) {
		api_internal(call, db, "verify");
		return;
	}
	if (r == 0 || !page_record_path(s, path, sizeof(path))) {
		if (r == 1)
			json_decref(rec);
		page_missing(call, s);
		return;
	}
	json_decref(rec);
	api_redirect(call, 303, path);
}
