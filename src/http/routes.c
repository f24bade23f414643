/*
 * Every endpoint of the portal, its method, who may call it and what
 * the audit log calls it.  api_dispatch walks this table in order.
 */

#include <kore/kore.h>
#include <kore/http.h>

#include "account/account.h"
#include "calendar/calendar_store.h"
#include "filing/filing_http.h"
#include "domain/role.h"
#include "http/api.h"
#include "http/health.h"
#include "notify/notify.h"
#include "registry/registry.h"
#include "review/review_http.h"

static const struct api_route routes[] = {
	{ HTTP_METHOD_GET, "/healthz", 0, 0, NULL, NULL, health_check },
	{ HTTP_METHOD_GET, "/api/v1/debug/sleep", 0, 0, NULL, NULL,
	    health_sleep },
	{ HTTP_METHOD_GET, "/api/v1/debug/sandbox", API_NODB, 0, NULL, NULL,
	    health_sandbox },
	{ HTTP_METHOD_POST, "/api/v1/debug/feed-event", 0, 0, NULL, NULL,
	    health_feed_event },

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

	{ HTTP_METHOD_POST, "/api/v1/filings", API_AUTH | API_JSON | API_AUDIT,
	    ROLE_OPERATOR, "filing.create", filing_create_prepare,
	    filing_create },
	{ HTTP_METHOD_GET, "/api/v1/filings", API_AUTH, ROLE_OPERATOR, NULL,
	    NULL, filing_list },
	{ HTTP_METHOD_GET, "/api/v1/filings/:id", API_AUTH,
	    ROLE_OPERATOR | ROLE_REGULATOR | ROLE_OBSERVER, NULL, NULL,
	    filing_show },
	{ HTTP_METHOD_PUT, "/api/v1/filings/:id",
	    API_AUTH | API_JSON | API_AUDIT, ROLE_OPERATOR, "filing.save",
	    filing_save_prepare, filing_save },
	{ HTTP_METHOD_POST, "/api/v1/filings/:id/submit",
	    API_AUTH | API_AUDIT | API_IDEM, ROLE_OPERATOR, "filing.submit",
	    NULL, filing_submit },
	{ HTTP_METHOD_POST, "/api/v1/filings/:id/decision",
	    API_AUTH | API_JSON | API_AUDIT, ROLE_REGULATOR, "filing.decide",
	    filing_decide_prepare, filing_decide },
	{ HTTP_METHOD_POST, "/api/v1/filings/:id/attachments",
	    API_AUTH | API_RAW | API_AUDIT, ROLE_OPERATOR, "attachment.upload",
	    attachment_upload_prepare, attachment_upload },
	{ HTTP_METHOD_GET, "/api/v1/filings/:id/attachments/:aid", API_AUTH,
	    ROLE_OPERATOR | ROLE_REGULATOR, NULL, NULL, attachment_download },
	{ HTTP_METHOD_DELETE, "/api/v1/filings/:id/attachments/:aid",
	    API_AUTH | API_AUDIT, ROLE_OPERATOR, "attachment.delete", NULL,
	    attachment_delete },
	{ HTTP_METHOD_POST, "/api/v1/filings/:id/changes",
	    API_AUTH | API_JSON | API_AUDIT, ROLE_OPERATOR, "change.submit",
	    change_submit_prepare, change_submit },
	{ HTTP_METHOD_GET, "/api/v1/filings/:id/changes", API_AUTH,
	    ROLE_OPERATOR | ROLE_REGULATOR | ROLE_OBSERVER, NULL, NULL,
	    change_list },
	{ HTTP_METHOD_PUT, "/api/v1/filings/:id/changes/:cid",
	    API_AUTH | API_JSON | API_AUDIT, ROLE_OPERATOR, "change.resubmit",
	    change_submit_prepare, change_resubmit },
	{ HTTP_METHOD_POST, "/api/v1/filings/:id/changes/:cid/decision",
	    API_AUTH | API_JSON | API_AUDIT, ROLE_REGULATOR, "change.decide",
	    change_decide_prepare, change_decide },
	{ HTTP_METHOD_POST, "/api/v1/filings/:id/deregistration",
	    API_AUTH | API_JSON | API_AUDIT, ROLE_OPERATOR, "filing.deregister",
	    filing_deregister_prepare, filing_deregister },
	{ HTTP_METHOD_POST, "/api/v1/filings/:id/reveal",
	    API_AUTH | API_JSON | API_AUDIT, ROLE_REGULATOR, "filing.reveal",
	    filing_reveal_prepare, filing_reveal },
	{ HTTP_METHOD_POST, "/api/v1/filings/:id/revocation",
	    API_AUTH | API_JSON | API_AUDIT, ROLE_SUPERVISOR, "filing.revoke",
	    filing_revoke_prepare, filing_revoke },
	{ HTTP_METHOD_GET, "/api/v1/review/queue", API_AUTH, ROLE_REGULATOR,
	    NULL, NULL, review_queue },

	{ HTTP_METHOD_GET, "/api/v1/registry", 0, 0, NULL,
	    registry_search_prepare, registry_search },
	{ HTTP_METHOD_GET, "/api/v1/registry.csv", 0, 0, NULL, NULL,
	    registry_export_csv },
	{ HTTP_METHOD_GET, "/api/v1/registry.xml", 0, 0, NULL, NULL,
	    registry_export_xml },
	{ HTTP_METHOD_GET, "/api/v1/registry/feed.atom", 0, 0, NULL, NULL,
	    registry_feed },
	{ HTTP_METHOD_GET, "/api/v1/registry/:number", 0, 0, NULL, NULL,
	    registry_show },
	{ HTTP_METHOD_GET, "/api/v1/registry/:number/badge", 0, 0, NULL, NULL,
	    registry_badge_show },

	{ HTTP_METHOD_GET, "/api/v1/notifications", API_AUTH, ROLE_REGULATOR,
	    NULL, notify_list_prepare, notify_list },
	{ HTTP_METHOD_POST, "/api/v1/notifications/:id/retry",
	    API_AUTH | API_AUDIT, ROLE_SUPERVISOR, "notification.retry", NULL,
	    notify_retry },
	{ HTTP_METHOD_GET, "/api/v1/feed", API_AUTH, ROLE_OBSERVER, NULL,
	    notify_feed_prepare, notify_feed },

	{ 0, NULL, 0, 0, NULL, NULL, NULL }
};

const struct api_route *
api_routes(void)
{
	return (routes);
}
