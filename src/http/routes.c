/*
 * Every endpoint of the portal, its method, who may call it and what
 * the audit log calls it.  api_dispatch walks this table in order.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include "account/account.h"
#include "calendar/calendar_store.h"
#include "domain/role.h"
#include "http/api.h"
#include "http/health.h"

static const struct api_route routes[] = {
	{ HTTP_METHOD_GET, "/healthz", 0, 0, NULL, NULL, health_check },
	{ HTTP_METHOD_GET, "/api/v1/debug/sleep", 0, 0, NULL, NULL,
	    health_sleep },

	{ HTTP_METHOD_POST, "/api/v1/accounts", API_JSON | API_AUDIT, 0,
	    "account.register", account_register_prepare, account_register },

	{ HTTP_METHOD_POST, "/api/v1/session", API_JSON | API_AUDIT, 0,
	    "session.create", session_create_prepare, session_create },
	{ HTTP_METHOD_GET, "/api/v1/session", API_AUTH, ROLE_ANY,
	    NULL, NULL, session_show },
	{ HTTP_METHOD_DELETE, "/api/v1/session", API_AUTH | API_AUDIT,
	    ROLE_ANY, "session.delete", NULL, session_delete },

	{ HTTP_METHOD_GET, "/api/v1/calendar/deadline", 0, 0, NULL,
	    calendar_deadline_prepare, calendar_deadline },

	{ 0, NULL, 0, 0, NULL, NULL, NULL }
};

const struct api_route *
api_routes(void)
{
	return (routes);
}
