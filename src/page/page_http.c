/*
 * The static files under /assets/: answered from memory on the event
 * loop, by content-hashed name only, so they may be cached for a year.
 */

#include "http/api.h"
#include "page/page.h"

#define PAGE_CACHE_FOREVER	"public, max-age=31536000, immutable"

void
page_asset_show(struct api_call *call, struct db *db)
{
	const struct page_asset	*a;

	(void)db;
	if ((a = page_asset_find(call->params[0])) == NULL) {
		api_error(call, 404, "not_found", "未找到该资源");
		return;
	}
	api_reply_static(call, a->type, a->data, a->len, PAGE_CACHE_FOREVER);
}
