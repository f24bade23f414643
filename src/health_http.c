/*
 * The health route and two test aids.  At the top of src/ rather than in
 * src/http/: it reads the outbox's counts, and src/http/ imports no
 * capability.
 */

#include <sys/syscall.h>

#include <unistd.h>

#include "config.h"
#include "db/db.h"
#include "http/api.h"
#include "health.h"
#include "notify/notify.h"

static const char	*sql_sleep = "SELECT SLEEP(?)";

/*
 * The portal works while notifications are stuck, so the status stays
 * 200; "warnings" lists what a person must look at, each with a stable
 * code, and is empty when all is well, for monitoring to alert on.
 */
void
health_check(struct api_call *call, struct db *db)
{
	json_t		*warnings;
	int64_t		rejected, stale;

	if (!db_ping(db)) {
		api_reply(call, 503, json_pack("{s:s,s:s}",
		    "status", "unavailable", "database", "unreachable"));
		return;
	}
	if (!notify_store_health(db, vcp_conf.notify_stale_after, &rejected,
	    &stale)) {
		api_reply(call, 503, json_pack("{s:s,s:s}",
		    "status", "unavailable", "database", "error"));
		return;
	}
	warnings = json_array();
	if (rejected > 0)
		json_array_append_new(warnings, json_pack("{s:s,s:I,s:s}",
		    "code", "notifications_rejected", "count",
		    (json_int_t)rejected, "message",
		    "有通报被接收方拒收，其后的事件正在等待，请主管排查后重发"));
	if (stale > 0)
		json_array_append_new(warnings, json_pack("{s:s,s:I,s:s}",
		    "code", "notifications_stale", "count", (json_int_t)stale,
		    "message", "有通报长时间未能送达，请检查接收方与 vcpnotifyd"));
	api_reply(call, 200, json_pack("{s:s,s:s,s:i,s:{s:I,s:I,s:i},s:o}",
	    "status", "ok", "database", "ok", "worker", call->worker,
	    "notifications", "rejected", (json_int_t)rejected,
	    "stale_pending", (json_int_t)stale, "stale_after",
	    vcp_conf.notify_stale_after, "warnings", warnings));
}

/*
 * Test aid, off unless debug_sleep is set: holds a pool thread in a slow
 * query so the tests can show the event loop is not held with it.
 */
void
health_sleep(struct api_call *call, struct db *db)
{
	struct db_stmt	*st;

	if (!vcp_conf.debug_sleep) {
		api_error(call, 404, "not_found", "未找到该资源");
		return;
	}
	if ((st = db_prepare(db, sql_sleep)) == NULL) {
		api_internal(call, db, "sleep");
		return;
	}
	db_bind_i64(st, 0, 2);
	if (!db_execute(st)) {
		api_internal(call, db, "sleep");
		return;
	}
	db_reset(st);
	api_reply(call, 200, json_pack("{s:i,s:i}", "slept", 2,
	    "worker", call->worker));
}

/*
 * Test aid, off unless debug_sleep is set: makes the event loop issue a
 * system call the sandbox forbids, so the tests can show that a worker
 * whose event loop the kernel killed is replaced (src/watchdog.c).
 */
void
health_sandbox(struct api_call *call, struct db *db)
{
	(void)db;
	if (!vcp_conf.debug_sleep) {
		api_error(call, 404, "not_found", "未找到该资源");
		return;
	}
	(void)syscall(SYS_getpgid, 0);
	api_reply(call, 200, json_pack("{s:b}", "survived", 1));
}
