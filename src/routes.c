/*
 * Every endpoint of the portal: its method and path, what the dispatcher
 * must do before its work (flags), who may call it (roles) and what the
 * audit log calls it.  api_dispatch walks this table in order; the server
 * refuses to start when api_routes_check finds a rule broken
 * (src/http/api_route.c), and tests/unit/test_routes.c walks it too.
 *
 * It lives at the top of src/, beside app.c, because it names every
 * capability's handlers: src/http/ cannot import the capabilities that
 * import it.
 */

#include <stddef.h>

#include "account/account.h"
#include "calendar/calendar_store.h"
#include "domain/role.h"
#include "filing/filing_http.h"
#include "http/api.h"
#include "health.h"
#include "notify/notify.h"
#include "registry/registry.h"
#include "review/review_http.h"
#include "tipoff/tipoff.h"
#include "tipoff/tipoff_intake.h"
#include "tipoff/tipoff_case.h"

static const struct api_route routes[] = {
	{ .method = API_GET, .pattern = "/healthz",
	  .exec = health_check },
	{ .method = API_GET, .pattern = "/api/v1/debug/sleep",
	  .exec = health_sleep },
	{ .method = API_GET, .pattern = "/api/v1/debug/sandbox",
	  .flags = { .nodb = 1 },
	  .exec = health_sandbox },
	{ .method = API_POST, .pattern = "/api/v1/debug/feed-event",
	  .flags = { .audit = 1 }, .action = "debug.feed_event",
	  .exec = health_feed_event },

	{ .method = API_POST, .pattern = "/api/v1/accounts",
	  .flags = { .json = 1, .audit = 1 },
	  .action = "account.register",
	  .prepare = account_register_prepare, .exec = account_register },

	{ .method = API_POST, .pattern = "/api/v1/session",
	  .flags = { .json = 1, .audit = 1 },
	  .action = "session.create",
	  .prepare = session_create_prepare, .exec = session_create },
	{ .method = API_GET, .pattern = "/api/v1/session",
	  .flags = { .auth = 1 }, .roles = API_ROLES(ROLE_ANY),
	  .exec = session_show },
	{ .method = API_DELETE, .pattern = "/api/v1/session",
	  .flags = { .auth = 1, .audit = 1 }, .roles = API_ROLES(ROLE_ANY),
	  .action = "session.delete",
	  .exec = session_delete },

	{ .method = API_GET, .pattern = "/api/v1/calendar/deadline",
	  .flags = { .loop = 1 },
	  .prepare = calendar_deadline_prepare, .exec = calendar_deadline },
	{ .method = API_GET, .pattern = "/api/v1/calendar/years",
	  .flags = { .loop = 1 },
	  .exec = calendar_years },

	{ .method = API_POST, .pattern = "/api/v1/filings",
	  .flags = { .auth = 1, .json = 1, .optional_body = 1, .audit = 1 },
	  .roles = API_ROLES(ROLE_OPERATOR),
	  .action = "filing.create",
	  .prepare = filing_create_prepare, .exec = filing_create },
	{ .method = API_GET, .pattern = "/api/v1/filings",
	  .flags = { .auth = 1 }, .roles = API_ROLES(ROLE_OPERATOR),
	  .exec = filing_list },
	{ .method = API_GET, .pattern = "/api/v1/filings/:id",
	  .flags = { .auth = 1 },
	  .roles = API_ROLES(ROLE_OPERATOR | ROLE_REGULATOR | ROLE_OBSERVER),
	  .exec = filing_show },
	{ .method = API_PUT, .pattern = "/api/v1/filings/:id",
	  .flags = { .auth = 1, .json = 1, .audit = 1 },
	  .roles = API_ROLES(ROLE_OPERATOR),
	  .action = "filing.save",
	  .prepare = filing_save_prepare, .exec = filing_save },
	{ .method = API_POST, .pattern = "/api/v1/filings/:id/submit",
	  .flags = { .auth = 1, .json = 1, .optional_body = 1, .audit = 1,
	      .idem = 1 },
	  .roles = API_ROLES(ROLE_OPERATOR),
	  .action = "filing.submit",
	  .exec = filing_submit },
	{ .method = API_POST, .pattern = "/api/v1/filings/:id/decision",
	  .flags = { .auth = 1, .json = 1, .audit = 1 },
	  .roles = API_ROLES(ROLE_REGULATOR),
	  .action = "filing.decide",
	  .prepare = filing_decide_prepare, .exec = filing_decide },
	{ .method = API_POST, .pattern = "/api/v1/filings/:id/attachments",
	  .flags = { .auth = 1, .raw = 1, .audit = 1 },
	  .roles = API_ROLES(ROLE_OPERATOR),
	  .action = "attachment.upload",
	  .prepare = attachment_upload_prepare, .exec = attachment_upload },
	{ .method = API_GET, .pattern = "/api/v1/filings/:id/attachments/:aid",
	  .flags = { .auth = 1 },
	  .roles = API_ROLES(ROLE_OPERATOR | ROLE_REGULATOR),
	  .exec = attachment_download },
	{ .method = API_DELETE,
	  .pattern = "/api/v1/filings/:id/attachments/:aid",
	  .flags = { .auth = 1, .audit = 1 },
	  .roles = API_ROLES(ROLE_OPERATOR),
	  .action = "attachment.delete",
	  .exec = attachment_delete },
	{ .method = API_POST, .pattern = "/api/v1/filings/:id/changes",
	  .flags = { .auth = 1, .json = 1, .audit = 1 },
	  .roles = API_ROLES(ROLE_OPERATOR),
	  .action = "change.submit",
	  .prepare = change_submit_prepare, .exec = change_submit },
	{ .method = API_GET, .pattern = "/api/v1/filings/:id/changes",
	  .flags = { .auth = 1 },
	  .roles = API_ROLES(ROLE_OPERATOR | ROLE_REGULATOR | ROLE_OBSERVER),
	  .exec = change_list },
	{ .method = API_PUT, .pattern = "/api/v1/filings/:id/changes/:cid",
	  .flags = { .auth = 1, .json = 1, .audit = 1 },
	  .roles = API_ROLES(ROLE_OPERATOR),
	  .action = "change.resubmit",
	  .prepare = change_submit_prepare, .exec = change_resubmit },
	{ .method = API_POST,
	  .pattern = "/api/v1/filings/:id/changes/:cid/decision",
	  .flags = { .auth = 1, .json = 1, .audit = 1 },
	  .roles = API_ROLES(ROLE_REGULATOR),
	  .action = "change.decide",
	  .prepare = change_decide_prepare, .exec = change_decide },
	{ .method = API_POST, .pattern = "/api/v1/filings/:id/deregistration",
	  .flags = { .auth = 1, .json = 1, .audit = 1 },
	  .roles = API_ROLES(ROLE_OPERATOR),
	  .action = "filing.deregister",
	  .prepare = filing_deregister_prepare, .exec = filing_deregister },
	{ .method = API_POST, .pattern = "/api/v1/filings/:id/reveal",
	  .flags = { .auth = 1, .json = 1, .audit = 1 },
	  .roles = API_ROLES(ROLE_REGULATOR),
	  .action = "filing.reveal",
	  .prepare = filing_reveal_prepare, .exec = filing_reveal },
	{ .method = API_POST, .pattern = "/api/v1/filings/:id/revocation",
	  .flags = { .auth = 1, .json = 1, .audit = 1 },
	  .roles = API_ROLES(ROLE_SUPERVISOR),
	  .action = "filing.revoke",
	  .prepare = filing_revoke_prepare, .exec = filing_revoke },
	{ .method = API_GET, .pattern = "/api/v1/review/queue",
	  .flags = { .auth = 1 }, .roles = API_ROLES(ROLE_REGULATOR),
	  .exec = review_queue },
	/*
	 * A tip-off received by phone, recorded by staff: outside
	 * /api/v1/tipoffs, whose routes are the reporter's and anonymous.
	 */
	{ .method = API_POST, .pattern = "/api/v1/review/tipoffs/intake",
	  .flags = { .auth = 1, .json = 1, .audit = 1 },
	  .roles = API_ROLES(ROLE_REGULATOR),
	  .action = "tipoffs.intake",
	  .prepare = tipoff_intake_prepare, .exec = tipoff_intake },

	/*
	 * Tip-offs for the regulators: every route audited, the reads too
	 * (who read which case).  Operators, admins and observers see none.
	 */
	{ .method = API_GET, .pattern = "/api/v1/review/tipoffs",
	  .flags = { .auth = 1, .audit = 1 },
	  .roles = API_ROLES(ROLE_REGULATOR),
	  .action = "review.tipoffs",
	  .exec = review_tipoffs },
	{ .method = API_GET, .pattern = "/api/v1/review/tipoffs/:id",
	  .flags = { .auth = 1, .audit = 1 },
	  .roles = API_ROLES(ROLE_REGULATOR),
	  .action = "review.tipoff.read",
	  .exec = tipoff_case_show },
	{ .method = API_POST,
	  .pattern = "/api/v1/review/tipoffs/:id/assignment",
	  .flags = { .auth = 1, .json = 1, .optional_body = 1, .audit = 1 },
	  .roles = API_ROLES(ROLE_REGULATOR),
	  .action = "review.tipoff.assign",
	  .exec = tipoff_case_take },
	{ .method = API_POST, .pattern = "/api/v1/review/tipoffs/:id/status",
	  .flags = { .auth = 1, .json = 1, .audit = 1 },
	  .roles = API_ROLES(ROLE_REGULATOR),
	  .action = "review.tipoff.status",
	  .prepare = tipoff_case_status_prepare, .exec = tipoff_case_status },
	{ .method = API_POST, .pattern = "/api/v1/review/tipoffs/:id/notes",
	  .flags = { .auth = 1, .json = 1, .audit = 1 },
	  .roles = API_ROLES(ROLE_REGULATOR),
	  .action = "review.tipoff.note",
	  .prepare = tipoff_case_text_prepare, .exec = tipoff_case_note },
	{ .method = API_POST,
	  .pattern = "/api/v1/review/tipoffs/:id/messages",
	  .flags = { .auth = 1, .json = 1, .audit = 1 },
	  .roles = API_ROLES(ROLE_REGULATOR),
	  .action = "review.tipoff.answer",
	  .prepare = tipoff_case_text_prepare, .exec = tipoff_case_message },
	{ .method = API_PUT, .pattern = "/api/v1/review/tipoffs/:id/filing",
	  .flags = { .auth = 1, .json = 1, .audit = 1 },
	  .roles = API_ROLES(ROLE_REGULATOR),
	  .action = "review.tipoff.filing",
	  .prepare = tipoff_case_filing_prepare, .exec = tipoff_case_filing },
	{ .method = API_POST,
	  .pattern = "/api/v1/review/tipoffs/:id/duplicate",
	  .flags = { .auth = 1, .json = 1, .audit = 1 },
	  .roles = API_ROLES(ROLE_REGULATOR),
	  .action = "review.tipoff.duplicate",
	  .prepare = tipoff_case_duplicate_prepare,
	  .exec = tipoff_case_duplicate },
	{ .method = API_POST,
	  .pattern = "/api/v1/review/tipoffs/:id/outcomes",
	  .flags = { .auth = 1, .json = 1, .audit = 1 },
	  .roles = API_ROLES(ROLE_REGULATOR),
	  .action = "review.tipoff.outcome",
	  .prepare = tipoff_outcome_prepare, .exec = tipoff_outcome },
	{ .method = API_GET,
	  .pattern = "/api/v1/review/tipoffs/:id/evidence/:aid",
	  .flags = { .auth = 1, .audit = 1 },
	  .roles = API_ROLES(ROLE_REGULATOR),
	  .action = "review.tipoff.evidence",
	  .exec = tipoff_case_evidence },

	{ .method = API_GET, .pattern = "/api/v1/registry",
	  .flags = { .loop = 1 },
	  .prepare = registry_search_prepare, .exec = registry_search },
	{ .method = API_GET, .pattern = "/api/v1/registry.csv",
	  .flags = { .loop = 1 },
	  .exec = registry_export_csv },
	{ .method = API_GET, .pattern = "/api/v1/registry.xml",
	  .flags = { .loop = 1 },
	  .exec = registry_export_xml },
	{ .method = API_GET, .pattern = "/api/v1/registry/feed.atom",
	  .flags = { .loop = 1 },
	  .exec = registry_feed },
	{ .method = API_GET, .pattern = "/api/v1/registry/:number",
	  .flags = { .loop = 1 },
	  .exec = registry_show },
	{ .method = API_GET, .pattern = "/api/v1/registry/:number/badge",
	  .flags = { .loop = 1 },
	  .exec = registry_badge_show },

	/*
	 * The tip-off reporter: no account.  .anon keeps the client's
	 * address out of the audit log; .reporter takes the reporter's own
	 * session cookie, never the staff's.
	 */
	{ .method = API_GET, .pattern = "/api/v1/tipoffs/challenge",
	  .flags = { .anon = 1 },
	  .exec = tipoff_challenge },
	{ .method = API_POST, .pattern = "/api/v1/tipoffs",
	  .flags = { .json = 1, .audit = 1, .anon = 1 },
	  .action = "tipoff.submit",
	  .prepare = tipoff_submit_prepare, .exec = tipoff_submit },
	{ .method = API_POST, .pattern = "/api/v1/tipoffs/session",
	  .flags = { .json = 1, .audit = 1, .anon = 1 },
	  .action = "tipoff.session.create",
	  .prepare = tipoff_session_prepare, .exec = tipoff_session_create },
	{ .method = API_DELETE, .pattern = "/api/v1/tipoffs/session",
	  .flags = { .reporter = 1, .audit = 1, .anon = 1 },
	  .action = "tipoff.session.delete",
	  .exec = tipoff_session_delete },
	{ .method = API_GET, .pattern = "/api/v1/tipoffs/mine",
	  .flags = { .reporter = 1, .anon = 1 },
	  .exec = tipoff_mine },
	{ .method = API_POST, .pattern = "/api/v1/tipoffs/mine/messages",
	  .flags = { .reporter = 1, .json = 1, .audit = 1, .anon = 1 },
	  .action = "tipoff.message",
	  .prepare = tipoff_message_prepare, .exec = tipoff_message },
	{ .method = API_POST, .pattern = "/api/v1/tipoffs/mine/evidence",
	  .flags = { .reporter = 1, .raw = 1, .audit = 1, .anon = 1 },
	  .action = "tipoff.evidence",
	  .prepare = tipoff_evidence_prepare, .exec = tipoff_evidence },
	{ .method = API_GET, .pattern = "/api/v1/tipoffs/mine/acknowledgement",
	  .flags = { .reporter = 1, .anon = 1 },
	  .exec = tipoff_acknowledgement },
	/* Counts only, for everyone (src/tipoff/tipoff_intake_http.c). */
	{ .method = API_GET, .pattern = "/api/v1/tipoffs/stats",
	  .flags = { .anon = 1 },
	  .exec = tipoff_stats },
	{ .method = API_GET, .pattern = "/api/v1/tipoffs/stats.csv",
	  .flags = { .anon = 1 },
	  .exec = tipoff_stats_csv },

	{ .method = API_GET, .pattern = "/api/v1/notifications",
	  .flags = { .auth = 1 }, .roles = API_ROLES(ROLE_REGULATOR),
	  .prepare = notify_list_prepare, .exec = notify_list },
	{ .method = API_POST, .pattern = "/api/v1/notifications/:id/retry",
	  .flags = { .auth = 1, .audit = 1 },
	  .roles = API_ROLES(ROLE_SUPERVISOR),
	  .action = "notification.retry",
	  .exec = notify_retry },
	{ .method = API_GET, .pattern = "/api/v1/feed",
	  .flags = { .auth = 1 }, .roles = API_ROLES(ROLE_OBSERVER),
	  .prepare = notify_feed_prepare, .exec = notify_feed },

	{ .pattern = NULL }
};

const struct api_route *
api_routes(void)
{
	return (routes);
}
