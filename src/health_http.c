/*
 * The health route and the test aids.  At the top of src/ rather than in
 * src/http/: it reads the outbox's counts and the calendar's years, and
 * src/http/ imports no capability.
 */

#include <sys/syscall.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "calendar/calendar_store.h"
#include "config.h"
#include "crypto/seal.h"
#include "db/db.h"
#include "domain/calendar.h"
#include "http/api.h"
#include "health.h"
#include "notify/notify.h"
#include "registry/registry.h"

static const char	*sql_sleep = "SELECT SLEEP(?)";
static const char	*sql_feed_delivered =
    "UPDATE notification SET status = 'delivered', delivered_at = NOW(6),"
    " delivered_by = 'debug' WHERE event_id = ?";

/* The synthetic events of health_feed_event: recognisable, never sent. */
#define HEALTH_FEED_ID		"feedfeed-0000-4000-8000-%012lld"
#define HEALTH_FEED_SEQ		4000000000LL
#define HEALTH_FEED_N_MAX	200000000LL
#define HEALTH_FEED_HOLD_MAX	10

/*
 * A Galera node that is not Synced (joining, donating, outside the
 * primary component) must not take this host's traffic: 503, so the
 * balancer passes the host over until its node is back.  Returns the
 * "cluster" member of the answer (null on a server that is no cluster
 * node), or NULL with the answer set.
 */
static json_t *
health_cluster(struct api_call *call, struct db *db)
{
	struct db_wsrep	w;
	json_t		*j;

	if (!db_wsrep(db, &w)) {
		api_reply(call, 503, json_pack("{s:s,s:s}",
		    "status", "unavailable", "database", "error"));
		return (NULL);
	}
	if (!w.on)
		return (json_null());
	j = json_pack("{s:b,s:i,s:s,s:s,s:i}", "wsrep_ready", w.ready,
	    "wsrep_local_state", w.state, "wsrep_local_state_comment",
	    w.comment, "wsrep_cluster_status", w.status,
	    "wsrep_cluster_size", w.size);
	if (!w.ready || w.state != DB_WSREP_SYNCED) {
		call->retry_after[0] = '5';
		call->retry_after[1] = '\0';
		api_reply(call, 503, json_pack("{s:s,s:s,s:o}", "status",
		    "unavailable", "database", "not_synced", "cluster", j));
		return (NULL);
	}
	return (j);
}

/*
 * The portal works while notifications are stuck, so the status stays
 * 200; "warnings" lists what a person must look at, each with a stable
 * code, and is empty when all is well, for monitoring to alert on.
 */
void
health_check(struct api_call *call, struct db *db)
{
	const struct calendar		*cal;
	struct calsnap			*snap;
	struct registry_snapshot	*reg;
	json_t				*warnings, *calendar, *cluster, *registry;
	int64_t				rejected, stale;

	if (!db_ping(db)) {
		api_reply(call, 503, json_pack("{s:s,s:s}",
		    "status", "unavailable", "database", "unreachable"));
		return;
	}
	if ((cluster = health_cluster(call, db)) == NULL)
		return;
	if (!notify_store_health(db, vcp_conf.notify_stale_after, &rejected,
	    &stale) || (snap = calcache_get(db, &cal)) == NULL) {
		json_decref(cluster);
		api_reply(call, 503, json_pack("{s:s,s:s}",
		    "status", "unavailable", "database", "error"));
		return;
	}
	calendar = calendar_warning(cal, cal_date_today_cst(time(NULL)));
	calcache_put(snap);
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
	if (calendar != NULL)
		json_array_append_new(warnings, calendar);
	/* This worker's register: what it answers from, and its size. */
	registry = json_null();
	if ((reg = registry_snapshot_acquire()) != NULL) {
		registry = json_pack("{s:I,s:I,s:I}", "version",
		    (json_int_t)registry_snapshot_version(reg), "records",
		    (json_int_t)registry_snapshot_count(reg), "bytes",
		    (json_int_t)registry_snapshot_bytes(reg));
		registry_snapshot_release(reg);
	}
	api_reply(call, 200, json_pack("{s:s,s:s,s:i,s:o,s:{s:I,s:I,s:i},s:o,s:o}",
	    "status", "ok", "database", "ok", "worker", call->worker,
	    "cluster", cluster,
	    "notifications", "rejected", (json_int_t)rejected,
	    "stale_pending", (json_int_t)stale, "stale_after",
	    vcp_conf.notify_stale_after, "registry", registry,
	    "warnings", warnings));
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

static int
health_number(struct api_call *call, const char *name, long long lo,
    long long hi, long long *out)
{
	char		buf[16], *end;
	long long	v;
	int		r;

	if ((r = api_query(call, name, buf, sizeof(buf))) == 0)
		return (1);
	if (r < 0 || buf[0] < '0' || buf[0] > '9')
		return (0);
	v = strtoll(buf, &end, 10);
	if (*end != '\0' || v < lo || v > hi)
		return (0);
	*out = v;
	return (1);
}

/*
 * Test aid, off unless debug_sleep is set: writes one synthetic event
 * for both recipients through the outbox's own insert, then holds the
 * transaction open for ?hold= seconds before it commits, so the tests
 * can show that the pull feed never passes an event whose transaction
 * commits late.  ?n= names the event: its id is HEALTH_FEED_ID, its
 * sequence HEALTH_FEED_SEQ + n (above any real checkpoint's).  The rows
 * are marked delivered before they commit, so vcpnotifyd never sees
 * them pending and never sends them.
 */
void
health_feed_event(struct api_call *call, struct db *db)
{
	static const char *const	recipients[] = { "mps", "cac", NULL };
	static const char	payload[] = "<debug/>";
	struct db_stmt		*st;
	const char		*payloads[2];
	char			event_id[40], *sealed;
	long long		n, hold;
	int			ok;

	if (!vcp_conf.debug_sleep) {
		api_error(call, 404, "not_found", "未找到该资源");
		return;
	}
	n = 0;
	hold = 0;
	if (!health_number(call, "n", 1, HEALTH_FEED_N_MAX, &n) || n == 0 ||
	    !health_number(call, "hold", 0, HEALTH_FEED_HOLD_MAX, &hold)) {
		api_error(call, 422, "validation", "查询参数有误");
		return;
	}
	(void)snprintf(event_id, sizeof(event_id), HEALTH_FEED_ID, n);
	if ((sealed = seal(payload, sizeof(payload) - 1)) == NULL) {
		api_internal(call, db, "feed event seal");
		return;
	}
	payloads[0] = payloads[1] = sealed;
	ok = notify_store_insert(db, event_id, recipients, 2, "audit", 0,
	    HEALTH_FEED_SEQ + n, "audit_checkpoint", payloads);
	free(sealed);
	if (!ok || (st = db_prepare(db, sql_feed_delivered)) == NULL) {
		api_internal(call, db, "feed event");
		return;
	}
	db_bind_str(st, 0, event_id);
	if (!db_execute(st)) {
		api_internal(call, db, "feed event");
		return;
	}
	if (hold > 0) {
		if ((st = db_prepare(db, sql_sleep)) == NULL) {
			api_internal(call, db, "feed event hold");
			return;
		}
		db_bind_i64(st, 0, hold);
		if (!db_execute(st)) {
			api_internal(call, db, "feed event hold");
			return;
		}
		db_reset(st);
	}
	api_reply(call, 200, json_pack("{s:s,s:I}", "event_id", event_id,
	    "held", (json_int_t)hold));
}
