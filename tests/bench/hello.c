/*
 * The yardstick for make bench: the smallest Kore handler there is,
 * served by the same Kore with the same settings as the portal.
 */

#include <kore/kore.h>
#include <kore/http.h>

int	hello(struct http_request *);

int
hello(struct http_request *req)
{
	static const char	body[] = "{\"status\":\"ok\"}";

	http_response_header(req, "content-type", "application/json");
	http_response(req, 200, body, sizeof(body) - 1);
	return (KORE_RESULT_OK);
}
